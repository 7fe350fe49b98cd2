import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import ajv2020 from 'ajv/dist/2020.js';
import { isClusterLocation, SEVERITIES } from '../core/model.ts';
import { INPUT_ERROR_CODES, REPORT_SCHEMA_VERSION, type ReportContext, type ScanReport } from '../core/report.ts';
import { RULE_CATEGORIES } from '../core/rule-api.ts';
import { canonicalReport, KEY_ORDER, reportJson } from './json.ts';
import { assertGolden } from './testdata/golden.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT } from './testdata/report-fixture.ts';

// ajv is CommonJS: under nodenext the default import is module.exports, whose `default` is the class.
const Ajv2020 = ajv2020.default;

interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly enum?: readonly string[];
  readonly const?: string;
  readonly $defs?: Readonly<Record<string, SchemaNode>>;
  readonly $ref?: string;
  readonly oneOf?: readonly SchemaNode[];
  readonly items?: SchemaNode;
}

const SCHEMA_URL = new URL('../../schema/report.schema.json', import.meta.url);
const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as SchemaNode & Record<string, unknown>;

function validator() {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  return ajv.compile(schema);
}

function assertValid(text: string): void {
  const validate = validator();
  const ok = validate(JSON.parse(text));
  assert.ok(ok, `report does not match schema/report.schema.json:\n${JSON.stringify(validate.errors, null, 2)}`);
}

const def = (name: string): SchemaNode => {
  const node = schema.$defs?.[name];
  assert.ok(node, `schema has no $defs.${name}`);
  return node;
};
const propertyNames = (node: SchemaNode): string[] => Object.keys(node.properties ?? {}).sort();

test('json: matches the golden file', () => {
  assertGolden('report.json', reportJson(FIXTURE_CONTEXT));
});

test('json: is the report itself, two-space indented with a final newline', () => {
  const out = reportJson(FIXTURE_CONTEXT);
  assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(FIXTURE_REPORT)));
  assert.ok(out.endsWith('}\n'));
  assert.match(out, /^\{\n {2}"schemaVersion": "2\.\d+",\n {2}"tool": \{/);
});

test('json: the fixture and a clean scan validate against schema/report.schema.json', () => {
  assertValid(reportJson(FIXTURE_CONTEXT));
  assertValid(reportJson(EMPTY_CONTEXT));
  const noFailOn: ScanReport = { ...FIXTURE_REPORT, settings: { ...FIXTURE_REPORT.settings, failOn: 'none' } };
  assertValid(reportJson({ ...FIXTURE_CONTEXT, report: noFailOn }));
});

test('json: the schema rejects unknown fields and wrong types', () => {
  const validate = validator();
  const report = JSON.parse(reportJson(FIXTURE_CONTEXT)) as { findings: Record<string, unknown>[]; extra?: number };
  assert.equal(validate({ ...report, extra: 1 }), false);
  const findings = report.findings.map((f, i) => (i === 0 ? { ...f, line: 3 } : f));
  assert.equal(validate({ ...report, findings }), false);
  const badSeverity = report.findings.map((f, i) => (i === 0 ? { ...f, severity: 'urgent' } : f));
  assert.equal(validate({ ...report, findings: badSeverity }), false);
});

test('json: a finding is located in a file or in a cluster, never a mix of both', () => {
  assert.equal(def('findingFields').properties?.['location']?.$ref, '#/$defs/location');
  assert.deepEqual(
    def('location').oneOf?.map((node) => node.$ref),
    ['#/$defs/sourceLocation', '#/$defs/clusterLocation'],
  );
  const validate = validator();
  const report = JSON.parse(reportJson(FIXTURE_CONTEXT)) as { findings: { location: Record<string, unknown> }[] };
  const live = report.findings.findIndex((f) => 'cluster' in f.location);
  const file = report.findings.findIndex((f) => 'file' in f.location);
  assert.ok(live >= 0 && file >= 0, 'the fixture has findings of both kinds');
  const withLocation = (index: number, location: Record<string, unknown>) => ({
    ...report,
    findings: report.findings.map((f, i) => (i === index ? { ...f, location } : f)),
  });
  const { cluster, object, path } = report.findings[live]!.location;
  assert.equal(validate(withLocation(live, { cluster, object, path })), true);
  assert.equal(validate(withLocation(live, { cluster, object, path, line: 3 })), false, 'a live object has no line');
  assert.equal(validate(withLocation(live, { cluster, path })), false, 'the object is required');
  assert.equal(validate(withLocation(live, { cluster: { context: 'x' }, object, path })), false, 'the server is required');
  assert.equal(
    validate(withLocation(live, { cluster, object: { ...(object as object), uid: 7 }, path })),
    false,
    'uid is a string',
  );
  assert.equal(validate(withLocation(file, { ...report.findings[file]!.location, cluster })), false);
});

