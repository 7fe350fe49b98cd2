import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate, type PodTemplate } from '../../core/pod-templates.ts';
import { bindingGrants, CAPABILITY_BY_ID } from './capabilities.ts';
import { grantsEverything, grantsOfBinding, listingOf, rbacSources, tokenHolders } from './findings-helpers.ts';
import { LIVE_ORIGIN, objectsOf } from './findings-helpers.testing.ts';
import type { BindingEntry } from './model.ts';

const ROLE = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: mixed}
rules:
- apiGroups: [""]
  resources: ["users", "serviceaccounts"]
  verbs: ["impersonate"]
- apiGroups: ["rbac.authorization.k8s.io"]
  resources: ["clusterroles"]
  verbs: ["escalate"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["get"]
  resourceNames: ["a"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["list"]
  resourceNames: ["b"]
- apiGroups: [""]
  resources: ["nodes/proxy"]
  verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everywhere}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mixed}
subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: here, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: mixed}
subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
`;

function bindingsOf(text: string): Map<string, BindingEntry> {
  const objects = objectsOf(text);
  const [source] = rbacSources(objects);
  assert.ok(source);
  return new Map(source.model.bindings.map((binding) => [binding.name, binding]));
}

describe('grantsOfBinding', () => {
  const bindings = bindingsOf(ROLE);
  const cluster = grantsOfBinding(bindings.get('everywhere')!);
  const namespaced = grantsOfBinding(bindings.get('here')!);

  test('a ClusterRoleBinding confers every capability of the role, with the granting rule', () => {
    assert.deepEqual([...cluster.keys()].sort(), ['escalate-roles', 'impersonate', 'nodes-proxy', 'read-secrets']);
    assert.deepEqual(cluster.get('impersonate')!.resources, ['users', 'serviceaccounts']);
    assert.equal(cluster.get('impersonate')!.rule.index, 0);
  });

  test('a RoleBinding confers nothing the API server checks without a namespace', () => {
    assert.deepEqual([...namespaced.keys()].sort(), ['impersonate', 'read-secrets']);
    assert.deepEqual(namespaced.get('impersonate')!.resources, ['serviceaccounts']);
  });

  test('rules limited by name: the names and verbs of every such rule, the first rule as evidence', () => {
    const secrets = cluster.get('read-secrets')!;
    assert.deepEqual(secrets.resourceNames, ['a', 'b']);
    assert.deepEqual(secrets.verbs, ['get', 'list']);
    assert.equal(secrets.rule.index, 2);
  });

  test('computed once per role and binding kind', () => {
    assert.equal(grantsOfBinding(bindings.get('everywhere')!), cluster);
  });

  test('the core bindingGrants agrees: RoleBindings grant no cluster-scoped requests', () => {
    const here = bindings.get('here')!;
    const everywhere = bindings.get('everywhere')!;
    assert.equal(bindingGrants(here, CAPABILITY_BY_ID.get('escalate-roles')!), undefined);
    assert.equal(bindingGrants(everywhere, CAPABILITY_BY_ID.get('escalate-roles')!)?.index, 1);
    assert.equal(bindingGrants(here, CAPABILITY_BY_ID.get('impersonate')!)?.index, 0);
    assert.equal(bindingGrants(here, CAPABILITY_BY_ID.get('nodes-proxy')!), undefined);
  });

  test('a `*` verb rule matches every request; `pods` does not match pods/exec', () => {
    const grants = grantsOfBinding(
      bindingsOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: shop}
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
`).get('b')!,
    );
    assert.deepEqual([...grants.keys()], ['create-pods']);
  });
});

describe('rules limited by resourceNames', () => {
  test('never allow create or deletecollection of a resource (no name to match), but do allow named subresources', () => {
    const binding = bindingsOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: shop}
rules:
- apiGroups: [""]
  resources: ["pods", "secrets", "events"]
  verbs: ["create", "deletecollection"]
  resourceNames: ["x"]
- apiGroups: [""]
  resources: ["pods/exec", "serviceaccounts/token"]
  verbs: ["create"]
  resourceNames: ["x"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: b, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r}
subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
`).get('b')!;
    assert.deepEqual([...grantsOfBinding(binding).keys()], ['exec-pods', 'request-tokens']);
    assert.equal(bindingGrants(binding, CAPABILITY_BY_ID.get('create-pods')!), undefined);
    assert.equal(bindingGrants(binding, CAPABILITY_BY_ID.get('delete-events')!), undefined);
    assert.equal(bindingGrants(binding, CAPABILITY_BY_ID.get('request-tokens')!)?.index, 1);
  });
});

describe('grantsEverything', () => {
  test('a `*`/`*`/`*` rule, or the built-in cluster-admin the input does not define', () => {
    const bindings = bindingsOf(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: User, name: u, apiGroup: rbac.authorization.k8s.io}]
`);
    assert.equal(grantsEverything(bindings.get('admin')!), true);
    assert.equal(grantsEverything(bindings.get('view')!), false);
  });
});

describe('listingOf', () => {
  const RBAC = 'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules: []\n';
  test('manifests are no listing; live objects and snapshot files are, with the kinds they hold', () => {
    const manifests = objectsOf(RBAC);
    assert.equal(listingOf(manifests, manifests[0]!), undefined);
    const live = objectsOf(RBAC, LIVE_ORIGIN);
    assert.deepEqual(listingOf(live, live[0]!), { clusterRoles: true, roles: false, serviceAccounts: false });
    const snapshot = objectsOf(`apiVersion: palisade.dev/v1alpha1\nkind: ClusterInfo\nmetadata: {name: c}\nspec: {server: x}\n---\n${RBAC}`);
    assert.deepEqual(listingOf(snapshot, snapshot[1]!), { clusterRoles: true, roles: false, serviceAccounts: false });
  });
});

describe('tokenHolders', () => {
  test('workloads mounting a ServiceAccount token, owned pods left out', () => {
    const objects = objectsOf(`
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {spec: {serviceAccountName: web, containers: [{name: c, image: i}]}}}
---
apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-x, uid: u, controller: true}]
spec: {serviceAccountName: web, containers: [{name: c, image: i}]}
---
apiVersion: batch/v1
kind: Job
metadata: {name: quiet, namespace: shop}
spec: {template: {spec: {automountServiceAccountToken: false, containers: [{name: c, image: i}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: loose, namespace: shop}
spec: {containers: [{name: c, image: i}]}
`);
    const templates = objects.map((object) => findPodTemplate(object, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t): t is PodTemplate => t !== undefined);
    const [source] = rbacSources(objects);
    const holders = tokenHolders(templates, source!);
    assert.deepEqual(Object.fromEntries(holders), { 'shop/web': ['Deployment shop/web'], 'shop/default': ['Pod shop/loose'] });
    assert.equal(tokenHolders(templates, source!), holders);
  });
});
