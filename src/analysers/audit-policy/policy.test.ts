// Reading the policy file as kube-apiserver does: decoding (reader.go) and ValidatePolicy (validation.go).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonValue } from '../../core/model.ts';
import { allRequesters, auditPolicyOf, isCatchAll, levelAtLeast, OTHER_NAME, OTHER_NAMESPACE, parseAuditPolicy, probeNames, probeNamespaces, probeRequests, whereText } from './index.ts';

function problems(rules: JsonValue, extra: Record<string, JsonValue> = {}): string[] {
  return parseAuditPolicy({ apiVersion: 'audit.k8s.io/v1', kind: 'Policy', rules, ...extra }).problems.map((p) => `${p.path.join('.')}: ${p.message}`);
}

describe('parseAuditPolicy', () => {
  test('reads every selector; absent lists are empty; a missing group is core', () => {
    const policy = parseAuditPolicy({
      omitStages: ['RequestReceived'],
      rules: [
        { level: 'Metadata', users: ['a'], userGroups: ['g'], verbs: ['get'], namespaces: ['ns'], resources: [{ resources: ['pods'], resourceNames: ['p'] }], omitStages: ['Panic'] },
        { level: 'None', nonResourceURLs: ['/healthz*'] },
      ],
    });
    assert.deepEqual(policy.problems, []);
    assert.equal(policy.hasRulesField, true);
    assert.deepEqual(policy.omitStages, ['RequestReceived']);
    assert.deepEqual(policy.rules[0], {
      index: 0,
      level: 'Metadata',
      users: ['a'],
      userGroups: ['g'],
      verbs: ['get'],
      resources: [{ group: '', resources: ['pods'], resourceNames: ['p'] }],
      namespaces: ['ns'],
      nonResourceURLs: [],
      omitStages: ['Panic'],
    });
    assert.deepEqual(policy.rules[1]!.nonResourceURLs, ['/healthz*']);
  });

  test('no rules: present-but-empty and absent are told apart, neither is a validation problem', () => {
    assert.equal(parseAuditPolicy({ rules: [] }).hasRulesField, true);
    assert.equal(parseAuditPolicy({ kind: 'Policy' }).hasRulesField, false);
    assert.equal(parseAuditPolicy({ rules: null }).hasRulesField, false);
    assert.deepEqual(parseAuditPolicy({ rules: [] }).problems, []);
  });

  test('levels: required, and exactly one of the four (case matters)', () => {
    assert.deepEqual(problems([{ verbs: ['get'] }]), ['rules.0.level: level is required (None, Metadata, Request or RequestResponse)']);
    assert.deepEqual(problems([{ level: '' }]), ['rules.0.level: level is required (None, Metadata, Request or RequestResponse)']);
    assert.deepEqual(problems([{ level: 'metadata' }]), ['rules.0.level: level "metadata" is not one of None, Metadata, Request, RequestResponse (case matters)']);
    assert.deepEqual(problems([{ level: 'All' }]).length, 1);
    assert.equal(parseAuditPolicy({ rules: [{ level: 'metadata' }] }).rules[0]!.level, undefined);
    for (const level of ['None', 'Metadata', 'Request', 'RequestResponse']) assert.deepEqual(problems([{ level }]), [], level);
  });

  test('nonResourceURLs: start with "/" unless "*", and "*" only last', () => {
    assert.deepEqual(problems([{ level: 'None', nonResourceURLs: ['*', '/healthz*', '/api'] }]), []);
    assert.deepEqual(problems([{ level: 'None', nonResourceURLs: ['healthz'] }]), ['rules.0.nonResourceURLs.0: "healthz" must begin with "/"']);
    assert.deepEqual(problems([{ level: 'None', nonResourceURLs: ['/a*/b'] }]), ['rules.0.nonResourceURLs.0: "/a*/b" has a "*" that is not its last character']);
  });

  test('a rule cannot mix non-resource URLs with resources or namespaces', () => {
    const message = 'rules.0.nonResourceURLs: a rule cannot apply to both resources (or namespaces) and non-resource URLs';
    assert.deepEqual(problems([{ level: 'None', nonResourceURLs: ['/x'], resources: [{ group: '' }] }]), [message]);
    assert.deepEqual(problems([{ level: 'None', nonResourceURLs: ['/x'], namespaces: ['a'] }]), [message]);
  });

  test('groups must be DNS subdomains: no version suffix, no wildcard, lower case', () => {
    assert.deepEqual(problems([{ level: 'None', resources: [{ group: 'rbac.authorization.k8s.io' }] }]), []);
    for (const group of ['rbac.authorization.k8s.io/v1', '*', 'Apps']) {
      assert.equal(problems([{ level: 'None', resources: [{ group }] }]).length, 1, group);
    }
  });

  test('resourceNames require resources', () => {
    assert.deepEqual(problems([{ level: 'None', resources: [{ group: '', resourceNames: ['x'] }] }]), ['rules.0.resources.0.resourceNames: resourceNames requires at least one resource']);
  });

  test('rule omitStages must be known stages; policy-wide ones are not validated upstream', () => {
    assert.deepEqual(problems([{ level: 'None', omitStages: ['ResponseStarted', 'Done'] }]), [
      'rules.0.omitStages.1: stage "Done" is not one of RequestReceived, ResponseStarted, ResponseComplete, Panic',
    ]);
    assert.deepEqual(problems([{ level: 'None' }], { omitStages: ['Done'] }), []);
  });

  test('shapes that fail decoding are problems, not crashes', () => {
    assert.deepEqual(problems({ level: 'None' }), ['rules: must be a list of rules, not {"level":"None"}']);
    assert.deepEqual(problems(['None']), ['rules.0: must be a mapping, not "None"']);
    assert.deepEqual(problems([{ level: 'None', verbs: 'get' }]), ['rules.0.verbs: must be a list of strings, not "get"']);
    assert.deepEqual(problems([{ level: 'None', users: ['a', 7] }]), ['rules.0.users.1: must be a string, not 7']);
    assert.deepEqual(problems([{ level: 'None', resources: ['pods'] }]), ['rules.0.resources.0: must be a mapping with group, resources and resourceNames, not "pods"']);
    assert.deepEqual(problems([{ level: 'None', resources: { group: '' } }]).length, 1);
    assert.deepEqual(problems([{ level: 3 }]), ['rules.0.level: level 3 is not one of None, Metadata, Request, RequestResponse (case matters)']);
  });

  test('auditPolicyOf memoises on the object', () => {
    const object = { rules: [{ level: 'None' }] };
    assert.equal(auditPolicyOf(object), auditPolicyOf(object));
  });
});

