// `palisade scan --cluster` against a real kube-apiserver and etcd (scripts/control-plane), as admin and as
// restricted identities: findings and their locations, 403 handling, tokens and exec plugins, anonymous access,
// pagination, the snapshot round trip and the timeout.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { PALISADE, runCli, scanJson, type JsonFinding, type JsonReport } from './cli-helpers.ts';
import { KubeApi, startControlPlane, type ControlPlane } from './control-plane.ts';

const started = startControlPlane();
const skip = 'skip' in started ? started.skip : false;
const plane = started as ControlPlane;

// The control plane may be reused across runs: everything this run creates carries its own suffix.
const run = Date.now().toString(36);
const ns = `team-${run}`;
const quietNs = `quiet-${run}`;
const SECRET_VALUE = 'hunter2-super-secret-value';

interface LiveLocation {
  cluster: { context: string; server: string };
  object: { apiVersion: string; kind: string; namespace?: string; name: string; uid?: string };
  path: string;
}
type LiveFinding = Omit<JsonFinding, 'location'> & { location: LiveLocation };
type LiveReport = Omit<JsonReport, 'findings'> & {
  findings: LiveFinding[];
  warnings?: { code: string; file: string; message: string }[];
  cluster?: { context: string; server: string; serverVersion: string; resources: number; forbidden: number };
};

function liveScan(args: readonly string[]): { code: number; report: LiveReport; stderr: string } {
  const result = scanJson(['--cluster', ...args]);
  return { code: result.code, report: result.report as unknown as LiveReport, stderr: result.stderr };
}

const workloads = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', securityContext: { privileged: true } }] },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug', namespace: ns },
    spec: { hostPID: true, containers: [{ name: 'shell', image: 'busybox:latest', env: [{ name: 'MODE', value: 'debug' }] }] },
  },
];

