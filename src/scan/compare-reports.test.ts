import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/findings.ts';
import type { ComplianceSummary } from '../core/report.ts';
import { compareReports } from './compare-reports.ts';

const finding = (fingerprint: string, severity: Finding['severity'], line: number): Finding =>
  ({
    ruleId: `rule-${fingerprint}`,
    messageId: 'm',
    severity,
    title: 't',
    category: 'pod-security',
    message: fingerprint,
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'ns', name: 'p' },
    location: { file: 'a.yaml', line, column: 1, path: 'spec' },
    controls: [],
    remediation: 'r',
    fingerprint,
  }) as Finding;

const compliance = (value: number | null, percent: number, statuses: Record<string, ComplianceSummary['controls'][number]['status']>): ComplianceSummary => ({
  framework: 'cis-k8s',
  name: 'CIS',
  version: '1.12',
  scope: 'all',
  score: { value, passedWeight: 0, evaluatedWeight: 0 },
  coverage: { evaluated: 0, applicable: 0, percent, gaps: [] },
  counts: { pass: 0, fail: 0, manual: 0, 'not-applicable': 0, 'not-evaluated': 0 },
  controls: Object.entries(statuses).map(([id, status]) => ({ id, title: id, assessment: 'automated', status, weight: 0, findings: 0, rules: [] })),
});

test('findings are matched by fingerprint, wherever they moved; scores and changed controls are reported', () => {
  const older = { findings: [finding('a', 'high', 3), finding('b', 'low', 9)], compliance: [compliance(40, 50, { 'cis-k8s/5.2.2': 'fail', 'cis-k8s/5.2.3': 'pass' })] };
  const newer = { findings: [finding('b', 'low', 12), finding('c', 'critical', 1)], compliance: [compliance(62.5, 50, { 'cis-k8s/5.2.2': 'pass', 'cis-k8s/5.2.3': 'pass' })] };
  const comparison = compareReports(older, newer);
  assert.deepEqual(comparison.fixed.map((f) => f.fingerprint), ['a']);
  assert.deepEqual(comparison.new.map((f) => f.fingerprint), ['c']);
  assert.deepEqual(comparison.unchanged.map((f) => f.fingerprint), ['b']);
  assert.deepEqual(comparison.bySeverity.critical, { fixed: 0, new: 1, unchanged: 0 });
  assert.deepEqual(comparison.bySeverity.high, { fixed: 1, new: 0, unchanged: 0 });
  assert.deepEqual(comparison.frameworks[0]!.score, { from: 40, to: 62.5, change: 22.5 });
  assert.deepEqual(comparison.frameworks[0]!.coverage, { from: 50, to: 50, change: 0 });
  assert.deepEqual(comparison.frameworks[0]!.controls, [{ id: 'cis-k8s/5.2.2', title: 'cis-k8s/5.2.2', from: 'fail', to: 'pass' }]);
});

test('a framework only one report has is not compared; a missing score gives no change', () => {
  const comparison = compareReports({ findings: [], compliance: [compliance(null, 0, {})] }, { findings: [], compliance: [compliance(80, 10, {})] });
  assert.deepEqual(comparison.frameworks[0]!.score, { from: null, to: 80, change: null });
  assert.deepEqual(compareReports({ findings: [] }, { findings: [], compliance: [compliance(80, 10, {})] }).frameworks, []);
});
