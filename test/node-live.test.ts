// `palisade node --proc` on this machine, against the real control plane the tests run (scripts/control-plane:
// kube-apiserver, etcd and kube-controller-manager as processes): the flags come from /proc/<pid>/cmdline and the
// files kube-apiserver's flags name (audit policy, EncryptionConfiguration) are read and judged.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO, runCli } from './cli-helpers.ts';
import { startControlPlane } from './control-plane.ts';

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
});
