import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding, SuppressedFinding } from '../../core/findings.ts';
import { CIS_KUBERNETES, complianceSummary, type Benchmark } from './benchmark.ts';

const benchmark: Benchmark = {
  framework: 'cis-k8s',
  name: 'CIS Kubernetes Benchmark',
  version: '1.12',
  sections: [{ id: '1.2', title: 'API Server' }, { id: '5.1', title: 'RBAC' }],
  recommendations: [
    { id: '1.2.1', section: '1.2', title: 'a', assessment: 'manual' },
    { id: '1.2.2', section: '1.2', title: 'b', assessment: 'automated' },
    { id: '1.2.3', section: '1.2', title: 'c', assessment: 'manual' },
    { id: '1.2.4', section: '1.2', title: 'd', assessment: 'automated' },
    { id: '1.2.5', section: '1.2', title: 'e', assessment: 'automated' },
    { id: '1.2.6', section: '1.2', title: 'f', assessment: 'automated' },
    { id: '5.1.1', section: '5.1', title: 'g', assessment: 'manual' },
  ],
};

const finding = (controls: string[]): Finding => ({ controls }) as unknown as Finding;

test('a recommendation passes only when a rule judges it, what it needs was found, and nothing was reported', () => {
  const summary = complianceSummary({
    benchmark,
    scope: 'node',
    inScope: (recommendation) => recommendation.section.startsWith('1.'),
    judged: new Set(['cis-k8s/1.2.1', 'cis-k8s/1.2.2', 'cis-k8s/1.2.5', 'cis-k8s/1.2.6']),
    unevaluatedBecause: (recommendation) => (recommendation.id === '1.2.5' ? 'no kube-apiserver on this node' : undefined),
    findings: [finding(['cis-k8s/1.2.2', 'nsa-cisa/audit-logging']), finding(['cis-k8s/1.2.2'])],
    suppressed: [finding(['cis-k8s/1.2.6']) as SuppressedFinding],
  });
  assert.deepEqual(
    summary.controls.map((control) => `${control.id} ${control.status} ${control.findings}${control.reason ? ` (${control.reason})` : ''}`),
    [
      'cis-k8s/1.2.1 pass 0', // manual in the benchmark, but a rule judges it and found nothing
      'cis-k8s/1.2.2 fail 2',
      'cis-k8s/1.2.3 manual 0',
      'cis-k8s/1.2.4 not-evaluated 0 (no rule judges it yet)',
      'cis-k8s/1.2.5 not-evaluated 0 (no kube-apiserver on this node)',
      'cis-k8s/1.2.6 fail 0', // only a suppressed finding: an accepted deviation, not a pass
    ],
  );
  assert.deepEqual(summary.counts, { pass: 1, fail: 2, manual: 1, 'not-evaluated': 2 });
});

test('the CIS 1.12 catalogue has every recommendation once, each in a known section', () => {
  const ids = CIS_KUBERNETES.recommendations.map((recommendation) => recommendation.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(ids.length, 131);
  const sections = new Set(CIS_KUBERNETES.sections.map((section) => section.id));
  assert.deepEqual(CIS_KUBERNETES.recommendations.filter((recommendation) => !sections.has(recommendation.section)), []);
  assert.ok(CIS_KUBERNETES.recommendations.every((recommendation) => recommendation.id.startsWith(`${recommendation.section}.`) || recommendation.section === '2'));
});
