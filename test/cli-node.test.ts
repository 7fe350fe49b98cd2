// `palisade node --root DIR` end to end on a kubeadm-like host filesystem built at test time, with real modes and
// owners: static Pod flags located to their lines, the files the API server's flags name read through its hostPath
// mounts, the kubelet's systemd command line, and file permissions per the CIS Benchmark.
import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isRoot, makeFixture, type Fixture } from '../src/inputs/node/testdata/fixture.ts';
import { runCli, type JsonReport } from './cli-helpers.ts';

const APISERVER = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.1
    command:
    - kube-apiserver
    - --advertise-address=10.0.0.10
    - --authorization-mode=Node,RBAC
    - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
    volumeMounts:
    - {name: audit, mountPath: /etc/kubernetes/audit, readOnly: true}
  volumes:
  - name: audit
    hostPath: {path: /srv/audit, type: DirectoryOrCreate}
`;

const SCHEDULER = `apiVersion: v1
kind: Pod
metadata:
  name: kube-scheduler
  namespace: kube-system
spec:
  hostNetwork: true
  containers:
  - name: kube-scheduler
    image: registry.k8s.io/kube-scheduler:v1.34.1
    command: [kube-scheduler, --kubeconfig=/etc/kubernetes/scheduler.conf, --profiling=false, --bind-address=127.0.0.1]
`;

// Logs everything, Secret bodies included.
const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
- level: RequestResponse
`;

const KUBELET_DROP_IN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

interface Located {
  ruleId: string;
  location: { file: string; line: number; path: string };
  controls: string[];
}

function brief(finding: Located): string {
  return `${finding.ruleId} ${finding.location.file}:${finding.location.line} ${finding.location.path} ${finding.controls.filter((c) => c.startsWith('cis-k8s/')).join(',')}`;
}

