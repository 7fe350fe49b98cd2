import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ruleFindings } from '../../testing/rule-findings.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

/** `path  message` of every finding, in report order. */
const findings = (text: string): string[] => ruleFindings(rule, text, 'policy.yaml');

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'invalid', name), 'utf8');
const policy = (rules: string): string => `apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n${rules}`;

test('messages name the rule, the verbs, who and where, the level and which bodies', () => {
  assert.deepEqual(findings(fixture('named-user-only.yaml')), [
    'rules[1]  rules[1] logs create on serviceaccounts/token by user "ci-deployer" at RequestResponse, so every newly issued ServiceAccount token lands in the audit log',
    'rules[1]  rules[1] logs create on tokenreviews (authentication.k8s.io) by user "ci-deployer" at RequestResponse, so every bearer token sent for review lands in the audit log',
    'rules[1]  rules[1] logs get, list, create, update, patch on configmaps by user "ci-deployer" at RequestResponse, so ConfigMap data, often credentials and connection strings, lands in the audit log (request and response bodies)',
    'rules[1]  rules[1] logs get, list, create, update, patch on secrets by user "ci-deployer" at RequestResponse, so Secret values land in the audit log (request and response bodies)',
  ]);
  assert.deepEqual(findings(fixture('aws-auth-request-response.yaml')), [
    'rules[0]  rules[0] logs update, patch on configmaps named "aws-auth" in namespace "kube-system" at RequestResponse, so ConfigMap data, often credentials and connection strings, lands in the audit log (request and response bodies)',
  ]);
  assert.deepEqual(findings(fixture('request-level-writes.yaml')), [
    'rules[0]  rules[0] logs create, update, patch on secrets at Request, so Secret values land in the audit log (request bodies)',
    'rules[1]  rules[1] logs get on configmaps in namespace "kube-system" at RequestResponse, so ConfigMap data, often credentials and connection strings, lands in the audit log (response bodies)',
  ]);
});

test('Request level leaks only verbs with a request body; RequestResponse adds get and list; watch never', () => {
  assert.deepEqual(findings(policy('- level: Request\n  resources: [{group: "", resources: [secrets]}]\n  verbs: [get, list, watch, delete]\n- level: Metadata')), []);
  assert.deepEqual(findings(policy('- level: RequestResponse\n  resources: [{group: "", resources: [secrets]}]\n  verbs: [watch, delete, deletecollection]\n- level: Metadata')), []);
  assert.deepEqual(findings(policy('- level: RequestResponse\n  resources: [{group: "", resources: [secrets]}]\n  verbs: [list]\n- level: Metadata')), [
    'rules[0]  rules[0] logs list on secrets at RequestResponse, so Secret values land in the audit log (response bodies)',
  ]);
});

test('TokenReviews leak from Request; token requests only from RequestResponse', () => {
  const request = policy('- level: Request\n  resources: [{group: authentication.k8s.io, resources: [tokenreviews]}, {group: "", resources: [serviceaccounts/token]}]\n- level: Metadata');
  assert.deepEqual(findings(request), [
    'rules[0]  rules[0] logs create on tokenreviews (authentication.k8s.io) at Request, so every bearer token sent for review lands in the audit log',
  ]);
});

test('an earlier Metadata rule shields the resources; a later one does not', () => {
  const shielded = policy('- level: Metadata\n  resources: [{group: "", resources: [secrets, configmaps]}, {group: authentication.k8s.io, resources: [tokenreviews]}]\n- level: Request\n  resources: [{group: "", resources: [serviceaccounts/token]}]\n- level: RequestResponse');
  assert.deepEqual(findings(shielded), []);
  const tooLate = policy('- level: RequestResponse\n  resources: [{group: ""}]\n- level: Metadata\n  resources: [{group: "", resources: [secrets, configmaps]}]');
  assert.deepEqual(
    findings(tooLate).map((line) => line.split('  ')[0]),
    ['rules[0]', 'rules[0]', 'rules[0]'],
    'secrets, configmaps and serviceaccounts/token are decided by the core-group rule first',
  );
});

test('a rule reached only in one namespace or for one group is still reported, with that scope', () => {
  assert.deepEqual(findings(policy('- level: Request\n  userGroups: [system:serviceaccounts]\n  namespaces: [ci]\n  resources: [{group: "", resources: [secrets]}]\n- level: Metadata')), [
    'rules[0]  rules[0] logs create, update, patch on secrets in namespace "ci" by a service account at Request, so Secret values land in the audit log (request bodies)',
  ]);
});

test('each finding points at the rule its message names', () => {
  for (const line of findings(fixture('drop-reads-and-patch.yaml'))) {
    const [path, message] = line.split('  ');
    assert.ok(message!.startsWith(`${path} logs `), line);
  }
});
