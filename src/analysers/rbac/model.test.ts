// The RBAC model: ClusterRole aggregation as the controller does it (to a fixed point, name order, duplicates
// skipped), roleRef resolution (dangling, scope), subjects (ServiceAccount namespace defaulting), bootstrap objects and
// one model per source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_POSITION_LOCATOR, type InventoryObject } from '../../core/inventory.ts';
import type { JsonObject } from '../../core/model.ts';
import { parseManifests } from '../../source/index.ts';
import { buildRbacModel, buildRbacModels, roleKey, subjectKey, type RbacModel } from './model.ts';

function objects(text: string, file = 'rbac.yaml'): InventoryObject[] {
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, []);
  return [...parsed.objects];
}

function model(text: string): RbacModel {
  return buildRbacModel(objects(text));
}

function liveObject(object: JsonObject, context: string): InventoryObject {
  const metadata = object['metadata'] as { name: string; namespace?: string };
  return {
    ref: { apiVersion: object['apiVersion'] as string, kind: object['kind'] as string, name: metadata.name, ...(metadata.namespace ? { namespace: metadata.namespace } : {}) },
    object,
    origin: { type: 'cluster', cluster: { context, server: `https://${context}.example:6443` } },
    locator: NO_POSITION_LOCATOR,
  };
}

/** `verbs resources` of each effective rule, for compact assertions. */
function rulesOf(m: RbacModel, key: string): string[] {
  const role = m.roles.get(key);
  assert.ok(role, `${key} exists`);
  return role.rules.map(({ rule }) => `${rule.verbs.join(',')} ${[...rule.resources, ...rule.nonResourceURLs].join(',')}`);
}

const clusterRole = (name: string, labels: string, rules: string, aggregation = ''): string => `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${name}
  labels: {${labels}}
${aggregation}
rules: ${rules}
---`;

