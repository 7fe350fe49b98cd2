// `palisade node --proc` on this machine, against the real control plane the tests run (scripts/control-plane:
// kube-apiserver, etcd and kube-controller-manager as processes): the flags come from /proc/<pid>/cmdline and the
// files kube-apiserver's flags name (audit policy, EncryptionConfiguration) are read and judged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { REPO, runCli } from './cli-helpers.ts';
import { KubeApi, startControlPlane } from './control-plane.ts';

const started = startControlPlane();
const skip = 'skip' in started ? started.skip : false;

interface Finding {
  ruleId: string;
  messageId: string;
  resource: { kind: string; name: string };
  location: { file: string; path: string };
  controls: string[];
}

describe('palisade node --proc against the running control plane', { skip }, () => {
  it('reads the running components\' flags and the files they name, and judges them', () => {
    const run = join(REPO, '.cache', 'control-plane', 'run');
    const apiserverPid = readFileSync(join(run, 'kube-apiserver.pid'), 'utf8').trim();
    const result = runCli(['node', '--proc', '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: Finding[]; errors: unknown[] };
    const onApiserver = report.findings.filter((finding) => finding.location.file === `/proc/${apiserverPid}/cmdline`);
    const rules = new Set(onApiserver.map((finding) => `${finding.ruleId}/${finding.messageId}`));
    // scripts/control-plane starts kube-apiserver with --authorization-mode Node,RBAC, --profiling=false, an audit
    // policy and log (maxage 1, maxbackup 2), an EncryptionConfiguration and no --anonymous-auth.
    assert.ok(!rules.has('control-plane-profiling/profilingOn'), [...rules].join('\n'));
    assert.ok(![...rules].some((rule) => rule.startsWith('apiserver-authorization/')), [...rules].join('\n'));
    assert.ok(![...rules].some((rule) => rule.startsWith('apiserver-encryption-provider/')), [...rules].join('\n'));
    assert.ok([...rules].some((rule) => rule.startsWith('apiserver-anonymous-auth/')), [...rules].join('\n'));
    const auditLog = onApiserver.filter((finding) => finding.ruleId === 'apiserver-audit-log').flatMap((finding) => finding.controls).filter((c) => c.startsWith('cis-k8s/')).sort();
    assert.deepEqual(auditLog, ['cis-k8s/1.2.17', 'cis-k8s/1.2.18']);
    // The EncryptionConfiguration it names is read from the host and judged: aescbc is weak.
    const encryption = report.findings.filter((finding) => finding.location.file === join(run, 'encryption-config.yaml'));
    assert.deepEqual(encryption.map((finding) => `${finding.ruleId}/${finding.messageId}`).sort(), ['encryption-at-rest-config/aescbcWeak', 'encryption-at-rest-coverage/configMaps']);
    // And its audit policy passes: Secrets at Metadata, RBAC and writes logged.
    assert.ok(!report.findings.some((finding) => finding.ruleId.startsWith('audit-policy-')), 'audit policy findings');
  });

  it('tells a hardened and a deliberately insecure API server apart, flags and etcd contents alike', async () => {
    const run = join(REPO, '.cache', 'control-plane', 'run');
    // A second kube-apiserver on the same etcd: AlwaysAllow, anonymous on, no audit, no encryption (its own prefix).
    const twin = spawnSync(join(REPO, 'scripts', 'control-plane'), ['insecure'], { encoding: 'utf8' });
    assert.equal(twin.status, 0, twin.stderr);
    const insecureKubeconfig = twin.stdout.trim().split('\n').at(-1)!;
    // One Secret through each, so each etcd prefix holds at least one.
    for (const kubeconfig of [join(run, 'admin.kubeconfig'), insecureKubeconfig]) {
      const api = new KubeApi(kubeconfig);
      await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'etcd-check' } }).catch(() => undefined);
      await api.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'probe', namespace: 'etcd-check' }, stringData: { password: 'n0t-3ncrypt3d?' } }).catch(() => undefined);
    }
    const hardenedPid = readFileSync(join(run, 'kube-apiserver.pid'), 'utf8').trim();
    const insecurePid = readFileSync(join(run, 'kube-apiserver-insecure.pid'), 'utf8').trim();
    const result = runCli(['node', '--proc', '--etcd-check', '--format', 'json', '--fail-on', 'none']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: Finding[]; errors: unknown[] };
    assert.deepEqual(report.errors, []);
    const on = (pid: string): Set<string> =>
      new Set(report.findings.filter((finding) => finding.location.file === `/proc/${pid}/cmdline`).map((finding) => `${finding.ruleId}/${finding.messageId} ${finding.controls.filter((c) => c.startsWith('cis-k8s/')).join(',')}`));
    const hardened = on(hardenedPid);
    const insecure = on(insecurePid);
    assert.deepEqual([...insecure].filter((item) => !hardened.has(item)).sort(), [
      'apiserver-admission-plugins/nodeRestrictionMissing cis-k8s/1.2.14',
      'apiserver-audit-log/noAuditBackend cis-k8s/1.2.16',
      'apiserver-audit-log/noAuditPolicy cis-k8s/3.2.1',
      'apiserver-authorization/alwaysAllow cis-k8s/1.2.6,cis-k8s/1.2.7,cis-k8s/1.2.8',
      'apiserver-encryption-provider/encryptionConfigMissing cis-k8s/1.2.27',
      'control-plane-profiling/profilingOn cis-k8s/1.2.15',
      // Its Secrets are in etcd in plain text; the hardened server's (aescbc) are not.
      'etcd-secrets-encrypted/plaintext cis-k8s/1.2.27,cis-k8s/1.2.28',
    ]);
    // With AlwaysAllow the API server turns anonymous authentication off itself; the hardened one leaves it on, and
    // keeps its audit log for a day and two backups.
    assert.deepEqual([...hardened].filter((item) => !insecure.has(item)).sort(), [
      'apiserver-anonymous-auth/anonymousEnabled cis-k8s/1.2.1',
      'apiserver-audit-log/fewBackups cis-k8s/1.2.18',
      'apiserver-audit-log/shortMaxAge cis-k8s/1.2.17',
    ]);
    // The plaintext finding names the key it read, never the value.
    assert.doesNotMatch(result.stdout, /n0t-3ncrypt3d/);
  });
});
