// Output formats of `palisade secrets scan`. Every one shows a secret only as its redacted preview, length and hash.
import type { SecretsReport } from '../../analysers/secrets/report.ts';
import { secretsJson } from './json.ts';
import { secretsJunit } from './junit.ts';
import { secretsSarif } from './sarif.ts';
import { secretsTable } from './table.ts';

export const SECRETS_FORMATS = ['table', 'json', 'sarif', 'junit'] as const;
export type SecretsFormat = (typeof SECRETS_FORMATS)[number];

export function formatSecretsReport(report: SecretsReport, format: SecretsFormat, colour = false): string {
  switch (format) {
    case 'table':
      return secretsTable(report, colour);
    case 'json':
      return secretsJson(report);
    case 'sarif':
      return secretsSarif(report);
    case 'junit':
      return secretsJunit(report);
  }
}
