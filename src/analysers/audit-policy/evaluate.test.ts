// The audit policy checker against upstream: the request × rules matrix of
// staging/src/k8s.io/apiserver/pkg/audit/policy/checker_test.go (testAuditLevel), then the edges of checker.go
// that the matrix leaves out.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import { createAuditPolicyEvaluator, isLongRunning, levelFor, parseAuditPolicy, pathMatches, recordedStages, ruleMatches, type AuditRequest } from './index.ts';

function policy(...rules: JsonObject[]) {
  const parsed = parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules });
  assert.deepEqual(parsed.problems, [], 'test policies must be valid');
  return parsed;
}

function decide(request: AuditRequest, ...rules: JsonObject[]): string {
  return levelFor(policy(...rules), request).level ?? 'invalid';
}

function matches(rule: JsonObject, request: AuditRequest): boolean {
  return ruleMatches(policy(rule).rules[0]!, request);
}

// checker_test.go: the requests …
const tim = { user: 'tim@k8s.io', groups: ['humans', 'developers'] };
const REQUESTS: Record<string, AuditRequest> = {
  namespaced: { ...tim, verb: 'get', namespace: 'default', apiGroup: '', resource: 'pods', name: 'busybox' },
  cluster: { ...tim, verb: 'get', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', name: 'edit' },
  nonResource: { ...tim, verb: 'get', nonResourceURL: '/logs/kubelet.log' },
  subresource: { ...tim, verb: 'get', namespace: 'default', apiGroup: '', resource: 'pods', subresource: 'log', name: 'busybox' },
  Unauthorized: { verb: 'get', namespace: 'default', apiGroup: '', resource: 'pods', name: 'busybox' },
};
// … and the rules.
const RULES: Record<string, JsonObject> = {
  default: { level: 'Metadata' },
  create: { level: 'Request', verbs: ['create'] },
  tims: { level: 'Metadata', users: ['tim@k8s.io'] },
  humans: { level: 'Metadata', userGroups: ['humans'] },
  serviceAccounts: { level: 'Request', userGroups: ['system:serviceaccounts'] },
  getPods: { level: 'RequestResponse', verbs: ['get'], resources: [{ resources: ['pods'] }] },
  getPodLogs: { level: 'Request', verbs: ['get'], resources: [{ resources: ['pods/log'] }] },
  getPodWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['*'] }] },
  getPodResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['*/log'] }] },
  getPodSubResourceWildcardMatching: { level: 'Request', verbs: ['get'], resources: [{ resources: ['pods/*'] }] },
  getClusterRoles: { level: 'RequestResponse', verbs: ['get'], resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'] }], namespaces: [''] },
  getLogs: { level: 'RequestResponse', verbs: ['get'], nonResourceURLs: ['/logs*'] },
  getMetrics: { level: 'Request', verbs: ['get'], nonResourceURLs: ['/metrics'] },
  clusterRoleEdit: { level: 'Request', resources: [{ group: 'rbac.authorization.k8s.io', resources: ['clusterroles'], resourceNames: ['edit'] }] },
};
// testAuditLevel: request, expected level, rules in order.
const MATRIX: readonly [string, string, ...string[]][] = [
  ['namespaced', 'Metadata', 'default'],
  ['namespaced', 'None', 'create'],
  ['namespaced', 'Metadata', 'tims'],
  ['namespaced', 'Metadata', 'humans'],
  ['namespaced', 'None', 'serviceAccounts'],
  ['namespaced', 'RequestResponse', 'getPods'],
  ['namespaced', 'None', 'getClusterRoles'],
  ['namespaced', 'None', 'getLogs'],
  ['namespaced', 'None', 'getMetrics'],
  ['namespaced', 'Metadata', 'getMetrics', 'serviceAccounts', 'default'],
  ['namespaced', 'RequestResponse', 'getMetrics', 'getPods', 'default'],
  ['namespaced', 'RequestResponse', 'getPodLogs', 'getPods'],
  ['cluster', 'Metadata', 'default'],
  ['cluster', 'None', 'create'],
  ['cluster', 'Metadata', 'tims'],
  ['cluster', 'Metadata', 'humans'],
  ['cluster', 'None', 'serviceAccounts'],
  ['cluster', 'None', 'getPods'],
  ['cluster', 'RequestResponse', 'getClusterRoles'],
  ['cluster', 'Request', 'clusterRoleEdit', 'getClusterRoles'],
  ['cluster', 'None', 'getLogs'],
  ['cluster', 'None', 'getMetrics'],
  ['cluster', 'Metadata', 'getMetrics', 'serviceAccounts', 'default'],
  ['cluster', 'RequestResponse', 'getMetrics', 'getClusterRoles', 'default'],
  ['cluster', 'None', 'getPodLogs', 'getPods'],
  ['nonResource', 'Metadata', 'default'],
  ['nonResource', 'None', 'create'],
  ['nonResource', 'Metadata', 'tims'],
  ['nonResource', 'Metadata', 'humans'],
  ['nonResource', 'None', 'serviceAccounts'],
  ['nonResource', 'None', 'getPods'],
  ['nonResource', 'None', 'getClusterRoles'],
  ['nonResource', 'RequestResponse', 'getLogs'],
  ['nonResource', 'None', 'getMetrics'],
  ['nonResource', 'Metadata', 'getMetrics', 'serviceAccounts', 'default'],
  ['nonResource', 'RequestResponse', 'getLogs', 'getClusterRoles', 'default'],
  ['nonResource', 'None', 'getPodLogs', 'getPods'],
  ['subresource', 'Request', 'getPodLogs', 'getPods'],
  ['subresource', 'Request', 'getPodWildcardMatching'],
  ['subresource', 'Request', 'getPodResourceWildcardMatching'],
  ['subresource', 'Request', 'getPodSubResourceWildcardMatching'],
  ['Unauthorized', 'None', 'tims'],
  ['Unauthorized', 'Metadata', 'tims', 'default'],
  ['Unauthorized', 'None', 'humans'],
  ['Unauthorized', 'Metadata', 'humans', 'default'],
];

