// The JSON report: the ScanReport itself, keys in a fixed order, described by schema/report.schema.json.
import type { RuleFailure } from '../core/engine.ts';
import type { Finding, Suppression, SuppressedFinding } from '../core/findings.ts';
import {
  isClusterLocation,
  SEVERITIES,
  type ClusterLocation,
  type ClusterRef,
  type FindingLocation,
  type ObjectRef,
  type Severity,
  type SourceLocation,
} from '../core/model.ts';
import type {
  ComplianceControl,
  ComplianceCoverage,
  ComplianceScore,
  ComplianceSummary,
  ClusterTarget,
  InputError,
  ReportContext,
  ReportSummary,
  RuleEvaluation,
  ScanEvaluation,
  ScanReport,
  SkippedInput,
  SuppressionProblem,
} from '../core/report.ts';
import { compareStrings } from './shared.ts';

// Key order of each object in the output. `satisfies Record<keyof T, true>` makes the compiler reject a list that
// misses or invents a field, so a field added to a type cannot silently fall to the end of the output; the schema
// test checks these lists against schema/report.schema.json.
const keys = <T>(order: Record<keyof T, true>): readonly (keyof T & string)[] =>
  Object.keys(order) as (keyof T & string)[];

const FINDING_FIELDS: Record<keyof Finding, true> = {
  ruleId: true,
  messageId: true,
  severity: true,
  title: true,
  category: true,
  message: true,
  resource: true,
  location: true,
  controls: true,
  remediation: true,
  fingerprint: true,
};

export const KEY_ORDER = {
  report: keys<ScanReport>({
    schemaVersion: true,
    tool: true,
    settings: true,
    cluster: true,
    summary: true,
    compliance: true,
    findings: true,
    suppressed: true,
    errors: true,
    warnings: true,
    ruleFailures: true,
    suppressionProblems: true,
    skipped: true,
    evaluation: true,
    graphs: true,
  }),
  tool: keys<ScanReport['tool']>({ name: true, version: true }),
  settings: keys<ScanReport['settings']>({ failOn: true, pssVersion: true }),
  clusterTarget: keys<ClusterTarget>({
    context: true,
    server: true,
    serverVersion: true,
    namespaces: true,
    resources: true,
    forbidden: true,
    failed: true,
  }),
  compliance: keys<ComplianceSummary>({ framework: true, name: true, version: true, scope: true, score: true, coverage: true, counts: true, controls: true }),
  complianceScore: keys<ComplianceScore>({ value: true, passedWeight: true, evaluatedWeight: true }),
  complianceCoverage: keys<ComplianceCoverage>({ evaluated: true, applicable: true, percent: true, gaps: true }),
  complianceGap: keys<ComplianceCoverage['gaps'][number]>({ reason: true, controls: true }),
  complianceCounts: keys<ComplianceSummary['counts']>({ pass: true, fail: true, manual: true, 'not-applicable': true, 'not-evaluated': true }),
  complianceControl: keys<ComplianceControl>({
    id: true,
    title: true,
    section: true,
    assessment: true,
    status: true,
    severity: true,
    weight: true,
    findings: true,
    rules: true,
    reason: true,
  }),
  evaluation: keys<ScanEvaluation>({ rules: true, baselinedControls: true }),
  ruleEvaluation: keys<RuleEvaluation>({ id: true, severity: true, subjects: true, controls: true }),
  summary: keys<ReportSummary>({
    files: true,
    objects: true,
    podTemplates: true,
    skipped: true,
    findings: true,
    bySeverity: true,
    suppressed: true,
    baselined: true,
    errors: true,
    failing: true,
  }),
  bySeverity: keys<Record<Severity, number>>(
    Object.fromEntries(SEVERITIES.map((severity) => [severity, true])) as Record<Severity, true>,
  ),
  finding: keys<Finding>(FINDING_FIELDS),
  suppressedFinding: keys<SuppressedFinding>({ ...FINDING_FIELDS, suppression: true }),
  suppression: keys<Suppression>({ source: true, reason: true, expires: true }),
  resource: keys<ObjectRef>({ apiVersion: true, kind: true, namespace: true, name: true }),
  sourceLocation: keys<SourceLocation>({ file: true, line: true, column: true, path: true, template: true }),
  clusterLocation: keys<ClusterLocation>({ cluster: true, object: true, path: true }),
  cluster: keys<ClusterRef>({ context: true, server: true }),
  clusterObject: keys<ClusterLocation['object']>({
    apiVersion: true,
    kind: true,
    namespace: true,
    name: true,
    uid: true,
  }),
  inputError: keys<InputError>({ code: true, file: true, line: true, column: true, message: true }),
  ruleFailure: keys<RuleFailure>({ ruleId: true, resource: true, file: true, message: true }),
  suppressionProblem: keys<SuppressionProblem>({
    kind: true,
    source: true,
    message: true,
    file: true,
    line: true,
    resource: true,
  }),
  skipped: keys<SkippedInput>({ file: true, line: true, reason: true, resource: true }),
} as const;

