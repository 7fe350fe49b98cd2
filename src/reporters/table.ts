// The default terminal output: findings grouped by object (file input) or by cluster (live objects), then problems
// with the scan, then a summary.
import type { Finding } from '../core/findings.ts';
import { formatRef } from '../core/inventory.ts';
import { isClusterLocation, SEVERITIES, type ClusterRef, type ObjectRef, type Severity } from '../core/model.ts';
import type { ClusterTarget, ReportContext, ScanReport } from '../core/report.ts';
import { clusterContextOf, plural } from './shared.ts';

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

/** Findings on one object: of one file, or of one cluster. */
interface Group {
  /** The file, or the cluster the object was read from. */
  readonly source:
    | { readonly type: 'file'; readonly file: string }
    | { readonly type: 'cluster'; readonly cluster: ClusterRef };
  readonly resource: ObjectRef;
  readonly findings: Finding[];
}

function groupKey(finding: Finding): string {
  const { location } = finding;
  const source = isClusterLocation(location)
    ? ['cluster', location.cluster.context, location.cluster.server]
    : ['file', location.file];
  const { apiVersion, kind, namespace = '', name } = finding.resource;
  return [...source, apiVersion, kind, namespace, name].join('\u0000');
}

/** Groups by file or cluster, and object, in the order each first appears in the (sorted) findings. */
function groupByResource(findings: readonly Finding[]): Group[] {
  const groups = new Map<string, Group>();
  for (const finding of findings) {
    const key = groupKey(finding);
    let group = groups.get(key);
    if (!group) {
      const { location } = finding;
      const source: Group['source'] = isClusterLocation(location)
        ? { type: 'cluster', cluster: location.cluster }
        : { type: 'file', file: location.file };
      group = { source, resource: finding.resource, findings: [] };
      groups.set(key, group);
    }
    group.findings.push(finding);
  }
  return [...groups.values()];
}

function sameCluster(a: ClusterRef | undefined, b: ClusterRef): boolean {
  return a !== undefined && a.context === b.context && a.server === b.server;
}

function renderFinding(finding: Finding, paint: Paint): string[] {
  const { location } = finding;
  const pad = ' '.repeat(INDENT);
  const severity = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(8));
  // Where in the group: the position in the file, or the object in the cluster (`Deployment payments/api`).
  const where = isClusterLocation(location)
    ? formatRef(location.object)
    : locationOf(location.file, location.line, location.column);
  const lines = [`  ${severity}  ${visible(where)}  ${finding.ruleId}`];
  for (const part of wrap(visible(finding.message), WIDTH - INDENT)) lines.push(`${pad}${part}`);
  const path = `at ${location.path === '' ? '(the object)' : visible(location.path)}`;
  if (isClusterLocation(location) || location.template === undefined) {
    lines.push(`${pad}${paint(DIM, path)}`);
  } else {
    const template = `(template ${visible(location.template)})`;
    if (INDENT + path.length + 1 + template.length <= WIDTH) lines.push(`${pad}${paint(DIM, `${path} ${template}`)}`);
    else lines.push(`${pad}${paint(DIM, path)}`, `${pad}${paint(DIM, template)}`);
  }
  return lines;
}

/**
 * One chunk of lines per object, so the table can be written while it is being made. A file's object gets a header
 * naming it and the file; a cluster gets one header naming its context and API server, and its objects are named on
 * each finding's line instead of a file position.
 */
