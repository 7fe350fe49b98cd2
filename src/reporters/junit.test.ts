import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/findings.ts';
import type { ReportContext } from '../core/report.ts';
import { escapeAttribute, escapeText, reportJunit } from './junit.ts';
import { assertGolden } from './testdata/golden.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT, FIXTURE_RULES } from './testdata/report-fixture.ts';
import { parseXml, type XmlElement } from './testdata/xml-check.ts';

const COUNTED = ['failure', 'error', 'skipped'] as const;

/** Checks the tests/failures/errors/skipped attributes of every suite and of the root against the cases. */
function assertCounts(root: XmlElement): void {
  assert.equal(root.name, 'testsuites');
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of root.children) {
    assert.equal(suite.name, 'testsuite');
    const cases = suite.children;
    assert.ok(cases.every((c) => c.name === 'testcase'));
    const counts = {
      tests: cases.length,
      failures: cases.filter((c) => c.children.some((x) => x.name === 'failure')).length,
      errors: cases.filter((c) => c.children.some((x) => x.name === 'error')).length,
      skipped: cases.filter((c) => c.children.some((x) => x.name === 'skipped')).length,
    };
    for (const c of cases) assert.ok(c.children.length <= 1 && c.children.every((x) => COUNTED.includes(x.name as never)));
    for (const [key, value] of Object.entries(counts)) {
      assert.equal(suite.attributes[key], String(value), `${suite.attributes['name']}: ${key}`);
      total[key as keyof typeof total] += value;
    }
  }
  for (const [key, value] of Object.entries(total)) assert.equal(root.attributes[key], String(value), `root ${key}`);
}

test('junit: matches the golden file', () => {
  assertGolden('report.junit.xml', reportJunit(FIXTURE_CONTEXT));
});

test('junit: is well-formed and its counts add up', () => {
  for (const context of [FIXTURE_CONTEXT, EMPTY_CONTEXT]) {
    const xml = reportJunit(context);
    assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'));
    assertCounts(parseXml(xml));
  }
});

test('junit: a suite per rule sorted by id, then input errors, warnings and suppression problems', () => {
  const root = parseXml(reportJunit(FIXTURE_CONTEXT));
  assert.deepEqual(
    root.children.map((s) => s.attributes['name']),
    [...FIXTURE_RULES.map((r) => r.id).sort(), 'palisade.input', 'palisade.warnings', 'palisade.suppressions'],
  );
  // 20 cases of findings, rules and problems, plus one skipped case for the warning.
  assert.deepEqual(root.attributes, { name: 'palisade', tests: '21', failures: '12', errors: '4', skipped: '4' });
  const suite = (name: string) => root.children.find((s) => s.attributes['name'] === name)!;

  const [, privileged] = suite('privileged-container').children;
  assert.equal(privileged!.attributes['classname'], 'Deployment/prod/web');
  assert.equal(privileged!.attributes['name'], 'privileged-container deploy/web.yaml:21');
  const failure = privileged!.children[0]!;
  assert.deepEqual(failure.attributes, { message: 'Container "web" runs privileged', type: 'critical' });
  assert.match(failure.text, /^Container "web" runs privileged\n/);
  assert.match(failure.text, /\nLocation: deploy\/web\.yaml:21:25\n/);
  assert.match(failure.text, /\nRemediation: Remove securityContext\.privileged or set it to false\.$/);

  // A rule without findings shows up as one passing case named after it.
  assert.deepEqual(suite('host-network').children, [
    { name: 'testcase', attributes: { classname: 'palisade', name: 'host-network' }, children: [], text: '' },
  ]);
  const binding = suite('cluster-admin-binding').children;
  assert.deepEqual(binding.map((c) => c.attributes['classname']), [
    'ClusterRoleBinding/legacy-admin',
    'ClusterRoleBinding/ci-admin',
    'ClusterRoleBinding/break-glass',
  ]);
  assert.deepEqual(binding[2]!.children[0]!.attributes, {
    message: 'suppressed: Break-glass account, reviewed every quarter',
  });
  const ruleFailure = suite('secret-in-env').children[0]!.children[0]!;
  assert.equal(ruleFailure.name, 'error');
  assert.match(ruleFailure.text, /\nFile: deploy\/web\.yaml\n/);
  const inputErrors = suite('palisade.input').children;
  assert.deepEqual(inputErrors.map((c) => c.attributes['name']), [
    'yaml-syntax deploy/broken.yaml:7',
    'not-found deploy/missing.yaml',
  ]);
  assert.ok(inputErrors.every((c) => c.children[0]!.name === 'error'));
  const [helm] = suite('run-as-non-root').children;
  assert.match(helm!.children[0]!.text, /\nTemplate: db\/templates\/statefulset\.yaml\n/);

  // A warning is skipped, not failed: what could not be read was not checked, and it does not fail the scan.
  const warnings = suite('palisade.warnings');
  assert.deepEqual(warnings.attributes, { name: 'palisade.warnings', tests: '1', failures: '0', errors: '0', skipped: '1' });
  const message = FIXTURE_REPORT.warnings![0]!.message;
  assert.equal(warnings.children.length, 1);
  const [warning] = warnings.children;
  assert.deepEqual(warning!.attributes, { classname: 'palisade.warnings', name: `cluster-forbidden cluster:prod-eu: ${message}` });
  assert.deepEqual(warning!.children, [{ name: 'skipped', attributes: { message }, children: [], text: '' }]);
});

