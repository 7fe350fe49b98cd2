// The reporters' entry module: every output format by name. Reporters are pure: ReportContext in, text out.
import type { Reporter } from '../core/report.ts';
import { reportGithub } from './github.ts';
import { reportJson } from './json.ts';
import { reportJunit } from './junit.ts';
import { reportSarif } from './sarif.ts';
import { reportTable } from './table.ts';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const REPORTERS: Readonly<Record<ReportFormat, Reporter>> = Object.freeze({
  table: reportTable,
  json: reportJson,
  sarif: reportSarif,
  junit: reportJunit,
  github: reportGithub,
});

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export { reportGithub, reportJson, reportJunit, reportSarif, reportTable };
