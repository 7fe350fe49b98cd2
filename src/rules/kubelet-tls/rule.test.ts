import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRuleOnFixture, testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

// A default decides for a field the file lacks, and the nearest existing node is the document itself: the path is
// empty, which a `# expect:` header cannot write.
test('rule kubelet-tls: defaults of top-level fields point at the root of the config file', () => {
  const { actual } = runRuleOnFixture(rule, join(import.meta.dirname, 'fixtures', 'root', 'kubeadm-config.yaml'));
  assert.deepEqual(actual, ['cipherSuitesDefault ', 'selfSignedServingCertificate ']);
});
