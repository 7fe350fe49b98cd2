import { SECRETS_REPORT_SCHEMA_VERSION, type SecretsReport } from '../../analysers/secrets/report.ts';

/** The report as JSON; secrets appear only as their redacted preview, length and hash. */
export function secretsJson(report: SecretsReport): string {
  return `${JSON.stringify(
    {
      schemaVersion: SECRETS_REPORT_SCHEMA_VERSION,
      tool: report.tool,
      target: report.target,
      failOn: report.failOn,
      summary: report.summary,
      secrets: report.secrets.map((secret) => ({
        detector: secret.detectorId,
        title: secret.title,
        severity: secret.severity,
        file: secret.file,
        line: secret.line,
        column: secret.column,
        ...(secret.path !== undefined ? { path: secret.path } : {}),
        ...(secret.resource !== undefined ? { resource: secret.resource } : {}),
        layer: secret.layer,
        ...(secret.inner !== undefined ? { inner: secret.inner } : {}),
        ...(secret.commit !== undefined ? { commit: secret.commit } : {}),
        redacted: secret.redacted,
        fingerprint: secret.fingerprint,
      })),
      skipped: report.skipped,
      errors: report.errors,
    },
    null,
    2,
  )}\n`;
}
