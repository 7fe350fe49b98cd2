import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compareFindings } from '../core/findings.ts';
import { deepFreeze } from '../core/inventory.ts';
import type { ReportContext } from '../core/report.ts';
import { REPORT_FORMATS, REPORTERS, isReportFormat } from './index.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT } from './testdata/report-fixture.ts';

test('reporters: every format has a reporter and nothing else', () => {
  assert.deepEqual(Object.keys(REPORTERS).sort(), [...REPORT_FORMATS].sort());
  assert.ok(isReportFormat('sarif'));
  assert.ok(isReportFormat('html'));
  assert.ok(!isReportFormat('pdf')); // binary: printed from the HTML by the CLI, not a reporter
});

test('reporters: the fixture is in the engine order', () => {
  for (const list of [FIXTURE_REPORT.findings, FIXTURE_REPORT.suppressed]) {
    assert.deepEqual([...list].sort(compareFindings), [...list]);
  }
});

test('reporters: reporting twice gives identical bytes, on a frozen input left unchanged', () => {
  const frozen: ReportContext = deepFreeze(structuredClone(FIXTURE_CONTEXT));
  for (const format of REPORT_FORMATS) {
    for (const context of [frozen, { ...frozen, color: true }, EMPTY_CONTEXT]) {
      const first = REPORTERS[format](context);
      const second = REPORTERS[format](structuredClone(context));
      assert.equal(first, second, `${format} is not deterministic`);
      assert.ok(first === '' || first.endsWith('\n'), `${format} output must end with a newline`);
    }
  }
  assert.deepEqual(frozen, FIXTURE_CONTEXT);
});

test('reporters: the order of context.rules does not change any output', () => {
  const reversed: ReportContext = { ...FIXTURE_CONTEXT, rules: [...FIXTURE_CONTEXT.rules].reverse() };
  for (const format of REPORT_FORMATS) {
    assert.equal(REPORTERS[format](reversed), REPORTERS[format](FIXTURE_CONTEXT), format);
  }
});

test('reporters: sources are pure (no node:* imports, process, clock or randomness)', () => {
  const dir = new URL('./', import.meta.url);
  const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  assert.ok(sources.length >= 6);
  for (const name of sources) {
    const text = readFileSync(new URL(name, dir), 'utf8');
    assert.doesNotMatch(text, /from '(node:|fs|path|os|process)/, `${name} imports from node`);
    assert.doesNotMatch(text, /\b(process\.|Date\.now|new Date\(|Math\.random|performance\.now)/, `${name} is impure`);
  }
});
