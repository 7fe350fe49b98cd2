import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ruleFindings } from '../../testing/rule-findings.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

const findings = (text: string): string[] => ruleFindings(rule, text, 'policy.yaml');

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'invalid', name), 'utf8');
const policy = (rules: string): string => `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${rules}`;

test('messages say which requests, by whom, where, and which rule drops them', () => {
  assert.deepEqual(findings(fixture('drop-reads-and-patch.yaml')), [
    'rules[0]  not audited: get on pods/exec, pods/attach and pods/portforward by an ordinary user, because rules[0] matches them with level None; commands run in pods and tunnels into them leave no trace',
    'rules[0]  not audited: get, list, watch, patch on secrets by an ordinary user, because rules[0] matches them with level None; Secret reads and changes leave no trace',
    'rules[0]  not audited: patch on roles and rolebindings by an ordinary user, because rules[0] matches them with level None; RBAC changes, the usual path to more privilege, leave no trace',
  ]);
  assert.deepEqual(findings(fixture('cluster-scoped-silenced.yaml')), [
    'rules[0]  not audited: create, update, patch, delete on clusterroles and clusterrolebindings by an ordinary user, because rules[0] matches them with level None; RBAC changes, the usual path to more privilege, leave no trace',
    'rules[0]  not audited: list, watch on secrets across all namespaces by an ordinary user, because rules[0] matches them with level None; Secret reads and changes leave no trace',
  ]);
  assert.deepEqual(findings(fixture('no-catch-all.yaml')), [
    'rules  not audited: create on serviceaccounts/token by an ordinary user, because no rule matches them, and requests that match no rule are not logged; ServiceAccount tokens are minted without a trace',
    'rules  not audited: get, list, watch, create, update, patch, delete on secrets by an ordinary user, because no rule matches them, and requests that match no rule are not logged; Secret reads and changes leave no trace',
  ]);
});

test('omitted stages count: watch is long-running and still writes ResponseStarted', () => {
  assert.deepEqual(findings(fixture('stages-omitted.yaml')), [
    'rules[0]  not audited: get, list, create, update, patch, delete on secrets by an ordinary user, because rules[0] matches them at Metadata but omits stages RequestReceived, ResponseComplete, so no event is written; Secret reads and changes leave no trace',
  ]);
});

test('one finding per concern, at the rule deciding the most ordinary unlogged request', () => {
  const text = policy(
    [
      '- level: None',
      '  verbs: [get]',
      '  resources: [{group: "", resources: [secrets]}]',
      '- level: None',
      '  verbs: [delete]',
      '  resources: [{group: "", resources: [secrets]}]',
      '- level: Metadata',
    ].join('\n'),
  );
  assert.deepEqual(findings(text), [
    'rules[0]  not audited: get on secrets by an ordinary user, because rules[0] matches them with level None; Secret reads and changes leave no trace',
  ]);
});

test('None rules that name system users or groups are not gaps; the same rule for everyone is', () => {
  const scoped = policy('- level: None\n  userGroups: [system:nodes]\n  resources: [{group: "", resources: [serviceaccounts/token]}]\n- level: Metadata');
  assert.deepEqual(findings(scoped), []);
  const everyone = policy('- level: None\n  userGroups: [system:authenticated]\n  resources: [{group: "", resources: [serviceaccounts/token]}]\n- level: Metadata');
  assert.equal(findings(everyone).length, 1);
});

test('a gap only for service accounts, in one namespace, on one object, is described as such', () => {
  const text = policy(
    '- level: None\n  userGroups: ["system:serviceaccounts:team-a"]\n  namespaces: [team-a]\n  resources: [{group: "", resources: [secrets], resourceNames: [db]}]\n- level: Metadata',
  );
  assert.deepEqual(findings(text), [
    'rules[0]  not audited: get, update, patch, delete on secrets named "db" in namespace "team-a" by a service account, because rules[0] matches them with level None; Secret reads and changes leave no trace',
  ]);
});

test('an exec rule written for pods/* or for the whole core group covers both verbs', () => {
  const onlyPods = findings(policy('- level: Metadata\n  resources: [{group: "", resources: ["pods/*"]}]\n- level: None\n  resources: [{group: ""}, {group: rbac.authorization.k8s.io}]\n- level: Metadata'));
  assert.deepEqual(
    onlyPods.map((line) => line.split(';').at(-1)!.trim()),
    ['ServiceAccount tokens are minted without a trace', 'RBAC changes, the usual path to more privilege, leave no trace', 'Secret reads and changes leave no trace'],
  );
  const covered = policy('- level: Metadata\n  resources: [{group: "", resources: ["pods/*", secrets, serviceaccounts/token]}, {group: rbac.authorization.k8s.io}]\n- level: None');
  assert.deepEqual(findings(covered), []);
});

test('a policy without a rules key is as empty as rules: []', () => {
  assert.deepEqual(findings('apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\n'), [
    '  the policy has no rules; kube-apiserver refuses it ("loaded illegal policy with 0 rules") and does not start, and without a policy nothing is audited',
  ]);
});
