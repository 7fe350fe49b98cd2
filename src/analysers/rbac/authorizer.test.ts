// The RBAC authorizer over a model: implicit groups, binding scope (a RoleBinding only in its namespace, never for
// cluster-scoped or non-resource requests), the system:masters bypass, evidence and who-can.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseManifests } from '../../source/index.ts';
import {
  authorize,
  bindingsForUser,
  grantsFor,
  parseServiceAccountUser,
  serviceAccountUser,
  userForSubject,
  whoCan,
  type Decision,
  type UserInfo,
} from './authorizer.ts';
import { buildRbacModel, type RbacModel } from './model.ts';
import type { RequestAttributes } from './policy-rule.ts';

function model(text: string): RbacModel {
  const parsed = parseManifests({ file: 'rbac.yaml', text });
  assert.deepEqual(parsed.errors, []);
  return buildRbacModel(parsed.objects);
}

const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });
const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

function resource(verb: string, resourceName: string, namespace: string | undefined, extra: { apiGroup?: string; subresource?: string; name?: string } = {}): RequestAttributes {
  return { kind: 'resource', verb, apiGroup: extra.apiGroup ?? '', resource: resourceName, ...(extra.subresource ? { subresource: extra.subresource } : {}), ...(extra.name ? { name: extra.name } : {}), ...(namespace !== undefined ? { namespace } : {}) };
}

/** `Kind/name` of the binding that allowed the request, `masters`, or `denied`. */
function via(decision: Decision): string {
  if (!decision.allowed) return 'denied';
  if (decision.via === 'system:masters') return 'masters';
  return `${decision.via.binding.kind}/${decision.via.binding.name}`;
}

const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, namespace: string | undefined, roleKind: string, role: string, subjects: string): string => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ${kind}
metadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${roleKind}, name: ${role}}
subjects: ${subjects}
---`;

const ROLES = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-reader}
rules: [{verbs: [get, list], apiGroups: [""], resources: [pods]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-reader}
rules:
  - {verbs: [get, list], apiGroups: [""], resources: [nodes, persistentvolumes]}
  - {verbs: [get], nonResourceURLs: [/metrics, /logs/*]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: team}
rules: [{verbs: [get], apiGroups: [""], resources: [secrets]}]
---`;

describe('identities', () => {
  test('a ServiceAccount is system:serviceaccount:NS:NAME in its three implicit groups', () => {
    assert.deepEqual(serviceAccountUser('ci', 'builder'), {
      name: 'system:serviceaccount:ci:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
    });
  });

  test('parseServiceAccountUser takes exactly a namespace and a name', () => {
    assert.deepEqual(parseServiceAccountUser('system:serviceaccount:ci:builder'), { namespace: 'ci', name: 'builder' });
    assert.equal(parseServiceAccountUser('system:serviceaccount:ci'), undefined);
    assert.equal(parseServiceAccountUser('system:serviceaccount::builder'), undefined);
    assert.equal(parseServiceAccountUser('system:serviceaccount:ci:builder:extra'), undefined);
    assert.equal(parseServiceAccountUser('system:serviceaccounts:ci'), undefined);
    assert.equal(parseServiceAccountUser('alice'), undefined);
  });

  test('userForSubject: who a subject stands for, with the groups an authenticator gives it', () => {
    assert.deepEqual(userForSubject('ServiceAccount', 'builder', 'ci'), serviceAccountUser('ci', 'builder'));
    assert.deepEqual(userForSubject('ServiceAccount', 'builder'), serviceAccountUser('default', 'builder'));
    assert.deepEqual(userForSubject('User', 'alice'), user('alice'));
    assert.deepEqual(userForSubject('User', 'system:anonymous'), ANONYMOUS);
    assert.deepEqual(userForSubject('Group', 'devs'), { name: '', groups: ['devs', 'system:authenticated'] });
    assert.deepEqual(userForSubject('Group', 'system:authenticated'), { name: '', groups: ['system:authenticated'] });
    assert.deepEqual(userForSubject('Group', 'system:unauthenticated'), ANONYMOUS);
  });
});