test('json: cluster locations keep their documented key order', () => {
  const out = reportJson(FIXTURE_CONTEXT);
  const live = (JSON.parse(out) as { findings: { location: Record<string, Record<string, unknown>> }[] }).findings.filter(
    (f) => 'cluster' in f.location,
  );
  assert.equal(live.length, 2);
  for (const { location } of live) {
    assert.deepEqual(Object.keys(location), ['cluster', 'object', 'path']);
    assert.deepEqual(Object.keys(location['cluster']!), ['context', 'server']);
  }
  assert.deepEqual(Object.keys(live[0]!.location['object']!), ['apiVersion', 'kind', 'name']);
  assert.deepEqual(Object.keys(live[1]!.location['object']!), ['apiVersion', 'kind', 'namespace', 'name', 'uid']);
  // Whatever order the report object was built in.
  const scrambled = FIXTURE_REPORT.findings.map((f) =>
    isClusterLocation(f.location)
      ? { ...f, location: { path: f.location.path, object: { ...f.location.object }, cluster: { server: f.location.cluster.server, context: f.location.cluster.context } } }
      : f,
  );
  assert.equal(reportJson({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: scrambled } }), out);
});

test('json: key order does not depend on how the report object was built', () => {
  const reversed = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(reversed)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]))
        : value;
  const context: ReportContext = { ...FIXTURE_CONTEXT, report: reversed(FIXTURE_REPORT) as ScanReport };
  assert.equal(reportJson(context), reportJson(FIXTURE_CONTEXT));
});

test('json: fields the reporter does not know are kept, after the known ones, sorted', () => {
  const report = { zeta: 1, ...FIXTURE_REPORT, alpha: { b: 1, a: 2 } } as unknown as ScanReport;
  const keys = Object.keys(JSON.parse(reportJson({ ...FIXTURE_CONTEXT, report })) as object);
  assert.deepEqual(keys.slice(-2), ['alpha', 'zeta']);
  assert.deepEqual(keys.slice(0, -2), KEY_ORDER.report.filter((key) => key in FIXTURE_REPORT));
});

test('json: a live scan report, with its cluster and warnings, validates and keeps the key order', () => {
  const live: ScanReport = {
    ...FIXTURE_REPORT,
    warnings: [
      {
        code: 'cluster-forbidden',
        file: 'cluster:prod-eu',
        message: 'cannot list secrets (v1 Secret) in all namespaces: forbidden',
      },
    ],
    cluster: {
      failed: 0,
      forbidden: 1,
      resources: 48,
      namespaces: ['payments', 'prod'],
      serverVersion: 'v1.33.2',
      server: 'https://10.0.0.1:6443',
      context: 'prod-eu',
    },
  };
  const out = reportJson({ ...FIXTURE_CONTEXT, report: live });
  assertValid(out);
  assert.equal(out, `${JSON.stringify(canonicalReport(live), null, 2)}\n`);
  const parsed = JSON.parse(out) as Record<string, unknown>;
  assert.deepEqual(Object.keys(parsed), [...KEY_ORDER.report].filter((key) => key !== 'compliance' && key !== 'graphs'));
  assert.deepEqual(Object.keys(parsed['cluster'] as object), [...KEY_ORDER.clusterTarget]);
  const validate = validator();
  assert.equal(validate({ ...parsed, cluster: { ...(parsed['cluster'] as object), resources: -1 } }), false);
  assert.equal(validate({ ...parsed, warnings: [{ code: 'cluster-nope', file: 'cluster:prod-eu', message: 'x' }] }), false);
});

test('json: a report with compliance summaries validates and keeps the key order', () => {
  const withCompliance: ScanReport = {
    ...FIXTURE_REPORT,
    compliance: [
      {
        scope: 'node',
        version: '1.12',
        name: 'CIS Kubernetes Benchmark',
        framework: 'cis-k8s',
        score: { evaluatedWeight: 14, passedWeight: 7, value: 50 },
        coverage: { gaps: [{ controls: 1, reason: 'no rule judges it yet' }], percent: 50, applicable: 4, evaluated: 2 },
        counts: { 'not-evaluated': 1, 'not-applicable': 0, manual: 1, fail: 1, pass: 1 },
        controls: [
          { status: 'pass', title: 'API server --authorization-mode is not AlwaysAllow', assessment: 'automated', id: 'cis-k8s/1.2.6', findings: 0, weight: 7, severity: 'high', rules: ['apiserver-authorization'], section: '1.2' },
          { id: 'cis-k8s/1.2.15', title: 'API server --profiling is false', assessment: 'automated', status: 'fail', findings: 1, weight: 7, rules: ['control-plane-profiling'] },
          { id: 'cis-k8s/1.2.20', title: 'API server --request-timeout is set as appropriate', assessment: 'manual', status: 'manual', findings: 0, weight: 0, rules: [] },
          { id: 'cis-k8s/4.3.1', title: 'kube-proxy metrics service is bound to localhost', assessment: 'automated', status: 'not-evaluated', findings: 0, weight: 0, rules: [], reason: 'no rule judges it yet' },
        ],
      },
    ],
  };
  const out = reportJson({ ...FIXTURE_CONTEXT, report: withCompliance });
  assertValid(out);
  const parsed = JSON.parse(out) as Record<string, unknown> & { compliance: { controls: Record<string, unknown>[] }[] };
  const keys = Object.keys(parsed);
  assert.equal(keys.indexOf('compliance'), keys.indexOf('summary') + 1);
  assert.deepEqual(Object.keys(parsed.compliance[0]!), [...KEY_ORDER.compliance]);
  assert.deepEqual(Object.keys(parsed.compliance[0]!.controls[0]!), KEY_ORDER.complianceControl.filter((key) => key !== 'reason'));
  const validate = validator();
  assert.equal(validate({ ...parsed, compliance: [{ ...parsed.compliance[0], controls: [{ ...parsed.compliance[0]!.controls[0], status: 'passed' }] }] }), false);
  assert.equal(validate({ ...parsed, compliance: parsed.compliance[0] }), false, 'compliance is a list, one entry per framework');
});

