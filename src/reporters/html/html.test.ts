// The HTML report as text: one self-contained document that requests nothing, escapes whatever the report holds
// (a resource named `</script><script>…` included), embeds data that round-trips to the report's findings, and is
// the same for the same input. The browser test (test/html-report.test.ts) checks what it does when opened.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COVERAGE_FORMULA, SCORE_FORMULA } from '../../analysers/compliance/evaluate.ts';
import type { Finding } from '../../core/findings.ts';
import { isClusterLocation, SEVERITIES } from '../../core/model.ts';
import type { ComplianceSummary, ReportContext, ScanReport } from '../../core/report.ts';
import type { ReportGraphs } from '../../core/report-graphs.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT } from '../testdata/report-fixture.ts';
import { APP_SCRIPT } from './app.ts';
import { FINDING_TUPLE, scriptSafe } from './data.ts';
import { CONTENT_SECURITY_POLICY, htmlReport, streamHtml } from './index.ts';

const HOSTILE = '</script><script>alert(1)</script><img src=x onerror=alert(2)>\u2028"\'&';

interface EmbeddedData {
  readonly v: number;
  readonly severities: readonly string[];
  readonly findings: readonly (string | number)[][];
  readonly suppressed: readonly (string | number)[][];
  readonly rules: readonly string[][];
  readonly resources: readonly string[][];
  readonly sources: readonly string[];
  readonly controls: readonly (readonly string[])[];
  readonly graphs: ReportGraphs;
}

function embedded(html: string): EmbeddedData {
  const open = '<script type="application/json" id="palisade-data">';
  const start = html.indexOf(open);
  assert.ok(start >= 0, 'the data element is there');
  const end = html.indexOf('</script>', start);
  return JSON.parse(html.slice(start + open.length, end)) as EmbeddedData;
}

const COMPLIANCE: ComplianceSummary = {
  framework: 'cis-k8s',
  name: 'CIS Kubernetes Benchmark',
  version: '1.12',
  scope: 'all',
  counts: { pass: 1, fail: 1, manual: 0, 'not-applicable': 0, 'not-evaluated': 1 },
  score: { value: 41.2, passedWeight: 7, evaluatedWeight: 17 },
  coverage: { evaluated: 2, applicable: 3, percent: 66.7, gaps: [{ reason: `needs ${HOSTILE}`, controls: 1 }] },
  controls: [
    { id: 'cis-k8s/5.2.2', title: 'Minimize privileged containers', section: '5.2', assessment: 'automated', status: 'fail', severity: 'critical', weight: 10, findings: 1, rules: ['privileged-container'] },
    { id: 'cis-k8s/5.1.1', title: 'Limit cluster-admin', section: '5.1', assessment: 'automated', status: 'pass', severity: 'high', weight: 7, findings: 0, rules: ['cluster-admin-binding'] },
    { id: 'cis-k8s/1.2.6', title: `Kubelet <b>${HOSTILE}</b>`, section: '1.2', assessment: 'automated', status: 'not-evaluated', weight: 0, findings: 0, rules: [], reason: `needs ${HOSTILE}` },
  ],
};

const GRAPHS: ReportGraphs = {
  clusterMap: {
    namespaces: [
      {
        name: HOSTILE,
        findings: 1,
        worst: 'high',
        workloads: [{ id: `Deployment/${HOSTILE}/web`, kind: 'Deployment', name: 'web', findings: 1, worst: 'high' }],
        services: [{ id: `Service/${HOSTILE}/web`, name: 'web', type: 'ClusterIP', workloads: [`Deployment/${HOSTILE}/web`], findings: 0 }],
        ingresses: [],
      },
    ],
    truncated: `cut ${HOSTILE}`,
  },
  network: { nodes: [{ id: 'outside', kind: 'outside', label: 'outside the cluster' }], edges: [], note: `note ${HOSTILE}` },
};