describe('authorize', () => {
  test('grants to the implicit groups reach ServiceAccounts, by namespace', () => {
    const m = model(`${ROLES}
${binding('ClusterRoleBinding', 'all-sas', undefined, 'ClusterRole', 'pod-reader', '[{kind: Group, name: "system:serviceaccounts"}]')}
${binding('RoleBinding', 'ci-sas', 'team', 'Role', 'secret-reader', '[{kind: Group, name: "system:serviceaccounts:ci"}]')}
${binding('ClusterRoleBinding', 'everyone', undefined, 'ClusterRole', 'node-reader', '[{kind: Group, name: "system:authenticated"}]')}
`);
    const builder = serviceAccountUser('ci', 'builder');
    const other = serviceAccountUser('web', 'app');
    assert.equal(via(authorize(m, builder, resource('list', 'pods', 'anywhere'))), 'ClusterRoleBinding/all-sas');
    assert.equal(via(authorize(m, builder, resource('get', 'secrets', 'team'))), 'RoleBinding/ci-sas');
    assert.equal(via(authorize(m, other, resource('get', 'secrets', 'team'))), 'denied');
    assert.equal(via(authorize(m, other, resource('get', 'nodes', ''))), 'ClusterRoleBinding/everyone');
    assert.equal(via(authorize(m, user('alice'), resource('get', 'nodes', ''))), 'ClusterRoleBinding/everyone');
    assert.equal(via(authorize(m, user('alice'), resource('list', 'pods', 'x'))), 'denied');
    // Without its implicit groups (as a SubjectAccessReview without spec.groups asks), the ServiceAccount has nothing.
    assert.equal(via(authorize(m, { name: builder.name, groups: [] }, resource('list', 'pods', 'anywhere'))), 'denied');
    // Anonymous requests are not authenticated.
    assert.equal(via(authorize(m, ANONYMOUS, resource('get', 'nodes', ''))), 'denied');
  });

  test('a RoleBinding to a ClusterRole grants its rules in the binding’s namespace only', () => {
    const m = model(`${ROLES}
${binding('RoleBinding', 'readers', 'team', 'ClusterRole', 'pod-reader', '[{kind: User, name: alice}]')}
`);
    const alice = user('alice');
    assert.equal(via(authorize(m, alice, resource('list', 'pods', 'team'))), 'RoleBinding/readers');
    assert.equal(via(authorize(m, alice, resource('list', 'pods', 'other'))), 'denied');
    // Across all namespaces (no namespace in the request): not through a RoleBinding.
    assert.equal(via(authorize(m, alice, resource('list', 'pods', ''))), 'denied');
    assert.equal(via(authorize(m, alice, resource('list', 'pods', undefined))), 'denied');
  });

  test('cluster-scoped and non-resource requests ignore RoleBindings', () => {
    const m = model(`${ROLES}
${binding('RoleBinding', 'nodes-in-team', 'team', 'ClusterRole', 'node-reader', '[{kind: User, name: alice}]')}
${binding('ClusterRoleBinding', 'nodes', undefined, 'ClusterRole', 'node-reader', '[{kind: User, name: bob}]')}
`);
    const alice = user('alice');
    const bob = user('bob');
    for (const [verb, what] of [
      ['get', 'nodes'],
      ['list', 'persistentvolumes'],
    ] as const) {
      assert.equal(via(authorize(m, alice, resource(verb, what, ''))), 'denied', what);
      assert.equal(via(authorize(m, bob, resource(verb, what, ''))), 'ClusterRoleBinding/nodes', what);
    }
    assert.equal(via(authorize(m, alice, { kind: 'nonResource', verb: 'get', path: '/metrics' })), 'denied');
    assert.equal(via(authorize(m, bob, { kind: 'nonResource', verb: 'get', path: '/logs/x' })), 'ClusterRoleBinding/nodes');
    // The authorizer does not know which resources are cluster-scoped: asked with a namespace (as a
    // SubjectAccessReview may be), the RoleBinding applies, as it does on the API server (kubernetes #75970).
    assert.equal(via(authorize(m, alice, resource('get', 'nodes', 'team'))), 'RoleBinding/nodes-in-team');
  });

  test('ServiceAccount subjects match the account of their namespace only; a ClusterRoleBinding’s needs one', () => {
    const m = model(`${ROLES}
${binding('RoleBinding', 'local', 'team', 'ClusterRole', 'pod-reader', '[{kind: ServiceAccount, name: builder}]')}
${binding('ClusterRoleBinding', 'no-namespace', undefined, 'ClusterRole', 'node-reader', '[{kind: ServiceAccount, name: builder}]')}
`);
    assert.equal(via(authorize(m, serviceAccountUser('team', 'builder'), resource('get', 'pods', 'team'))), 'RoleBinding/local');
    assert.equal(via(authorize(m, serviceAccountUser('other', 'builder'), resource('get', 'pods', 'team'))), 'denied');
    for (const namespace of ['team', 'default', 'other']) {
      assert.equal(via(authorize(m, serviceAccountUser(namespace, 'builder'), resource('get', 'nodes', ''))), 'denied', namespace);
    }
    // A user whose name merely looks like the account is the account: the server authenticates names, not kinds.
    assert.equal(via(authorize(m, user('system:serviceaccount:team:builder'), resource('get', 'pods', 'team'))), 'RoleBinding/local');
  });

  test('User and Group subjects are distinct namespaces of names', () => {
    const m = model(`${ROLES}
${binding('ClusterRoleBinding', 'devs', undefined, 'ClusterRole', 'pod-reader', '[{kind: Group, name: devs}]')}
${binding('ClusterRoleBinding', 'carol', undefined, 'ClusterRole', 'node-reader', '[{kind: User, name: carol}]')}
`);
    assert.equal(via(authorize(m, user('devs'), resource('get', 'pods', 'x'))), 'denied');
    assert.equal(via(authorize(m, user('bob', 'devs'), resource('get', 'pods', 'x'))), 'ClusterRoleBinding/devs');
    assert.equal(via(authorize(m, user('bob', 'carol'), resource('get', 'nodes', ''))), 'denied');
  });

  test('dangling bindings and ClusterRoleBindings to Roles grant nothing', () => {
    const m = model(`${ROLES}
${binding('ClusterRoleBinding', 'dangling', undefined, 'ClusterRole', 'missing', '[{kind: User, name: alice}]')}
${binding('RoleBinding', 'dangling-role', 'team', 'Role', 'pod-reader', '[{kind: User, name: alice}]')}
${binding('ClusterRoleBinding', 'to-role', undefined, 'Role', 'secret-reader', '[{kind: User, name: alice}]')}
`);
    const alice = user('alice');
    assert.equal(via(authorize(m, alice, resource('get', 'pods', 'team'))), 'denied');
    assert.equal(via(authorize(m, alice, resource('get', 'secrets', 'team'))), 'denied');
    assert.deepEqual(grantsFor(m, alice, 'team'), []);
    assert.equal(bindingsForUser(m, alice).length, 3);
  });

  test('system:masters is allowed everything, with no binding at all', () => {
    const empty = model('');
    const root: UserInfo = { name: 'root', groups: ['system:masters', 'system:authenticated'] };
    assert.equal(via(authorize(empty, root, resource('delete', 'secrets', 'kube-system'))), 'masters');
    assert.equal(via(authorize(empty, root, resource('escalate', 'clusterroles', '', { apiGroup: 'rbac.authorization.k8s.io' }))), 'masters');
    assert.equal(via(authorize(empty, root, { kind: 'nonResource', verb: 'get', path: '/logs/x' })), 'masters');
    assert.equal(via(authorize(empty, user('root'), resource('get', 'pods', 'x'))), 'denied');
  });

  test('evidence: ClusterRoleBindings are consulted first, then the namespace’s RoleBindings, rules in order', () => {
    const m = model(`${ROLES}
${binding('RoleBinding', 'local', 'team', 'ClusterRole', 'pod-reader', '[{kind: User, name: alice}]')}
${binding('ClusterRoleBinding', 'global', undefined, 'ClusterRole', 'pod-reader', '[{kind: Group, name: other}, {kind: User, name: alice}]')}
`);
    const decision = authorize(m, user('alice'), resource('get', 'pods', 'team'));
    assert.ok(decision.allowed && decision.via !== 'system:masters');
    assert.equal(decision.via.binding.name, 'global');
    assert.deepEqual(decision.via.subject, { kind: 'User', name: 'alice', index: 1 });
    assert.equal(decision.via.rule.role.ref.name, 'pod-reader');
    assert.equal(decision.via.rule.index, 0);
    assert.deepEqual(
      grantsFor(m, user('alice'), 'team').map((grant) => grant.binding.name),
      ['global', 'local'],
    );
    assert.deepEqual(
      grantsFor(m, user('alice'), undefined).map((grant) => grant.binding.name),
      ['global'],
    );
  });
});

