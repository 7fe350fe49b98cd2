import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareFindings, type Finding } from '../core/findings.ts';
import { isClusterLocation, type ClusterLocation } from '../core/model.ts';
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
    'Cluster context prod-eu  https://10.0.0.1:6443',
    'ClusterRoleBinding ci-admin  deploy/rbac.yaml',
    'Deployment prod/web  deploy/web.yaml',
    'Service prod/web  deploy/web.yaml',
  ]);
  assert.match(out, /^ {2}critical {2}deploy\/web\.yaml:21:25 {2}privileged-container$/m);
  assert.match(out, /\(template db\/templates\/statefulset\.yaml\)/);
  assert.match(out, /^9 findings \(2 critical, 2 high, 1 medium, 3 low, 1 info\), 4 at or above the fail-on severity \(high\)\.$/m);
  assert.match(out, /^3 suppressed, 1 in the baseline, 9 objects scanned, 2 skipped\.$/m);
  assert.match(out, /^Problems: 2 input errors, 2 rule failures, 3 suppression problems, 1 warning\.$/m);
  assert.match(out, /^ {2}deploy\/broken\.yaml:7:3: bad indentation of a mapping entry \(yaml-syntax\)$/m);
  assert.match(out, /\(expired\)$/m);
  assert.match(out, /\(unused\)$/m);
});

test('table: findings on live objects sit under one header per cluster, each naming its object and field', () => {
  const out = reportTable(FIXTURE_CONTEXT);
  const start = out.indexOf('Cluster context prod-eu  https://10.0.0.1:6443\n');
  assert.ok(start > 0);
  const block = out.slice(start, out.indexOf('\n\n', start));
  assert.equal(
    block,
    [
      'Cluster context prod-eu  https://10.0.0.1:6443',
      '  high      ClusterRoleBinding legacy-admin  cluster-admin-binding',
      '            Binds "cluster-admin" to Group system:authenticated',
      '            at roleRef.name',
      '  critical  Deployment payments/api  privileged-container',
      '            Container "api" runs privileged',
      '            at spec.template.spec.containers[0].securityContext.privileged',
    ].join('\n'),
  );
  assert.match(out, /^ {2}secret-in-env failed on Deployment payments\/api \(cluster:prod-eu\): env\[3\]\.value is not a string$/m);
  assert.match(out, /^ {2}cluster:prod-eu ClusterRoleBinding legacy-admin: Suppression of host-network matched no finding$/m);
});

test('table: warnings have their own section, between input errors and rule failures, and are counted', () => {
  const out = reportTable(FIXTURE_CONTEXT);
  const headings = out.split('\n').filter((line) => /^[A-Z][a-z ]+ \(\d+\):$/.test(line));
  assert.deepEqual(headings, ['Input errors (2):', 'Warnings (1):', 'Rule failures (2):', 'Suppression problems (3):']);
  const start = out.indexOf('Warnings (1):\n');
  assert.equal(
    out.slice(start, out.indexOf('\n\n', start)),
    [
      'Warnings (1):',
      '  cluster:prod-eu: cannot list secrets (v1 Secret) in all namespaces: secrets is forbidden: User',
      '    "viewer" cannot list resource "secrets" in API group "" at the cluster scope (cluster-forbidden)',
    ].join('\n'),
  );
  // Warnings alone: listed and counted as problems, but they fail nothing.
  const report = { ...EMPTY_CONTEXT.report, warnings: FIXTURE_REPORT.warnings! };
  const alone = reportTable({ ...EMPTY_CONTEXT, report });
  assert.match(alone, /^No findings\.\n\nWarnings \(1\):\n/);
  assert.match(alone, /^0 findings, 0 at or above the fail-on severity \(high\)\.$/m);
  assert.match(alone, /^Problems: 1 warning\.$/m);
});

