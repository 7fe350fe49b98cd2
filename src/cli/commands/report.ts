// `palisade report`: a saved JSON report rendered again (any format, HTML and PDF too), its compliance worked out
// for other frameworks from its `evaluation`, or two reports compared.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { atOrAbove } from '../../core/findings.ts';
import { isJsonObject, isSeverity, SEVERITIES, type Severity } from '../../core/model.ts';
import type { ScanReport } from '../../core/report.ts';
import { COMPARISON_FORMATS, renderComparison, type ComparisonFormat } from '../../reporters/comparison.ts';
import { ALL_RULES } from '../../rules/index.ts';
import { compareReports } from '../../scan/compare-reports.ts';
import { frameworkCompliance, ruleRequirements } from '../../scan/run-scan.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import { FRAMEWORK_OPTION, parseFrameworks } from './frameworks.ts';
import { NODE_SECTIONS } from './node.ts';
import { OUTPUT_FORMATS, parseOutputs, writeReport, type OutputFormat } from './report-output.ts';

const REPORT_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: `output on stdout: ${OUTPUT_FORMATS.filter((f) => f !== 'pdf').join(', ')} (default table); with --compare: ${COMPARISON_FORMATS.join(', ')}` },
  { name: 'output', short: 'o', type: 'string', multiple: true, value: 'FORMAT=FILE', description: 'also write a report to FILE, e.g. html=report.html, pdf=report.pdf' },
  FRAMEWORK_OPTION,
  { name: 'compare', type: 'boolean', description: 'compare two reports: OLD.json NEW.json' },
  { name: 'fail-on', type: 'string', value: 'SEVERITY', description: `exit 1 when a finding (with --compare: a new finding) is at or above: ${SEVERITIES.join(', ')}, none (default: the report's own)` },
  { name: 'no-color', type: 'boolean', description: 'no colours in the table output' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

export const REPORT_HELP = `Usage: palisade report [options] REPORT.json
       palisade report --compare [--format table|json|markdown] OLD.json NEW.json

Renders a JSON report saved by \`palisade scan -f json\` (or \`palisade node -f json\`) again: as a table, SARIF,
JUnit, CSV of findings (csv) or of control status (controls-csv), Markdown, a self-contained HTML page with charts
and graphs (html), or PDF (pdf, printed from the HTML page by Chromium: needs chromium on PATH or
PALISADE_CHROMIUM). With --framework, each framework's controls are judged from the report's findings and what
each rule judged (its \`evaluation\`): no new scan is needed.

With --compare it lists the findings fixed, new and unchanged between OLD and NEW (matched by fingerprint, so moved
or reformatted manifests match) and the change in score and coverage of every framework both reports have (with
--framework: worked out for both).

  palisade scan deploy/ -f json -o json=scan.json
  palisade report --framework cis-k8s --framework nist-800-53 -f html scan.json > report.html
  palisade report -o pdf=report.pdf --framework all scan.json
  palisade report --compare last-week.json scan.json

Options:
${formatOptions(REPORT_OPTIONS)}

Exit codes:
  0  no finding (with --compare: no new finding) at or above --fail-on
  1  such findings
  2  usage error, or a report that cannot be read
`;

/** A Palisade JSON report from a file, checked enough to render: schema major 2, its lists present. */
export function readReport(file: string, cwd: string): ScanReport {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not JSON (${error.message})` : error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'no such file' : String(error instanceof Error ? error.message : error);
    throw new UsageError(`${file}: cannot read a JSON report: ${reason}`);
  }
  if (!isJsonObject(raw) || typeof raw['schemaVersion'] !== 'string' || !Array.isArray(raw['findings'])) {
    throw new UsageError(`${file}: not a Palisade JSON report (expected schemaVersion and findings; write one with \`palisade scan -f json\`)`);
  }
  const major = raw['schemaVersion'].split('.')[0];
  if (major !== '2') throw new UsageError(`${file}: report schema ${raw['schemaVersion']} is not supported (this Palisade reads 2.x); scan again with this version`);
  for (const list of ['suppressed', 'errors', 'ruleFailures', 'suppressionProblems', 'skipped'] as const) {
    if (!Array.isArray(raw[list])) throw new UsageError(`${file}: not a complete Palisade report (no "${list}" list)`);
  }
  if (!isJsonObject(raw['summary']) || !isJsonObject(raw['evaluation']) || !Array.isArray(raw['evaluation']['rules'])) {
    throw new UsageError(`${file}: not a complete Palisade report (no "summary" or "evaluation")`);
  }
  return raw as unknown as ScanReport;
}

