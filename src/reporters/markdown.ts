// A Markdown report (GitHub-flavoured tables): summary, each framework's score, coverage and controls, the findings.
// For pull-request comments, wikis and tickets. Text from the report is escaped so it cannot break a table or
// turn into links, images or HTML.
import { isClusterLocation, SEVERITIES } from '../core/model.ts';
import type { ComplianceSummary, ReportContext } from '../core/report.ts';
import { COVERAGE_FORMULA, SCORE_FORMULA } from '../analysers/compliance/evaluate.ts';
import { allFindings, isSuppressed, plural, qualifiedName } from './shared.ts';

/** Markdown-inert text: table pipes, emphasis, links, HTML and line breaks escaped. */
export function markdownText(text: string): string {
  return text.replace(/[\\`*_{}[\]<>|~]/g, (c) => `\\${c}`).replace(/\r\n?|\n/g, ' ');
}

const percent = (value: number | null): string => (value === null ? 'n/a' : `${value}%`);

const STATUS_BADGE = { pass: '✅ pass', fail: '❌ fail', manual: '👤 manual', 'not-applicable': '➖ not applicable', 'not-evaluated': '❔ not evaluated' } as const;

function* frameworkSection(summary: ComplianceSummary): Generator<string> {
  const { score, coverage, counts } = summary;
  const scope = summary.scope === 'all' ? '' : ` (${markdownText(summary.scope)})`;
  yield `## ${markdownText(summary.name)} ${markdownText(summary.version)}${scope}\n\n`;
  yield `**Score ${percent(score.value)}** = 100 × ${score.passedWeight} / ${score.evaluatedWeight} (passed / evaluated severity-weighted points). `;
  yield `**Coverage ${percent(coverage.percent)}**: ${coverage.evaluated} of ${coverage.applicable} applicable controls evaluated.\n\n`;
  yield `${counts.pass} pass, ${counts.fail} fail, ${counts.manual} manual, ${counts['not-applicable']} not applicable, ${counts['not-evaluated']} not evaluated.\n\n`;
  if (coverage.gaps.length > 0) {
    yield 'Not evaluated, and why:\n\n';
    for (const gap of coverage.gaps) yield `- ${markdownText(gap.reason)}: ${plural(gap.controls, 'control')}\n`;
    yield '\n';
  }
  yield '| Control | Title | Status | Findings | Rules / reason |\n| --- | --- | --- | ---: | --- |\n';
  for (const control of summary.controls) {
    const detail = control.status === 'pass' || control.status === 'fail' ? control.rules.map((rule) => `\`${rule}\``).join(', ') : markdownText(control.reason ?? '');
    yield `| ${markdownText(control.id.slice(summary.framework.length + 1))} | ${markdownText(control.title)} | ${STATUS_BADGE[control.status]} | ${control.findings} | ${detail} |\n`;
  }
  yield '\n';
}

export function* streamMarkdown(context: ReportContext): Generator<string> {
  const { report } = context;
  const { summary } = report;
  yield `# Palisade report\n\n`;
  const target = report.cluster ? `cluster ${markdownText(report.cluster.context)} (${markdownText(report.cluster.server)}), Kubernetes ${markdownText(report.cluster.serverVersion)}` : plural(summary.files, 'input file');
  yield `Palisade ${markdownText(report.tool.version)} scanned ${target}: ${plural(summary.objects, 'object')}, ${plural(summary.podTemplates, 'pod template')}.\n\n`;
  yield '| Severity | Findings |\n| --- | ---: |\n';
  for (const severity of SEVERITIES) yield `| ${severity} | ${summary.bySeverity[severity]} |\n`;
  yield `\n${plural(summary.findings, 'finding')}, ${summary.suppressed} suppressed, ${summary.baselined} in the baseline, ${plural(summary.errors, 'input error')}.\n\n`;
  if ((report.compliance ?? []).length > 0) {
    yield `> ${markdownText(SCORE_FORMULA)}. ${markdownText(COVERAGE_FORMULA)}.\n\n`;
    for (const framework of report.compliance ?? []) yield* frameworkSection(framework);
  }
  yield '## Findings\n\n';
  const findings = allFindings(context);
  if (findings.length === 0) {
    yield 'No findings.\n';
    return;
  }
  yield '| Severity | Rule | Resource | Location | Message |\n| --- | --- | --- | --- | --- |\n';
  for (const finding of findings) {
    const where = isClusterLocation(finding.location) ? `${finding.location.cluster.context}: ${finding.location.path}` : `${finding.location.file}:${finding.location.line}:${finding.location.column}`;
    const message = isSuppressed(finding) ? `${finding.message} (suppressed: ${finding.suppression.reason})` : finding.message;
    yield `| ${finding.severity} | \`${finding.ruleId}\` | ${markdownText(qualifiedName(finding.resource))} | ${markdownText(where)} | ${markdownText(message)} |\n`;
  }
}
