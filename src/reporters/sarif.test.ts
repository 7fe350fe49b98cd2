import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/findings.ts';
import { isClusterLocation } from '../core/model.ts';
import type { ReportContext } from '../core/report.ts';
import { artifactLocation, pascalCase, reportSarif, SARIF_SCHEMA_URI } from './sarif.ts';
import { assertGolden } from './testdata/golden.ts';
import { validateSarif } from './testdata/validate-sarif.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT, FIXTURE_RULES } from './testdata/report-fixture.ts';

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: Record<string, any>[] } };
    invocations: Record<string, any>[];
    originalUriBaseIds?: Record<string, unknown>;
    results: Record<string, any>[];
  }[];
}

const parse = (context: ReportContext): SarifLog => JSON.parse(reportSarif(context)) as SarifLog;

test('sarif: matches the golden file', () => {
  assertGolden('report.sarif', reportSarif(FIXTURE_CONTEXT));
});

test('sarif: validates against the official SARIF 2.1.0 schema', () => {
  validateSarif(reportSarif(FIXTURE_CONTEXT));
  validateSarif(reportSarif(EMPTY_CONTEXT));
});

test('sarif: one run; driver rules sorted by id with the documented metadata', () => {
  const log = parse(FIXTURE_CONTEXT);
  assert.equal(log.$schema, SARIF_SCHEMA_URI);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
  const { driver } = log.runs[0]!.tool;
  assert.equal(driver.name, 'palisade');
  assert.equal(driver.version, '0.1.0');
  const ids = driver.rules.map((r) => r['id'] as string);
  assert.deepEqual(ids, FIXTURE_RULES.map((r) => r.id).sort());
  const privileged = driver.rules.find((r) => r['id'] === 'privileged-container')!;
  assert.equal(privileged['name'], 'PrivilegedContainer');
  assert.equal(privileged['shortDescription'].text, 'Privileged containers');
  assert.equal(privileged['helpUri'], 'https://github.com/palisade-sec/palisade/blob/main/docs/rules/privileged-container.md');
  assert.equal(privileged['defaultConfiguration'].level, 'error');
  assert.deepEqual(privileged['properties'], {
    tags: ['pod-security', 'security', 'cis-k8s/5.2.2', 'mitre-attack/T1611', 'pss-baseline/privileged'],
    'security-severity': '9.5',
    precision: 'very-high',
    'problem.severity': 'error',
  });
  const severities = Object.fromEntries(driver.rules.map((r) => [r['id'], r['properties']['security-severity']]));
  assert.equal(severities['cluster-admin-binding'], '8.0');
  assert.equal(severities['run-as-non-root'], '5.5');
  assert.equal(severities['resource-limits'], '3.0');
  assert.equal(severities['image-pull-policy'], '0.0');
});

test('sarif: results point at their rule, file, object and fingerprint', () => {
  const run = parse(FIXTURE_CONTEXT).runs[0]!;
  const { rules } = run.tool.driver;
  assert.equal(run.results.length, FIXTURE_REPORT.findings.length + FIXTURE_REPORT.suppressed.length);
  for (const result of run.results) assert.equal(rules[result['ruleIndex']]!['id'], result['ruleId']);
  const privileged = run.results.find((r) => r['message'].text === 'Container "web" runs privileged')!;
  assert.equal(privileged['level'], 'error');
  assert.deepEqual(privileged['locations'][0], {
    physicalLocation: {
      artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 21, startColumn: 25 },
    },
    logicalLocations: [{ fullyQualifiedName: 'prod/Deployment/web', kind: 'object', name: 'web' }],
  });
  assert.deepEqual(privileged['partialFingerprints'], { 'palisade/v1': '4d5e6f708192a3b4c5d6e7f809122334' });
  assert.equal(privileged['properties'].path, 'spec.template.spec.containers[0].securityContext.privileged');
  const levels = Object.fromEntries(run.results.map((r) => [r['message'].text, r['level']]));
  assert.equal(levels['Service exposes NodePort 30080 on 100% of nodes'], 'note');
  assert.equal(levels['imagePullPolicy is IfNotPresent'], 'note');
  assert.equal(levels['Container "postgres" may run as root: runAsNonRoot is not set'], 'warning');
  const helm = run.results.find((r) => r['properties'].template !== undefined)!;
  assert.equal(helm['properties'].template, 'db/templates/statefulset.yaml');
  const binding = run.results.find((r) => r['message'].text.includes('ServiceAccount ci/deployer'))!;
  assert.equal(binding['locations'][0].logicalLocations[0].fullyQualifiedName, 'ClusterRoleBinding/ci-admin');
});

