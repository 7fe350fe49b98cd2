// RBAC benchmark: a synthetic cluster policy of 10,000 roles and bindings (ClusterRoles, some aggregated and chained,
// namespaced Roles, RoleBindings and ClusterRoleBindings to users, groups and ServiceAccounts) with 5,000
// ServiceAccounts and workloads running as some of them, scanned by the real CLI (process start-up included) with
// only the RBAC rules (every rule whose id starts with `rbac-`, escalation paths included, whatever exists when it
// runs) and with every rule, printing seconds and peak RSS as bench/run.ts does. `palisade rbac paths` is timed too
// when the command exists.
//
//   node bench/rbac.ts                         # 10,000 roles+bindings, 5,000 ServiceAccounts, 3 runs each
//   node bench/rbac.ts --rbac 20000 --service-accounts 10000 --runs 1

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prng } from './generate.ts';

const root = resolve(import.meta.dirname, '..');
const palisade = join(root, 'bin', 'palisade');

interface Generated {
  readonly rbacObjects: number;
  readonly serviceAccounts: number;
  readonly workloads: number;
  readonly documents: number;
  readonly files: number;
}

// ---------------------------------------------------------------- generating the policy

/** Rule templates, most harmless, some powerful (as in a real cluster: operators, CI, platform teams). */
const RULES: readonly (readonly [weight: number, yaml: string])[] = [
  [20, '{apiGroups: [""], resources: [pods, services, endpoints, configmaps], verbs: [get, list, watch]}'],
  [10, '{apiGroups: [apps], resources: [deployments, replicasets, statefulsets], verbs: [get, list, watch]}'],
  [6, '{apiGroups: [apps], resources: [deployments], verbs: [create, update, patch, delete]}'],
  [5, '{apiGroups: [""], resources: [configmaps], resourceNames: [app-config, feature-flags], verbs: [get, update]}'],
  [4, '{apiGroups: [batch], resources: [jobs, cronjobs], verbs: ["*"]}'],
  [4, '{apiGroups: [""], resources: [pods/log], verbs: [get]}'],
  [3, '{apiGroups: [apps, extensions], resources: ["*/scale"], verbs: [get, update, patch]}'],
  [3, '{apiGroups: [""], resources: [events], verbs: [create, patch]}'],
  [3, '{apiGroups: [coordination.k8s.io], resources: [leases], verbs: [get, create, update]}'],
  [2, '{apiGroups: [monitoring.coreos.com], resources: [servicemonitors, prometheusrules], verbs: ["*"]}'],
  [2, '{apiGroups: [""], resources: [secrets], verbs: [get, list]}'],
  [2, '{apiGroups: [""], resources: [secrets], resourceNames: [tls, registry], verbs: [get]}'],
  [1, '{apiGroups: [""], resources: [pods], verbs: [create, delete]}'],
  [1, '{apiGroups: [""], resources: [pods/exec, pods/attach], verbs: [create, get]}'],
  [1, '{apiGroups: [""], resources: [serviceaccounts/token], verbs: [create]}'],
  [0.3, '{apiGroups: [""], resources: [serviceaccounts], verbs: [impersonate]}'],
  [0.3, '{apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings, roles], verbs: [create, bind, escalate]}'],
  [0.1, '{apiGroups: ["*"], resources: ["*"], verbs: ["*"]}'],
];
const CLUSTER_RULES: readonly (readonly [weight: number, yaml: string])[] = [
  ...RULES,
  [4, '{apiGroups: [""], resources: [nodes, namespaces, persistentvolumes], verbs: [get, list, watch]}'],
  [2, '{nonResourceURLs: [/metrics, /healthz, "/logs/*"], verbs: [get]}'],
  [1, '{apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: [get, list, watch]}'],
  [0.2, '{apiGroups: [""], resources: [nodes/proxy], verbs: [get]}'],
  [0.2, '{apiGroups: [admissionregistration.k8s.io], resources: [mutatingwebhookconfigurations], verbs: [get, update, patch]}'],
  [0.2, '{apiGroups: [certificates.k8s.io], resources: [certificatesigningrequests], verbs: [create, get]}'],
];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function weighted(random: () => number, table: readonly (readonly [number, string])[]): string {
  const total = table.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [weight, value] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return table.at(-1)![1];
}

