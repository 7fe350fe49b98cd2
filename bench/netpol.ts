// NetworkPolicy benchmark: synthetic clusters of bare Pods (replicas of a few apps per namespace, sharing their
// labels as a ReplicaSet's pods do) with NetworkPolicies of the kinds real clusters use (default deny, DNS egress,
// app-to-app allows with named and numeric ports, cross-namespace allows by namespace name or team label,
// monitoring from a labelled namespace, external HTTPS egress through an ipBlock), written as YAML under
// bench/out/netpol-<pods>/; then `bin/palisade netpol matrix DIR --format json [--by class]` is timed with the
// real CLI (process start-up, reading and parsing included, output to /dev/null), printing seconds, endpoint
// classes, pairs and peak RSS as bench/run.ts does.
//
//   node bench/netpol.ts                                   # 5,000 pods (workload JSON) and 100,000 pods (class JSON)
//   node bench/netpol.ts --sizes 5000 --runs 3
//   node bench/netpol.ts --sizes 100000 --by workload      # every pair spelled out (large output)
//
// Sizes scale namespaces and policies with the pods: 10 pods per namespace and 2 policies per namespace (5,000 pods:
// 500 namespaces, 1,000 policies; 100,000 pods: 10,000 namespaces, 20,000 policies). --namespaces and --policies
// override them for one size.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prng } from './generate.ts';

const root = resolve(import.meta.dirname, '..');
const palisade = join(root, 'bin', 'palisade');