test('sarif: findings on live objects have a logical location only, qualified by the cluster context', () => {
  const log = parse(FIXTURE_CONTEXT);
  const run = log.runs[0]!;
  const live = run.results.filter((r) => r['locations'][0].physicalLocation === undefined);
  assert.deepEqual(
    live.map((r) => r['message'].text),
    [
      'Binds "cluster-admin" to Group system:authenticated',
      'Container "api" may run as root: runAsNonRoot is not set',
      'Container "api" runs privileged',
    ],
  );
  const privileged = live[2]!;
  assert.deepEqual(privileged['locations'], [
    {
      logicalLocations: [{ fullyQualifiedName: 'prod-eu/payments/Deployment/api', kind: 'resource', name: 'api' }],
      properties: {
        cluster: { context: 'prod-eu', server: 'https://10.0.0.1:6443' },
        apiVersion: 'apps/v1',
        uid: '5f0c7d3a-9b1e-4c2d-8e6f-1a2b3c4d5e6f',
        path: 'spec.template.spec.containers[0].securityContext.privileged',
      },
    },
  ]);
  assert.deepEqual(privileged['properties'], {
    severity: 'critical',
    path: 'spec.template.spec.containers[0].securityContext.privileged',
    resource: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'api' },
    controls: ['cis-k8s/5.2.2', 'mitre-attack/T1611', 'pss-baseline/privileged'],
  });
  assert.deepEqual(privileged['partialFingerprints'], { 'palisade/v1': 'a1b2c3d4e5f60718293a4b5c6d7e8f90' });
  assert.equal(run.tool.driver.rules[privileged['ruleIndex']]!['id'], 'privileged-container');
  // Cluster-scoped, and no uid: none in the properties.
  assert.deepEqual(live[0]!['locations'], [
    {
      logicalLocations: [{ fullyQualifiedName: 'prod-eu/ClusterRoleBinding/legacy-admin', kind: 'resource', name: 'legacy-admin' }],
      properties: {
        cluster: { context: 'prod-eu', server: 'https://10.0.0.1:6443' },
        apiVersion: 'rbac.authorization.k8s.io/v1',
        path: 'roleRef.name',
      },
    },
  ]);
  assert.deepEqual(live[1]!['suppressions'], [
    { kind: 'inSource', status: 'accepted', justification: 'Vendor image runs as root; tracked in SEC-456' },
  ]);
  // No artifact anywhere in the log names the cluster.
  assert.doesNotMatch(JSON.stringify(log), /cluster%3A|"uri":"cluster/);
});

test('sarif: a log of live findings alone is valid and declares no %SRCROOT%', () => {
  const live = (list: readonly Finding[]) => list.filter((f) => isClusterLocation(f.location));
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: {
      ...FIXTURE_REPORT,
      findings: live(FIXTURE_REPORT.findings),
      suppressed: FIXTURE_REPORT.suppressed.filter((f) => isClusterLocation(f.location)),
      errors: [{ code: 'cluster-list-failed', file: 'cluster:prod-eu', message: 'cannot list pods: HTTP 500' }],
      warnings: [{ code: 'cluster-forbidden', file: 'cluster:prod-eu', message: 'cannot list secrets: forbidden' }],
      ruleFailures: FIXTURE_REPORT.ruleFailures.filter((f) => f.file === 'cluster:prod-eu'),
      suppressionProblems: FIXTURE_REPORT.suppressionProblems.filter((p) => p.file === 'cluster:prod-eu'),
    },
  };
  assert.equal(context.report.findings.length, 2);
  assert.equal(context.report.ruleFailures.length, 1);
  assert.equal(context.report.suppressionProblems.length, 1);
  const text = reportSarif(context);
  validateSarif(text);
  const run = (JSON.parse(text) as SarifLog).runs[0]!;
  assert.equal(run.originalUriBaseIds, undefined);
  assert.doesNotMatch(text, /physicalLocation|artifactLocation/);
  const [error, warning, failure] = run.invocations[0]!['toolExecutionNotifications'] as Record<string, any>[];
  assert.equal(error!['locations'], undefined, 'a problem with the cluster itself has no location');
  assert.deepEqual(warning, {
    level: 'warning',
    message: { text: 'cannot list secrets: forbidden' },
    descriptor: { id: 'cluster-forbidden' },
  });
  assert.deepEqual(failure!['locations'], [
    { logicalLocations: [{ fullyQualifiedName: 'prod-eu/payments/Deployment/api', kind: 'resource', name: 'api' }] },
  ]);
  const [problem] = run.invocations[0]!['toolConfigurationNotifications'] as Record<string, any>[];
  assert.deepEqual(problem!['locations'], [
    { logicalLocations: [{ fullyQualifiedName: 'prod-eu/ClusterRoleBinding/legacy-admin', kind: 'resource', name: 'legacy-admin' }] },
  ]);
});