describe('helpers', () => {
  test('levelAtLeast orders None < Metadata < Request < RequestResponse', () => {
    assert.equal(levelAtLeast('Request', 'Request'), true);
    assert.equal(levelAtLeast('RequestResponse', 'Request'), true);
    assert.equal(levelAtLeast('Metadata', 'Request'), false);
    assert.equal(levelAtLeast('None', 'Metadata'), false);
  });

  test('isCatchAll: no selector at all (omitStages do not select)', () => {
    const rules = parseAuditPolicy({ rules: [{ level: 'None', omitStages: ['Panic'] }, { level: 'None', verbs: [] }, { level: 'None', resources: [{ group: '' }] }, { level: 'None', nonResourceURLs: ['*'] }] }).rules;
    assert.deepEqual(rules.map(isCatchAll), [true, true, false, false]);
  });
});

describe('probes', () => {
  const policy = parseAuditPolicy({
    rules: [
      { level: 'None', users: ['system:kube-proxy'], userGroups: ['system:nodes'] },
      { level: 'None', userGroups: ['ops'] },
      { level: 'None', namespaces: ['team-b', 'kube-system', 'team-a', ''], resources: [{ resources: ['secrets'], resourceNames: ['token-x'] }] },
    ],
  });

  test('namespaces: the stand-in, kube-system, then the named ones sorted ("" excluded)', () => {
    assert.deepEqual(probeNamespaces(policy), [OTHER_NAMESPACE, 'kube-system', 'team-a', 'team-b']);
  });

  test('names: the stand-in, then every resourceName', () => {
    assert.deepEqual(probeNames(policy), [OTHER_NAME, 'token-x']);
  });

  test('requesters: ordinary user and service account, then each named user (with its rule groups) and group', () => {
    assert.deepEqual(
      allRequesters(policy, 'team-a').map((r) => `${r.user} [${r.groups.join(' ')}] ${r.description}`),
      [
        'palisade-probe-user [system:authenticated] an ordinary user',
        'system:serviceaccount:team-a:palisade-probe [system:serviceaccounts system:serviceaccounts:team-a system:authenticated] a service account',
        'system:kube-proxy [system:nodes system:authenticated] user "system:kube-proxy"',
        'palisade-probe-user [ops system:authenticated] a member of group "ops"',
      ],
    );
  });

  test('requests: collection verbs carry no name; all-namespace requests are list and watch only; cluster-scoped only at ""', () => {
    const probes = probeRequests(
      policy,
      [
        { apiGroup: '', resource: 'secrets', namespaced: true, verbs: ['get', 'list', 'create'] },
        { apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespaced: false, verbs: ['delete'] },
      ],
      () => [{ user: 'u', groups: [], description: 'u' }],
    );
    const lines = probes.map((p) => `${p.request.namespace || '-'} ${p.request.verb} ${p.request.resource} ${p.request.name || '-'}`);
    assert.deepEqual(lines.slice(0, 4), [
      `${OTHER_NAMESPACE} get secrets ${OTHER_NAME}`,
      `${OTHER_NAMESPACE} list secrets -`,
      `${OTHER_NAMESPACE} create secrets -`,
      `${OTHER_NAMESPACE} get secrets token-x`,
    ]);
    assert.deepEqual(
      lines.filter((line) => line.startsWith('- ')),
      ['- list secrets -', `- delete clusterroles ${OTHER_NAME}`, '- delete clusterroles token-x'],
    );
    assert.equal(lines.filter((line) => line.includes('clusterroles')).length, 2);
    const subresource = probeRequests(policy, [{ apiGroup: '', resource: 'pods', subresource: 'exec', namespaced: true, verbs: ['create'] }], () => [{ user: 'u', groups: [], description: 'u' }]);
    assert.equal(subresource[0]!.request.name, OTHER_NAME, 'a subresource create names its object');
  });

  test('whereText names non-stand-in namespaces and objects, and all-namespace requests', () => {
    const [first, , , named] = probeRequests(policy, [{ apiGroup: '', resource: 'secrets', namespaced: true, verbs: ['get', 'list', 'create'] }], () => [{ user: 'u', groups: [], description: 'u' }]);
    assert.equal(whereText(first!), '');
    assert.equal(whereText(named!), ' named "token-x"');
    const all = probeRequests(policy, [{ apiGroup: '', resource: 'secrets', namespaced: true, verbs: ['list'] }], () => [{ user: 'u', groups: [], description: 'u' }]);
    assert.deepEqual(all.map(whereText), ['', ' in namespace "kube-system"', ' in namespace "team-a"', ' in namespace "team-b"', ' across all namespaces']);
  });
});