describe('upstream checker_test.go matrix', () => {
  for (const [request, expected, ...ruleNames] of MATRIX) {
    test(`${request} with ${ruleNames.join(', ')} → ${expected}`, () => {
      assert.equal(decide(REQUESTS[request]!, ...ruleNames.map((name) => RULES[name]!)), expected);
    });
  }
});

describe('first match wins', () => {
  test('the index of the first matching rule is returned, later rules are not consulted', () => {
    const p = policy({ level: 'None', users: ['system:kube-proxy'] }, { level: 'Metadata', verbs: ['get'] }, { level: 'RequestResponse' });
    assert.deepEqual(levelFor(p, { user: 'alice', verb: 'get', resource: 'pods' }), { level: 'Metadata', ruleIndex: 1, omitStages: [] });
    assert.deepEqual(levelFor(p, { user: 'system:kube-proxy', verb: 'get', resource: 'pods' }), { level: 'None', ruleIndex: 0, omitStages: [] });
    assert.deepEqual(levelFor(p, { user: 'alice', verb: 'delete', resource: 'pods' }), { level: 'RequestResponse', ruleIndex: 2, omitStages: [] });
  });

  test('no matching rule: level None, index -1, the policy-wide omitStages', () => {
    const p = parseAuditPolicy({ omitStages: ['RequestReceived'], rules: [{ level: 'Metadata', verbs: ['create'] }] });
    assert.deepEqual(levelFor(p, { user: 'alice', verb: 'get', resource: 'pods' }), { level: 'None', ruleIndex: -1, omitStages: ['RequestReceived'] });
  });

  test('an empty policy decides None for everything', () => {
    assert.deepEqual(levelFor(parseAuditPolicy({ rules: [] }), { verb: 'get', nonResourceURL: '/healthz' }), { level: 'None', ruleIndex: -1, omitStages: [] });
  });

  test('the evaluator built from an object answers the same', () => {
    const object = { apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules: [{ level: 'None', resources: [{ resources: ['events'] }] }, { level: 'Metadata' }] };
    const evaluator = createAuditPolicyEvaluator(object);
    assert.deepEqual(evaluator.levelFor({ verb: 'create', resource: 'events', namespace: 'a' }), { level: 'None', ruleIndex: 0, omitStages: [] });
    assert.deepEqual(evaluator.levelFor({ verb: 'create', resource: 'pods', namespace: 'a' }), { level: 'Metadata', ruleIndex: 1, omitStages: [] });
  });
});