test('json: the schema describes exactly the fields of the report types', () => {
  const root = schema;
  const findingFields = propertyNames(def('findingFields'));
  const cases: [keyof typeof KEY_ORDER, string[]][] = [
    ['report', propertyNames(root)],
    ['tool', propertyNames(root.properties!['tool']!)],
    ['clusterTarget', propertyNames(root.properties!['cluster']!)],
    ['settings', propertyNames(root.properties!['settings']!)],
    ['summary', propertyNames(def('summary'))],
    ['bySeverity', propertyNames(def('summary').properties!['bySeverity']!)],
    ['finding', findingFields],
    ['suppressedFinding', [...findingFields, ...propertyNames(def('suppressedFinding'))].sort()],
    ['suppression', propertyNames(def('suppression'))],
    ['resource', propertyNames(def('objectRef'))],
    ['sourceLocation', propertyNames(def('sourceLocation'))],
    ['clusterLocation', propertyNames(def('clusterLocation'))],
    ['cluster', propertyNames(def('clusterLocation').properties!['cluster']!)],
    ['clusterObject', propertyNames(def('clusterLocation').properties!['object']!)],
    ['inputError', propertyNames(def('inputError'))],
    ['ruleFailure', propertyNames(def('ruleFailure'))],
    ['suppressionProblem', propertyNames(def('suppressionProblem'))],
    ['skipped', propertyNames(def('skippedInput'))],
    ['compliance', propertyNames(def('compliance'))],
    ['complianceScore', propertyNames(def('compliance').properties!['score']!)],
    ['complianceCoverage', propertyNames(def('compliance').properties!['coverage']!)],
    ['complianceGap', propertyNames(def('compliance').properties!['coverage']!.properties!['gaps']!.items!)],
    ['complianceCounts', propertyNames(def('compliance').properties!['counts']!)],
    ['complianceControl', propertyNames(def('compliance').properties!['controls']!.items!)],
    ['evaluation', propertyNames(def('evaluation'))],
    ['ruleEvaluation', propertyNames(def('evaluation').properties!['rules']!.items!)],
  ];
  for (const [shape, inSchema] of cases) {
    assert.deepEqual(inSchema, [...KEY_ORDER[shape]].sort(), `schema and type differ for ${shape}`);
  }
});

test('json: schema version and enums follow the code', () => {
  assert.equal(schema.properties?.['schemaVersion']?.const, REPORT_SCHEMA_VERSION);
  assert.match(String(schema['description']), new RegExp(`schema version ${REPORT_SCHEMA_VERSION.replace('.', '\\.')}\\b`));
  assert.deepEqual(def('severity').enum, [...SEVERITIES]);
  assert.deepEqual(def('inputError').properties?.['code']?.enum, [...INPUT_ERROR_CODES]);
  assert.deepEqual(def('findingFields').properties?.['category']?.enum, [...RULE_CATEGORIES]);
  assert.equal(typeof schema['$id'], 'string');
  assert.equal(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
});

test('json: the example in docs/report-schema.md is a valid report', () => {
  const doc = readFileSync(new URL('../../docs/report-schema.md', import.meta.url), 'utf8');
  const example = /```json\n([\s\S]*?)\n```/.exec(doc);
  assert.ok(example, 'docs/report-schema.md has no json example');
  assertValid(example[1]!);
});

test('json: the streamed report is byte for byte JSON.stringify of the canonical report', () => {
  for (const context of [FIXTURE_CONTEXT, EMPTY_CONTEXT]) {
    assert.equal(reportJson(context), `${JSON.stringify(canonicalReport(context.report), null, 2)}\n`);
  }
});
