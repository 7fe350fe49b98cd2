// GitHub Actions workflow commands: each finding becomes an annotation on the pull request's diff.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { formatRef } from '../core/inventory.ts';
import type { Severity } from '../core/model.ts';
import type { ReportContext } from '../core/report.ts';
import { toForwardSlashes } from './shared.ts';

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
    const details = [
      `${formatRef(finding.resource)}, field ${location.path === '' ? '(the object)' : location.path}`,
      ...(location.template === undefined ? [] : [`Template: ${location.template}`]),
      `Fix: ${finding.remediation}`,
    ];
    lines.push(
      command(
        COMMAND[finding.severity],
        {
          file: location.file,
          line: location.line,
          col: location.column,
          title: `${finding.severity}: ${finding.title} (${finding.ruleId})`,
        },
        [finding.message, ...details].join('\n'),
      ),
    );
  }
  for (const error of report.errors) {
    lines.push(
      command(
        'error',
        {
          file: error.file,
          ...(error.line === undefined ? {} : { line: error.line }),
          ...(error.column === undefined ? {} : { col: error.column }),
          title: `palisade: cannot read input (${error.code})`,
        },
        error.message,
      ),
    );
  }
  for (const failure of report.ruleFailures) {
    const on = failure.resource === undefined ? '' : ` on ${formatRef(failure.resource)}`;
    lines.push(
      command(
        'error',
        {
          ...(failure.file === undefined ? {} : { file: failure.file }),
          title: `palisade: rule ${failure.ruleId} failed`,
        },
        `Rule ${failure.ruleId} failed${on}: ${failure.message}`,
      ),
    );
  }
  for (const problem of report.suppressionProblems) {
    lines.push(
      command(
        problem.kind === 'invalid' ? 'error' : 'warning',
        {
          file: problem.file,
          ...(problem.line === undefined ? {} : { line: problem.line }),
          title: `palisade: ${problem.kind} suppression`,
        },
        problem.message,
      ),
    );
  }
  return lines.map((line) => `${line}\n`).join('');
}