type Shape = keyof typeof KEY_ORDER;
/** A shape, or how to tell which of several shapes an object has (a location is in a file or in a cluster). */
type Child = Shape | ((value: object) => Shape);
type Nested = Readonly<Record<string, Child>>;

const locationShape = (value: object): Shape =>
  isClusterLocation(value as FindingLocation) ? 'clusterLocation' : 'sourceLocation';

/** Which shape the value under a key has, for the keys that hold objects or arrays of objects. */
const CHILDREN: Readonly<Partial<Record<Shape, Nested>>> = {
  report: {
    tool: 'tool',
    settings: 'settings',
    cluster: 'clusterTarget',
    compliance: 'compliance',
    summary: 'summary',
    findings: 'finding',
    suppressed: 'suppressedFinding',
    errors: 'inputError',
    warnings: 'inputError',
    ruleFailures: 'ruleFailure',
    suppressionProblems: 'suppressionProblem',
    skipped: 'skipped',
    evaluation: 'evaluation',
  },
  summary: { bySeverity: 'bySeverity' },
  compliance: { score: 'complianceScore', coverage: 'complianceCoverage', counts: 'complianceCounts', controls: 'complianceControl' },
  complianceCoverage: { gaps: 'complianceGap' },
  evaluation: { rules: 'ruleEvaluation' },
  finding: { resource: 'resource', location: locationShape },
  suppressedFinding: { resource: 'resource', location: locationShape, suppression: 'suppression' },
  clusterLocation: { cluster: 'cluster', object: 'clusterObject' },
  ruleFailure: { resource: 'resource' },
  suppressionProblem: { resource: 'resource' },
  skipped: { resource: 'resource' },
};

/**
 * Rebuilds `value` with its keys in the order of `shape`: known keys first, in their listed order, then any keys
 * the list does not know, sorted (never dropped). Undefined values are left out, as JSON.stringify would.
 */
function ordered(value: unknown, child: Child): unknown {
  if (Array.isArray(value)) return value.map((item: unknown) => ordered(item, child));
  if (typeof value !== 'object' || value === null) return value;
  const shape = typeof child === 'function' ? child(value) : child;
  const source = value as Readonly<Record<string, unknown>>;
  const known: readonly string[] = KEY_ORDER[shape];
  const unknown = Object.keys(source)
    .filter((key) => !known.includes(key))
    .sort(compareStrings);
  const children = CHILDREN[shape] ?? {};
  const out: Record<string, unknown> = {};
  for (const key of [...known, ...unknown]) {
    if (!Object.hasOwn(source, key) || source[key] === undefined) continue;
    const child = children[key];
    out[key] = child === undefined ? source[key] : ordered(source[key], child);
  }
  return out;
}

/** The report with every object's keys in the documented order; what the JSON reporter serialises. */
export function canonicalReport(report: ScanReport): unknown {
  return ordered(report, 'report');
}

/** `JSON.stringify(value, null, 2)` placed at `depth` levels of indentation. */
function indented(value: unknown, depth: number): string {
  return JSON.stringify(value, null, 2).replaceAll('\n', `\n${'  '.repeat(depth)}`);
}

/**
 * The canonical report as `JSON.stringify(canonicalReport(report), null, 2)` writes it, byte for byte, but one
 * list item at a time: a report of a hundred thousand findings is never one string in memory.
 */
export function* streamJson(context: ReportContext): Generator<string> {
  const source = context.report as unknown as Readonly<Record<string, unknown>>;
  const known: readonly string[] = KEY_ORDER.report;
  const unknown = Object.keys(source).filter((key) => !known.includes(key)).sort(compareStrings);
  const keys = [...known, ...unknown].filter((key) => Object.hasOwn(source, key) && source[key] !== undefined);
  const children = CHILDREN.report ?? {};
  yield '{\n';
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    const value = source[key];
    const child = children[key];
    const separator = k < keys.length - 1 ? ',' : '';
    if (Array.isArray(value) && value.length > 0 && child !== undefined) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let i = 0; i < value.length; i++) {
        yield `    ${indented(ordered(value[i], child), 2)}${i < value.length - 1 ? ',' : ''}\n`;
      }
      yield `  ]${separator}\n`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indented(child === undefined ? value : ordered(value, child), 1)}${separator}\n`;
    }
  }
  yield '}\n';
}

export function reportJson(context: ReportContext): string {
  return [...streamJson(context)].join('');
}
