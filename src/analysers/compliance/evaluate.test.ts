import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanEvaluation } from '../../core/report.ts';
import type { Framework } from './catalogue.ts';
import { complianceSummary, SEVERITY_WEIGHTS } from './evaluate.ts';

const framework: Framework = {
  framework: 'cis-k8s',
  name: 'CIS Kubernetes Benchmark',
  version: '1.12',
  source: 'test',
  sections: [
    { id: '1.2', title: 'API Server' },
    { id: '5.2', title: 'Pods' },
  ],
  controls: [
    { id: '1.2.1', section: '1.2', title: 'manual, judged', assessment: 'manual', rules: ['apiserver-a'] },
    { id: '1.2.2', section: '1.2', title: 'failing', assessment: 'automated', rules: ['apiserver-a', 'pods-b'] },
    { id: '1.2.3', section: '1.2', title: 'manual, no rule', assessment: 'manual', rules: [] },
    { id: '1.2.4', section: '1.2', title: 'automated, no rule', assessment: 'automated', rules: [] },
    { id: '1.2.5', section: '1.2', title: 'its rule found no API server', assessment: 'automated', rules: ['apiserver-c'] },
    { id: '1.2.6', section: '1.2', title: 'suppressed', assessment: 'automated', rules: ['apiserver-a'] },
    { id: '1.2.7', section: '1.2', title: 'baselined', assessment: 'automated', rules: ['apiserver-a'] },
    { id: '1.2.8', section: '1.2', title: 'file judged', assessment: 'automated', rules: ['files'] },
    { id: '1.2.9', section: '1.2', title: 'file missing', assessment: 'automated', rules: ['files'] },
    { id: '5.2.1', section: '5.2', title: 'no pods in the input', assessment: 'automated', rules: ['pods-b'] },
    { id: '5.2.2', section: '5.2', title: 'rule disabled', assessment: 'automated', rules: ['disabled-rule'] },
    { id: '5.2.3', section: '5.2', title: 'info only', assessment: 'automated', rules: ['info-rule'] },
  ],
};

const evaluation: ScanEvaluation = {
  rules: [
    { id: 'apiserver-a', severity: 'high', subjects: 1 },
    { id: 'apiserver-c', severity: 'high', subjects: 0 },
    { id: 'pods-b', severity: 'critical', subjects: 0 },
    { id: 'files', severity: 'medium', subjects: 3, controls: ['cis-k8s/1.2.8'] },
    { id: 'info-rule', severity: 'info', subjects: 4 },
  ],
  baselinedControls: { 'cis-k8s/1.2.7': 2 },
};

const summary = complianceSummary({
  framework,
  scope: 'all',
  evaluation,
  requirements: new Map([
    ['apiserver-c', 'a kube-apiserver command line'],
    ['files', 'the node\'s files'],
  ]),
  findings: [{ controls: ['cis-k8s/1.2.2', 'nsa-cisa/pod-security'] }, { controls: ['cis-k8s/1.2.2'] }],
  suppressed: [{ controls: ['cis-k8s/1.2.6'] }],
});

test('each control\'s status rests on evidence: findings, what its rules judged, what they need', () => {
  assert.deepEqual(
    summary.controls.map((c) => `${c.id} ${c.status} ${c.findings}${c.reason ? ` (${c.reason})` : ''}`),
    [
      'cis-k8s/1.2.1 pass 0', // manual in the framework, but a rule judged it and found nothing
      'cis-k8s/1.2.2 fail 2',
      'cis-k8s/1.2.3 manual 0 (left to a person by the framework; no rule judges it)',
      'cis-k8s/1.2.4 not-evaluated 0 (no rule judges it yet)',
      'cis-k8s/1.2.5 not-evaluated 0 (needs a kube-apiserver command line)',
      'cis-k8s/1.2.6 fail 0', // only a suppressed finding: an accepted deviation, not a pass
      'cis-k8s/1.2.7 fail 0', // left out by --baseline: still a deviation
      'cis-k8s/1.2.8 pass 0',
      'cis-k8s/1.2.9 not-evaluated 0 (needs the node\'s files)', // its rule ran, but judged other controls only
      'cis-k8s/5.2.1 not-applicable 0 (nothing in the input it applies to)',
      'cis-k8s/5.2.2 not-evaluated 0 (its rules did not run in this scan (disabled-rule))',
      'cis-k8s/5.2.3 pass 0',
    ],
  );
  assert.deepEqual(summary.counts, { pass: 3, fail: 3, manual: 1, 'not-applicable': 1, 'not-evaluated': 4 });
});

test('the score weighs passed and failed controls by their most severe rule; others weigh nothing', () => {
  const weights = Object.fromEntries(summary.controls.map((c) => [c.id.slice(8), `${c.severity ?? '-'}:${c.weight}`]));
  assert.equal(weights['1.2.2'], 'critical:10'); // apiserver-a high, pods-b critical: the most severe counts
  assert.equal(weights['1.2.1'], 'high:7');
  assert.equal(weights['1.2.5'], 'high:0'); // not evaluated: no weight
  assert.equal(weights['5.2.3'], 'info:0');
  // passed: 1.2.1 (7) + 1.2.8 (4) + 5.2.3 (0); evaluated adds 1.2.2 (10), 1.2.6 (7), 1.2.7 (7)
  assert.deepEqual(summary.score, { value: 31.4, passedWeight: 11, evaluatedWeight: 35 });
  assert.equal(Math.round((1000 * 11) / 35) / 10, 31.4);
  assert.equal(SEVERITY_WEIGHTS.critical, 10);
});

test('coverage is the share of applicable controls evaluated, with the reasons for the rest', () => {
  assert.deepEqual(summary.coverage, {
    evaluated: 6,
    applicable: 11,
    percent: 54.5,
    gaps: [
      { reason: 'its rules did not run in this scan (disabled-rule)', controls: 1 },
      { reason: 'left to a person by the framework; no rule judges it', controls: 1 },
      { reason: 'needs a kube-apiserver command line', controls: 1 },
      { reason: 'needs the node\'s files', controls: 1 },
      { reason: 'no rule judges it yet', controls: 1 },
    ],
  });
});

test('nothing evaluated: no score and no coverage figure, rather than 0 % or 100 %', () => {
  const empty = complianceSummary({
    framework,
    scope: 'node',
    inScope: (control) => control.section === '5.2',
    evaluation: { rules: [], baselinedControls: {} },
    requirements: new Map(),
    findings: [],
    suppressed: [],
  });
  assert.equal(empty.scope, 'node');
  assert.deepEqual(empty.controls.map((c) => c.id), ['cis-k8s/5.2.1', 'cis-k8s/5.2.2', 'cis-k8s/5.2.3']);
  assert.deepEqual(empty.score, { value: null, passedWeight: 0, evaluatedWeight: 0 });
  assert.equal(empty.coverage.percent, 0);
  assert.ok(empty.controls.every((c) => c.status === 'not-evaluated'));
});