describe('ClusterRole aggregation', () => {
  test('the union of the selected roles’ rules, in name order; roles that do not match are left out', () => {
    const m = model(`
${clusterRole('agg', '', '[]', `aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {to-agg: "true"}
    - matchExpressions: [{key: tier, operator: In, values: [gold]}, {key: exclude, operator: DoesNotExist}]`)}
${clusterRole('b-part', 'to-agg: "true"', '[{verbs: [get], apiGroups: [""], resources: [pods]}]')}
${clusterRole('a-part', 'tier: gold', '[{verbs: [list], apiGroups: [""], resources: [secrets]}]')}
${clusterRole('c-excluded', 'tier: gold, exclude: "yes"', '[{verbs: [escalate], apiGroups: [rbac.authorization.k8s.io], resources: [roles]}]')}
${clusterRole('d-unlabelled', '', '[{verbs: ["*"], apiGroups: ["*"], resources: ["*"]}]')}
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/agg'), ['list secrets', 'get pods']);
    assert.equal(m.roles.get('ClusterRole/agg')!.aggregated, true);
    assert.equal(m.roles.get('ClusterRole/a-part')!.aggregated, false);
  });

  test('each aggregated rule cites the role and index it is written at', () => {
    const m = model(`
${clusterRole('agg', '', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "1"}}]}')}
${clusterRole('part', 'x: "1"', '[{verbs: [get], apiGroups: [""], resources: [pods]}, {verbs: [list], apiGroups: [""], resources: [pods]}]')}
`);
    const [first, second] = m.roles.get('ClusterRole/agg')!.rules;
    assert.equal(first!.role.ref.name, 'part');
    assert.equal(first!.index, 0);
    assert.equal(second!.index, 1);
  });

  test('exact duplicate rules are kept once; rules that differ in any list are all kept', () => {
    const m = model(`
${clusterRole('agg', '', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "1"}}]}')}
${clusterRole('one', 'x: "1"', '[{verbs: [get], apiGroups: [""], resources: [pods]}, {verbs: [get], apiGroups: [""], resources: [pods]}]')}
${clusterRole('two', 'x: "1"', '[{verbs: [get], apiGroups: [""], resources: [pods]}, {verbs: [get], apiGroups: [""], resources: [pods], resourceNames: [a]}]')}
`);
    const rules = m.roles.get('ClusterRole/agg')!.rules;
    assert.deepEqual(
      rules.map((rule) => [rule.role.ref.name, rule.index]),
      [
        ['one', 0],
        ['two', 1],
      ],
    );
  });

  test('chained aggregated roles reach a fixed point whatever their name order', () => {
    // top selects middle, middle selects leaf: top sorts first, so one pass in name order is not enough.
    const m = model(`
${clusterRole('a-top', '', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {level: middle}}]}')}
${clusterRole('b-middle', 'level: middle', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {level: leaf}}]}')}
${clusterRole('c-middle2', 'level: middle', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {level: leaf2}}]}')}
${clusterRole('d-leaf2', 'level: leaf2', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {level: leaf}}]}')}
${clusterRole('z-leaf', 'level: leaf', '[{verbs: [get], apiGroups: [""], resources: [secrets]}]')}
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/z-leaf'), ['get secrets']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/d-leaf2'), ['get secrets']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/c-middle2'), ['get secrets']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/b-middle'), ['get secrets']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/a-top'), ['get secrets']);
  });

  test('rules written on an aggregated role are replaced by the aggregate, even by nothing', () => {
    const m = model(`
${clusterRole('stale', '', '[{verbs: [delete], apiGroups: [""], resources: [pods]}]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "1"}}]}')}
${clusterRole('part', 'x: "1"', '[{verbs: [get], apiGroups: [""], resources: [pods]}]')}
${clusterRole('lonely', '', '[{verbs: [delete], apiGroups: [""], resources: [pods]}]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {nothing: here}}]}')}
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/stale'), ['get pods']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/lonely'), []);
  });

  test('an aggregated role does not aggregate itself', () => {
    const m = model(`
${clusterRole('self', 'x: "1"', '[{verbs: [delete], apiGroups: [""], resources: [pods]}]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "1"}}]}')}
${clusterRole('part', 'x: "1"', '[{verbs: [get], apiGroups: [""], resources: [pods]}]')}
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/self'), ['get pods']);
  });

  test('aggregated roles selecting each other terminate', () => {
    const m = model(`
${clusterRole('a', 'x: a', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: b}}, {matchLabels: {x: leaf}}]}')}
${clusterRole('b', 'x: b', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: a}}]}')}
${clusterRole('leaf', 'x: leaf', '[{verbs: [get], apiGroups: [""], resources: [pods]}]')}
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/a'), ['get pods']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/b'), ['get pods']);
  });

  test('an empty selector selects every other ClusterRole; a malformed matchLabels value selects none', () => {
    const m = model(`
${clusterRole('everything', '', '[]', 'aggregationRule: {clusterRoleSelectors: [{}]}')}
${clusterRole('unquoted', '', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {aggregate: true}}]}')}
${clusterRole('admin-like', 'aggregate: "true"', '[{verbs: ["*"], apiGroups: ["*"], resources: ["*"]}]')}
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/everything'), ['* *']);
    assert.deepEqual(rulesOf(m, 'ClusterRole/unquoted'), []);
  });

  test('Roles are never aggregated, nor selected', () => {
    const m = model(`
${clusterRole('agg', '', '[]', 'aggregationRule: {clusterRoleSelectors: [{matchLabels: {x: "1"}}]}')}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: r, namespace: ns, labels: {x: "1"}}
rules: [{verbs: [get], apiGroups: [""], resources: [pods]}]
`);
    assert.deepEqual(rulesOf(m, 'ClusterRole/agg'), []);
    assert.equal(m.roles.get('Role/ns/r')!.aggregated, false);
  });
});

