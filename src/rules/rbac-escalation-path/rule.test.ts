import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runRules } from '../../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../../core/pod-templates.ts';
import { NO_POSITION_LOCATOR } from '../../core/inventory.ts';
import { DEFAULT_SCAN_SETTINGS } from '../../core/settings.ts';
import { parseManifests } from '../../source/index.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

function findingsOf(name: string, live = false): { object: string; path: string; message: string }[] {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', 'invalid', name), 'utf8');
  const parsed = parseManifests({ file: name, text });
  assert.deepEqual(parsed.errors, []);
  const origin = { type: 'cluster' as const, cluster: { context: 'prod', server: 'https://10.0.0.1:6443' } };
  const objects = live ? parsed.objects.map((object) => ({ ...object, origin, locator: NO_POSITION_LOCATOR })) : parsed.objects;
  const result = runRules({
    inventory: { objects },
    rules: [{ rule, severity: rule.meta.defaultSeverity, options: {} }],
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, []);
  return result.findings.map((finding) => ({
    object: `${finding.resource.kind}/${finding.resource.name}`,
    path: finding.location.path,
    message: finding.message,
  }));
}

describe('rbac-escalation-path messages', () => {
  test('a subject and the workload mounting its token, with every step and its evidence', () => {
    const findings = findingsOf('create-pods-to-admin-sa.yaml');
    const path =
      'create pods in shop (RoleBinding/shop/ci-deployer (create-pods-to-admin-sa.yaml:42) → Role/shop/deployer rules[0] ' +
      '(create-pods-to-admin-sa.yaml:29)) → ServiceAccount shop/admin-bot → cluster-admin (ClusterRoleBinding/admin-bot ' +
      '(create-pods-to-admin-sa.yaml:64) → ClusterRole/platform-admin rules[0] (create-pods-to-admin-sa.yaml:52))';
    assert.deepEqual(findings.map((finding) => finding.message).sort(), [
      `ServiceAccount shop/ci can become cluster-admin in 1 step: ServiceAccount shop/ci → ${path}`,
      'pods of Deployment shop/ci-runner mount the token of ServiceAccount shop/ci, which can become cluster-admin in 1 step, ' +
        `so a compromised pod becomes cluster-admin: Deployment shop/ci-runner (ServiceAccount shop/ci) → ${path}`,
    ]);
    assert.deepEqual(findings.map((finding) => finding.object).sort(), ['Deployment/ci-runner', 'RoleBinding/ci-deployer']);
  });

  test('two steps, and the grants a step needs together cited once each', () => {
    const bob = findingsOf('impersonation.yaml').find((finding) => finding.message.startsWith('User bob'));
    assert.equal(
      bob?.message,
      'User bob can become cluster-admin in 2 steps: User bob → impersonate ServiceAccounts in ops (RoleBinding/ops/bob-deployer-impersonator ' +
        '(impersonation.yaml:64) → Role/ops/deployer-impersonator rules[0] (impersonation.yaml:50)) → ServiceAccount ops/deployer → ' +
        'bind ClusterRole cluster-admin to itself with a new ClusterRoleBinding (ClusterRoleBinding/deployer-binding-manager (impersonation.yaml:95) → ' +
        'ClusterRole/binding-manager rules[1] (impersonation.yaml:83), rules[0] (impersonation.yaml:80)) → cluster-admin',
    );
    assert.equal(bob?.object, 'RoleBinding/bob-deployer-impersonator');
  });

  test('a token Secret read is named, and a built-in cluster-admin the input does not define is cited as such', () => {
    const reader = findingsOf('tokens-and-secrets.yaml').find((finding) => finding.message.startsWith('ServiceAccount monitoring/secret-reader'));
    assert.match(reader?.message ?? '', /→ get secrets in kube-system: Secret kube-system\/cluster-operator-token \(RoleBinding\/kube-system\/monitoring-secret-reader/);
    assert.match(reader?.message ?? '', /→ cluster-admin \(ClusterRoleBinding\/cluster-operator \(tokens-and-secrets\.yaml:38\) → ClusterRole\/cluster-admin \(built in\)\)$/);
  });

  test('a member covered by its group is not reported, its workload is', () => {
    const findings = findingsOf('group-covers-members.yaml');
    assert.deepEqual(findings.map((finding) => finding.object).sort(), ['Deployment/runner', 'RoleBinding/ci-accounts-patch-deployments']);
  });

  test('objects read from a cluster are cited by name', () => {
    const messages = findingsOf('create-pods-to-admin-sa.yaml', true).map((finding) => finding.message);
    assert.ok(
      messages.includes(
        'ServiceAccount shop/ci can become cluster-admin in 1 step: ServiceAccount shop/ci → create pods in shop (RoleBinding/shop/ci-deployer → ' +
          'Role/shop/deployer rules[0]) → ServiceAccount shop/admin-bot → cluster-admin (ClusterRoleBinding/admin-bot → ClusterRole/platform-admin rules[0])',
      ),
      messages.join('\n'),
    );
  });
});