function* renderFindings(report: ScanReport, paint: Paint): Generator<string[]> {
  if (report.findings.length === 0) {
    yield [paint(GREEN, 'No findings.')];
    return;
  }
  let first = true;
  let cluster: ClusterRef | undefined;
  for (const group of groupByResource(report.findings)) {
    const { source } = group;
    const lines: string[] = [];
    if (source.type === 'file') {
      if (!first) lines.push('');
      lines.push(`${paint(BOLD, visible(formatRef(group.resource)))}  ${visible(source.file)}`);
      cluster = undefined;
    } else if (!sameCluster(cluster, source.cluster)) {
      if (!first) lines.push('');
      const { context, server } = source.cluster;
      lines.push(`${paint(BOLD, `Cluster context ${visible(context)}`)}  ${visible(server)}`);
      cluster = source.cluster;
    }
    first = false;
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
  const warnings = report.warnings ?? [];
  if (warnings.length > 0) {
    sections.push([
      `Warnings (${warnings.length}):`,
      ...warnings.flatMap((w) => item(`${visible(w.file)}: ${visible(w.message)} (${w.code})`)),
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
      ...report.suppressionProblems.flatMap((p) => {
        // A live object has no line to point at: name it instead.
        const where =
          clusterContextOf(p.file) !== undefined && p.resource !== undefined
            ? `${p.file} ${formatRef(p.resource)}`
            : locationOf(p.file, p.line);
        return item(`${visible(where)}: ${visible(p.message)} (${p.kind})`);
      }),
    ]);
  }
  return sections.flatMap((section) => ['', ...section]);
}

const STATUS_LABEL = { fail: 'FAIL', 'not-evaluated': 'NOT EVALUATED', manual: 'MANUAL', 'not-applicable': 'NOT APPLICABLE', pass: 'PASS' } as const;

const percent = (value: number | null): string => (value === null ? 'n/a' : `${value}%`);

/** `--framework` (and `palisade node`): per framework its score and coverage, the failing controls one per line, the rest grouped by reason. */
function renderCompliance(report: ScanReport, paint: Paint): string[] {
  const lines: string[] = [];
  for (const compliance of report.compliance ?? []) {
    const { score, coverage, counts } = compliance;
    const prefix = `${compliance.framework}/`;
    const shortId = (id: string): string => (id.startsWith(prefix) ? id.slice(prefix.length) : id);
    const scope = compliance.scope === 'all' ? '' : ` (${compliance.scope})`;
    lines.push(paint(BOLD, `${compliance.name} ${compliance.version}${scope}: score ${percent(score.value)}, coverage ${percent(coverage.percent)}`));
    lines.push(
      paint(DIM, `  score = 100 × ${score.passedWeight} passed / ${score.evaluatedWeight} evaluated (severity-weighted points); coverage = ${coverage.evaluated} of ${coverage.applicable} applicable controls evaluated`),
    );
    const failing = compliance.controls.filter((control) => control.status === 'fail');
    if (failing.length > 0) {
      lines.push(`  ${STATUS_LABEL.fail} (${failing.length}):`);
      const width = Math.min(12, Math.max(...failing.map((control) => shortId(control.id).length)));
      for (const control of failing) {
        const detail = ` — ${control.findings > 0 ? plural(control.findings, 'finding') : 'suppressed or baselined findings'}`;
        lines.push(`    ${shortId(control.id).padEnd(width)} ${visible(control.title)}${paint(DIM, detail)}`);
      }
    }
    for (const status of ['not-evaluated', 'manual', 'not-applicable'] as const) {
      const controls = compliance.controls.filter((control) => control.status === status);
      if (controls.length === 0) continue;
      lines.push(`  ${STATUS_LABEL[status]} (${controls.length}):`);
      const byReason = new Map<string, string[]>();
      for (const control of controls) {
        const reason = control.reason ?? '';
        byReason.set(reason, [...(byReason.get(reason) ?? []), shortId(control.id)]);
      }
      for (const [reason, ids] of byReason) {
        lines.push(...wrap(visible(`${reason}: ${ids.join(', ')}`), WIDTH - 4).map((line, i) => `${i === 0 ? '    ' : '      '}${line}`));
      }
    }
    lines.push(
      `  ${counts.pass} pass, ${counts.fail} fail, ${counts.manual} manual (a person must check), ${counts['not-applicable']} not applicable, ${counts['not-evaluated']} not evaluated.`,
      '',
    );
  }
  return lines;
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
  if (report.warnings !== undefined && report.warnings.length > 0) problems.push(plural(report.warnings.length, 'warning'));
  const lines = ['', `${first.join(', ')}.`, `${second.join(', ')}.`];
  if (report.cluster !== undefined) lines.push(...renderClusterSummary(report.cluster));
  if (problems.length > 0) lines.push(`Problems: ${problems.join(', ')}.`);
  return lines;
}

/**
 * What a live scan read, in two sentences: the cluster, then the scope and counts —
 * `Cluster prod-eu (https://…), Kubernetes v1.33.4.` / `Read all namespaces: 57 resource lists, 1 refused (403).`
 * Each wraps under the message width when a context, server or namespace list is long.
 */
function renderClusterSummary(cluster: ClusterTarget): string[] {
  const namespaces = cluster.namespaces;
  const scope =
    namespaces === undefined
      ? 'all namespaces'
      : namespaces.length === 1
        ? `namespace ${namespaces[0]!}`
        : `namespaces ${namespaces.join(', ')}`;
  const version = cluster.serverVersion === '' ? 'unknown' : cluster.serverVersion;
  const counts = [
    plural(cluster.resources, 'resource list'),
    ...(cluster.forbidden > 0 ? [`${cluster.forbidden} refused (403)`] : []),
    ...(cluster.failed > 0 ? [`${cluster.failed} failed`] : []),
  ].join(', ');
  const sentence = (text: string): string[] => wrap(visible(text), WIDTH - 2, WIDTH).map((line, i) => (i === 0 ? line : `  ${line}`));
  return [...sentence(`Cluster ${cluster.context} (${cluster.server}), Kubernetes ${version}.`), ...sentence(`Read ${scope}: ${counts}.`)];
}

export function* streamTable(context: ReportContext): Generator<string> {
  const paint: Paint = context.color ? (style, text) => `${style}${text}${RESET}` : (_style, text) => text;
  const { report } = context;
  const chunk = (lines: readonly string[]): string => (lines.length === 0 ? '' : `${lines.map((line) => line.trimEnd()).join('\n')}\n`);
  for (const lines of renderFindings(report, paint)) yield chunk(lines);
  yield chunk([...renderCompliance(report, paint), ...renderProblems(report), ...renderSummary(report, paint)]);
}

export function reportTable(context: ReportContext): string {
  return [...streamTable(context)].join('');
}