describe('bindings', () => {
  const roles = `
${clusterRole('reader', '', '[{verbs: [get], apiGroups: [""], resources: [pods]}]')}
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: local, namespace: team}
rules: [{verbs: [list], apiGroups: [""], resources: [secrets]}]
---`;

  test('roleRef resolution: a RoleBinding to a Role of its namespace or to a ClusterRole', () => {
    const m = model(`${roles}
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-role, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: local}
subjects: [{kind: User, name: alice}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: to-clusterrole, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: User, name: alice}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: role-elsewhere, namespace: other}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: local}
subjects: [{kind: User, name: alice}]
`);
    const byName = new Map(m.bindings.map((binding) => [binding.name, binding]));
    assert.equal(byName.get('to-role')!.role?.object.ref.name, 'local');
    assert.equal(byName.get('to-clusterrole')!.role?.kind, 'ClusterRole');
    // The Role lives in `team`, the binding in `other`: dangling.
    assert.equal(byName.get('role-elsewhere')!.role, undefined);
    assert.equal(byName.get('role-elsewhere')!.namespace, 'other');
  });

  test('a dangling roleRef keeps the binding and its subjects, without a role', () => {
    const m = model(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: dangling}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: not-yet-created}
subjects: [{kind: Group, name: devs}]
`);
    const [binding] = m.bindings;
    assert.equal(binding!.role, undefined);
    assert.deepEqual(binding!.roleRef, { kind: 'ClusterRole', name: 'not-yet-created' });
    assert.deepEqual(m.bindingsBySubject.get(subjectKey('Group', 'devs')), [binding]);
  });

  test('a ClusterRoleBinding to a Role is ignored (the API server rejects it), even when a Role has that name', () => {
    const m = model(`${roles}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb-to-role}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: local}
subjects: [{kind: User, name: alice}]
`);
    assert.equal(m.bindings[0]!.role, undefined);
    assert.equal(m.bindings[0]!.namespace, undefined);
  });

  test('a roleRef of another kind resolves to nothing', () => {
    const m = model(`${roles}
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: odd, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Group, name: reader}
subjects: [{kind: User, name: alice}]
`);
    assert.equal(m.bindings[0]!.role, undefined);
  });

  test('ServiceAccount subjects: a RoleBinding defaults the namespace to its own; a ClusterRoleBinding cannot', () => {
    const m = model(`
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects:
  - {kind: ServiceAccount, name: builder}
  - {kind: ServiceAccount, name: deployer, namespace: ""}
  - {kind: ServiceAccount, name: remote, namespace: ci}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects:
  - {kind: ServiceAccount, name: orphan}
  - {kind: ServiceAccount, name: remote, namespace: ci}
`);
    const [rb, crb] = m.bindings;
    assert.deepEqual(rb!.subjects, [
      { kind: 'ServiceAccount', name: 'builder', namespace: 'team', index: 0 },
      { kind: 'ServiceAccount', name: 'deployer', namespace: 'team', index: 1 },
      { kind: 'ServiceAccount', name: 'remote', namespace: 'ci', index: 2 },
    ]);
    assert.deepEqual(crb!.subjects, [
      { kind: 'ServiceAccount', name: 'orphan', index: 0 },
      { kind: 'ServiceAccount', name: 'remote', namespace: 'ci', index: 1 },
    ]);
    assert.deepEqual(m.bindingsBySubject.get(subjectKey('ServiceAccount', 'builder', 'team')), [rb]);
    assert.deepEqual(m.bindingsBySubject.get(subjectKey('ServiceAccount', 'remote', 'ci')), [rb, crb]);
    assert.equal(m.bindingsBySubject.has(subjectKey('ServiceAccount', 'orphan', 'team')), false);
  });

  test('subjects of unknown kinds or without a name are skipped; indexes stay those of the manifest', () => {
    const m = model(`
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: crb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects:
  - {kind: user, name: lowercase-kind}
  - {kind: User}
  - not-a-mapping
  - {kind: Group, name: devs}
  - {kind: User, name: alice}
  - {kind: User, name: alice}
