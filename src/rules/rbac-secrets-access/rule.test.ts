import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { messagesOf } from '../../analysers/rbac/findings-helpers.testing.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

describe('rbac-secrets-access messages', () => {
  test('verbs, scope and the rule, through aggregation too', () => {
    const text = readFileSync(join(import.meta.dirname, 'fixtures', 'invalid', 'secrets.yaml'), 'utf8');
    const contents = "; list and watch return the Secrets' contents, not just their names";
    assert.deepEqual(messagesOf(rule, text), [
      `lets ServiceAccount backup/backup get, list and watch Secrets in every namespace through ClusterRole/secret-reader rules[0] (rbac.yaml:14)${contents}`,
      `lets ServiceAccount shop/web get, list and watch the Secrets of namespace shop through ClusterRole/secret-reader rules[0] (rbac.yaml:14)${contents}`,
      'lets User bob get the Secrets of namespace shop through Role/shop/config-all rules[0] (rbac.yaml:50)',
      `lets Group support get, list and watch Secrets in every namespace through ClusterRole/support, aggregating ClusterRole/secret-reader rules[0] (rbac.yaml:14)${contents}`,
    ]);
  });
});
