import { createHash } from 'node:crypto';

/** What may be shown of a secret: a few leading characters, its length, and a hash to correlate hits. */
export interface RedactedSecret {
  /** At most the first 4 characters, fewer for short secrets (a quarter of 16 characters is 2). */
  readonly preview: string;
  readonly length: number;
  /** `sha256:` and the first 12 hex digits of the SHA-256 of the secret: equal secrets hash equal. */
  readonly hash: string;
}

export function redactSecret(secret: string): RedactedSecret {
  const length = [...secret].length;
  const shown = Math.min(4, Math.floor(length / 8));
  const preview = [...secret].slice(0, shown).join('');
  const hash = `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 12)}`;
  return { preview, length, hash };
}

/** `"ghp_…" (40 chars, sha256:1a2b3c4d5e6f)`: how every output names a secret. */
export function describeRedacted(redacted: RedactedSecret): string {
  return `"${redacted.preview}…" (${redacted.length} chars, ${redacted.hash})`;
}