test('sarif: suppressed findings carry inSource or external suppressions', () => {
  const run = parse(FIXTURE_CONTEXT).runs[0]!;
  const suppressed = run.results.filter((r) => r['suppressions']);
  assert.deepEqual(
    suppressed.map((r) => r['suppressions']),
    [
      [{ kind: 'inSource', status: 'accepted', justification: 'Vendor image runs as root; tracked in SEC-456' }],
      [
        {
          kind: 'external',
          status: 'accepted',
          justification: 'Break-glass account, reviewed every quarter',
          properties: { expires: '2099-12-31' },
        },
      ],
      [{ kind: 'inSource', status: 'accepted', justification: 'Legacy image needs root; tracked in SEC-123' }],
    ],
  );
});

test('sarif: input errors, warnings and rule failures are execution notifications; the run did not succeed', () => {
  const [invocation] = parse(FIXTURE_CONTEXT).runs[0]!.invocations;
  assert.equal(invocation!['executionSuccessful'], false);
  const notifications = invocation!['toolExecutionNotifications'] as Record<string, any>[];
  assert.deepEqual(notifications[0], {
    level: 'error',
    message: { text: 'bad indentation of a mapping entry' },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: 'deploy/broken.yaml', uriBaseId: '%SRCROOT%' },
          region: { startLine: 7, startColumn: 3 },
        },
      },
    ],
    descriptor: { id: 'yaml-syntax' },
  });
  assert.equal(notifications[1]!['locations'][0].physicalLocation.region, undefined);
  // The warning, after the input errors: level warning, and no location, since it is about the cluster itself.
  assert.deepEqual(notifications[2], {
    level: 'warning',
    message: { text: FIXTURE_REPORT.warnings![0]!.message },
    descriptor: { id: 'cluster-forbidden' },
  });
  assert.equal(notifications[3]!['associatedRule'].id, 'secret-in-env');
  assert.deepEqual(notifications[3]!['locations'], [
    {
      physicalLocation: { artifactLocation: { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' } },
      logicalLocations: [{ fullyQualifiedName: 'prod/Deployment/web', kind: 'object', name: 'web' }],
    },
  ]);
  // The same rule failing on a live object: no artifact for the cluster label, the object qualified by its context.
  assert.deepEqual(notifications[4]!['locations'], [
    { logicalLocations: [{ fullyQualifiedName: 'prod-eu/payments/Deployment/api', kind: 'resource', name: 'api' }] },
  ]);
  assert.deepEqual(
    notifications.map((n) => [n['level'], n['descriptor'].id]),
    [
      ['error', 'yaml-syntax'],
      ['error', 'not-found'],
      ['warning', 'cluster-forbidden'],
      ['error', 'rule-failure'],
      ['error', 'rule-failure'],
    ],
  );
  const configuration = invocation!['toolConfigurationNotifications'] as Record<string, any>[];
  assert.deepEqual(
    configuration.map((n) => [n['descriptor'].id, n['level']]),
    [
      ['suppression-expired', 'warning'],
      ['suppression-unused', 'warning'],
      ['suppression-unused', 'warning'],
    ],
  );
  assert.equal(configuration[1]!['locations'][0].physicalLocation.region.startLine, 6);
  assert.deepEqual(configuration[2]!['locations'], [
    { logicalLocations: [{ fullyQualifiedName: 'prod-eu/ClusterRoleBinding/legacy-admin', kind: 'resource', name: 'legacy-admin' }] },
  ]);
  assert.deepEqual(parse(EMPTY_CONTEXT).runs[0]!.invocations, [{ executionSuccessful: true }]);
});

test('sarif: warnings alone are notifications of a successful run', () => {
  const warnings = [
    { code: 'cluster-forbidden', file: 'cluster:prod-eu', message: 'cannot list secrets (v1 Secret): forbidden' },
    { code: 'cluster-api-warning', file: 'deploy/old.yaml', line: 4, message: 'policy/v1beta1 is deprecated' },
  ] as const;
  const context: ReportContext = { ...EMPTY_CONTEXT, report: { ...EMPTY_CONTEXT.report, warnings } };
  const text = reportSarif(context);
  validateSarif(text);
  const run = (JSON.parse(text) as SarifLog).runs[0]!;
  assert.deepEqual(run.invocations, [
    {
      executionSuccessful: true,
      toolExecutionNotifications: [
        { level: 'warning', message: { text: warnings[0].message }, descriptor: { id: 'cluster-forbidden' } },
        {
          level: 'warning',
          message: { text: warnings[1].message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'deploy/old.yaml', uriBaseId: '%SRCROOT%' },
                region: { startLine: 4 },
              },
            },
          ],
          descriptor: { id: 'cluster-api-warning' },
        },
      ],
    },
  ]);
  // The relative path of the second warning is resolved against %SRCROOT%, so the run declares it.
  assert.ok(run.originalUriBaseIds?.['%SRCROOT%']);
  assert.deepEqual(run.results, []);
  // With an input error as well, the run did not succeed.
  const failed = { ...context, report: { ...context.report, errors: FIXTURE_REPORT.errors } };
  assert.equal(parse(failed).runs[0]!.invocations[0]!['executionSuccessful'], false);
});