describe('users, groups and verbs', () => {
  const get: AuditRequest = { user: 'alice', groups: ['system:authenticated', 'dev'], verb: 'get', resource: 'pods', namespace: 'a' };

  test('users match exactly: no wildcard, no prefix, case-sensitive', () => {
    assert.equal(matches({ level: 'None', users: ['alice'] }, get), true);
    assert.equal(matches({ level: 'None', users: ['*'] }, get), false);
    assert.equal(matches({ level: 'None', users: ['ali'] }, get), false);
    assert.equal(matches({ level: 'None', users: ['Alice'] }, get), false);
  });

  test('userGroups match when any group of the user is listed', () => {
    assert.equal(matches({ level: 'None', userGroups: ['ops', 'dev'] }, get), true);
    assert.equal(matches({ level: 'None', userGroups: ['ops'] }, get), false);
    assert.equal(matches({ level: 'None', userGroups: ['system:*'] }, get), false);
    assert.equal(matches({ level: 'None', userGroups: ['dev'] }, { ...get, groups: [] }), false);
  });

  test('users and userGroups must both match', () => {
    assert.equal(matches({ level: 'None', users: ['alice'], userGroups: ['dev'] }, get), true);
    assert.equal(matches({ level: 'None', users: ['alice'], userGroups: ['ops'] }, get), false);
    assert.equal(matches({ level: 'None', users: ['bob'], userGroups: ['dev'] }, get), false);
  });

  test('a request without a user matches no users or userGroups rule, but does match rules that name neither', () => {
    const anonymous: AuditRequest = { verb: 'get', resource: 'pods', namespace: 'a' };
    assert.equal(matches({ level: 'None', users: ['alice'] }, anonymous), false);
    assert.equal(matches({ level: 'None', userGroups: ['system:unauthenticated'] }, anonymous), false);
    assert.equal(matches({ level: 'None', verbs: ['get'] }, anonymous), true);
  });

  test('verbs match exactly: "*" is not a wildcard in audit policies', () => {
    assert.equal(matches({ level: 'None', verbs: ['list', 'get'] }, get), true);
    assert.equal(matches({ level: 'None', verbs: ['*'] }, get), false);
    assert.equal(matches({ level: 'None', verbs: ['GET'] }, get), false);
    assert.equal(matches({ level: 'None', verbs: ['watch'] }, get), false);
  });
});

