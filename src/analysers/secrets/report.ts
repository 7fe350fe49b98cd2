import type { InputError } from '../../core/report.ts';
import type { LocatedSecret } from './scan-source.ts';
import { hash128Hex } from '../../core/hash.ts';

/** Version of the `palisade secrets scan --format json` schema (schema/secrets-report.schema.json). */
export const SECRETS_REPORT_SCHEMA_VERSION = '1.0';

/** The commit that added a secret, for history scans. */
export interface CommitRef {
  readonly commit: string;
  readonly authorDate: string;
  readonly author: string;
}

export interface SecretFinding extends LocatedSecret {
  readonly commit?: CommitRef;
  /** Stable across runs: detector, file, field (or line) and the secret's hash; plus the commit for history. */
  readonly fingerprint: string;
}

export interface SecretsReport {
  readonly tool: { readonly name: 'palisade'; readonly version: string };
  readonly target:
    | { readonly kind: 'files'; readonly paths: readonly string[] }
    | { readonly kind: 'git'; readonly repository: string; readonly range?: string };
  readonly summary: {
    readonly files: number;
    readonly bytes: number;
    readonly commits?: number;
    readonly secrets: number;
    readonly bySeverity: Readonly<Record<'critical' | 'high' | 'medium' | 'low', number>>;
    readonly failing: number;
    readonly skipped: number;
    readonly errors: number;
  };
  readonly secrets: readonly SecretFinding[];
  /** Files left out on purpose (binary, too large), with why. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  readonly errors: readonly InputError[];
  /** The threshold the exit code used. */
  readonly failOn: 'critical' | 'high' | 'medium' | 'low' | 'none';
}

export function secretFingerprint(secret: LocatedSecret, commit?: CommitRef): string {
  const place = secret.path !== undefined ? `${secret.path}${secret.inner !== undefined ? `::${secret.inner}` : ''}` : `line:${secret.line}`;
  return hash128Hex(`${secret.detectorId}\u0000${secret.file}\u0000${place}\u0000${secret.redacted.hash}\u0000${commit?.commit ?? ''}`);
}

/** `"ghp_…" (40 chars, sha256:…)`: the one way any output shows a secret. */
export function describeSecret(secret: LocatedSecret): string {
  return `"${secret.redacted.preview}…" (${secret.redacted.length} chars, ${secret.redacted.hash})`;
}

/** Where the secret sits, in words: the field, and inside a decoded value where. */
export function describePlace(secret: LocatedSecret): string {
  const layer =
    secret.layer === 'last-applied'
      ? ' in the last-applied-configuration annotation'
      : secret.layer === 'helm-release'
        ? ' in a decoded Helm release'
        : secret.layer === 'docker-config'
          ? ' in a Docker registry config'
          : secret.layer === 'secret-data'
            ? ' in Secret data'
            : '';
  const inner = secret.inner !== undefined ? ` at ${secret.inner}` : '';
  return `${secret.path ?? ''}${layer}${inner}`.trim();
}
