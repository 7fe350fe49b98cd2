// The reporters' entry module: every output format by name. Reporters are pure: ReportContext in, text out.
import type { Reporter, StreamingReporter } from '../core/report.ts';
import { streamControlsCsv, streamFindingsCsv } from './csv.ts';
import { reportGithub } from './github.ts';
import { htmlReport, streamHtml } from './html/index.ts';
import { reportJson, streamJson } from './json.ts';
import { reportJunit } from './junit.ts';
import { streamMarkdown } from './markdown.ts';
import { reportSarif } from './sarif.ts';
import { reportTable, streamTable } from './table.ts';

export const REPORT_FORMATS = ['table', 'json', 'sarif', 'junit', 'github', 'csv', 'controls-csv', 'markdown', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const joined = (stream: StreamingReporter): Reporter => (context) => [...stream(context)].join('');

export const REPORTERS: Readonly<Record<ReportFormat, Reporter>> = Object.freeze({
  table: reportTable,
  json: reportJson,
  sarif: reportSarif,
  junit: reportJunit,
  github: reportGithub,
  csv: joined(streamFindingsCsv),
  'controls-csv': joined(streamControlsCsv),
  markdown: joined(streamMarkdown),
  html: htmlReport,
});

/** The same reports in pieces, for writing large ones without holding them whole. */
export const REPORT_STREAMS: Readonly<Record<ReportFormat, StreamingReporter>> = Object.freeze({
  table: streamTable,
  json: streamJson,
  sarif: (context) => [reportSarif(context)],
  junit: (context) => [reportJunit(context)],
  github: (context) => [reportGithub(context)],
  csv: streamFindingsCsv,
  'controls-csv': streamControlsCsv,
  markdown: streamMarkdown,
  html: streamHtml,
});

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export { reportGithub, reportJson, reportJunit, reportSarif, reportTable };