function rules(random: () => number, table: readonly (readonly [number, string])[]): string {
  const count = 1 + Math.floor(random() * 5);
  const chosen = new Set<string>();
  for (let i = 0; i < count; i++) chosen.add(weighted(random, table));
  return [...chosen].map((rule) => `  - ${rule}`).join('\n');
}

/** Writes the policy under `out` in files of `perFile` documents. Deterministic for given sizes and seed. */
export function generateRbac(rbacObjects: number, serviceAccounts: number, out: string, seed = 7, perFile = 200): Generated {
  const random = prng(seed);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const documents: string[] = [];
  let files = 0;
  const flush = (force: boolean): void => {
    while (documents.length >= perFile || (force && documents.length > 0)) {
      const chunk = documents.splice(0, perFile);
      writeFileSync(join(out, `rbac-${String(files++).padStart(4, '0')}.yaml`), chunk.join('\n---\n') + '\n');
    }
  };
  const add = (document: string): void => {
    documents.push(document);
    flush(false);
  };

  const namespaceCount = Math.max(1, Math.round(serviceAccounts / 25));
  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `team-${i}`);
  const accountsPerNamespace = Math.ceil(serviceAccounts / namespaceCount);
  const users = Array.from({ length: 2000 }, (_, i) => `user-${i}@example.com`);
  const groups = Array.from({ length: 300 }, (_, i) => `group-${i}`);
  const accounts: [string, string][] = [];

  for (const namespace of namespaces) add(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}`);
  for (let i = 0; i < serviceAccounts; i++) {
    const namespace = namespaces[Math.floor(i / accountsPerNamespace)]!;
    const name = i % accountsPerNamespace === 0 ? 'default' : `sa-${i}`;
    accounts.push([namespace, name]);
    const automount = random() < 0.2 ? '\nautomountServiceAccountToken: false' : '';
    add(`apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${namespace}${automount}`);
  }

  // A fifth of the ServiceAccounts run a Deployment.
  let workloads = 0;
  for (const [namespace, name] of accounts) {
    if (random() >= 0.2) continue;
    workloads++;
    add(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: app-${workloads}`,
        `  namespace: ${namespace}`,
        'spec:',
        '  replicas: 2',
        `  selector: {matchLabels: {app: app-${workloads}}}`,
        '  template:',
        `    metadata: {labels: {app: app-${workloads}}}`,
        '    spec:',
        `      serviceAccountName: ${name}`,
        '      securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}',
        '      containers:',
        `      - name: app`,
        `        image: registry.example.com/${namespace}/app:1.${workloads % 20}.0`,
        '        securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}',
        '        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {cpu: 500m, memory: 256Mi}}',
      ].join('\n'),
    );
  }

  // 8% ClusterRoles (a twentieth of them aggregated, over ten labels, some chained), 7% ClusterRoleBindings,
  // 45% Roles and 40% RoleBindings.
  const clusterRoleCount = Math.round(rbacObjects * 0.08);
  const clusterBindingCount = Math.round(rbacObjects * 0.07);
  const roleCount = Math.round(rbacObjects * 0.45);
  const roleBindingCount = rbacObjects - clusterRoleCount - clusterBindingCount - roleCount;
  const clusterRoles: string[] = [];
  for (let i = 0; i < clusterRoleCount; i++) {
    const name = `cr-${i}`;
    clusterRoles.push(name);
    const label = `bench.palisade.dev/aggregate-to-${i % 10}`;
    if (i % 20 === 0) {
      // Aggregated: selects one label; every fourth one also carries a label others select (chains).
      const chained = i % 80 === 0 ? `\n  labels: {bench.palisade.dev/aggregate-to-${(i / 20 + 1) % 10}: "true"}` : '';
      add(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}${chained}\naggregationRule:\n  clusterRoleSelectors:\n  - matchLabels: {${label}: "true"}\nrules: []`);
    } else {
      const labels = random() < 0.3 ? `\n  labels: {${label}: "true"}` : '';
      add(`apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ${name}${labels}\nrules:\n${rules(random, CLUSTER_RULES)}`);
    }
  }
  const accountsByNamespace = new Map<string, [string, string][]>();
  for (const account of accounts) accountsByNamespace.set(account[0], [...(accountsByNamespace.get(account[0]) ?? []), account]);
  const subject = (namespace: string | undefined): string => {
    const roll = random();
    if (roll < 0.3) return `{apiGroup: rbac.authorization.k8s.io, kind: User, name: "${pick(random, users)}"}`;
    if (roll < 0.5) return `{apiGroup: rbac.authorization.k8s.io, kind: Group, name: ${pick(random, groups)}}`;
    if (roll < 0.505) return '{apiGroup: rbac.authorization.k8s.io, kind: Group, name: "system:authenticated"}';
    const [accountNamespace, account] = namespace !== undefined && random() < 0.8 ? pick(random, accountsByNamespace.get(namespace)!) : pick(random, accounts);
    return accountNamespace === namespace && random() < 0.5 ? `{kind: ServiceAccount, name: ${account}}` : `{kind: ServiceAccount, name: ${account}, namespace: ${accountNamespace}}`;
  };
  const subjects = (namespace: string | undefined): string => {
    const count = 1 + Math.floor(random() * 3);
    return Array.from({ length: count }, () => `- ${subject(namespace)}`).join('\n');
  };
  for (let i = 0; i < clusterBindingCount; i++) {
    add(
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: crb-${i}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${pick(random, clusterRoles)}}\nsubjects:\n${subjects(undefined)}`,
    );
  }
  const rolesByNamespace = new Map<string, string[]>();
  for (let i = 0; i < roleCount; i++) {
    const namespace = pick(random, namespaces);
    const name = `role-${i}`;
    const list = rolesByNamespace.get(namespace) ?? [];
    list.push(name);
    rolesByNamespace.set(namespace, list);
    add(`apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nrules:\n${rules(random, RULES)}`);
  }
  for (let i = 0; i < roleBindingCount; i++) {
    const namespace = pick(random, namespaces);
    const local = rolesByNamespace.get(namespace);
    // Most bind a Role of the namespace, a third a ClusterRole, a few a role that does not exist.
    const roll = random();
    const roleRef =
      roll < 0.01
        ? `{apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing-${i}}`
        : roll < 0.35 || !local
          ? `{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${pick(random, clusterRoles)}}`
          : `{apiGroup: rbac.authorization.k8s.io, kind: Role, name: ${pick(random, local)}}`;
    add(`apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: rb-${i}\n  namespace: ${namespace}\nroleRef: ${roleRef}\nsubjects:\n${subjects(namespace)}`);
  }
  flush(true);
  return { rbacObjects, serviceAccounts, workloads, documents: namespaceCount + serviceAccounts + workloads + rbacObjects, files };
}

