import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIVE_ORIGIN, objectsOf, runRule } from '../../analysers/rbac/findings-helpers.testing.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

const BINDINGS = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: old-operator}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects:
- {kind: ServiceAccount, name: operator, namespace: operators}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: ServiceAccount, name: default}
`;

const LISTED = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: other, namespace: kube-system}
rules: []
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: default, namespace: kube-system}
---
`;

describe('rbac-dangling-binding on a live cluster', () => {
  test('what the cluster does not hold does not exist, built-in names and default ServiceAccounts included', () => {
    const findings = runRule(rule, objectsOf(LISTED + BINDINGS, LIVE_ORIGIN)).map((finding) => `${finding.object} ${finding.path}: ${finding.message}`);
    assert.deepEqual(findings, [
      'ClusterRoleBinding/old-operator roleRef.name: refers to ClusterRole/edit, which does not exist in the cluster: the binding ' +
        'grants nothing now, but whoever creates that ClusterRole gives its permissions to ServiceAccount operators/operator',
      'ClusterRoleBinding/old-operator subjects[0]: names ServiceAccount operators/operator, which does not exist in the cluster: ' +
        'whoever creates it gets ClusterRole/edit cluster-wide',
      'RoleBinding/shop/reader roleRef.name: refers to Role/shop/reader, which does not exist in the cluster: the binding grants ' +
        'nothing now, but whoever creates that Role gives its permissions to ServiceAccount shop/default',
      'RoleBinding/shop/reader subjects[0]: names ServiceAccount shop/default, which does not exist in the cluster: whoever ' +
        'creates it gets Role/shop/reader in namespace shop',
    ]);
  });

  test('kinds the scan could not list (none of them were read) are not called missing', () => {
    assert.deepEqual(runRule(rule, objectsOf(BINDINGS, LIVE_ORIGIN)), []);
  });

  test('bootstrap bindings are skipped unless ignoreDefaults is off', () => {
    const text = `${LISTED}apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: system:controller:ttl-controller
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects:
- {kind: ServiceAccount, name: ttl-controller, namespace: kube-system}
`;
    assert.deepEqual(runRule(rule, objectsOf(text, LIVE_ORIGIN)), []);
    assert.deepEqual(
      runRule(rule, objectsOf(text, LIVE_ORIGIN), { ignoreDefaults: false }).map((finding) => finding.messageId),
      ['missingServiceAccount'],
    );
  });
});
