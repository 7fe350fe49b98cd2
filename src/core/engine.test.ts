import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runRules } from './engine.ts';
import { NO_POSITION_LOCATOR, type InventoryObject } from './inventory.ts';
import { defineRule } from './rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from './settings.ts';

const object: InventoryObject = {
  ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'flags' },
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'shop' }, data: { a: '1', b: '2', c: '3' } },
  origin: { type: 'file', file: 'flags.yaml', documentIndex: 0, pathInDocument: [] },
  locator: NO_POSITION_LOCATOR,
};

// One rule covering two controls, one per message, as the CIS flag rules do; the third report names a control the
// rule does not declare.
const rule = defineRule({
  meta: {
    id: 'two-controls',
    title: 'Two controls',
    category: 'cluster',
    defaultSeverity: 'medium',
    rationale: 'r',
    remediation: 'r',
    controls: ['cis-k8s/1.2.1', 'cis-k8s/1.2.2'],
    messages: { a: 'a', b: 'b', all: 'all' },
    example: { bad: '', good: '' },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'ConfigMap' }] },
  check(context) {
    context.report({ messageId: 'a', path: ['data', 'a'], controls: ['cis-k8s/1.2.1'] });
    context.report({ messageId: 'b', path: ['data', 'b'], controls: ['cis-k8s/1.2.2'] });
    context.report({ messageId: 'all', path: ['data', 'c'] });
    context.report({ messageId: 'a', path: ['data'], controls: ['cis-k8s/9.9.9'] });
  },
});

test('a report may name the controls it is about; otherwise the rule declares them', () => {
  const result = runRules({
    inventory: { objects: [object] },
    rules: [{ rule, severity: 'medium', options: {} }],
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: [],
  });
  assert.deepEqual(
    result.findings.map((finding) => [finding.location.path, finding.controls]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    [
      ['data.a', ['cis-k8s/1.2.1']],
      ['data.b', ['cis-k8s/1.2.2']],
      ['data.c', ['cis-k8s/1.2.1', 'cis-k8s/1.2.2']],
    ],
  );
  // A control the rule does not declare is the rule's bug: reported as a rule failure, the scan goes on.
  assert.deepEqual(result.failures.map((failure) => failure.message), ['rule two-controls reported control cis-k8s/9.9.9, which its meta.controls does not list']);
});