// ---------------------------------------------------------------- measuring

interface Measured {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly stdout: string;
}

function measure(args: readonly string[], runs: number): Measured {
  let best: Measured | undefined;
  for (let run = 0; run < runs; run++) {
    const statsFile = join(root, 'bench', 'out', `.stats-${process.pid}.json`);
    const started = performance.now();
    const result = spawnSync(palisade, [...args], {
      cwd: root,
      env: { ...process.env, BENCH_STATS_FILE: statsFile, NODE_OPTIONS: `--import=${join(root, 'bench', 'measure.ts')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1024 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) throw new Error(`palisade ${args.join(' ')} failed with exit code ${result.status}: ${result.stderr.toString().slice(0, 2000)}`);
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { maxRssKiB: number };
    rmSync(statsFile, { force: true });
    if (!best || seconds < best.seconds) best = { seconds, rssMiB: stats.maxRssKiB / 1024, stdout: result.stdout.toString() };
  }
  return best!;
}

function ruleIds(): { all: string[]; rbac: string[]; rbacOffByDefault: string[] } {
  const result = spawnSync(palisade, ['rules', '--format', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`palisade rules failed: ${result.stderr}`);
  const rules = (JSON.parse(result.stdout) as { rules: { id: string; enabledByDefault?: boolean }[] }).rules;
  const rbac = rules.filter((rule) => rule.id.startsWith('rbac-'));
  return { all: rules.map((rule) => rule.id), rbac: rbac.map((rule) => rule.id), rbacOffByDefault: rbac.filter((rule) => rule.enabledByDefault === false).map((rule) => rule.id) };
}

function findingsByRule(stdout: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  return counts;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      rbac: { type: 'string', default: '10000' },
      'service-accounts': { type: 'string', default: '5000' },
      runs: { type: 'string', default: '3' },
    },
  });
  const rbacObjects = Number(values.rbac);
  const serviceAccounts = Number(values['service-accounts']);
  const runs = Math.max(1, Number(values.runs));
  const outRoot = join(root, 'bench', 'out');
  const dir = join(outRoot, 'rbac');
  const meta = join(dir, '.meta.json');
  let generated: Generated | undefined = existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as Generated) : undefined;
  if (!generated || generated.rbacObjects !== rbacObjects || generated.serviceAccounts !== serviceAccounts) {
    generated = generateRbac(rbacObjects, serviceAccounts, dir);
    writeFileSync(meta, JSON.stringify(generated));
  }

  // Configs live beside the input directory, not in it (the scan would read them as manifests).
  const ids = ruleIds();
  const rbacConfig = join(outRoot, 'rbac-only.palisade.yaml');
  const allConfig = join(outRoot, 'all-rules.palisade.yaml');
  writeFileSync(
    rbacConfig,
    `# Only the RBAC rules (id prefix rbac-), written by bench/rbac.ts\ndisabledRules: ${JSON.stringify(ids.all.filter((id) => !id.startsWith('rbac-')))}\nenabledRules: ${JSON.stringify(ids.rbacOffByDefault)}\n`,
  );
  writeFileSync(allConfig, `# Every rule, also those off by default, written by bench/rbac.ts\nenabledRules: ${JSON.stringify(ids.all)}\n`);

  console.log(
    `bin/palisade on node ${process.version}, ${runs} run(s) each, best run shown; input: ${generated.rbacObjects} roles and bindings, ${generated.serviceAccounts} ServiceAccounts, ${generated.workloads} Deployments (${generated.documents} documents in ${generated.files} files)`,
  );
  console.log(`RBAC rules (${ids.rbac.length}): ${ids.rbac.join(', ') || 'none yet'}`);
  console.log('what                                   seconds  peak RSS MiB  findings');
  const rows: [string, string[]][] = [
    [`scan, RBAC rules only (${ids.rbac.length})`, ['scan', dir, '--config', rbacConfig, '--format', 'json', '--fail-on', 'none']],
    [`scan, all rules (${ids.all.length})`, ['scan', dir, '--config', allConfig, '--format', 'json', '--fail-on', 'none']],
  ];
  const paths = spawnSync(palisade, ['rbac', 'paths', '--help'], { cwd: root, encoding: 'utf8' });
  if (paths.status === 0) rows.push(['rbac paths', ['rbac', 'paths', dir, '--format', 'json']]);
  for (const [label, args] of rows) {
    const { seconds, rssMiB, stdout } = measure(args, runs);
    let findings = '';
    if (args[0] === 'scan') {
      const counts = findingsByRule(stdout);
      findings = String([...counts.values()].reduce((sum, n) => sum + n, 0));
      if (label.includes('RBAC')) {
        const detail = [...counts].filter(([id]) => id.startsWith('rbac-')).sort(([a], [b]) => (a < b ? -1 : 1));
        findings += ` (${detail.map(([id, n]) => `${id} ${n}`).join(', ')})`;
      }
    } else {
      const sources = (JSON.parse(stdout) as { sources?: { paths?: unknown[] }[] }).sources ?? [];
      findings = `${sources.reduce((sum, source) => sum + (source.paths?.length ?? 0), 0)} paths`;
    }
    console.log(`${label.padEnd(37)}  ${seconds.toFixed(2).padStart(7)}  ${rssMiB.toFixed(0).padStart(12)}  ${findings}`);
  }
}
