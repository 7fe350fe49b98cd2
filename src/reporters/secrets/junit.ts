// JUnit XML for secret scans: one suite per file with secrets, one failing case per secret.
import { formatRef } from '../../core/inventory.ts';
import { describePlace, describeSecret, type SecretsReport } from '../../analysers/secrets/report.ts';
import { escapeAttribute, escapeText } from '../junit.ts';

export function secretsJunit(report: SecretsReport): string {
  const byFile = new Map<string, SecretsReport['secrets'][number][]>();
  for (const secret of report.secrets) byFile.set(secret.file, [...(byFile.get(secret.file) ?? []), secret]);
  const suites: string[] = [];
  for (const [file, secrets] of byFile) {
    const cases = secrets.map((secret) => {
      const place = describePlace(secret);
      const body = [
        `${secret.title} at ${file}:${secret.line}:${secret.column}`,
        `Value: ${describeSecret(secret)}`,
        ...(place ? [`Field: ${place}`] : []),
        ...(secret.resource ? [`Object: ${formatRef(secret.resource)}`] : []),
        ...(secret.commit ? [`Commit: ${secret.commit.commit} (${secret.commit.author}, ${secret.commit.authorDate})`] : []),
      ].join('\n');
      const name = `${secret.detectorId} at ${secret.line}:${secret.column}${secret.commit ? ` in ${secret.commit.commit.slice(0, 12)}` : ''}`;
      return `    <testcase classname="${escapeAttribute(file)}" name="${escapeAttribute(name)}"><failure message="${escapeAttribute(`${secret.title}: ${describeSecret(secret)}`)}" type="${escapeAttribute(secret.severity)}">${escapeText(body)}</failure></testcase>`;
    });
    suites.push(`  <testsuite name="${escapeAttribute(file)}" tests="${secrets.length}" failures="${secrets.length}" errors="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  for (const error of report.errors) {
    suites.push(`  <testsuite name="${escapeAttribute(error.file)}" tests="1" failures="0" errors="1">\n    <testcase classname="palisade" name="${escapeAttribute(`read ${error.file}`)}"><error message="${escapeAttribute(error.message)}" type="${escapeAttribute(error.code)}"/></testcase>\n  </testsuite>`);
  }
  if (suites.length === 0) {
    suites.push(`  <testsuite name="secrets" tests="1" failures="0" errors="0">\n    <testcase classname="palisade" name="no secrets in ${report.summary.files} files"/>\n  </testsuite>`);
  }
  const tests = Math.max(1, report.secrets.length + report.errors.length);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="palisade secrets" tests="${tests}" failures="${report.secrets.length}" errors="${report.errors.length}">\n${suites.join('\n')}\n</testsuites>\n`;
}
