import { formatRef } from '../../core/inventory.ts';
import { describePlace, describeSecret, type SecretsReport } from '../../analysers/secrets/report.ts';

/** Grouped by file, one line per secret: where, what, the redacted preview. Colour only on a terminal. */
export function secretsTable(report: SecretsReport, colour: boolean): string {
  const paint = (code: string, text: string): string => (colour ? `\u001b[${code}m${text}\u001b[0m` : text);
  const severityColour = { critical: '1;31', high: '31', medium: '33', low: '36' } as const;
  const lines: string[] = [];
  let currentFile: string | undefined;
  for (const secret of report.secrets) {
    if (secret.file !== currentFile) {
      if (currentFile !== undefined) lines.push('');
      lines.push(paint('1', secret.file));
      currentFile = secret.file;
    }
    const where = `${secret.line}:${secret.column}`.padEnd(9);
    const severity = paint(severityColour[secret.severity], secret.severity.padEnd(8));
    lines.push(`  ${where} ${severity} ${secret.detectorId}  ${describeSecret(secret)}`);
    const details = [
      secret.resource !== undefined ? formatRef(secret.resource) : undefined,
      describePlace(secret) || undefined,
      secret.commit !== undefined ? `commit ${secret.commit.commit.slice(0, 12)} by ${secret.commit.author} on ${secret.commit.authorDate}` : undefined,
    ].filter((part) => part !== undefined);
    if (details.length > 0) lines.push(`  ${' '.repeat(9)} ${' '.repeat(8)} ${paint('2', details.join(' · '))}`);
  }
  if (report.secrets.length > 0) lines.push('');
  for (const error of report.errors) lines.push(`error: ${error.file}${error.line !== undefined ? `:${error.line}` : ''}: ${error.message}`);
  for (const skipped of report.skipped) lines.push(`skipped: ${skipped.file}: ${skipped.reason}`);
  if (report.errors.length + report.skipped.length > 0) lines.push('');
  const { summary } = report;
  const counts = (['critical', 'high', 'medium', 'low'] as const).filter((severity) => summary.bySeverity[severity] > 0).map((severity) => `${summary.bySeverity[severity]} ${severity}`);
  const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;
  const scanned = report.target.kind === 'git' ? `${plural(summary.commits ?? 0, 'commit')} (${plural(summary.files, 'file change')})` : plural(summary.files, 'file');
  lines.push(
    summary.secrets === 0
      ? `No secrets found in ${scanned}.`
      : `${summary.secrets} secret${summary.secrets === 1 ? '' : 's'} found in ${scanned}: ${counts.join(', ')}. Values are never shown: a preview, the length and a SHA-256 prefix identify each.`,
  );
  return `${lines.join('\n')}\n`;
}
