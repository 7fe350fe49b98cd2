// Every matching edge of kubernetes pkg/apis/rbac/v1/evaluation_helpers.go (VerbMatches, APIGroupMatches,
// ResourceMatches, ResourceNameMatches, NonResourceURLMatches) and RuleAllows. test/rbac-oracle.test.ts checks the
// same against a real API server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  apiGroupMatches,
  nonResourceURLMatches,
  parsePolicyRule,
  resourceMatches,
  resourceNameMatches,
  ruleAllows,
  ruleKey,
  verbMatches,
  type PolicyRule,
  type RequestAttributes,
} from './policy-rule.ts';

function rule(partial: Partial<PolicyRule>): PolicyRule {
  return { verbs: [], apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: [], ...partial };
}

function request(verb: string, apiGroup: string, resource: string, subresource = '', name = '', namespace = 'ns'): RequestAttributes {
  return { kind: 'resource', verb, apiGroup, resource, subresource, name, namespace };
}

/** ResourceMatches takes the combined resource (`pods/exec`) and the subresource, as RuleAllows passes them. */
function resource(r: PolicyRule, requested: string): boolean {
  const [name, ...rest] = requested.split('/');
  const subresource = rest.join('/');
  return resourceMatches(r, subresource === '' ? name! : `${name}/${subresource}`, subresource);
}