test('junit: warnings alone fail nothing; several of one code keep distinct names', () => {
  const context: ReportContext = {
    ...EMPTY_CONTEXT,
    report: {
      ...EMPTY_CONTEXT.report,
      warnings: [
        { code: 'cluster-forbidden', file: 'cluster:prod-eu', message: 'cannot list secrets (v1 Secret): forbidden' },
        { code: 'cluster-forbidden', file: 'cluster:prod-eu', message: 'cannot list configmaps (v1 ConfigMap): forbidden' },
      ],
    },
  };
  const root = parseXml(reportJunit(context));
  assertCounts(root);
  assert.deepEqual(root.attributes, { name: 'palisade', tests: '4', failures: '0', errors: '0', skipped: '2' });
  const names = root.children.at(-1)!.children.map((c) => c.attributes['name']);
  assert.deepEqual(names, [
    'cluster-forbidden cluster:prod-eu: cannot list secrets (v1 Secret): forbidden',
    'cluster-forbidden cluster:prod-eu: cannot list configmaps (v1 ConfigMap): forbidden',
  ]);
});

test('junit: findings on live objects are named by cluster context, object and field', () => {
  const root = parseXml(reportJunit(FIXTURE_CONTEXT));
  const suite = (name: string) => root.children.find((s) => s.attributes['name'] === name)!;

  const [live] = suite('privileged-container').children;
  assert.equal(live!.attributes['classname'], 'Deployment/payments/api');
  assert.equal(
    live!.attributes['name'],
    'privileged-container cluster:prod-eu Deployment payments/api spec.template.spec.containers[0].securityContext.privileged',
  );
  const failure = live!.children[0]!;
  assert.deepEqual(failure.attributes, { message: 'Container "api" runs privileged', type: 'critical' });
  assert.equal(
    failure.text,
    [
      'Container "api" runs privileged',
      '',
      'Location: Deployment payments/api in cluster prod-eu (https://10.0.0.1:6443)',
      'Field: spec.template.spec.containers[0].securityContext.privileged',
      'Object: Deployment payments/api (apps/v1, uid 5f0c7d3a-9b1e-4c2d-8e6f-1a2b3c4d5e6f)',
      'Rule: privileged-container (Privileged containers)',
      'Severity: critical',
      'Remediation: Remove securityContext.privileged or set it to false.',
    ].join('\n'),
  );

  // Cluster-scoped and without a uid.
  const [binding] = suite('cluster-admin-binding').children;
  assert.equal(binding!.attributes['name'], 'cluster-admin-binding cluster:prod-eu ClusterRoleBinding legacy-admin roleRef.name');
  assert.match(binding!.children[0]!.text, /\nLocation: ClusterRoleBinding legacy-admin in cluster prod-eu \(https:\/\/10\.0\.0\.1:6443\)\n/);
  assert.match(binding!.children[0]!.text, /\nObject: ClusterRoleBinding legacy-admin \(rbac\.authorization\.k8s\.io\/v1\)\n/);
  assert.doesNotMatch(binding!.children[0]!.text, /Template:/);

  const [suppressed] = suite('run-as-non-root').children.filter((c) => c.children[0]!.name === 'skipped');
  assert.equal(suppressed!.attributes['name'], 'run-as-non-root cluster:prod-eu Deployment payments/api spec.template.spec.containers[0]');

  const liveFailure = suite('secret-in-env').children[1]!;
  assert.equal(liveFailure.attributes['name'], 'secret-in-env rule failure cluster:prod-eu Deployment payments/api');
  assert.match(liveFailure.children[0]!.text, /\nCluster: prod-eu\n/);
  assert.doesNotMatch(liveFailure.children[0]!.text, /File:/);

  const problem = suite('palisade.suppressions').children[2]!;
  assert.equal(problem.attributes['name'], 'unused annotation suppression cluster:prod-eu ClusterRoleBinding legacy-admin');
  assert.equal(problem.children[0]!.text, 'cluster:prod-eu ClusterRoleBinding legacy-admin: Suppression of host-network matched no finding');
});

test('junit: escapes markup and drops characters XML 1.0 forbids', () => {
  const nasty = 'a <b> & "c" \'d\'\u0000\u0007\u000b\ud800\ufffe end\r\n]]> \t\u{1f600}';
  const finding: Finding = { ...FIXTURE_REPORT.findings[0]!, message: nasty, remediation: nasty };
  const context: ReportContext = { ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: [finding] } };
  const xml = reportJunit(context);
  const root = parseXml(xml);
  assertCounts(root);
  const expected = 'a <b> & "c" \'d\' end\r\n]]> \t\u{1f600}';
  const failure = root.children.find((s) => s.attributes['name'] === 'run-as-non-root')!.children[0]!.children[0]!;
  assert.equal(failure.attributes['message'], expected);
  assert.ok(failure.text.startsWith(`${expected}\n`));
  assert.equal(escapeText('x\u0001y<&>'), 'xy&lt;&amp;&gt;');
  assert.equal(escapeAttribute('"\'\n\t'), '&quot;&apos;&#10;&#9;');
});

test('junit: a clean scan lists every rule as passing', () => {
  const root = parseXml(reportJunit(EMPTY_CONTEXT));
  assert.deepEqual(root.attributes, { name: 'palisade', tests: '2', failures: '0', errors: '0', skipped: '0' });
  assert.deepEqual(root.children.map((s) => s.attributes['name']), ['host-network', 'privileged-container']);
});

test('junit: the checker catches broken XML', () => {
  assert.throws(() => parseXml('<a><b></a></b>'));
  assert.throws(() => parseXml('<a x="1 & 2"/>'));
  assert.throws(() => parseXml('<a x="1" x="2"/>'));
  assert.throws(() => parseXml('<a>\u0001</a>'));
  assert.throws(() => parseXml('<a/><b/>'));
  assert.throws(() => parseXml('<a>'));
});