function withFrameworks(report: ScanReport, frameworks: ReturnType<typeof parseFrameworks>): ScanReport {
  if (frameworks.length === 0) return report;
  const evaluation = report.evaluation!;
  // A node report judged CIS sections 1-4 only; keep that scope when its framework is asked for again.
  const nodeScope = (report.compliance ?? []).some((summary) => summary.framework === NODE_SECTIONS.framework && summary.scope === NODE_SECTIONS.name);
  const compliance = frameworkCompliance({
    frameworks,
    ...(nodeScope ? { scope: NODE_SECTIONS } : {}),
    evaluation,
    requirements: ruleRequirements(ALL_RULES),
    findings: report.findings,
    suppressed: report.suppressed,
  });
  return { ...report, compliance };
}

function parseFailOn(text: string | undefined, fallback: Severity | 'none'): Severity | undefined {
  const value = text ?? fallback;
  if (value === 'none') return undefined;
  if (isSeverity(value)) return value;
  throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none; got ${JSON.stringify(text)}`);
}

export async function reportCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, REPORT_OPTIONS, 'report');
  if (values['help']) {
    io.stdout(REPORT_HELP);
    return 0;
  }
  const frameworks = parseFrameworks(values['framework'] as string[] | undefined);
  const format = values['format'] as string | undefined;
  if (values['compare']) {
    if (positionals.length !== 2) throw new UsageError('--compare needs two reports: OLD.json NEW.json');
    if (values['output'] !== undefined) throw new UsageError('--output is not available with --compare; use --format and redirect');
    const comparisonFormat = format ?? 'table';
    if (!(COMPARISON_FORMATS as readonly string[]).includes(comparisonFormat)) throw new UsageError(`with --compare, --format must be one of ${COMPARISON_FORMATS.join(', ')}`);
    const [older, newer] = positionals.map((file) => withFrameworks(readReport(file, io.cwd), frameworks)) as [ScanReport, ScanReport];
    const comparison = compareReports(older, newer);
    io.stdout(renderComparison(comparison, comparisonFormat as ComparisonFormat));
    const failOn = parseFailOn(values['fail-on'] as string | undefined, newer.settings.failOn);
    return failOn !== undefined && comparison.new.some((finding) => atOrAbove(finding.severity, failOn)) ? 1 : 0;
  }
  if (positionals.length !== 1) throw new UsageError('palisade report needs one REPORT.json (or --compare OLD.json NEW.json); see `palisade report --help`');
  const stdoutFormat = format ?? 'table';
  if (stdoutFormat === 'pdf') throw new UsageError('PDF is binary: write it to a file with --output pdf=FILE');
  if (!(OUTPUT_FORMATS as readonly string[]).includes(stdoutFormat)) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.filter((f) => f !== 'pdf').join(', ')}, got ${JSON.stringify(stdoutFormat)}`);
  const outputs = parseOutputs((values['output'] as string[] | undefined) ?? [], OUTPUT_FORMATS);

  const saved = readReport(positionals[0]!, io.cwd);
  const failOn = parseFailOn(values['fail-on'] as string | undefined, saved.settings.failOn);
  const report = withFrameworks(saved, frameworks);
  const ran = new Set(report.evaluation?.rules.map((rule) => rule.id) ?? report.findings.map((finding) => finding.ruleId));
  const rules = ALL_RULES.filter((rule) => ran.has(rule.meta.id)).map((rule) => rule.meta);
  const color = stdoutFormat === 'table' && io.stdoutIsTTY && !values['no-color'] && io.env['NO_COLOR'] === undefined;
  await writeReport({ format: stdoutFormat as OutputFormat }, { report, rules, color }, io);
  for (const output of outputs) await writeReport(output, { report, rules, color: false }, io);
  return failOn !== undefined && report.findings.some((finding) => atOrAbove(finding.severity, failOn)) ? 1 : 0;
}