describe('parsePolicyRule', () => {
  test('reads the five lists and drops what is not a string', () => {
    assert.deepEqual(parsePolicyRule({ verbs: ['get', 1, null, 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['a'], nonResourceURLs: [] }), {
      verbs: ['get', 'list'],
      apiGroups: [''],
      resources: ['pods'],
      resourceNames: ['a'],
      nonResourceURLs: [],
    });
  });

  test('a missing or malformed rule is empty and allows nothing', () => {
    const empty = rule({});
    assert.deepEqual(parsePolicyRule(undefined), empty);
    assert.deepEqual(parsePolicyRule('get pods'), empty);
    assert.deepEqual(parsePolicyRule({ verbs: 'get', resources: { pods: true } }), empty);
    assert.equal(ruleAllows(empty, request('get', '', 'pods')), false);
    assert.equal(ruleAllows(empty, { kind: 'nonResource', verb: 'get', path: '/healthz' }), false);
  });
});

describe('verbs', () => {
  test('`*` matches every verb, including special verbs and a literal `*`', () => {
    for (const verb of ['get', 'list', 'create', 'deletecollection', 'escalate', 'bind', 'impersonate', 'approve', 'use', '*']) {
      assert.equal(verbMatches(rule({ verbs: ['*'] }), verb), true, verb);
    }
  });

  test('otherwise exact and case-sensitive; a named verb does not match a `*` request', () => {
    const r = rule({ verbs: ['get', 'list'] });
    assert.equal(verbMatches(r, 'get'), true);
    assert.equal(verbMatches(r, 'watch'), false);
    assert.equal(verbMatches(r, 'GET'), false);
    assert.equal(verbMatches(r, '*'), false);
    assert.equal(verbMatches(rule({}), 'get'), false);
  });
});

describe('API groups', () => {
  test('`""` is the core group only', () => {
    const r = rule({ apiGroups: [''] });
    assert.equal(apiGroupMatches(r, ''), true);
    assert.equal(apiGroupMatches(r, 'apps'), false);
  });

  test('`*` matches every group, including groups nobody has defined yet and the core group', () => {
    const r = rule({ apiGroups: ['*'] });
    for (const group of ['', 'apps', 'rbac.authorization.k8s.io', 'widgets.example.com']) assert.equal(apiGroupMatches(r, group), true, group);
  });

  test('names are matched whole, not as prefixes or suffixes', () => {
    const r = rule({ apiGroups: ['apps'] });
    assert.equal(apiGroupMatches(r, 'apps'), true);
    assert.equal(apiGroupMatches(r, 'apps.example.com'), false);
    assert.equal(apiGroupMatches(rule({ apiGroups: ['example.com'] }), 'widgets.example.com'), false);
  });
});

describe('resources', () => {
  test('`*` matches every resource and every subresource', () => {
    const r = rule({ resources: ['*'] });
    for (const requested of ['pods', 'pods/exec', 'deployments/scale', 'nodes/proxy', 'x/*']) assert.equal(resource(r, requested), true, requested);
  });

  test('`pods` does not match `pods/exec`, and `pods/exec` does not match `pods`', () => {
    assert.equal(resource(rule({ resources: ['pods'] }), 'pods'), true);
    assert.equal(resource(rule({ resources: ['pods'] }), 'pods/exec'), false);
    assert.equal(resource(rule({ resources: ['pods/exec'] }), 'pods/exec'), true);
    assert.equal(resource(rule({ resources: ['pods/exec'] }), 'pods'), false);
    assert.equal(resource(rule({ resources: ['pods/exec'] }), 'pods/attach'), false);
  });

  test('`*/scale` matches the scale subresource of every resource, and nothing else', () => {
    const r = rule({ resources: ['*/scale'] });
    assert.equal(resource(r, 'deployments/scale'), true);
    assert.equal(resource(r, 'replicationcontrollers/scale'), true);
    assert.equal(resource(r, 'deployments'), false);
    assert.equal(resource(r, 'deployments/status'), false);
    // Same length as `scale`, and the prefix must be `*/` (not any one character and a slash).
    assert.equal(resource(r, 'nodes/proxy'), false);
    assert.equal(resource(rule({ resources: ['x/scale'] }), 'deployments/scale'), false);
    // The whole subresource, not a suffix of it.
    assert.equal(resource(rule({ resources: ['*/xscale'] }), 'deployments/scale'), false);
    assert.equal(resource(rule({ resources: ['*/cale'] }), 'deployments/scale'), false);
  });

  test('`*/*` is not "all subresources": only a subresource literally named `*`', () => {
    const r = rule({ resources: ['*/*'] });
    assert.equal(resource(r, 'pods/exec'), false);
    assert.equal(resource(r, 'deployments/scale'), false);
    assert.equal(resource(r, 'pods'), false);
    assert.equal(resource(r, 'pods/*'), true);
  });

  test('`pods/*` is literal: it matches the `*` subresource of pods only', () => {
    const r = rule({ resources: ['pods/*'] });
    assert.equal(resource(r, 'pods/exec'), false);
    assert.equal(resource(r, 'pods/*'), true);
  });

  test('a request for the resource `*` is matched literally (kubectl auth can-i "*" "*")', () => {
    assert.equal(resource(rule({ resources: ['pods'] }), '*'), false);
    assert.equal(resource(rule({ resources: ['*'] }), '*'), true);
  });
});

describe('resource names', () => {
  test('an empty list matches every name, and requests without one', () => {
    assert.equal(resourceNameMatches(rule({}), ''), true);
    assert.equal(resourceNameMatches(rule({}), 'web'), true);
  });

  test('a list matches those names only: not a request without a name (list, create, deletecollection)', () => {
    const r = rule({ verbs: ['get', 'list', 'create', 'deletecollection'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['app-config'] });
    assert.equal(resourceNameMatches(r, 'app-config'), true);
    assert.equal(resourceNameMatches(r, 'other'), false);
    assert.equal(resourceNameMatches(r, ''), false);
    assert.equal(ruleAllows(r, request('get', '', 'configmaps', '', 'app-config')), true);
    assert.equal(ruleAllows(r, request('list', '', 'configmaps')), false);
    // list with a metadata.name field selector arrives with the name: allowed.
    assert.equal(ruleAllows(r, request('list', '', 'configmaps', '', 'app-config')), true);
    assert.equal(ruleAllows(r, request('create', '', 'configmaps')), false);
    assert.equal(ruleAllows(r, request('deletecollection', '', 'configmaps')), false);
  });
});

describe('non-resource URLs', () => {
  test('`*` matches every path', () => {
    for (const path of ['/', '/healthz', '/logs/x', '*']) assert.equal(nonResourceURLMatches(rule({ nonResourceURLs: ['*'] }), path), true, path);
  });

  test('exact paths match exactly', () => {
    const r = rule({ nonResourceURLs: ['/healthz'] });
    assert.equal(nonResourceURLMatches(r, '/healthz'), true);
    assert.equal(nonResourceURLMatches(r, '/healthz/etcd'), false);
    assert.equal(nonResourceURLMatches(r, '/healthz/'), false);
  });

  test('a trailing `*` is a prefix match, with or without a slash before it', () => {
    const slash = rule({ nonResourceURLs: ['/logs/*'] });
    assert.equal(nonResourceURLMatches(slash, '/logs/'), true);
    assert.equal(nonResourceURLMatches(slash, '/logs/kube-apiserver.log'), true);
    assert.equal(nonResourceURLMatches(slash, '/logs'), false);
    const bare = rule({ nonResourceURLs: ['/logs*'] });
    assert.equal(nonResourceURLMatches(bare, '/logs'), true);
    assert.equal(nonResourceURLMatches(bare, '/logsX'), true);
    assert.equal(nonResourceURLMatches(bare, '/log'), false);
  });

  test('every trailing `*` is trimmed (strings.TrimRight), and a `*` elsewhere is literal', () => {
    assert.equal(nonResourceURLMatches(rule({ nonResourceURLs: ['/a/**'] }), '/a/b'), true);
    const middle = rule({ nonResourceURLs: ['/a/*/b'] });
    assert.equal(nonResourceURLMatches(middle, '/a/x/b'), false);
    assert.equal(nonResourceURLMatches(middle, '/a/*/b'), true);
  });
});

describe('ruleAllows', () => {
  test('a resource request needs verb, group, resource and name to match', () => {
    const r = rule({ verbs: ['get'], apiGroups: ['apps'], resources: ['deployments'] });
    assert.equal(ruleAllows(r, request('get', 'apps', 'deployments')), true);
    assert.equal(ruleAllows(r, request('list', 'apps', 'deployments')), false);
    assert.equal(ruleAllows(r, request('get', 'extensions', 'deployments')), false);
    assert.equal(ruleAllows(r, request('get', 'apps', 'deployments', 'scale')), false);
  });

  test('the namespace is not the rule’s business (bindings scope rules)', () => {
    const r = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
    assert.equal(ruleAllows(r, request('get', '', 'pods', '', '', '')), true);
    assert.equal(ruleAllows(r, request('get', '', 'pods', '', '', 'other')), true);
  });

  test('non-resource requests are matched by verb and URL only; resource rules never allow them', () => {
    const urls = rule({ verbs: ['get'], nonResourceURLs: ['/metrics'] });
    assert.equal(ruleAllows(urls, { kind: 'nonResource', verb: 'get', path: '/metrics' }), true);
    assert.equal(ruleAllows(urls, { kind: 'nonResource', verb: 'post', path: '/metrics' }), false);
    assert.equal(ruleAllows(urls, request('get', '', 'metrics')), false);
    const everything = rule({ verbs: ['*'], apiGroups: ['*'], resources: ['*'] });
    assert.equal(ruleAllows(everything, { kind: 'nonResource', verb: 'get', path: '/metrics' }), false);
  });
});

test('ruleKey: equal for equal rules, different when any list differs', () => {
  const a = rule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] });
  assert.equal(ruleKey(a), ruleKey(parsePolicyRule({ verbs: ['get'], apiGroups: [''], resources: ['pods'] })));
  assert.notEqual(ruleKey(a), ruleKey({ ...a, resourceNames: ['x'] }));
  assert.notEqual(ruleKey(rule({ verbs: ['get'], resources: ['pods'] })), ruleKey(rule({ verbs: ['get'], resourceNames: ['pods'] })));
});