export interface NetpolCluster {
  readonly pods: number;
  readonly namespaces: number;
  readonly policies: number;
  readonly documents: number;
  readonly files: number;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

const APPS: readonly { app: string; tier: string; port: number; portName: string; maxReplicas: number }[] = [
  { app: 'frontend', tier: 'web', port: 8080, portName: 'http', maxReplicas: 4 },
  { app: 'backend', tier: 'api', port: 9000, portName: 'http', maxReplicas: 4 },
  { app: 'db', tier: 'data', port: 5432, portName: 'pg', maxReplicas: 2 },
  { app: 'cache', tier: 'data', port: 6379, portName: 'redis', maxReplicas: 2 },
  { app: 'worker', tier: 'batch', port: 9090, portName: 'metrics', maxReplicas: 3 },
];

function hash(random: () => number, length: number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

function pod(name: string, namespace: string, labels: Readonly<Record<string, string>>, image: string, ports: readonly string[], hostNetwork = false): string {
  return [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${name}`,
    `  namespace: ${namespace}`,
    `  labels: {${Object.entries(labels).map(([k, v]) => `${k}: ${v}`).join(', ')}}`,
    'spec:',
    ...(hostNetwork ? ['  hostNetwork: true'] : []),
    '  containers:',
    '  - name: app',
    `    image: ${image}`,
    '    ports:',
    ...ports.map((port) => `    - ${port}`),
  ].join('\n');
}

/** The policy kinds, with weights. `ns` is the policy's namespace; `teams` and `others` pick peers elsewhere. */
const POLICIES: readonly (readonly [weight: number, make: (ns: string, random: () => number, teams: readonly string[], others: readonly string[]) => string])[] = [
  [3, () => 'podSelector: {}\n  policyTypes: [Ingress]'],
  [1, () => 'podSelector: {}\n  policyTypes: [Ingress, Egress]'],
  [
    1,
    () =>
      'podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}\n      podSelector: {matchLabels: {k8s-app: kube-dns}}\n    ports:\n    - {protocol: UDP, port: 53}\n    - {protocol: TCP, port: 53}',
  ],
  [2, () => 'podSelector: {matchLabels: {app: backend}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: frontend}}\n    ports:\n    - {port: http}'],
  [2, () => 'podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: backend}}\n    - podSelector: {matchLabels: {app: worker}}\n    ports:\n    - {port: 5432}'],
  [1, () => 'podSelector: {matchLabels: {app: frontend}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}\n    ports:\n    - {port: 8080}'],
  [1, () => 'podSelector: {}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: monitoring}}\n    ports:\n    - {port: 9090}\n    - {port: metrics}'],
  [
    1,
    (_ns, random, teams) =>
      `podSelector: {matchLabels: {app: backend}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {team: ${pick(random, teams)}}}\n      podSelector: {matchLabels: {app: frontend}}\n    ports:\n    - {port: 9000, endPort: 9010}`,
  ],
  [1, (_ns, random, _teams, others) => `podSelector: {matchLabels: {tier: data}}\n  ingress:\n  - from:\n    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ${pick(random, others)}}}`],
  [1, () => 'podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}'],
  [1, () => 'podSelector: {matchLabels: {app: worker}}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]}\n    ports:\n    - {port: 443}'],
];

function weightedPolicy(random: () => number): (typeof POLICIES)[number][1] {
  const total = POLICIES.reduce((sum, [weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [weight, make] of POLICIES) {
    roll -= weight;
    if (roll < 0) return make;
  }
  return POLICIES.at(-1)![1];
}

/** Writes the cluster under `out` in files of `perFile` documents. Deterministic for given sizes and seed. */
export function generateNetpol(pods: number, namespaceCount: number, policies: number, out: string, seed = 11, perFile = 500): NetpolCluster {
  const random = prng(seed);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const documents: string[] = [];
  let files = 0;
  let total = 0;
  const flush = (force: boolean): void => {
    while (documents.length >= perFile || (force && documents.length > 0)) {
      const chunk = documents.splice(0, perFile);
      writeFileSync(join(out, `netpol-${String(files++).padStart(5, '0')}.yaml`), `${chunk.join('\n---\n')}\n`);
    }
  };
  const add = (document: string): void => {
    documents.push(document);
    total++;
    flush(false);
  };

  // System namespaces: DNS, monitoring and an ingress controller (a few pods each, counted in `pods`).
  const teams = Array.from({ length: 50 }, (_, i) => `team-${i}`);
  add('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kube-system');
  add('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n  labels: {team: monitoring}');
  add('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ingress-nginx\n  labels: {team: platform}');
  let podCount = 0;
  for (let i = 0; i < 2; i++) add(pod(`coredns-7db6d8ff4d-${hash(random, 5)}`, 'kube-system', { 'k8s-app': 'kube-dns', 'pod-template-hash': '7db6d8ff4d' }, 'registry.k8s.io/coredns/coredns:v1.11.3', ['{name: dns, containerPort: 53, protocol: UDP}', '{name: dns-tcp, containerPort: 53}']));
  add(pod('node-exporter-x2v9k', 'monitoring', { app: 'node-exporter' }, 'quay.io/prometheus/node-exporter:v1.8.2', ['{name: metrics, containerPort: 9100}'], true));
  add(pod('prometheus-0', 'monitoring', { app: 'prometheus' }, 'quay.io/prometheus/prometheus:v3.0.0', ['{name: web, containerPort: 9090}']));
  for (let i = 0; i < 2; i++) add(pod(`ingress-nginx-controller-5c9f-${hash(random, 5)}`, 'ingress-nginx', { 'app.kubernetes.io/name': 'ingress-nginx', 'pod-template-hash': '5c9f' }, 'registry.k8s.io/ingress-nginx/controller:v1.11.2', ['{name: http, containerPort: 80}', '{name: https, containerPort: 443}']));
  podCount += 6;

  const namespaces = Array.from({ length: namespaceCount }, (_, i) => `ns-${String(i).padStart(5, '0')}`);
  const remaining = Math.max(0, pods - podCount);
  for (let n = 0; n < namespaceCount; n++) {
    const ns = namespaces[n]!;
    add(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n  labels: {team: ${pick(random, teams)}, env: ${pick(random, ['prod', 'staging', 'dev'])}}`);
    // Pods of this namespace: replicas of apps, each app's pods sharing labels (and a pod-template-hash).
    let quota = Math.floor(remaining / namespaceCount) + (n < remaining % namespaceCount ? 1 : 0);
    let appIndex = Math.floor(random() * APPS.length);
    while (quota > 0) {
      const app = APPS[appIndex % APPS.length]!;
      appIndex++;
      const replicas = Math.min(quota, 1 + Math.floor(random() * app.maxReplicas));
      const templateHash = hash(random, 10);
      for (let r = 0; r < replicas; r++) {
        add(
          pod(
            `${app.app}-${templateHash}-${hash(random, 5)}`,
            ns,
            { app: app.app, tier: app.tier, 'pod-template-hash': templateHash },
            `registry.example.com/${ns}/${app.app}:1.${Math.floor(random() * 20)}.0`,
            [`{name: ${app.portName}, containerPort: ${app.port}}`, ...(app.portName === 'metrics' ? [] : ['{name: metrics, containerPort: 9090}'])],
          ),
        );
      }
      quota -= replicas;
      podCount += replicas;
    }
  }
  // Policies: round-robin over the namespaces, kinds drawn by weight.
  for (let k = 0; k < policies; k++) {
    const ns = namespaces[k % namespaceCount]!;
    const others = [namespaces[(k * 7 + 1) % namespaceCount]!, namespaces[(k * 13 + 5) % namespaceCount]!];
    add(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${k}\n  namespace: ${ns}\nspec:\n  ${weightedPolicy(random)(ns, random, teams, others)}`);
  }
  flush(true);
  return { pods: podCount, namespaces: namespaceCount + 3, policies, documents: total, files };
}

// ---------------------------------------------------------------- timing the CLI

interface Measured {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly bytes: number;
  readonly classes: number;
  readonly pairs: number;
}

function run(dir: string, by: 'workload' | 'class'): Measured {
  const statsFile = join(root, 'bench', 'out', `.stats-${process.pid}.json`);
  const started = performance.now();
  // The command as a user runs it, output redirected to /dev/null by the shell; --stats adds one line of counts on
  // stderr (workloads, classes, pairs, bytes of output).
  const result = spawnSync('sh', ['-c', 'exec "$0" netpol matrix "$1" --format json --by "$2" --stats > /dev/null', palisade, dir, by], {
    cwd: root,
    env: { ...process.env, BENCH_STATS_FILE: statsFile, NODE_OPTIONS: `--import=${join(root, 'bench', 'measure.ts')}` },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(`netpol matrix failed with exit code ${result.status}: ${result.stderr.toString().slice(0, 2000)}`);
    process.exit(1);
  }
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { maxRssKiB: number };
  rmSync(statsFile, { force: true });
  const lines = result.stderr.toString();
  const number = (pattern: RegExp): number => Number(pattern.exec(lines)?.[1] ?? NaN);
  return { seconds, rssMiB: stats.maxRssKiB / 1024, bytes: number(/(\d+) bytes of output/), classes: number(/(\d+) classes/), pairs: number(/(\d+) pairs/) };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '5000,100000' },
      namespaces: { type: 'string' },
      policies: { type: 'string' },
      by: { type: 'string' },
      runs: { type: 'string', default: '1' },
    },
  });
  const sizes = values.sizes.split(',').map((n) => Number(n.trim()));
  const runs = Math.max(1, Number(values.runs));
  console.log(`bin/palisade netpol matrix on node ${process.version}, ${runs} run(s) per size, best run shown`);
  console.log('     pods  namespaces  policies  documents  by        seconds  classes          pairs  output MiB  peak RSS MiB');
  for (const size of sizes) {
    const namespaces = values.namespaces !== undefined ? Number(values.namespaces) : Math.max(1, Math.round(size / 10));
    const policies = values.policies !== undefined ? Number(values.policies) : namespaces * 2;
    const dir = join(root, 'bench', 'out', `netpol-${size}-${namespaces}-${policies}`);
    const meta = join(dir, '.meta.json');
    let cluster: NetpolCluster;
    if (existsSync(meta)) {
      cluster = JSON.parse(readFileSync(meta, 'utf8')) as NetpolCluster;
    } else {
      cluster = generateNetpol(size, namespaces, policies, dir);
      writeFileSync(meta, JSON.stringify(cluster));
    }
    // Every pair spelled out up to 10,000 pods; beyond, the class matrix (see docs/netpol.md).
    const by = (values.by as 'workload' | 'class' | undefined) ?? (size <= 10_000 ? 'workload' : 'class');
    let best: Measured | undefined;
    for (let r = 0; r < runs; r++) {
      const measured = run(dir, by);
      if (!best || measured.seconds < best.seconds) best = measured;
    }
    const { seconds, rssMiB, bytes, classes, pairs } = best!;
    console.log(
      `${String(cluster.pods).padStart(9)}  ${String(cluster.namespaces).padStart(10)}  ${String(cluster.policies).padStart(8)}  ${String(cluster.documents).padStart(9)}  ${by.padEnd(8)}  ${seconds.toFixed(2).padStart(7)}  ${String(classes).padStart(7)}  ${String(pairs).padStart(13)}  ${(bytes / 1048576).toFixed(1).padStart(10)}  ${rssMiB.toFixed(0).padStart(12)}`,
    );
  }
}