test('table: the summary of a live scan says what was read of the cluster, within 100 columns', () => {
  const out = reportTable(FIXTURE_CONTEXT);
  const summary = out.slice(out.lastIndexOf('\n\n') + 2).split('\n');
  assert.deepEqual(summary, [
    '9 findings (2 critical, 2 high, 1 medium, 3 low, 1 info), 4 at or above the fail-on severity (high).',
    '3 suppressed, 1 in the baseline, 9 objects scanned, 2 skipped.',
    'Cluster prod-eu (https://10.0.0.1:6443), Kubernetes v1.33.4.',
    'Read all namespaces: 57 resource lists, 1 refused (403).',
    'Problems: 2 input errors, 2 rule failures, 3 suppression problems, 1 warning.',
    '',
  ]);
  // Short enough: one line. One namespace, nothing refused.
  const one = { context: 'kind', server: 'https://127.0.0.1:6443', serverVersion: 'v1.33.4', namespaces: ['prod'], resources: 40, forbidden: 0, failed: 0 };
  const report = (cluster: typeof one) => reportTable({ ...EMPTY_CONTEXT, report: { ...EMPTY_CONTEXT.report, cluster } });
  assert.match(report(one), /^Cluster kind \(https:\/\/127\.0\.0\.1:6443\), Kubernetes v1\.33\.4\.\nRead namespace prod: 40 resource lists\.$/m);
  // Several namespaces, failures, an unknown version; a long list wraps, every line within 100 columns.
  const many = {
    ...one,
    serverVersion: '',
    namespaces: Array.from({ length: 12 }, (_, i) => `team-${i}-apps`),
    forbidden: 2,
    failed: 1,
  };
  const lines = report(many).split('\n');
  const at = lines.findIndex((line) => line.startsWith('Cluster kind '));
  assert.ok(at > 0);
  assert.equal(lines[at], 'Cluster kind (https://127.0.0.1:6443), Kubernetes unknown.');
  assert.match(lines[at + 1]!, /^Read namespaces team-0-apps, team-1-apps,/);
  const rest = lines.slice(at + 2, lines.indexOf('', at));
  assert.ok(rest.length >= 1 && rest.every((line) => line.startsWith('  ')));
  assert.equal(
    [lines[at + 1]!, ...rest].map((line) => line.trim()).join(' '),
    `Read namespaces ${many.namespaces.join(', ')}: 40 resource lists, 2 refused (403), 1 failed.`,
  );
  for (const line of lines) assert.ok(line.length <= 100, `over 100 columns: ${line}`);
});

test('table: a live scan without findings still names the cluster it read', () => {
  const cluster = FIXTURE_REPORT.cluster!;
  const out = reportTable({ ...EMPTY_CONTEXT, report: { ...EMPTY_CONTEXT.report, cluster } });
  assert.equal(
    out,
    [
      'No findings.',
      '',
      '0 findings, 0 at or above the fail-on severity (high).',
      '0 suppressed, 3 objects scanned, 0 skipped.',
      'Cluster prod-eu (https://10.0.0.1:6443), Kubernetes v1.33.4.',
      'Read all namespaces: 57 resource lists, 1 refused (403).',
      '',
    ].join('\n'),
  );
  // A file scan has no such line.
  assert.doesNotMatch(reportTable(EMPTY_CONTEXT), /^Cluster /m);
});

test('table: a second cluster gets its own header; a cluster header is not repeated per object', () => {
  const live = FIXTURE_REPORT.findings.filter((f) => isClusterLocation(f.location));
  assert.equal(live.length, 2);
  const staging: Finding = {
    ...live[1]!,
    location: { ...(live[1]!.location as ClusterLocation), cluster: { context: 'staging', server: 'https://staging.example:443' } },
  };
  const findings = [...live, staging].sort(compareFindings);
  const out = reportTable({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings } });
  const headers = out.slice(0, out.indexOf('\nInput errors')).split('\n').filter((line) => /^\S/.test(line));
  assert.deepEqual(headers, ['Cluster context prod-eu  https://10.0.0.1:6443', 'Cluster context staging  https://staging.example:443']);
  assert.equal(out.match(/Deployment payments\/api {2}privileged-container/g)?.length, 2);
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
  const live = FIXTURE_REPORT.findings.find((f) => isClusterLocation(f.location))!;
  const location = live.location as ClusterLocation;
  const evilLive: Finding = {
    ...live,
    location: {
      ...location,
      cluster: { context: 'ctx\u001b[2J', server: 'https://x\u202e' },
      object: { ...location.object, name: 'n\u0007' },
    },
  };
  const liveOut = reportTable({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: [evilLive] } });
  assert.doesNotMatch(liveOut, /[\u0000-\u0008\u000b-\u001f\u007f\u202e]/);
  assert.match(liveOut, /^Cluster context ctx\\u001b\[2J {2}https:\/\/x\\u202e$/m);
  assert.match(liveOut, /ClusterRoleBinding n\\u0007 {2}cluster-admin-binding/);
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
