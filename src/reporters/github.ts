// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { formatRef } from '../core/inventory.ts';
import { isClusterLocation, type ObjectRef, type Severity } from '../core/model.ts';
import type { ReportContext } from '../core/report.ts';
import { clusterContextOf, describeCluster, toForwardSlashes } from './shared.ts';

type Command = 'error' | 'warning' | 'notice';

const COMMAND: Readonly<Record<Severity, Command>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'notice',
  info: 'notice',
};

/** The message after `::`: `%`, CR and LF are escaped, or the runner would end the command early. */
export function escapeData(text: string): string {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** A property value: like data, plus `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(':', '%3A').replaceAll(',', '%2C');
}

interface Annotation {
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly title: string;
}

function command(name: Command, annotation: Annotation, message: string): string {
  const properties: string[] = [];
  if (annotation.file !== undefined) properties.push(`file=${escapeProperty(githubPath(annotation.file))}`);
  if (annotation.line !== undefined) properties.push(`line=${annotation.line}`);
  if (annotation.col !== undefined) properties.push(`col=${annotation.col}`);
  properties.push(`title=${escapeProperty(annotation.title)}`);
  return `::${name} ${properties.join(',')}::${escapeData(message)}`;
}

/**
 * Where an annotation points, for a problem reported against `file`: nothing when it is a `cluster:<context>` label
 * (an annotation without `file` is shown on the run, not on the diff), else the file with the line and column given.
 */
function fileProperties(file: string, line?: number, col?: number): Pick<Annotation, 'file' | 'line' | 'col'> {
  if (clusterContextOf(file) !== undefined) return {};
  return { file, ...(line === undefined ? {} : { line }), ...(col === undefined ? {} : { col }) };
}

/** The object a problem is about, in the message: a live object's annotation has no file to show it in. */
function objectSuffix(file: string | undefined, resource: ObjectRef | undefined): string {
  if (file === undefined || resource === undefined) return '';
  const context = clusterContextOf(file);
  return context === undefined ? '' : ` (${formatRef(resource)} in cluster ${context})`;
}

/** GitHub matches annotations to files by repository-relative paths with forward slashes. */
function githubPath(file: string): string {
  const path = toForwardSlashes(file);
  return path.startsWith('./') ? path.slice(2) : path;
}

export function reportGithub(context: ReportContext): string {
  const { report } = context;
  const lines: string[] = [];
  for (const finding of report.findings) {
    const { location } = finding;
    const title = `${finding.severity}: ${finding.title} (${finding.ruleId})`;
    const field = `field ${location.path === '' ? '(the object)' : location.path}`;
    // A live object has no file to annotate: the annotation goes on the run, and its message names the object.
    const details = isClusterLocation(location)
      ? [`${formatRef(location.object)} in ${describeCluster(location.cluster)}, ${field}`]
      : [
          `${formatRef(finding.resource)}, ${field}`,
          ...(location.template === undefined ? [] : [`Template: ${location.template}`]),
        ];
    const annotation: Annotation = isClusterLocation(location)
      ? { title }
      : { file: location.file, line: location.line, col: location.column, title };
    const message = [finding.message, ...details, `Fix: ${finding.remediation}`].join('\n');
    lines.push(command(COMMAND[finding.severity], annotation, message));
  }
  for (const error of report.errors) {
    const context = clusterContextOf(error.file);
    lines.push(
      command(
        'error',
        {
          ...fileProperties(error.file, error.line, error.column),
          title: `palisade: cannot read ${context === undefined ? 'input' : `cluster ${context}`} (${error.code})`,
        },
        error.message,
      ),
    );
  }
  // Warnings do not fail the scan: `warning`, never `error`. On a cluster they have no file to point at.
  for (const warning of report.warnings ?? []) {
    const context = clusterContextOf(warning.file);
    lines.push(
      command(
        'warning',
        {
          ...fileProperties(warning.file, warning.line, warning.column),
          title: `palisade: warning reading ${context === undefined ? 'input' : `cluster ${context}`} (${warning.code})`,
        },
        warning.message,
      ),
    );
  }
  for (const failure of report.ruleFailures) {
    const on = failure.resource === undefined ? '' : ` on ${formatRef(failure.resource)}`;
    const context = failure.file === undefined ? undefined : clusterContextOf(failure.file);
    const cluster = context === undefined ? '' : ` in cluster ${context}`;
    lines.push(
      command(
        'error',
        {
          ...(failure.file === undefined ? {} : fileProperties(failure.file)),
          title: `palisade: rule ${failure.ruleId} failed`,
        },
        `Rule ${failure.ruleId} failed${on}${cluster}: ${failure.message}`,
      ),
    );
  }
  for (const problem of report.suppressionProblems) {
    lines.push(
      command(
        problem.kind === 'invalid' ? 'error' : 'warning',
        { ...fileProperties(problem.file, problem.line), title: `palisade: ${problem.kind} suppression` },
        `${problem.message}${objectSuffix(problem.file, problem.resource)}`,
      ),
    );
  }
  return lines.map((line) => `${line}\n`).join('');
}
