import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanReport } from '../core/report.ts';
import { markdownText, streamMarkdown } from './markdown.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT } from './testdata/report-fixture.ts';

const render = (report: ScanReport): string => [...streamMarkdown({ ...FIXTURE_CONTEXT, report })].join('');

test('markdown: text from the report cannot break a table or become a link, image or HTML', () => {
  assert.equal(markdownText('a | b'), 'a \\| b');
  assert.equal(markdownText('[x](http://e) ![i](y) <script>'), '\\[x\\](http://e) !\\[i\\](y) \\<script\\>');
  assert.equal(markdownText('line\nbreak'), 'line break');
});

test('markdown: every finding is a table row with the right number of cells', () => {
  const text = render(FIXTURE_CONTEXT.report);
  const rows = text.split('\n').filter((line) => line.startsWith('| ') && /\| `[a-z0-9-]+` \|/.test(line));
  assert.equal(rows.length, FIXTURE_CONTEXT.report.findings.length + FIXTURE_CONTEXT.report.suppressed.length);
  for (const row of rows) assert.equal(row.replaceAll('\\|', '').split('|').length - 2, 5, row);
});

test('markdown: framework sections show score, its inputs, coverage and each control', () => {
  const report: ScanReport = {
    ...FIXTURE_CONTEXT.report,
    compliance: [
      {
        framework: 'soc2',
        name: 'SOC 2 Trust Services Criteria',
        version: '2017',
        scope: 'all',
        score: { value: 63.6, passedWeight: 7, evaluatedWeight: 11 },
        coverage: { evaluated: 2, applicable: 3, percent: 66.7, gaps: [{ reason: 'left to a person by the framework; no rule judges it', controls: 1 }] },
        counts: { pass: 1, fail: 1, manual: 1, 'not-applicable': 0, 'not-evaluated': 0 },
        controls: [
          { id: 'soc2/CC6.1', title: 'Logical access security', assessment: 'automated', status: 'pass', severity: 'high', weight: 7, findings: 0, rules: ['rbac-wildcard-rule'] },
          { id: 'soc2/CC6.6', title: 'Boundary protection', assessment: 'automated', status: 'fail', severity: 'medium', weight: 4, findings: 3, rules: ['netpol-namespace-default-deny'] },
          { id: 'soc2/CC1.1', title: 'Integrity and ethical values', assessment: 'manual', status: 'manual', weight: 0, findings: 0, rules: [], reason: 'left to a person by the framework; no rule judges it' },
        ],
      },
    ],
  };
  const text = render(report);
  assert.match(text, /## SOC 2 Trust Services Criteria 2017\n/);
  assert.match(text, /\*\*Score 63\.6%\*\* = 100 × 7 \/ 11/);
  assert.match(text, /\*\*Coverage 66\.7%\*\*: 2 of 3 applicable controls evaluated/);
  assert.match(text, /\| CC6\.6 \| Boundary protection \| ❌ fail \| 3 \| `netpol-namespace-default-deny` \|/);
  assert.match(text, /\| CC1\.1 \| Integrity and ethical values \| 👤 manual \| 0 \| left to a person/);
});

test('markdown: a clean scan says so', () => {
  assert.match([...streamMarkdown(EMPTY_CONTEXT)].join(''), /## Findings\n\nNo findings\.\n$/);
});
