import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ScanReport } from '../core/report.ts';
import { CONTROLS_CSV_COLUMNS, csvCell, FINDINGS_CSV_COLUMNS, streamControlsCsv, streamFindingsCsv } from './csv.ts';
import { FIXTURE_CONTEXT } from './testdata/report-fixture.ts';

/** RFC 4180 rows, as a spreadsheet reads them. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the last row ends with CRLF');
  return rows;
}

test('csv: one row per finding and suppressed finding, every row as wide as the header', () => {
  const rows = parseCsv([...streamFindingsCsv(FIXTURE_CONTEXT)].join(''));
  assert.deepEqual(rows[0], [...FINDINGS_CSV_COLUMNS]);
  const { report } = FIXTURE_CONTEXT;
  assert.equal(rows.length - 1, report.findings.length + report.suppressed.length);
  for (const row of rows) assert.equal(row.length, FINDINGS_CSV_COLUMNS.length);
  const column = (name: (typeof FINDINGS_CSV_COLUMNS)[number]) => FINDINGS_CSV_COLUMNS.indexOf(name);
  const suppressed = rows.filter((row) => row[column('status')] === 'suppressed');
  assert.equal(suppressed.length, report.suppressed.length);
  assert.ok(suppressed.every((row) => row[column('suppression')] !== ''));
  const first = report.findings[0]!;
  const row = rows.find((r) => r[column('fingerprint')] === first.fingerprint)!;
  assert.equal(row[column('message')], first.message);
  assert.equal(row[column('ruleId')], first.ruleId);
});

test('csv: cells that would run as spreadsheet formulas are neutralised; quotes and line breaks survive', () => {
  assert.equal(csvCell('=HYPERLINK("http://evil")'), `"'=HYPERLINK(""http://evil"")"`);
  assert.equal(csvCell('+1'), "'+1");
  assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(csvCell(-3), '-3'); // numbers are data
  assert.equal(csvCell('a,b\nc'), '"a,b\nc"');
  assert.equal(csvCell(undefined), '');
  const hostile = structuredClone(FIXTURE_CONTEXT.report) as unknown as { findings: { message: string }[] };
  hostile.findings[0]!.message = '=cmd|" /C calc"!A0';
  const rows = parseCsv([...streamFindingsCsv({ ...FIXTURE_CONTEXT, report: hostile as unknown as ScanReport })].join(''));
  assert.ok(rows.some((row) => row.includes(`'=cmd|" /C calc"!A0`)));
});

test('controls-csv: one row per control of every framework, with status and reason', () => {
  const report: ScanReport = {
    ...FIXTURE_CONTEXT.report,
    compliance: [
      {
        framework: 'nist-800-53',
        name: 'NIST SP 800-53',
        version: '5.1.1',
        scope: 'all',
        score: { value: 0, passedWeight: 0, evaluatedWeight: 7 },
        coverage: { evaluated: 1, applicable: 2, percent: 50, gaps: [{ reason: 'no rule judges it yet', controls: 1 }] },
        counts: { pass: 0, fail: 1, manual: 0, 'not-applicable': 0, 'not-evaluated': 1 },
        controls: [
          { id: 'nist-800-53/AC-6(9)', title: 'Log Use of Privileged Functions', section: 'AC', assessment: 'automated', status: 'fail', severity: 'high', weight: 7, findings: 2, rules: ['a', 'b'] },
          { id: 'nist-800-53/AU-2', title: 'Event Logging', section: 'AU', assessment: 'automated', status: 'not-evaluated', weight: 0, findings: 0, rules: [], reason: 'no rule judges it yet' },
        ],
      },
    ],
  };
  const rows = parseCsv([...streamControlsCsv({ ...FIXTURE_CONTEXT, report })].join(''));
  assert.deepEqual(rows, [
    [...CONTROLS_CSV_COLUMNS],
    ['nist-800-53', '5.1.1', 'AC-6(9)', 'Log Use of Privileged Functions', 'AC', 'automated', 'fail', 'high', '7', '2', 'a b', ''],
    ['nist-800-53', '5.1.1', 'AU-2', 'Event Logging', 'AU', 'automated', 'not-evaluated', '', '0', '0', '', 'no rule judges it yet'],
  ]);
});
