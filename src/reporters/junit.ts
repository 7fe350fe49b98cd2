// JUnit XML for CI dashboards: one suite per rule, one case per finding, passing cases for clean rules.
import type { RuleFailure } from '../core/engine.ts';
import type { Finding, SuppressedFinding } from '../core/findings.ts';
import { formatRef } from '../core/inventory.ts';
import { clusterLabel, isClusterLocation, type FindingLocation } from '../core/model.ts';
import type { InputError, ReportContext, SuppressionProblem } from '../core/report.ts';
import { allFindings, clusterContextOf, describeCluster, isSuppressed, kindFirstName, reportedRules } from './shared.ts';

/**
 * Characters XML 1.0 does not allow, in any form (not even as references): C0 controls other than tab, newline
 * and carriage return, lone surrogates, U+FFFE and U+FFFF. They are dropped.
 */
const FORBIDDEN = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Element content. A carriage return is written as a reference: parsers turn a literal one into a newline. */
export function escapeText(text: string): string {
  return text
    .replace(FORBIDDEN, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('\r', '&#13;');
}

/** Attribute values also escape quotes, and whitespace that attribute normalisation would turn into spaces. */
export function escapeAttribute(text: string): string {
  return escapeText(text)
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;')
    .replaceAll('\t', '&#9;')
    .replaceAll('\n', '&#10;');
}

type Attributes = readonly (readonly [name: string, value: string | number])[];

function open(name: string, attributes: Attributes, selfClosing = false): string {
  const attrs = attributes.map(([key, value]) => ` ${key}="${escapeAttribute(String(value))}"`).join('');
  return `<${name}${attrs}${selfClosing ? '/>' : '>'}`;
}

type Outcome =
  | { readonly type: 'pass' }
  | { readonly type: 'failure' | 'error'; readonly message: string; readonly kind: string; readonly body: string }
  | { readonly type: 'skipped'; readonly message: string };

interface TestCase {
  readonly classname: string;
  readonly name: string;
  readonly outcome: Outcome;
}

interface Suite {
  readonly name: string;
  readonly cases: readonly TestCase[];
}

function where(file: string, line?: number, column?: number): string {
  return line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

function fieldOf(location: FindingLocation): string {
  return location.path === '' ? '(the object)' : location.path;
}

/**
 * A file finding is named by its file and line. A live object has neither: its finding is named by the cluster,
 * the object and the field (`cluster:prod-eu Deployment payments/api spec.template…`), which also keeps apart the
 * names of several findings of one rule on one object.
 */
function caseName(finding: Finding): string {
  const { location } = finding;
  if (!isClusterLocation(location)) return `${finding.ruleId} ${where(location.file, location.line)}`;
  return `${finding.ruleId} ${clusterLabel(location.cluster)} ${formatRef(location.object)} ${fieldOf(location)}`;
}

/** Where the finding is, for the failure's text. */
function placeLines(finding: Finding): string[] {
  const { location } = finding;
  if (isClusterLocation(location)) {
    const { object } = location;
    const identity = object.uid === undefined ? object.apiVersion : `${object.apiVersion}, uid ${object.uid}`;
    return [
      `Location: ${formatRef(object)} in ${describeCluster(location.cluster)}`,
      `Field: ${fieldOf(location)}`,
      `Object: ${formatRef(finding.resource)} (${identity})`,
    ];
  }
  return [
    `Location: ${where(location.file, location.line, location.column)}`,
    `Field: ${fieldOf(location)}`,
    ...(location.template === undefined ? [] : [`Template: ${location.template}`]),
    `Object: ${formatRef(finding.resource)} (${finding.resource.apiVersion})`,
  ];
}

function findingCase(finding: Finding | SuppressedFinding): TestCase {
  const base = { classname: kindFirstName(finding.resource), name: caseName(finding) };
  if (isSuppressed(finding)) {
    return { ...base, outcome: { type: 'skipped', message: `suppressed: ${finding.suppression.reason}` } };
  }
  const body = [
    finding.message,
    '',
    ...placeLines(finding),
    `Rule: ${finding.ruleId} (${finding.title})`,
    `Severity: ${finding.severity}`,
    `Remediation: ${finding.remediation}`,
  ].join('\n');
  return { ...base, outcome: { type: 'failure', message: finding.message, kind: finding.severity, body } };
}

/**
 * A file, or a `cluster:<context>` label followed by the object: a live object has no line to tell it from the
 * cluster's other objects.
 */
function sourceOf(file: string, resource: RuleFailure['resource']): string {
  return clusterContextOf(file) !== undefined && resource !== undefined ? `${file} ${formatRef(resource)}` : file;
}

function ruleFailureCase(failure: RuleFailure): TestCase {
  const on = failure.resource ? formatRef(failure.resource) : (failure.file ?? 'inventory');
  const context = failure.file === undefined ? undefined : clusterContextOf(failure.file);
  const source = failure.file === undefined ? '' : ` ${sourceOf(failure.file, failure.resource)}`;
  const body = [
    `Rule ${failure.ruleId} failed on ${on}: ${failure.message}`,
    ...(failure.file === undefined ? [] : [context === undefined ? `File: ${failure.file}` : `Cluster: ${context}`]),
    'The object was not fully checked by this rule.',
  ].join('\n');
  return {
    classname: failure.resource ? kindFirstName(failure.resource) : 'palisade',
    name: `${failure.ruleId} rule failure${source}`,
    outcome: { type: 'error', message: failure.message, kind: 'rule-failure', body },
  };
}

function inputErrorCase(error: InputError): TestCase {
  return {
    classname: 'palisade.input',
    name: `${error.code} ${where(error.file, error.line)}`,
    outcome: {
      type: 'error',
      message: error.message,
      kind: error.code,
      body: `${where(error.file, error.line, error.column)}: ${error.message}`,
    },
  };
}

/**
 * A warning is a skipped case. Its name carries the message: one cluster often gives several warnings of one code
 * (each resource the identity may not list), and only the message tells them apart.
 */
function warningCase(warning: InputError): TestCase {
  return {
    classname: 'palisade.warnings',
    name: `${warning.code} ${where(warning.file, warning.line)}: ${warning.message}`,
    outcome: { type: 'skipped', message: warning.message },
  };
}

function suppressionProblemCase(problem: SuppressionProblem): TestCase {
  const place = where(sourceOf(problem.file, problem.resource), problem.line);
  return {
    classname: 'palisade.suppressions',
    name: `${problem.kind} ${problem.source} suppression ${place}`,
    outcome: {
      type: 'failure',
      message: problem.message,
      kind: `suppression-${problem.kind}`,
      body: `${place}: ${problem.message}`,
    },
  };
}

function suites(context: ReportContext): Suite[] {
  const { report } = context;
  const findings = allFindings(context);
  const out: Suite[] = reportedRules(context).map((rule) => {
    const cases = [
      ...findings.filter((f) => f.ruleId === rule.id).map(findingCase),
      ...report.ruleFailures.filter((f) => f.ruleId === rule.id).map(ruleFailureCase),
    ];
    // A clean rule still shows up, as one passing case, so dashboards list what was checked.
    return {
      name: rule.id,
      cases: cases.length > 0 ? cases : [{ classname: 'palisade', name: rule.id, outcome: { type: 'pass' } }],
    };
  });
  const known = new Set(out.map((suite) => suite.name));
  const orphanFailures = report.ruleFailures.filter((f) => !known.has(f.ruleId));
  if (orphanFailures.length > 0) out.push({ name: 'palisade.rules', cases: orphanFailures.map(ruleFailureCase) });
  if (report.errors.length > 0) out.push({ name: 'palisade.input', cases: report.errors.map(inputErrorCase) });
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    // What could not be read was not checked, and does not fail the scan: skipped, not failed.
    out.push({ name: 'palisade.warnings', cases: warnings.map(warningCase) });
  }
  if (report.suppressionProblems.length > 0) {
    out.push({ name: 'palisade.suppressions', cases: report.suppressionProblems.map(suppressionProblemCase) });
  }
  return out;
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countsOf(cases: readonly TestCase[]): Counts {
  const count = (type: Outcome['type']) => cases.filter((c) => c.outcome.type === type).length;
  return { tests: cases.length, failures: count('failure'), errors: count('error'), skipped: count('skipped') };
}

function countAttributes(counts: Counts): Attributes {
  return [
    ['tests', counts.tests],
    ['failures', counts.failures],
    ['errors', counts.errors],
    ['skipped', counts.skipped],
  ];
}

function renderCase(testCase: TestCase): string[] {
  const attributes: Attributes = [
    ['classname', testCase.classname],
    ['name', testCase.name],
  ];
  const { outcome } = testCase;
  switch (outcome.type) {
    case 'pass':
      return [`    ${open('testcase', attributes, true)}`];
    case 'skipped':
      return [
        `    ${open('testcase', attributes)}`,
        `      ${open('skipped', [['message', outcome.message]], true)}`,
        '    </testcase>',
      ];
    case 'failure':
    case 'error':
      return [
        `    ${open('testcase', attributes)}`,
        `      ${open(outcome.type, [
          ['message', outcome.message],
          ['type', outcome.kind],
        ])}${escapeText(outcome.body)}</${outcome.type}>`,
        '    </testcase>',
      ];
  }
}

export function reportJunit(context: ReportContext): string {
  const all = suites(context);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    open('testsuites', [['name', 'palisade'], ...countAttributes(countsOf(all.flatMap((s) => s.cases)))]),
  ];
  for (const suite of all) {
    lines.push(`  ${open('testsuite', [['name', suite.name], ...countAttributes(countsOf(suite.cases))])}`);
    for (const testCase of suite.cases) lines.push(...renderCase(testCase));
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