describe('resources', () => {
  const pods = (extra: Partial<AuditRequest> = {}): AuditRequest => ({ user: 'u', verb: 'get', apiGroup: '', resource: 'pods', namespace: 'a', name: 'p', ...extra });

  test('a missing group is the core group, and groups are compared exactly (no wildcard)', () => {
    assert.equal(matches({ level: 'None', resources: [{ resources: ['pods'] }] }, pods()), true);
    assert.equal(matches({ level: 'None', resources: [{ group: '', resources: ['pods'] }] }, pods()), true);
    assert.equal(matches({ level: 'None', resources: [{ resources: ['deployments'] }] }, pods({ apiGroup: 'apps', resource: 'deployments' })), false);
    assert.equal(matches({ level: 'None', resources: [{ group: 'apps', resources: ['deployments'] }] }, pods({ apiGroup: 'apps', resource: 'deployments' })), true);
    assert.equal(matches({ level: 'None', resources: [{ group: 'apps', resources: ['pods'] }] }, pods()), false);
  });

  test('an entry without resources matches every resource and subresource of its group', () => {
    const core = { level: 'None', resources: [{ group: '' }] };
    assert.equal(matches(core, pods()), true);
    assert.equal(matches(core, pods({ resource: 'secrets' })), true);
    assert.equal(matches(core, pods({ subresource: 'exec', verb: 'create' })), true);
    assert.equal(matches(core, pods({ apiGroup: 'apps', resource: 'deployments' })), false);
  });

  test('"pods" does not match subresources of pods; "pods/log" matches only that one', () => {
    assert.equal(matches({ level: 'None', resources: [{ resources: ['pods'] }] }, pods({ subresource: 'exec' })), false);
    assert.equal(matches({ level: 'None', resources: [{ resources: ['pods/log'] }] }, pods({ subresource: 'log' })), true);
    assert.equal(matches({ level: 'None', resources: [{ resources: ['pods/log'] }] }, pods({ subresource: 'exec' })), false);
    assert.equal(matches({ level: 'None', resources: [{ resources: ['pods/log'] }] }, pods()), false);
  });

  test('"*" matches every resource and subresource of the group', () => {
    const all = { level: 'None', resources: [{ resources: ['*'] }] };
    assert.equal(matches(all, pods()), true);
    assert.equal(matches(all, pods({ subresource: 'exec' })), true);
    assert.equal(matches(all, pods({ resource: 'serviceaccounts', subresource: 'token' })), true);
    assert.equal(matches(all, pods({ apiGroup: 'rbac.authorization.k8s.io', resource: 'roles' })), false);
  });

  test('"pods/*" matches every subresource of pods and, as upstream compares the bare resource, pods itself', () => {
    const podsAll = { level: 'None', resources: [{ resources: ['pods/*'] }] };
    assert.equal(matches(podsAll, pods({ subresource: 'exec' })), true);
    assert.equal(matches(podsAll, pods({ subresource: 'portforward' })), true);
    assert.equal(matches(podsAll, pods()), true);
    assert.equal(matches(podsAll, pods({ resource: 'services', subresource: 'proxy' })), false);
    assert.equal(matches(podsAll, pods({ resource: 'podtemplates' })), false);
  });

  test('"*/scale" matches that subresource of every resource, never a bare resource', () => {
    const scale = { level: 'None', resources: [{ group: 'apps', resources: ['*/scale'] }] };
    assert.equal(matches(scale, pods({ apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })), true);
    assert.equal(matches(scale, pods({ apiGroup: 'apps', resource: 'statefulsets', subresource: 'scale' })), true);
    assert.equal(matches(scale, pods({ apiGroup: 'apps', resource: 'deployments', subresource: 'status' })), false);
    assert.equal(matches(scale, pods({ apiGroup: 'apps', resource: 'scale' })), false);
  });

  test('"*/*" matches nothing ordinary (only a subresource literally named "*")', () => {
    const starStar = { level: 'None', resources: [{ resources: ['*/*'] }] };
    assert.equal(matches(starStar, pods()), false);
    assert.equal(matches(starStar, pods({ subresource: 'exec' })), false);
  });

  test('resourceNames restrict every listed resource; requests without a name never match them', () => {
    const named = { level: 'None', resources: [{ resources: ['configmaps', '*'], resourceNames: ['leader'] }] };
    assert.equal(matches(named, pods({ resource: 'configmaps', name: 'leader' })), true);
    assert.equal(matches(named, pods({ resource: 'secrets', name: 'leader' })), true);
    assert.equal(matches(named, pods({ resource: 'configmaps', name: 'other' })), false);
    assert.equal(matches(named, pods({ resource: 'configmaps', name: '', verb: 'list' })), false);
  });

  test('entries are alternatives: any entry of the request group may match', () => {
    const rule = {
      level: 'None',
      resources: [
        { group: '', resources: ['secrets'] },
        { group: 'authentication.k8s.io', resources: ['tokenreviews'] },
        { group: '', resources: ['configmaps'] },
      ],
    };
    assert.equal(matches(rule, pods({ resource: 'configmaps' })), true);
    assert.equal(matches(rule, pods({ apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', namespace: '' })), true);
    assert.equal(matches(rule, pods({ apiGroup: 'authentication.k8s.io', resource: 'secrets' })), false);
  });

  test('a resource rule never matches a non-resource request', () => {
    assert.equal(matches({ level: 'None', resources: [{ resources: ['*'] }] }, { user: 'u', verb: 'get', nonResourceURL: '/api' }), false);
  });
});

describe('namespaces', () => {
  const request = (namespace: string, resource = 'pods'): AuditRequest => ({ user: 'u', verb: 'list', apiGroup: '', resource, namespace });

  test('listed namespaces match exactly', () => {
    assert.equal(matches({ level: 'None', namespaces: ['kube-system'] }, request('kube-system')), true);
    assert.equal(matches({ level: 'None', namespaces: ['kube-system'] }, request('default')), false);
    assert.equal(matches({ level: 'None', namespaces: ['kube-*'] }, request('kube-system')), false);
  });

  test('"" matches cluster-scoped requests and requests across all namespaces, not namespaced ones', () => {
    const clusterScoped = { level: 'None', namespaces: [''] };
    assert.equal(matches(clusterScoped, request('', 'nodes')), true);
    assert.equal(matches(clusterScoped, request('')), true);
    assert.equal(matches(clusterScoped, request('default')), false);
  });

  test('namespaces combine with resources (both must match)', () => {
    const rule = { level: 'None', namespaces: ['kube-system'], resources: [{ resources: ['configmaps'] }] };
    assert.equal(matches(rule, request('kube-system', 'configmaps')), true);
    assert.equal(matches(rule, request('kube-system', 'secrets')), false);
    assert.equal(matches(rule, request('default', 'configmaps')), false);
  });

  test('a namespaces rule never matches a non-resource request', () => {
    assert.equal(matches({ level: 'None', namespaces: [''] }, { user: 'u', verb: 'get', nonResourceURL: '/healthz' }), false);
  });
});

describe('non-resource URLs', () => {
  test('pathMatches: "*", exact, and trailing-"*" prefixes (all trailing stars trimmed)', () => {
    assert.equal(pathMatches('/anything', '*'), true);
    assert.equal(pathMatches('/healthz', '/healthz'), true);
    assert.equal(pathMatches('/healthz/etcd', '/healthz'), false);
    assert.equal(pathMatches('/healthz/etcd', '/healthz*'), true);
    assert.equal(pathMatches('/healthzfoo', '/healthz*'), true);
    assert.equal(pathMatches('/healthz', '/healthz/*'), false);
    assert.equal(pathMatches('/version', '/ver**'), true);
    assert.equal(pathMatches('/api/v1', '/api'), false);
  });

  test('a non-resource rule never matches a resource request', () => {
    assert.equal(matches({ level: 'None', nonResourceURLs: ['*'] }, { user: 'u', verb: 'get', resource: 'pods', namespace: 'a' }), false);
    assert.equal(matches({ level: 'None', nonResourceURLs: ['*'] }, { user: 'u', verb: 'get', nonResourceURL: '/metrics' }), true);
  });

  test('a rule that names no resources, namespaces or URLs matches both kinds', () => {
    assert.equal(matches({ level: 'None', verbs: ['get'] }, { user: 'u', verb: 'get', nonResourceURL: '/metrics' }), true);
    assert.equal(matches({ level: 'None', verbs: ['get'] }, { user: 'u', verb: 'get', resource: 'pods', namespace: 'a' }), true);
  });

  test('with namespaces or resources present, nonResourceURLs are not consulted (checker.go order)', () => {
    // Invalid upstream, but this is what the checker would do: it is a resource rule.
    const mixed = parseAuditPolicy({ rules: [{ level: 'None', namespaces: ['a'], nonResourceURLs: ['/metrics'] }] });
    assert.equal(mixed.problems.length, 1);
    assert.equal(ruleMatches(mixed.rules[0]!, { verb: 'get', nonResourceURL: '/metrics' }), false);
    assert.equal(ruleMatches(mixed.rules[0]!, { verb: 'get', resource: 'pods', namespace: 'a' }), true);
  });
});

describe('omitStages and recorded stages', () => {
  const exec: AuditRequest = { user: 'u', verb: 'create', resource: 'pods', subresource: 'exec', namespace: 'a', name: 'p' };
  const get: AuditRequest = { user: 'u', verb: 'get', resource: 'pods', namespace: 'a', name: 'p' };

  test('the rule omitStages are united with the policy-wide ones', () => {
    const p = parseAuditPolicy({ omitStages: ['RequestReceived'], rules: [{ level: 'Metadata', omitStages: ['ResponseStarted', 'RequestReceived'] }] });
    assert.deepEqual(levelFor(p, get).omitStages, ['RequestReceived', 'ResponseStarted']);
  });

  test('long-running: watch and proxy verbs; attach, exec, proxy, log and portforward subresources', () => {
    assert.equal(isLongRunning(exec), true);
    assert.equal(isLongRunning({ ...get, verb: 'watch' }), true);
    assert.equal(isLongRunning({ ...get, subresource: 'log' }), true);
    assert.equal(isLongRunning({ ...get, subresource: 'portforward' }), true);
    assert.equal(isLongRunning(get), false);
    assert.equal(isLongRunning({ ...get, subresource: 'status' }), false);
    assert.equal(isLongRunning({ verb: 'watch', nonResourceURL: '/x' }), false);
  });

  test('recorded stages: none at None; ResponseStarted only for long-running requests; omitted stages removed', () => {
    const at = (omitStages: string[], level: 'None' | 'Metadata' = 'Metadata') => ({ level, ruleIndex: 0, omitStages });
    assert.deepEqual(recordedStages(at([], 'None'), get), []);
    assert.deepEqual(recordedStages(at([]), get), ['RequestReceived', 'ResponseComplete']);
    assert.deepEqual(recordedStages(at([]), exec), ['RequestReceived', 'ResponseStarted', 'ResponseComplete']);
    assert.deepEqual(recordedStages(at(['RequestReceived', 'ResponseComplete']), get), []);
    assert.deepEqual(recordedStages(at(['RequestReceived', 'ResponseComplete']), exec), ['ResponseStarted']);
    assert.deepEqual(recordedStages({ level: undefined, ruleIndex: 0, omitStages: [] }, get), []);
  });
});