describe('palisade node --root', () => {
  let fixture: Fixture;
  const write = (path: string, text: string, mode: number): void => {
    const full = join(fixture.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
    chmodSync(full, mode);
  };

  before(() => {
    fixture = makeFixture('node-cli');
    write('etc/passwd', 'root:x:0:0:root:/root:/bin/bash\netcd:x:1234:1234::/var/lib/etcd:/usr/sbin/nologin\n', 0o644);
    write('etc/group', 'root:x:0:\netcd:x:1234:\n', 0o644);
    write('etc/kubernetes/manifests/kube-apiserver.yaml', APISERVER, 0o600);
    write('etc/kubernetes/manifests/kube-scheduler.yaml', SCHEDULER, 0o644);
    write('srv/audit/policy.yaml', AUDIT_POLICY, 0o644);
    write('etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\n', 0o644);
    write('etc/kubernetes/scheduler.conf', 'apiVersion: v1\nkind: Config\n', 0o600);
    write('etc/kubernetes/pki/ca.crt', 'certificate\n', 0o644);
    write('etc/kubernetes/pki/ca.key', 'never read\n', 0o600);
    write('etc/kubernetes/pki/apiserver.key', 'never read\n', 0o640);
    write('var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n', 0o600);
    write('usr/lib/systemd/system/kubelet.service', '[Service]\nExecStart=/usr/bin/kubelet\n', 0o600);
    write('usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', KUBELET_DROP_IN, 0o644);
    write('var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --hostname-override=node1"\n', 0o600);
    mkdirSync(join(fixture.root, 'var/lib/etcd'), { recursive: true });
    chmodSync(join(fixture.root, 'var/lib/etcd'), 0o700);
    if (isRoot) chownSync(join(fixture.root, 'var/lib/etcd'), 1234, 1234);
  });

  after(() => fixture.cleanup());

  it('reports file modes, owners, flags and the referenced audit policy, each at its file and line', () => {
    const result = runCli(['node', '--root', fixture.root, '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: Located[]; errors: JsonReport['errors'] };
    const mine = new Set(['node-file-permissions', 'node-file-ownership', 'control-plane-profiling', 'audit-policy-secret-bodies', 'audit-policy-coverage', 'kubelet-hostname-override', 'apiserver-authorization']);
    const findings = report.findings.filter((finding) => mine.has(finding.ruleId)).map(brief).sort();
    const expected = [
      'audit-policy-secret-bodies /srv/audit/policy.yaml:4 rules[0] cis-k8s/3.2.2',
      'audit-policy-secret-bodies /srv/audit/policy.yaml:4 rules[0] cis-k8s/3.2.2',
      'audit-policy-secret-bodies /srv/audit/policy.yaml:4 rules[0] cis-k8s/3.2.2',
      'audit-policy-secret-bodies /srv/audit/policy.yaml:4 rules[0] cis-k8s/3.2.2',
      'control-plane-profiling /etc/kubernetes/manifests/kube-apiserver.yaml:11 spec.containers[0].command cis-k8s/1.2.15',
      // From the environment file, through $KUBELET_KUBEADM_ARGS: located at the ExecStart line that expands it.
      'kubelet-hostname-override /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf:6 spec.argv[5] cis-k8s/4.2.7',
      'node-file-permissions /etc/kubernetes/admin.conf:1 spec.mode cis-k8s/1.1.13',
      'node-file-permissions /etc/kubernetes/manifests/kube-scheduler.yaml:1 spec.mode cis-k8s/1.1.5',
      'node-file-permissions /etc/kubernetes/pki/apiserver.key:1 spec.mode cis-k8s/1.1.21',
      'node-file-permissions /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf:1 spec.mode cis-k8s/4.1.1',
    ];
    // Owners: the fixture's files belong to whoever runs the test; only root can make them root:root.
    if (isRoot) assert.deepEqual(findings, expected);
    else assert.deepEqual(findings.filter((line) => !line.startsWith('node-file-ownership')), expected);
    assert.deepEqual(report.errors, []);
  });

  it('lists every CIS recommendation of sections 1-4 with a status, passing none without evidence', () => {
    const result = runCli(['node', '--root', fixture.root, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as { compliance: { framework: string; scope: string; counts: Record<string, number>; controls: { id: string; status: string; findings: number; reason?: string }[] }[] };
    assert.deepEqual(report.compliance.map((summary) => summary.framework), ['cis-k8s']);
    const compliance = report.compliance[0]!;
    assert.equal(compliance.scope, 'node');
    const status = (id: string): string => {
      const control = compliance.controls.find((candidate) => candidate.id === `cis-k8s/${id}`);
      return control ? `${control.status}${control.reason ? `: ${control.reason}` : ''}` : 'absent';
    };
    assert.equal(status('1.2.6'), 'pass'); // --authorization-mode=Node,RBAC
    assert.equal(status('1.2.15'), 'fail'); // profiling on by default
    assert.equal(status('1.4.1'), 'pass'); // the scheduler sets --profiling=false
    assert.equal(status('1.1.1'), 'pass'); // the apiserver manifest is 0600
    assert.equal(status('1.1.5'), 'fail'); // the scheduler manifest is 0644
    assert.match(status('1.1.7'), /^not-evaluated: needs the file the recommendation concerns/);
    assert.match(status('2.1'), /^not-evaluated: needs an etcd command line/);
    assert.equal(status('1.2.20'), 'manual: left to a person by the framework; no rule judges it');
    assert.equal(status('4.2.7'), 'fail'); // --hostname-override from the environment file
    assert.equal(status('5.1.1'), 'absent'); // section 5 is about workloads and policies, not a node
    const total = Object.values(compliance.counts).reduce((sum, count) => sum + count, 0);
    assert.equal(total, compliance.controls.length);
    assert.equal(total, 97); // sections 1 to 4 of CIS 1.12
  });

  it('--framework adds other frameworks; a saved node report gives the same CIS statuses again, and an HTML page', () => {
    const saved = join(fixture.base, 'node.json');
    const html = join(fixture.base, 'node.html');
    const result = runCli(['node', '--root', fixture.root, '--format', 'json', '--fail-on', 'none', '--framework', 'nist-800-53', '-o', `json=${saved}`, '-o', `html=${html}`]);
    assert.equal(result.code, 0, result.stderr);
    type Summaries = { compliance: { framework: string; scope: string; controls: { id: string; status: string }[] }[] };
    const report = JSON.parse(result.stdout) as Summaries;
    assert.deepEqual(report.compliance.map((summary) => `${summary.framework} ${summary.scope}`), ['cis-k8s node', 'nist-800-53 all']);
    assert.equal(report.compliance[0]!.controls.length, 97);
    assert.equal(readFileSync(saved, 'utf8'), result.stdout);
    const again = runCli(['report', '--framework', 'cis-k8s', '-f', 'json', '--fail-on', 'none', saved]);
    assert.deepEqual((JSON.parse(again.stdout) as Summaries).compliance, [report.compliance[0]]);
    assert.match(readFileSync(html, 'utf8'), /^<!DOCTYPE html>/i);
  });

  it('turns the kubelet systemd unit, drop-in and environment file into one command line', () => {
    const result = runCli(['node', '--root', fixture.root, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(result.stdout) as { summary: { objects: number }; skipped: unknown[] };
    // Manifests (2 Pods), the audit Policy, the KubeletConfiguration, one NodeFile per file and directory found
    // (and for /etc/kubernetes/pki), and the kubelet's ComponentCommandLine: nothing left unevaluated.
    assert.deepEqual(report.skipped, []);
    assert.ok(report.summary.objects >= 15, JSON.stringify(report.summary));
  });

  it('refuses a root that does not exist, and one without Kubernetes, with one line and exit 2', () => {
    const missing = runCli(['node', '--root', join(fixture.base, 'nope')]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^palisade: --root: /);
    assert.doesNotMatch(missing.stderr, /\n\s+at /);
    const empty = join(fixture.base, 'empty');
    mkdirSync(empty);
    const nothing = runCli(['node', '--root', empty]);
    assert.equal(nothing.code, 2);
    assert.match(nothing.stderr, /no Kubernetes configuration found under/);
  });
});

describe('palisade node --print-job', () => {
  it('prints a Job that passes Palisade\'s own scan, every exception suppressed with its reason', () => {
    const fixture = makeFixture('node-job');
    try {
      for (const [name, extra] of [['tagged', []], ['pinned', ['--image', 'registry.example.com/palisade@sha256:3f1e5a4c8d2b9e7f6a0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a', '--node', 'cp-1', '-n', 'security']]] as const) {
        const printed = runCli(['node', '--print-job', ...extra]);
        assert.equal(printed.code, 0, printed.stderr);
        const file = join(fixture.base, `${name}.yaml`);
        writeFileSync(file, printed.stdout);
        const scan = runCli(['scan', '--format', 'json', '--fail-on', 'info', file]);
        const report = JSON.parse(scan.stdout) as { findings: unknown[]; suppressed: { ruleId: string }[]; suppressionProblems: unknown[] };
        assert.deepEqual(report.findings, [], name);
        assert.deepEqual(report.suppressionProblems, [], name);
        assert.equal(scan.code, 0, name);
        const suppressed = [...new Set(report.suppressed.map((finding) => finding.ruleId))].sort();
        const expected = ['netpol-egress-no-dns', 'pss-host-namespaces', 'pss-host-path-volumes', 'pss-restricted-volumes', 'pss-run-as-non-root', 'pss-run-as-user', 'run-as-user-floor', 'runtime-class-sandbox', 'sensitive-host-path'];
        assert.deepEqual(suppressed, name === 'tagged' ? [...expected, 'image-digest'].sort() : expected);
      }
    } finally {
      fixture.cleanup();
    }
  });

  it('refuses job options without --print-job', () => {
    const result = runCli(['node', '--image', 'x']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'palisade: --image needs --print-job\n');
  });
});
