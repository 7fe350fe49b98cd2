import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LIVE_ORIGIN, messagesOf } from '../../analysers/rbac/findings-helpers.testing.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, 'fixtures', 'invalid', name), 'utf8');

describe('rbac-cluster-admin-binding messages', () => {
  test('names every subject, with the workloads mounting a ServiceAccount token', () => {
    assert.deepEqual(messagesOf(rule, fixture('cluster-admin.yaml')), [
      'binds cluster-admin to ServiceAccount ci/deployer (token mounted in Deployment ci/runner) and User alice@example.com ' +
        'cluster-wide: every verb on every resource in every namespace and on the cluster itself, Secrets, RBAC, nodes and ' +
        'admission webhooks included',
    ]);
  });

  test('cites the wildcard rule with file and line, or the role alone for a live cluster', () => {
    assert.deepEqual(messagesOf(rule, fixture('wildcard-role.yaml')), [
      'binds Group ops cluster-wide to the equivalent of cluster-admin: ClusterRole/ops-all rules[1] (rbac.yaml:12) grants ' +
        'every verb on every resource of every API group',
    ]);
    assert.deepEqual(messagesOf(rule, fixture('wildcard-role.yaml'), LIVE_ORIGIN), [
      'binds Group ops cluster-wide to the equivalent of cluster-admin: ClusterRole/ops-all rules[1] grants every verb on ' +
        'every resource of every API group',
    ]);
  });
});