describe('palisade scan --cluster against a real API server', { skip }, () => {
  let admin: KubeApi;
  const uids = new Map<string, string>();
  let work: string;

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'palisade-live-'));
    admin = new KubeApi(plane.adminKubeconfig);
    for (const name of [ns, quietNs]) await admin.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    // No controller-manager runs: the default ServiceAccount that pods need is created by hand.
    await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } });
    for (const object of workloads) {
      const created = await admin.create(object);
      uids.set(`${object.kind}/${object.metadata.name}`, String((created['metadata'] as { uid: string }).uid));
    }
    await admin.create({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'db',
        namespace: ns,
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: ns }, stringData: { password: SECRET_VALUE } }),
        },
      },
      stringData: { password: SECRET_VALUE },
    });
    // Applied long ago through an API version removed since: the annotation is what kubectl apply left behind.
    await admin.create({
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: 'agent',
        namespace: ns,
        annotations: {
          'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ apiVersion: 'extensions/v1beta1', kind: 'DaemonSet', metadata: { name: 'agent', namespace: ns } }),
        },
      },
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { automountServiceAccountToken: false, containers: [{ name: 'agent', image: 'registry.example/agent@sha256:' + 'a'.repeat(64) }] },
        },
      },
    });
    // What the restricted identities below are bound to: list pods and deployments, nothing else.
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: { name: 'read-workloads', namespace: ns },
      rules: [{ apiGroups: ['', 'apps'], resources: ['pods', 'deployments'], verbs: ['list'] }],
    });
    await admin.create({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'scanner', namespace: ns } });
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'scanner', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-workloads' },
      subjects: [{ kind: 'ServiceAccount', name: 'scanner', namespace: ns }],
    });
    // More ConfigMaps than one page (500) holds: the list must follow its continue token.
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 520; i++) {
      pending.push(admin.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${String(i).padStart(3, '0')}`, namespace: quietNs }, data: { index: String(i) } }));
      if (pending.length === 40) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  });

  after(() => admin?.close());

  test('finds the same problems as a file scan of the same objects, located by cluster and uid', () => {
    const manifests = join(work, 'workloads.yaml');
    writeFileSync(manifests, workloads.map((object) => yaml.dump(object)).join('---\n'));
    // Namespace-level findings sit on the Namespace object when the input has it (the cluster does), else on the
    // namespace's first workload (these files lack it): compare the workloads' own findings.
    const fromFilesReport = scanJson([manifests, '--fail-on', 'none']).report;
    const fromFiles = { ...fromFilesReport, findings: fromFilesReport.findings.filter((finding) => finding.ruleId !== 'netpol-namespace-default-deny') };
    const { code, report } = liveScan(['--kubeconfig', plane.adminKubeconfig, '-n', ns, '--fail-on', 'none']);
    assert.equal(code, 0);
    // Paths may point deeper live: the API server fills in defaults (resources: {}, imagePullPolicy, …), so the
    // nearest existing parent of a missing field differs. Which rules fire on which object, and the
    // fingerprints, do not.
    // For the same reason a message may differ (serviceAccountName and imagePullPolicy are defaulted live).
    const key = (finding: { ruleId: string; resource: { kind: string; name: string } }): string => `${finding.ruleId} ${finding.resource.kind}/${finding.resource.name}`;
    const workloadKinds = new Set(['Deployment', 'Pod']);
    const live = report.findings.filter((finding) => workloadKinds.has(finding.resource.kind) && ['web', 'debug'].includes(finding.resource.name));
    assert.deepEqual(live.map(key).sort(), fromFiles.findings.map(key).sort());
    assert.ok(live.some((finding) => finding.ruleId === 'pss-privileged'));
    assert.ok(live.some((finding) => finding.ruleId === 'pss-host-namespaces'));
    // Same identity, same fingerprint: a baseline taken from files applies to the cluster.
    assert.deepEqual(live.map((finding) => finding.fingerprint).sort(), fromFiles.findings.map((finding) => finding.fingerprint).sort());

    const privileged = live.find((finding) => finding.ruleId === 'pss-privileged')!;
    assert.equal(privileged.location.cluster.context, 'palisade-test-palisade-admin');
    assert.equal(privileged.location.cluster.server, admin.server);
    assert.deepEqual(privileged.location.object, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: ns, name: 'web', uid: uids.get('Deployment/web') });
    assert.equal(privileged.location.path, 'spec.template.spec.containers[0].securityContext.privileged');
    assert.equal(report.cluster?.serverVersion, 'v1.37.2');
  });

  test('reports the namespace without Pod Security labels with the level its pods would meet', () => {
    const { report } = liveScan(['--kubeconfig', plane.adminKubeconfig, '--fail-on', 'none']);
    const finding = report.findings.find((f) => f.ruleId === 'namespace-pod-security-labels' && f.resource.name === ns);
    assert.ok(finding, 'namespace finding missing');
    assert.equal(finding.messageId, 'missingLabelFailing');
    assert.match(finding.message, /is privileged, since baseline rejects 2 of them/);
  });

  test('flags objects last applied through a removed API version, and the cluster facts', () => {
    const { report } = liveScan(['--kubeconfig', plane.adminKubeconfig, '--fail-on', 'none']);
    const deprecated = report.findings.find((f) => f.ruleId === 'deprecated-api-version' && f.resource.name === 'agent');
    assert.ok(deprecated, `no deprecated-api-version finding: ${report.findings.map((f) => f.ruleId).join(', ')}`);
    assert.equal(deprecated.resource.apiVersion, 'apps/v1');
    assert.match(deprecated.message, /extensions\/v1beta1/);
    // Anonymous requests are authenticated as system:anonymous (the default) but may read nothing.
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'anonymous-api-access'), []);
    const anonymous = report.findings.filter((f) => f.ruleId === 'anonymous-auth-enabled');
    assert.equal(anonymous.length, 1);
    assert.equal(anonymous[0]!.messageId, 'anonymousAuthenticated');
    assert.equal(anonymous[0]!.location.object.kind, 'ClusterInfo');
    assert.equal(anonymous[0]!.location.object.name, 'palisade-test-palisade-admin');
    // v1.37.2 is newer than every patch the release table knows: not end of life.
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'kubernetes-version-supported'), []);
  });

  test('--framework on a live cluster: statuses rest on what the API shows, node facts are not evaluated, graphs drawn', () => {
    const result = runCli(['scan', '--cluster', '--kubeconfig', plane.adminKubeconfig, '--fail-on', 'none', '-f', 'json', '--framework', 'cis-k8s,nist-800-53']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as {
      compliance: { framework: string; controls: { id: string; status: string; reason?: string }[] }[];
      evaluation: { rules: { id: string; subjects: number }[] };
      graphs: {
        clusterMap: { namespaces: { name: string; workloads: { name: string; worst?: string }[] }[] };
        rbac: { nodes: { id: string; label: string; risky?: boolean }[] };
        network: { nodes: unknown[] };
      };
    };
    const subjects = new Map(report.evaluation.rules.map((rule) => [rule.id, rule.subjects]));
    assert.ok(subjects.get('kubernetes-version-supported')! >= 1, 'the ClusterInfo holds the server version');
    assert.equal(subjects.get('apiserver-tls'), 0, 'the API does not show the API server\'s flags');
    assert.ok(subjects.get('rbac-cluster-admin-binding')! > 50, 'every RBAC object of the cluster');
    const cis = new Map(report.compliance[0]!.controls.map((control) => [control.id, control]));
    assert.equal(cis.get('cis-k8s/5.2.2')!.status, 'fail'); // the privileged Deployment
    assert.match(cis.get('cis-k8s/5.1.1')!.status, /^(pass|fail)$/); // judged on the cluster's bindings
    assert.equal(cis.get('cis-k8s/1.2.15')!.status, 'not-evaluated');
    assert.match(cis.get('cis-k8s/1.2.15')!.reason!, /needs .*palisade node/);
    assert.equal(report.compliance[1]!.framework, 'nist-800-53');
    const web = report.graphs.clusterMap.namespaces.find((namespace) => namespace.name === ns)!.workloads.find((workload) => workload.name === 'web');
    assert.equal(web?.worst, 'critical');
    assert.ok(report.graphs.rbac.nodes.some((node) => node.risky && /cluster-admin/.test(node.label)));
    assert.ok(report.graphs.network.nodes.length > 0);
  });

  test('pages through long lists and never writes Secret values into the snapshot', () => {
    const snapshot = join(work, 'snapshot.json');
    const live = liveScan(['--kubeconfig', plane.adminKubeconfig, '--fail-on', 'none', '--save-snapshot', snapshot]);
    assert.equal(live.code, 0);
    const text = readFileSync(snapshot, 'utf8');
    assert.ok(!text.includes(SECRET_VALUE), 'secret value in the snapshot');
    assert.ok(!text.includes(Buffer.from(SECRET_VALUE).toString('base64')), 'base64 secret value in the snapshot');
    const list = JSON.parse(text) as { items: { kind: string; metadata: { name: string; namespace?: string; managedFields?: unknown }; status?: unknown; data?: Record<string, string> }[] };
    const configMaps = list.items.filter((item) => item.kind === 'ConfigMap' && item.metadata.namespace === quietNs);
    assert.equal(configMaps.length, 520);
    assert.ok(list.items.every((item) => item.metadata.managedFields === undefined && item.status === undefined), 'managedFields or status kept');
    const secret = list.items.find((item) => item.kind === 'Secret' && item.metadata.name === 'db')!;
    assert.deepEqual(secret.data, { password: '' });
    assert.ok(list.items.some((item) => item.kind === 'ClusterInfo'));

    // The snapshot rescans offline to the same findings, cluster facts and last-applied API versions included.
    const offline = scanJson([snapshot, '--fail-on', 'none']).report;
    const fingerprints = (findings: { fingerprint: string }[]): string[] => findings.map((f) => f.fingerprint).sort();
    assert.deepEqual(fingerprints(offline.findings), fingerprints(live.report.findings));
    assert.ok(offline.findings.some((f) => f.ruleId === 'deprecated-api-version' && f.resource.name === 'agent'));
    assert.ok(offline.findings.some((f) => f.ruleId === 'anonymous-auth-enabled'));
  });

  test('a restricted user gets warnings naming what it may not read, and findings for the rest', async () => {
    const kubeconfig = plane.kubeconfigFor(`viewer-${run}`, 'palisade:testers');
    await admin.create({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'viewer', namespace: ns },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-workloads' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: `viewer-${run}` }],
    });
    const { code, report, stderr } = liveScan(['--kubeconfig', kubeconfig, '-n', ns, '--fail-on', 'none']);
    assert.equal(code, 0, stderr);
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged' && f.resource.name === 'web'));
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-host-namespaces' && f.resource.name === 'debug'));
    const warnings = report.warnings ?? [];
    const secrets = warnings.find((w) => w.code === 'cluster-forbidden' && w.message.startsWith(`cannot list secrets (v1 Secret) in namespace ${ns}`));
    assert.ok(secrets, `no warning for secrets: ${warnings.map((w) => w.message).join('\n')}`);
    assert.match(secrets.message, new RegExp(`User "viewer-${run}" cannot list resource "secrets"`));
    assert.ok(!warnings.some((w) => w.message.startsWith('cannot list pods ')), 'pods were readable');
    assert.equal(report.cluster?.forbidden, warnings.filter((w) => w.code === 'cluster-forbidden').length);

    // The table lists the warnings too, and the exit code follows findings, not warnings: 1 here (a privileged
    // container is critical), never 2.
    const table = runCli(['scan', '--cluster', '--kubeconfig', kubeconfig, '-n', ns, '--fail-on', 'critical']);
    assert.equal(table.code, 1, table.stderr);
    assert.match(table.stdout, /^Warnings \(\d+\):$/m);
    assert.match(table.stdout, /cannot list secrets \(v1 Secret\) in namespace/);
  });

  test('authenticates with a bearer token and with an exec credential plugin', async () => {
    const tokenRequest = await admin.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/scanner/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    assert.equal(tokenRequest.status, 201);
    const token = String((tokenRequest.body['status'] as { token: string }).token);
    const adminConfig = yaml.load(readFileSync(plane.adminKubeconfig, 'utf8')) as { clusters: unknown[] };
    const kubeconfigWith = (user: Record<string, unknown>): string => {
      const file = join(work, `kubeconfig-${Object.keys(user)[0]}`);
      writeFileSync(
        file,
        yaml.dump({ apiVersion: 'v1', kind: 'Config', clusters: adminConfig.clusters, users: [{ name: 'scanner', user }], contexts: [{ name: 'sa', context: { cluster: 'palisade-test', user: 'scanner' } }], 'current-context': 'sa' }),
      );
      return file;
    };
    for (const kubeconfig of [
      kubeconfigWith({ token }),
      (() => {
        const plugin = join(work, 'credential-plugin.sh');
        writeFileSync(plugin, `#!/bin/sh\nprintf '%s' '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } })}'\n`);
        chmodSync(plugin, 0o755);
        return kubeconfigWith({ exec: { apiVersion: 'client.authentication.k8s.io/v1', command: plugin, interactiveMode: 'Never' } });
      })(),
    ]) {
      const { code, report, stderr } = liveScan(['--kubeconfig', kubeconfig, '-n', ns, '--fail-on', 'none']);
      assert.equal(code, 0, stderr);
      assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged' && f.resource.name === 'web'), `no findings with ${kubeconfig}`);
      assert.ok((report.warnings ?? []).some((w) => w.message.includes(`system:serviceaccount:${ns}:scanner`)));
    }
  });

  test('in a pod: the in-cluster service account, when no kubeconfig exists', async (t) => {
    // A private mount namespace puts a pod's service account files at /var/run/secrets without touching the host.
    if (spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status !== 0) {
      t.skip('unshare -m is not permitted here: cannot stage /var/run/secrets');
      return;
    }
    const tokenRequest = await admin.request('POST', `/api/v1/namespaces/${ns}/serviceaccounts/scanner/token`, {
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenRequest',
      spec: { expirationSeconds: 3600 },
    });
    assert.equal(tokenRequest.status, 201);
    const staged = mkdtempSync(join(tmpdir(), 'palisade-sa-'));
    const adminConfig = yaml.load(readFileSync(plane.adminKubeconfig, 'utf8')) as { clusters: { cluster: { 'certificate-authority-data': string } }[] };
    writeFileSync(join(staged, 'token'), String((tokenRequest.body['status'] as { token: string }).token));
    writeFileSync(join(staged, 'ca.crt'), Buffer.from(adminConfig.clusters[0]!.cluster['certificate-authority-data'], 'base64'));
    writeFileSync(join(staged, 'namespace'), ns);
    const port = new URL(admin.server).port;
    const script = [
      'mount -t tmpfs tmpfs /run',
      'mkdir -p /run/secrets/kubernetes.io',
      `cp -r ${staged} /run/secrets/kubernetes.io/serviceaccount`,
      `exec ${PALISADE} scan --cluster -n ${ns} --fail-on none --format json`,
    ].join(' && ');
    const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: work, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: port };
    const result = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as LiveReport;
    assert.equal(report.cluster?.server, `https://127.0.0.1:${port}`);
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged' && f.resource.name === 'web'));
    assert.ok((report.warnings ?? []).some((w) => w.message.includes(`system:serviceaccount:${ns}:scanner`)));
  });

  test('reports unauthenticated reads as critical once anonymous may list namespaces', async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: `anonymous-ns-${run}` }, rules: [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }] };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `anonymous-ns-${run}` },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.metadata.name },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'system:anonymous' }],
    };
    await admin.create(role);
    await admin.create(binding);
    try {
      const { code, report } = liveScan(['--kubeconfig', plane.adminKubeconfig, '-n', quietNs]);
      const anonymous = report.findings.filter((f) => f.ruleId === 'anonymous-api-access');
      assert.ok(anonymous.some((f) => f.severity === 'critical' && f.message.includes('/api/v1/namespaces')), JSON.stringify(anonymous));
      assert.equal(code, 1, 'a critical finding fails the default threshold');
    } finally {
      await admin.delete(binding);
      await admin.delete(role);
    }
  });

  test('bad targets end with one clear line and exit 2', () => {
    const missingContext = runCli(['scan', '--cluster', '--kubeconfig', plane.adminKubeconfig, '--context', 'nope']);
    assert.equal(missingContext.code, 2);
    assert.match(missingContext.stderr, /^palisade: context "nope" not found in .*\(contexts: palisade-test-palisade-admin\)\n$/);

    const unreachable = join(work, 'unreachable.kubeconfig');
    writeFileSync(unreachable, readFileSync(plane.adminKubeconfig, 'utf8').replace(/server: https:\/\/127\.0\.0\.1:\d+/, 'server: https://127.0.0.1:9'));
    const refused = runCli(['scan', '--cluster', '--kubeconfig', unreachable]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /connection refused/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /, 'stack trace shown');

    const noConfig = runCli(['scan', '--cluster'], { env: { KUBECONFIG: '', HOME: work } });
    assert.equal(noConfig.code, 2);
    assert.match(noConfig.stderr, /no kubeconfig found/);

    const envConfig = runCli(['scan', '--cluster', '-n', quietNs, '--fail-on', 'none', '--format', 'json'], { env: { KUBECONFIG: `${join(work, 'absent')}:${plane.adminKubeconfig}` } });
    assert.equal(envConfig.code, 0, envConfig.stderr);
  });

  test('a progress line on a terminal, nothing on stderr otherwise', (t) => {
    const quiet = runCli(['scan', '--cluster', '--kubeconfig', plane.adminKubeconfig, '-n', quietNs, '--fail-on', 'none', '--format', 'json']);
    assert.equal(quiet.code, 0);
    assert.equal(quiet.stderr, '');
    if (spawnSync('script', ['--version']).status !== 0) {
      t.skip('util-linux script is not installed: no pseudo-terminal to test with');
      return;
    }
    // script(1) gives the scan a pseudo-terminal: stderr is a TTY, stdout goes to /dev/null.
    const command = `${PALISADE} scan --cluster --kubeconfig ${plane.adminKubeconfig} -n ${quietNs} --fail-on none --format json > /dev/null`;
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(tty.status, 0, tty.stdout);
    assert.match(tty.stdout, /listing \d+\/\d+ resource lists · \d+ objects · configmaps/);
    assert.ok(tty.stdout.endsWith('\r\x1b[2K'), 'the progress line is cleared at the end');
  });

  test('--timeout stops the scan', () => {
    const started = Date.now();
    const result = runCli(['scan', '--cluster', '--kubeconfig', plane.adminKubeconfig, '--timeout', '1ms']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /timed out after 0\.001 s/);
    assert.ok(Date.now() - started < 20_000);
  });

  test('discovers custom resources and lists them like built-in kinds', async () => {
    const group = `${run}.palisade.test`;
    await admin.create({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: `widgets.${group}` },
      spec: {
        group,
        scope: 'Namespaced',
        names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    // A new CRD takes a moment to be served.
    let created = false;
    for (let attempt = 0; attempt < 50 && !created; attempt++) {
      const result = await admin.request('POST', `/apis/${group}/v1/namespaces/${quietNs}/widgets`, { apiVersion: `${group}/v1`, kind: 'Widget', metadata: { name: 'blue' }, spec: { size: 3 } });
      created = result.status === 201;
      if (!created) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(created, 'custom resource could not be created');
    const snapshot = join(work, 'crd-snapshot.json');
    const { code, stderr } = liveScan(['--kubeconfig', plane.adminKubeconfig, '-n', quietNs, '--fail-on', 'none', '--save-snapshot', snapshot]);
    assert.equal(code, 0, stderr);
    const list = JSON.parse(readFileSync(snapshot, 'utf8')) as { items: { apiVersion: string; kind: string; metadata: { name: string }; spec?: unknown }[] };
    const widget = list.items.find((item) => item.kind === 'Widget');
    assert.deepEqual(widget && { apiVersion: widget.apiVersion, name: widget.metadata.name, spec: widget.spec }, { apiVersion: `${group}/v1`, name: 'blue', spec: { size: 3 } });
    const info = list.items.find((item) => item.kind === 'ClusterInfo') as { spec: { servedAPIVersions: string[] } } | undefined;
    assert.ok(info?.spec.servedAPIVersions.includes(`${group}/v1`));
  });

  test('classic discovery finds the same resources as aggregated discovery', async () => {
    const { createApiClient } = await import('../src/inputs/cluster/api-client.ts');
    const { discover } = await import('../src/inputs/cluster/discovery.ts');
    const { resolveKubeconfig } = await import('../src/inputs/cluster/kubeconfig.ts');
    const resolved = await resolveKubeconfig({ kubeconfig: plane.adminKubeconfig, env: {}, cwd: work });
    const client = createApiClient(resolved.config, resolved.server);
    // A client that cannot ask for aggregated discovery, as against servers older than 1.26.
    const classic = { server: client.server, get: (path: string, options: { signal: AbortSignal }) => client.get(path, { signal: options.signal }) };
    const signal = AbortSignal.timeout(30_000);
    const aggregated = await discover(client, signal);
    const legacy = await discover(classic, signal);
    assert.ok(aggregated.resources.length > 40);
    assert.deepEqual(legacy.resources, aggregated.resources);
    assert.deepEqual(legacy.servedAPIVersions, aggregated.servedAPIVersions);
  });

  test('SARIF names live objects with logical locations', () => {
    const result = runCli(['scan', '--cluster', '--kubeconfig', plane.adminKubeconfig, '-n', ns, '--format', 'sarif', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    const sarif = JSON.parse(result.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation?: unknown; logicalLocations?: { fullyQualifiedName: string }[] }[] }[] }[] };
    const privileged = sarif.runs[0]!.results.find((r) => r.ruleId === 'pss-privileged')!;
    assert.equal(privileged.locations[0]!.physicalLocation, undefined);
    assert.ok(privileged.locations[0]!.logicalLocations?.some((l) => l.fullyQualifiedName.includes(`${ns}/Deployment/web`)));
  });
});