describe('whoCan', () => {
  const m = model(`${ROLES}
${binding('ClusterRoleBinding', 'global', undefined, 'ClusterRole', 'pod-reader', '[{kind: Group, name: ops}, {kind: ServiceAccount, name: agent, namespace: monitoring}, {kind: ServiceAccount, name: no-namespace}]')}
${binding('RoleBinding', 'team-readers', 'team', 'ClusterRole', 'pod-reader', '[{kind: User, name: alice}, {kind: ServiceAccount, name: builder}]')}
${binding('RoleBinding', 'other-readers', 'other', 'ClusterRole', 'pod-reader', '[{kind: User, name: bob}]')}
${binding('RoleBinding', 'team-nodes', 'team', 'ClusterRole', 'node-reader', '[{kind: User, name: carol}]')}
${binding('ClusterRoleBinding', 'dangling', undefined, 'ClusterRole', 'missing', '[{kind: User, name: dave}]')}
`);
  const names = (request: RequestAttributes): string[] =>
    whoCan(m, request).map(({ binding: b, subject }) => `${b.name}:${subject.kind}:${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`);

  test('in a namespace: the ClusterRoleBindings and that namespace’s RoleBindings', () => {
    assert.deepEqual(names(resource('list', 'pods', 'team')), [
      'global:Group:ops',
      'global:ServiceAccount:monitoring/agent',
      'team-readers:User:alice',
      'team-readers:ServiceAccount:team/builder',
    ]);
  });

  test('cluster-wide and for cluster-scoped resources: ClusterRoleBindings only', () => {
    assert.deepEqual(names(resource('list', 'pods', '')), ['global:Group:ops', 'global:ServiceAccount:monitoring/agent']);
    assert.deepEqual(names(resource('get', 'nodes', '')), []);
    assert.deepEqual(names({ kind: 'nonResource', verb: 'get', path: '/metrics' }), []);
  });

  test('every subject whoCan names is allowed by authorize, and only they', () => {
    const request = resource('get', 'pods', 'team');
    for (const grant of whoCan(m, request)) {
      assert.equal(authorize(m, userForSubject(grant.subject.kind, grant.subject.name, grant.subject.namespace), request).allowed, true, grant.subject.name);
    }
    for (const who of [user('bob'), user('dave'), user('carol'), serviceAccountUser('default', 'no-namespace')]) {
      assert.equal(authorize(m, who, request).allowed, false, who.name);
    }
  });
});
