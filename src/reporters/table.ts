// The default terminal output: findings grouped by object, then problems with the scan, then a summary.
import type { Finding } from '../core/findings.ts';
import { formatRef } from '../core/inventory.ts';
import { SEVERITIES, type ObjectRef, type Severity } from '../core/model.ts';
import type { ReportContext, ScanReport } from '../core/report.ts';
import { plural } from './shared.ts';

const WIDTH = 100;
/** Column where a finding's message and field path start: two spaces, the severity (8) and two spaces. */
const INDENT = 12;

const ESC = '\u001b[';
const RESET = `${ESC}0m`;
const SEVERITY_STYLE: Readonly<Record<Severity, string>> = {
  critical: `${ESC}1;31m`,
  high: `${ESC}31m`,
  medium: `${ESC}33m`,
  low: `${ESC}36m`,
  info: `${ESC}90m`,
};
const BOLD = `${ESC}1m`;
const DIM = `${ESC}2m`;
const GREEN = `${ESC}32m`;

type Paint = (style: string, text: string) => string;

/**
 * Shows control characters and bidirectional overrides as `\uXXXX`: text from the scanned files must not be able
 * to move the cursor, recolour the terminal or reorder what the reader sees.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');

function visible(text: string): string {
  if (!UNSAFE.test(text)) return text;
  return text.replace(UNSAFE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Greedy word wrap; a word longer than the width stays whole on its own line. */
function wrap(text: string, width: number, firstWidth = width): string[] {
  if (text.length <= firstWidth && !text.includes('  ') && !text.startsWith(' ') && !text.endsWith(' ')) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (word === '') continue;
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= (lines.length === 0 ? firstWidth : width)) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/** An item of a problem list: two spaces in, continuation lines four. */
function item(text: string): string[] {
  return wrap(text, WIDTH - 4, WIDTH - 2).map((line, i) => (i === 0 ? `  ${line}` : `    ${line}`));
}

function locationOf(file: string, line?: number, column?: number): string {
  return line === undefined ? file : column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

function resourceKey(finding: Finding): string {
  const { file } = finding.location;
  const { apiVersion, kind, namespace = '', name } = finding.resource;
  return [file, apiVersion, kind, namespace, name].join('\u0000');
}

interface Group {
  readonly file: string;
  readonly resource: ObjectRef;
  readonly findings: Finding[];
}

/** Groups by file and object, in the order each first appears in the (sorted) findings. */
function groupByResource(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const finding of findings) {
    const key = resourceKey(finding);
    let group = groups.get(key);
    if (!group) {
      group = { file: finding.location.file, resource: finding.resource, findings: [] };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}

function renderFinding(finding: Finding, paint: Paint): string[] {
  const { location } = finding;
  const pad = ' '.repeat(INDENT);
  const severity = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(8));
  const lines = [
    `  ${severity}  ${visible(locationOf(location.file, location.line, location.column))}  ${finding.ruleId}`,
  ];
  for (const part of wrap(visible(finding.message), WIDTH - INDENT)) lines.push(`${pad}${part}`);
  const path = `at ${location.path === '' ? '(the object)' : visible(location.path)}`;
  if (location.template === undefined) {
    lines.push(`${pad}${paint(DIM, path)}`);
  } else {
    const template = `(template ${visible(location.template)})`;
    if (INDENT + path.length + 1 + template.length <= WIDTH) lines.push(`${pad}${paint(DIM, `${path} ${template}`)}`);
    else lines.push(`${pad}${paint(DIM, path)}`, `${pad}${paint(DIM, template)}`);
  }
  return lines;
}

/** One chunk of lines per object, so the table can be written while it is being made. */
function* renderFindings(report: ScanReport, paint: Paint): Generator<string[]> {
  if (report.findings.length === 0) {
    yield [paint(GREEN, 'No findings.')];
    return;
  }
  let first = true;
  for (const group of groupByResource(report.findings)) {
    const lines: string[] = first ? [] : [''];
    first = false;
    lines.push(`${paint(BOLD, visible(formatRef(group.resource)))}  ${visible(group.file)}`);
    for (const finding of group.findings) lines.push(...renderFinding(finding, paint));
    yield lines;
  }
}

function renderProblems(report: ScanReport): string[] {
  const sections: string[][] = [];
  if (report.errors.length > 0) {
    sections.push([
      `Input errors (${report.errors.length}):`,
      ...report.errors.flatMap((e) =>
        item(`${visible(locationOf(e.file, e.line, e.column))}: ${visible(e.message)} (${e.code})`),
      ),
    ]);
  }
  if (report.ruleFailures.length > 0) {
    sections.push([
      `Rule failures (${report.ruleFailures.length}):`,
      ...report.ruleFailures.flatMap((f) => {
        const where = f.resource
          ? ` on ${formatRef(f.resource)}${f.file === undefined ? '' : ` (${f.file})`}`
          : f.file === undefined
            ? ''
            : ` on ${f.file}`;
        return item(`${f.ruleId} failed${visible(where)}: ${visible(f.message)}`);
      }),
    ]);
  }
  if (report.suppressionProblems.length > 0) {
    sections.push([
      `Suppression problems (${report.suppressionProblems.length}):`,
      ...report.suppressionProblems.flatMap((p) =>
        item(`${visible(locationOf(p.file, p.line))}: ${visible(p.message)} (${p.kind})`),
      ),
    ]);
  }
  return sections.flatMap((section) => ['', ...section]);
}

function renderSummary(report: ScanReport, paint: Paint): string[] {
  const { summary } = report;
  const counts = SEVERITIES.filter((s) => summary.bySeverity[s] > 0).map((s) => `${summary.bySeverity[s]} ${s}`);
  const { failOn } = report.settings;
  const failing =
    failOn === 'none'
      ? 'none fail the scan (fail-on none)'
      : `${summary.failing} at or above the fail-on severity (${failOn})`;
  const first = [
    plural(summary.findings, 'finding') + (counts.length > 0 ? ` (${counts.join(', ')})` : ''),
    summary.failing > 0 ? paint(SEVERITY_STYLE.critical, failing) : failing,
  ];
  const second = [
    `${summary.suppressed} suppressed`,
    ...(summary.baselined > 0 ? [`${summary.baselined} in the baseline`] : []),
    `${plural(summary.objects, 'object')} scanned`,
    `${summary.skipped} skipped`,
  ];
  const problems: string[] = [];
  if (summary.errors > 0) problems.push(plural(summary.errors, 'input error'));
  if (report.ruleFailures.length > 0) problems.push(plural(report.ruleFailures.length, 'rule failure'));
  if (report.suppressionProblems.length > 0) {
    problems.push(plural(report.suppressionProblems.length, 'suppression problem'));
  }
  const lines = ['', `${first.join(', ')}.`, `${second.join(', ')}.`];
  if (problems.length > 0) lines.push(`Problems: ${problems.join(', ')}.`);
  return lines;
}

export function* streamTable(context: ReportContext): Generator<string> {
  const paint: Paint = context.color ? (style, text) => `${style}${text}${RESET}` : (_style, text) => text;
  const { report } = context;
  const chunk = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.map((line) => line.trimEnd()).join('\n')}\n`);
  for (const lines of renderFindings(report, paint)) yield chunk(lines);
  yield chunk([...renderProblems(report), ...renderSummary(report, paint)]);
}

export function reportTable(context: ReportContext): string {
  return [...streamTable(context)].join('');
}
