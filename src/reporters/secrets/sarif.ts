// SARIF 2.1.0 for secret scans: one reporting descriptor per detector that fired, one result per secret.
import { detectorInfo } from '../../analysers/secrets/catalogue.ts';
import { describePlace, describeSecret, type SecretsReport } from '../../analysers/secrets/report.ts';
import { artifactLocation, pascalCase, SARIF_SCHEMA_URI } from '../sarif.ts';

const LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note' } as const;
const SECURITY_SEVERITY = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' } as const;

export function secretsSarif(report: SecretsReport): string {
  const detectorIds = [...new Set(report.secrets.map((secret) => secret.detectorId))].sort();
  const index = new Map(detectorIds.map((id, position) => [id, position]));
  const rules = detectorIds.map((id) => {
    const info = detectorInfo(id);
    return {
      id,
      name: pascalCase(id),
      shortDescription: { text: info.title },
      fullDescription: { text: info.description },
      help: { text: 'Revoke and rotate the credential, remove it from the file (and from history), and load it from a Secret, a mounted file or an external secret store.' },
      defaultConfiguration: { level: LEVEL[info.severity] },
      properties: { tags: ['security', 'secret'], 'security-severity': SECURITY_SEVERITY[info.severity], precision: 'high' },
    };
  });
  const results = report.secrets.map((secret) => {
    const place = describePlace(secret);
    return {
      ruleId: secret.detectorId,
      ruleIndex: index.get(secret.detectorId)!,
      level: LEVEL[secret.severity],
      message: { text: `${secret.title}: ${describeSecret(secret)}${place ? ` at ${place}` : ''}${secret.commit ? ` (added in ${secret.commit.commit.slice(0, 12)})` : ''}` },
      locations: [
        {
          physicalLocation: { artifactLocation: artifactLocation(secret.file), region: { startLine: secret.line, startColumn: secret.column } },
          ...(secret.path !== undefined ? { logicalLocations: [{ fullyQualifiedName: secret.path, kind: 'member' }] } : {}),
        },
      ],
      partialFingerprints: { 'palisadeSecret/v1': secret.fingerprint },
      properties: {
        redacted: secret.redacted,
        layer: secret.layer,
        ...(secret.inner !== undefined ? { inner: secret.inner } : {}),
        ...(secret.resource !== undefined ? { resource: secret.resource } : {}),
        ...(secret.commit !== undefined ? { commit: secret.commit } : {}),
      },
    };
  });
  const run = {
    tool: { driver: { name: 'palisade', version: report.tool.version, informationUri: 'https://github.com/palisade-sec/palisade', rules } },
    ...(report.target.kind === 'files' ? { originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory palisade ran in.' } } } } : {}),
    results,
    invocations: [
      {
        executionSuccessful: report.errors.length === 0,
        toolExecutionNotifications: report.errors.map((error) => ({
          level: 'error',
          message: { text: error.message },
          locations: [{ physicalLocation: { artifactLocation: artifactLocation(error.file) } }],
        })),
      },
    ],
  };
  return `${JSON.stringify({ $schema: SARIF_SCHEMA_URI, version: '2.1.0', runs: [run] }, null, 2)}\n`;
}
