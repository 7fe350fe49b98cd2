import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LIVE_ORIGIN, messagesOf } from '../../analysers/rbac/findings-helpers.testing.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

const AGGREGATED = `
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: metrics
  labels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
- {apiGroups: [""], resources: ["pods"], verbs: ["get"]}
`;

describe('rbac-empty-role on aggregated roles', () => {
  test('a live aggregated role that gathers nothing is reported; one that gathers a rule is not', () => {
    const [aggregated] = AGGREGATED.split('---');
    assert.deepEqual(messagesOf(rule, aggregated!, LIVE_ORIGIN), [
      'aggregated ClusterRole gathers no rule: no ClusterRole with rules matches its clusterRoleSelectors, so it grants nothing',
    ]);
    assert.deepEqual(messagesOf(rule, AGGREGATED, LIVE_ORIGIN), []);
  });

  test('in manifests an aggregated role is not judged: its sources usually live in the cluster', () => {
    assert.deepEqual(messagesOf(rule, AGGREGATED.split('---')[0]!), []);
  });
});
