// `palisade report --compare`: a ReportComparison as a table, JSON or Markdown.
import type { Finding } from '../core/findings.ts';
import { isClusterLocation, SEVERITIES } from '../core/model.ts';
import type { FrameworkChange, ReportComparison } from '../scan/compare-reports.ts';
import { markdownText } from './markdown.ts';
import { plural, qualifiedName } from './shared.ts';

export const COMPARISON_FORMATS = ['table', 'json', 'markdown'] as const;
export type ComparisonFormat = (typeof COMPARISON_FORMATS)[number];

const signed = (value: number | null): string => (value === null ? 'n/a' : `${value > 0 ? '+' : ''}${value}`);
const pct = (value: number | null): string => (value === null ? 'n/a' : `${value}%`);

function where(finding: Finding): string {
  const location = finding.location;
  return isClusterLocation(location) ? `${location.cluster.context} ${qualifiedName(finding.resource)}` : `${location.file}:${location.line}:${location.column}`;
}

function frameworkLine(change: FrameworkChange): string {
  return `${change.name} ${change.version}: score ${pct(change.score.from)} → ${pct(change.score.to)} (${signed(change.score.change)}), coverage ${pct(change.coverage.from)} → ${pct(change.coverage.to)} (${signed(change.coverage.change)})`;
}

function comparisonTable(comparison: ReportComparison): string {
  const lines: string[] = [];
  for (const [label, findings] of [['NEW', comparison.new], ['FIXED', comparison.fixed]] as const) {
    lines.push(`${label} (${findings.length}):`);
    for (const finding of findings) lines.push(`  ${finding.severity.padEnd(8)} ${finding.ruleId}  ${where(finding)}  ${finding.message}`);
    lines.push('');
  }
  for (const change of comparison.frameworks) {
    lines.push(frameworkLine(change));
    for (const control of change.controls) lines.push(`  ${control.id}: ${control.from} → ${control.to}  ${control.title}`);
  }
  if (comparison.frameworks.length > 0) lines.push('');
  const severities = SEVERITIES.filter((s) => comparison.bySeverity[s].new + comparison.bySeverity[s].fixed > 0).map((s) => `${s} +${comparison.bySeverity[s].new}/-${comparison.bySeverity[s].fixed}`);
  lines.push(`${plural(comparison.new.length, 'new finding')}, ${comparison.fixed.length} fixed, ${comparison.unchanged.length} unchanged${severities.length > 0 ? ` (${severities.join(', ')})` : ''}.`);
  return `${lines.join('\n')}\n`;
}

function comparisonMarkdown(comparison: ReportComparison): string {
  const out: string[] = ['# Palisade: changes between two reports', ''];
  out.push(`**${comparison.new.length} new**, **${comparison.fixed.length} fixed**, ${comparison.unchanged.length} unchanged findings.`, '');
  if (comparison.frameworks.length > 0) {
    out.push('| Framework | Score | Change | Coverage | Change | Controls changed |', '| --- | --- | ---: | --- | ---: | ---: |');
    for (const c of comparison.frameworks) {
      out.push(`| ${markdownText(`${c.name} ${c.version}`)} | ${pct(c.score.from)} → ${pct(c.score.to)} | ${signed(c.score.change)} | ${pct(c.coverage.from)} → ${pct(c.coverage.to)} | ${signed(c.coverage.change)} | ${c.controls.length} |`);
    }
    out.push('');
  }
  for (const [label, findings] of [['New findings', comparison.new], ['Fixed findings', comparison.fixed]] as const) {
    out.push(`## ${label}`, '');
    if (findings.length === 0) {
      out.push('None.', '');
      continue;
    }
    out.push('| Severity | Rule | Where | Message |', '| --- | --- | --- | --- |');
    for (const f of findings) out.push(`| ${f.severity} | \`${f.ruleId}\` | ${markdownText(where(f))} | ${markdownText(f.message)} |`);
    out.push('');
  }
  return `${out.join('\n')}`;
}

export function renderComparison(comparison: ReportComparison, format: ComparisonFormat): string {
  if (format === 'json') {
    const { fixed, new: added, unchanged, bySeverity, frameworks } = comparison;
    return `${JSON.stringify({ summary: { new: added.length, fixed: fixed.length, unchanged: unchanged.length, bySeverity }, frameworks, new: added, fixed, unchanged: unchanged.map((f) => f.fingerprint) }, null, 2)}\n`;
  }
  return format === 'markdown' ? comparisonMarkdown(comparison) : comparisonTable(comparison);
}
