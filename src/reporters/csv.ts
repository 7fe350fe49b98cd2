// CSV exports (RFC 4180): the findings, one row each, and the compliance controls, one row per framework control.
// Cells a spreadsheet would take for a formula (=, +, -, @, tab, CR first) are prefixed with ' (CSV injection).
import { isClusterLocation, type FindingLocation } from '../core/model.ts';
import type { ReportContext } from '../core/report.ts';
import { allFindings, isSuppressed, sortedControls } from './shared.ts';

type Cell = string | number | undefined;

/** One CSV cell: quoted when it holds a comma, quote or line break; neutralised when it could start a formula. */
export function csvCell(value: Cell): string {
  if (value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (cells: readonly Cell[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const FINDINGS_CSV_COLUMNS = [
  'severity',
  'status',
  'ruleId',
  'title',
  'category',
  'message',
  'apiVersion',
  'kind',
  'namespace',
  'name',
  'file',
  'line',
  'column',
  'cluster',
  'path',
  'controls',
  'suppression',
  'fingerprint',
] as const;

function locationCells(location: FindingLocation): Cell[] {
  if (isClusterLocation(location)) return [undefined, undefined, undefined, location.cluster.context, location.path];
  return [location.file, location.line, location.column, undefined, location.path];
}

/** Findings and suppressed findings (status `suppressed`, with the reason), in the report's order. */
export function* streamFindingsCsv(context: ReportContext): Generator<string> {
  yield row(FINDINGS_CSV_COLUMNS);
  for (const finding of allFindings(context)) {
    const suppressed = isSuppressed(finding);
    yield row([
      finding.severity,
      suppressed ? 'suppressed' : 'open',
      finding.ruleId,
      finding.title,
      finding.category,
      finding.message,
      finding.resource.apiVersion,
      finding.resource.kind,
      finding.resource.namespace,
      finding.resource.name,
      ...locationCells(finding.location),
      sortedControls(finding.controls).join(' '),
      suppressed ? finding.suppression.reason : undefined,
      finding.fingerprint,
    ]);
  }
}

export const CONTROLS_CSV_COLUMNS = ['framework', 'version', 'control', 'title', 'section', 'assessment', 'status', 'severity', 'weight', 'findings', 'rules', 'reason'] as const;

/** Every control of every framework in the report's `compliance`, in catalogue order. */
export function* streamControlsCsv(context: ReportContext): Generator<string> {
  yield row(CONTROLS_CSV_COLUMNS);
  for (const summary of context.report.compliance ?? []) {
    for (const control of summary.controls) {
      yield row([
        summary.framework,
        summary.version,
        control.id.slice(summary.framework.length + 1),
        control.title,
        control.section,
        control.assessment,
        control.status,
        control.severity,
        control.weight,
        control.findings,
        control.rules.join(' '),
        control.reason,
      ]);
    }
  }
}
