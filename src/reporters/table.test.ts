import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/findings.ts';
import { reportTable } from './table.ts';
import { assertGolden } from './testdata/golden.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT } from './testdata/report-fixture.ts';

test('table: matches the golden file', () => {
  assertGolden('table.txt', reportTable(FIXTURE_CONTEXT));
});

test('table: with colour, severities are painted with ANSI escapes', () => {
  const out = reportTable({ ...FIXTURE_CONTEXT, color: true });
  assertGolden('table-color.txt', out);
  assert.match(out, /\u001b\[1;31mcritical\u001b\[0m/);
  assert.equal(out.replace(/\u001b\[[0-9;]*m/g, ''), reportTable(FIXTURE_CONTEXT));
});

test('table: a clean scan says so', () => {
  const out = reportTable(EMPTY_CONTEXT);
  assertGolden('table-empty.txt', out);
  assert.match(out, /^No findings\.\n/);
});

test('table: no escapes without colour, no trailing whitespace, no line over 100 columns', () => {
  const out = reportTable(FIXTURE_CONTEXT);
  assert.doesNotMatch(out, /\u001b/);
  for (const line of out.split('\n')) {
    assert.equal(line, line.trimEnd(), `trailing whitespace: ${JSON.stringify(line)}`);
    assert.ok(line.length <= 100, `over 100 columns: ${line}`);
  }
  assert.ok(out.endsWith('\n') && !out.endsWith('\n\n'));
});

test('table: groups findings by object in order of first appearance, with file:line:col and the template', () => {
  const out = reportTable(FIXTURE_CONTEXT);
  const findingsPart = out.slice(0, out.indexOf('\nInput errors'));
  const headers = findingsPart.split('\n').filter((line) => /^\S/.test(line));
  assert.deepEqual(headers, [
    'StatefulSet data/db  charts/rendered.yaml',
    'ClusterRoleBinding ci-admin  deploy/rbac.yaml',
    'Deployment prod/web  deploy/web.yaml',
    'Service prod/web  deploy/web.yaml',
  ]);
  assert.match(out, /^ {2}critical {2}deploy\/web\.yaml:21:25 {2}privileged-container$/m);
  assert.match(out, /\(template db\/templates\/statefulset\.yaml\)/);
  assert.match(out, /^7 findings \(1 critical, 1 high, 1 medium, 3 low, 1 info\), 2 at or above the fail-on severity \(high\)\.$/m);
  assert.match(out, /^2 suppressed, 1 in the baseline, 7 objects scanned, 2 skipped\.$/m);
  assert.match(out, /^Problems: 2 input errors, 1 rule failure, 2 suppression problems\.$/m);
  assert.match(out, /^ {2}deploy\/broken\.yaml:7:3: bad indentation of a mapping entry \(yaml-syntax\)$/m);
  assert.match(out, /\(expired\)$/m);
  assert.match(out, /\(unused\)$/m);
});

test('table: text from the scanned files cannot drive the terminal', () => {
  const evil: Finding = {
    ...FIXTURE_REPORT.findings[0]!,
    message: 'red \u001b[31malert\u001b[0m and \u202eeverse\r\nnext',
    resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'x\u0007', name: 'y' },
  };
  const out = reportTable({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: [evil] } });
  assert.doesNotMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  assert.match(out, /red \\u001b\[31malert\\u001b\[0m and \\u202eeverse\\u000d\\u000anext/);
  assert.match(out, /Pod x\\u0007\/y/);
});

test('table: long messages wrap under the message column', () => {
  const long: Finding = { ...FIXTURE_REPORT.findings[0]!, message: `${'word '.repeat(40)}end` };
  const out = reportTable({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: [long] } });
  const lines = out.split('\n').filter((line) => line.includes('word'));
  assert.ok(lines.length >= 2);
  for (const line of lines) {
    assert.ok(line.startsWith(' '.repeat(12)) && line.length <= 100, line);
  }
});

test('table: fail-on none is shown as such', () => {
  const report = { ...FIXTURE_REPORT, settings: { ...FIXTURE_REPORT.settings, failOn: 'none' as const } };
  assert.match(reportTable({ ...FIXTURE_CONTEXT, report }), /none fail the scan \(fail-on none\)/);
});