`);
    assert.deepEqual(m.bindings[0]!.subjects, [
      { kind: 'Group', name: 'devs', index: 3 },
      { kind: 'User', name: 'alice', index: 4 },
      { kind: 'User', name: 'alice', index: 5 },
    ]);
    // Listed once per binding, however often the binding names the subject.
    assert.equal(m.bindingsBySubject.get(subjectKey('User', 'alice'))!.length, 1);
  });

  test('a RoleBinding or Role without a namespace lands in default', () => {
    const m = model(`
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: local}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: rb}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: local}
subjects: [{kind: ServiceAccount, name: app}]
`);
    assert.ok(m.roles.has(roleKey('Role', 'default', 'local')));
    assert.equal(m.bindings[0]!.namespace, 'default');
    assert.equal(m.bindings[0]!.role?.name, 'local');
    assert.equal(m.bindings[0]!.subjects[0]!.namespace, 'default');
  });
});

describe('what the model holds', () => {
  test('bootstrap roles and bindings are flagged by kubernetes.io/bootstrapping=rbac-defaults', () => {
    const m = model(`
${clusterRole('cluster-admin', 'kubernetes.io/bootstrapping: rbac-defaults', '[{verbs: ["*"], apiGroups: ["*"], resources: ["*"]}]')}
${clusterRole('custom', 'kubernetes.io/bootstrapping: other', '[]')}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cluster-admin, labels: {kubernetes.io/bootstrapping: rbac-defaults}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: Group, name: "system:masters"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: mine}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: User, name: alice}]
`);
    assert.equal(m.roles.get('ClusterRole/cluster-admin')!.bootstrap, true);
    assert.equal(m.roles.get('ClusterRole/custom')!.bootstrap, false);
    assert.deepEqual(
      m.bindings.map((binding) => [binding.name, binding.bootstrap]),
      [
        ['cluster-admin', true],
        ['mine', false],
      ],
    );
  });

  test('only the rbac.authorization.k8s.io group counts; ServiceAccounts and namespaces are indexed', () => {
    const m = model(`
apiVersion: example.com/v1
kind: ClusterRole
metadata: {name: lookalike}
rules: [{verbs: ["*"], apiGroups: ["*"], resources: ["*"]}]
---
apiVersion: rbac.authorization.k8s.io/v1beta1
kind: ClusterRole
metadata: {name: old-api}
rules: []
---
apiVersion: v1
kind: Namespace
metadata: {name: empty}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: builder, namespace: ci}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: loose}
`);
    assert.deepEqual([...m.roles.keys()], ['ClusterRole/old-api']);
    assert.deepEqual([...m.serviceAccounts.keys()].sort(), ['ci/builder', 'default/loose']);
    assert.deepEqual([...m.namespaces].sort(), ['ci', 'empty']);
  });

  test('one model per source: the files together, each cluster on its own; roleRefs never cross sources', () => {
    const files = [
      ...objects(
        `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: in-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: User, name: alice}]
`,
        'a.yaml',
      ),
      ...objects(clusterRole('reader', '', '[{verbs: [get], apiGroups: [""], resources: [pods]}]'), 'b.yaml'),
    ];
    const prodRole = liveObject({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'prod-only' }, rules: [] }, 'prod');
    const prodBinding = liveObject(
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: 'live' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'reader' },
        subjects: [{ kind: 'User', name: 'bob' }],
      },
      'prod',
    );
    const stagingRole = liveObject({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' }, rules: [] }, 'staging');
    const models = buildRbacModels([...files, prodRole, prodBinding, stagingRole]);
    assert.deepEqual([...models.keys()], ['files', 'cluster:prod', 'cluster:staging']);
    // Two files, one model: the binding in a.yaml finds the role in b.yaml.
    assert.equal(models.get('files')!.bindings[0]!.role?.name, 'reader');
    // prod has no `reader`; staging's does not count.
    assert.equal(models.get('cluster:prod')!.bindings[0]!.role, undefined);
    assert.deepEqual([...models.get('cluster:staging')!.roles.keys()], ['ClusterRole/reader']);
  });
});