/** The fixture with a hostile name everywhere a report carries text, compliance and graphs. */
function hostileContext(): ReportContext {
  const finding = FIXTURE_REPORT.findings[0]!;
  const hostile: Finding = {
    ...finding,
    message: `message ${HOSTILE}`,
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: HOSTILE, name: HOSTILE },
    location: { file: `deploy/${HOSTILE}.yaml`, line: 3, column: 5, path: `metadata.name` },
    remediation: `remediation ${HOSTILE}`,
    title: `title ${HOSTILE}`,
  };
  const report: ScanReport = {
    ...FIXTURE_REPORT,
    tool: { name: 'palisade', version: `1.0 ${HOSTILE}` },
    findings: [...FIXTURE_REPORT.findings, hostile],
    compliance: [COMPLIANCE],
    graphs: GRAPHS,
    errors: [{ code: 'yaml-syntax', file: `bad ${HOSTILE}.yaml`, line: 2, message: `error ${HOSTILE}` }],
    summary: { ...FIXTURE_REPORT.summary, findings: FIXTURE_REPORT.findings.length + 1, errors: 1 },
  };
  return { ...FIXTURE_CONTEXT, report };
}

describe('html report', () => {
  test('one self-contained document with a CSP that forbids requests', () => {
    const html = htmlReport(FIXTURE_CONTEXT);
    assert.match(html, /^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n/);
    assert.ok(html.endsWith('</body>\n</html>\n'));
    for (const tag of ['<html', '</html>', '<head>', '<body>', '</body>']) assert.equal(html.split(tag).length - 1, 1, tag);
    assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`));
    assert.equal(CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:");
    // Nothing to fetch: no src or href with a scheme or a protocol-relative URL, no linked style sheet, no CSS import or url().
    assert.deepEqual(html.match(/\b(?:src|href|xlink:href|action|srcset|poster)\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)/gi), null);
    assert.doesNotMatch(html, /<link\b|@import|url\(\s*['"]?(?!#)/i, 'only url(#marker) references inside the page');
    assert.doesNotMatch(html, /<script\s+src/i);
    assert.equal(html.split('<script').length - 1, 2, 'the data element and the inline script');
  });

  test('escapes a hostile name everywhere: no tag, attribute or script end comes from the report', () => {
    const html = htmlReport(hostileContext());
    assert.equal(html.split('<script').length - 1, 2, 'no script element injected');
    assert.equal(html.split('</script>').length - 1, 2, 'no script element closed early');
    assert.doesNotMatch(html, /<img/i);
    const dataText = html.slice(html.indexOf('id="palisade-data"'), html.lastIndexOf('<script>'));
    assert.ok(!dataText.includes('\u2028'), 'U+2028 is escaped in the data');
    assert.ok(html.includes('&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), 'shown as text');
    // The hostile strings still reach the page as data, intact.
    const data = embedded(html);
    const last = data.findings.at(-1)!;
    assert.equal(last[FINDING_TUPLE.indexOf('message')], `message ${HOSTILE}`);
    assert.equal(data.resources[last[FINDING_TUPLE.indexOf('resource')] as number]![3], HOSTILE);
    assert.equal(data.sources[last[FINDING_TUPLE.indexOf('source')] as number], `deploy/${HOSTILE}.yaml`);
    assert.equal(data.graphs.clusterMap?.namespaces[0]?.name, HOSTILE);
  });

  test('embedded data round-trips to the report: every finding, suppressed finding, rule text and location', () => {
    const { report } = FIXTURE_CONTEXT;
    const data = embedded(htmlReport(FIXTURE_CONTEXT));
    assert.equal(data.findings.length, report.findings.length);
    assert.equal(data.suppressed.length, report.suppressed.length);
    assert.deepEqual(data.severities, SEVERITIES);
    const field = (tuple: readonly (string | number)[], name: (typeof FINDING_TUPLE)[number]) => tuple[FINDING_TUPLE.indexOf(name)];
    report.findings.forEach((finding, i) => {
      const tuple = data.findings[i]!;
      const rule = data.rules[field(tuple, 'rule') as number]!;
      const resource = data.resources[field(tuple, 'resource') as number]!;
      assert.deepEqual(rule.slice(0, 4), [finding.ruleId, finding.title, finding.category, finding.remediation]);
      assert.equal(data.severities[field(tuple, 'severity') as number], finding.severity);
      assert.equal(field(tuple, 'message'), finding.message);
      assert.deepEqual(resource, [finding.resource.apiVersion, finding.resource.kind, finding.resource.namespace ?? '', finding.resource.name]);
      assert.deepEqual(data.controls[field(tuple, 'controls') as number], finding.controls);
      assert.equal(field(tuple, 'fingerprint'), finding.fingerprint);
      assert.equal(field(tuple, 'path'), finding.location.path);
      if (isClusterLocation(finding.location)) {
        assert.equal(data.sources[field(tuple, 'source') as number], `cluster:${finding.location.cluster.context}`);
        assert.equal(field(tuple, 'uid'), finding.location.object.uid ?? '');
      } else {
        assert.equal(data.sources[field(tuple, 'source') as number], finding.location.file);
        assert.deepEqual([field(tuple, 'line'), field(tuple, 'column'), field(tuple, 'template')], [finding.location.line, finding.location.column, finding.location.template ?? '']);
      }
    });
    report.suppressed.forEach((finding, i) => {
      assert.equal(field(data.suppressed[i]!, 'reason'), finding.suppression.reason);
    });
    assert.equal(embedded(htmlReport(EMPTY_CONTEXT)).findings.length, 0);
  });

  test('deterministic: the same input gives the same bytes, streamed or whole', () => {
    const context = hostileContext();
    const first = htmlReport(context);
    assert.equal(htmlReport(context), first);
    assert.equal([...streamHtml(context)].join(''), first);
    // No date of its own: the header has none (suppression expiries further down are the report's data).
    assert.doesNotMatch(first.slice(0, first.indexOf('<main>')), /\b20\d\d-\d\d-\d\d\b/);
  });

  test('summary, charts, compliance with its formulas, and graphs only when the report has them', () => {
    const html = htmlReport(hostileContext());
    const { summary } = hostileContext().report;
    assert.ok(html.includes(`data-summary="findings" data-value="${summary.findings}"`));
    for (const severity of SEVERITIES) assert.ok(html.includes(`data-summary="${severity}" data-value="${summary.bySeverity[severity]}"`), severity);
    assert.match(html, /<svg class="severity-chart"[^>]*role="img" aria-labelledby="sev-chart-title sev-chart-desc"><title id="sev-chart-title">Findings by severity<\/title>/);
    assert.match(html, /<svg class="category-chart"[^>]*role="img"/);
    assert.ok(html.includes('id="compliance"'));
    assert.ok(html.includes(SCORE_FORMULA.replaceAll('&', '&amp;')) && html.includes(COVERAGE_FORMULA));
    assert.ok(html.includes('score = 100 × 7 / 17'));
    assert.ok(html.includes('<tr data-status="fail">') && html.includes('<span class="badge status-pass">pass</span>'));
    assert.ok(html.includes('data-control="cis-k8s/5.2.2"'));
    assert.ok(html.includes('id="graph-map"') && html.includes('id="graph-network"') && !html.includes('id="graph-rbac"'));
    assert.ok(html.includes('Cut to stay drawable: cut &lt;/script&gt;'));

    const plain = htmlReport(FIXTURE_CONTEXT);
    assert.ok(!plain.includes('id="compliance"') && !plain.includes('id="graphs"'), 'no compliance or graph sections without their data');
  });

  test('the browser script parses, and cannot end its own element', () => {
    assert.doesNotThrow(() => new Function(APP_SCRIPT));
    assert.doesNotMatch(APP_SCRIPT, /<\/script|<!--/i);
    assert.equal(scriptSafe(JSON.stringify({ a: '</script>\u2028\u2029' })), '{"a":"\\u003c/script>\\u2028\\u2029"}');
    assert.deepEqual(JSON.parse(scriptSafe(JSON.stringify({ a: '</script>\u2028\u2029' }))), { a: '</script>\u2028\u2029' });
  });
});