test('sarif: file paths become URIs: relative against %SRCROOT%, absolute as file: URIs, escaped', () => {
  assert.deepEqual(artifactLocation('deploy/web.yaml'), { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('./deploy/web.yaml'), { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('deploy\\web.yaml'), { uri: 'deploy/web.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('../up/a.yaml'), { uri: '../up/a.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('my dir/100%#1?.yaml'), {
    uri: 'my%20dir/100%25%231%3F.yaml',
    uriBaseId: '%SRCROOT%',
  });
  assert.deepEqual(artifactLocation('/srv/k8s/a b.yaml'), { uri: 'file:///srv/k8s/a%20b.yaml' });
  assert.deepEqual(artifactLocation('C:\\Users\\me\\app.yaml'), { uri: 'file:///C:/Users/me/app.yaml' });
  assert.deepEqual(artifactLocation('\\\\server\\share\\app.yaml'), { uri: 'file://server/share/app.yaml' });
  assert.deepEqual(artifactLocation('a:b.yaml'), { uri: 'a%3Ab.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('./a/./b.yaml'), { uri: 'a/b.yaml', uriBaseId: '%SRCROOT%' });
  assert.deepEqual(artifactLocation('bad\ud800.yaml'), { uri: 'bad%EF%BF%BD.yaml', uriBaseId: '%SRCROOT%' });
});

test('sarif: originalUriBaseIds only when some path is relative; absolute-only output is valid too', () => {
  assert.ok(parse(FIXTURE_CONTEXT).runs[0]!.originalUriBaseIds?.['%SRCROOT%']);
  const absolute = (f: Finding): Finding =>
    isClusterLocation(f.location) ? f : { ...f, location: { ...f.location, file: `/abs/${f.location.file}` } };
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: {
      ...FIXTURE_REPORT,
      findings: FIXTURE_REPORT.findings.map(absolute),
      suppressed: [],
      errors: [],
      ruleFailures: [],
      suppressionProblems: [],
    },
  };
  const text = reportSarif(context);
  validateSarif(text);
  const run = (JSON.parse(text) as SarifLog).runs[0]!;
  assert.equal(run.originalUriBaseIds, undefined);
  assert.equal(run.results[0]!['locations'][0].physicalLocation.artifactLocation.uri, 'file:///abs/charts/rendered.yaml');
  assert.equal(run.invocations[0]!['executionSuccessful'], true);
});

test('sarif: a finding of a rule without metadata still gets a rule descriptor', () => {
  const orphan: Finding = { ...FIXTURE_REPORT.findings[0]!, ruleId: 'zz-unknown' };
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: { ...FIXTURE_REPORT, findings: [...FIXTURE_REPORT.findings, orphan] },
  };
  const text = reportSarif(context);
  validateSarif(text);
  const run = (JSON.parse(text) as SarifLog).runs[0]!;
  const result = run.results.find((r) => r['ruleId'] === 'zz-unknown')!;
  assert.equal(run.tool.driver.rules[result['ruleIndex']]!['id'], 'zz-unknown');
});

test('sarif: rule names are the PascalCase of their ids', () => {
  assert.equal(pascalCase('run-as-non-root'), 'RunAsNonRoot');
  assert.equal(pascalCase('cis-5-2-2'), 'Cis522');
  assert.equal(pascalCase('host-pid'), 'HostPid');
});

test('sarif: the schema check itself rejects bad logs (bad level, unescaped URI)', () => {
  const log = parse(FIXTURE_CONTEXT);
  const badLevel = structuredClone(log);
  badLevel.runs[0]!.results[0]!['level'] = 'fatal';
  assert.throws(() => validateSarif(JSON.stringify(badLevel)), /does not match/);
  const badUri = structuredClone(log);
  badUri.runs[0]!.results[0]!['locations'][0].physicalLocation.artifactLocation.uri = 'a b.yaml';
  assert.throws(() => validateSarif(JSON.stringify(badUri)), /does not match/);
});
