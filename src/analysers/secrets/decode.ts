import { gunzipSync } from 'node:zlib';

// Bounded decoders for the places Kubernetes encodes secrets: base64 Secret data, Docker config JSON, and Helm
// release records (base64, base64 again, gzip, JSON). Every step is capped so a crafted input cannot blow up.

/** Encoded values above this are not decoded (a Secret holds at most 1 MiB; leave room for base64 of base64). */
export const MAX_ENCODED_CHARS = 4 * 1024 * 1024;
/** Gunzip stops here: a Helm release of many revisions is a few MiB; a gzip bomb is not. */
export const MAX_INFLATED_BYTES = 32 * 1024 * 1024;

const BASE64 = /^[A-Za-z0-9+/\r\n]{1,}={0,2}\s*$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Standard base64 to bytes; undefined when the text is not base64 or too long. */
export function decodeBase64Bytes(text: string): Buffer | undefined {
  if (text.length === 0 || text.length > MAX_ENCODED_CHARS || !BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** Base64 of UTF-8 text to the text; undefined for binary content (keystores, DER, images). */
export function decodeBase64Text(text: string): string | undefined {
  const bytes = decodeBase64Bytes(text);
  if (bytes === undefined || bytes.includes(0)) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function gunzipBounded(bytes: Buffer): Buffer | undefined {
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return undefined;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch {
    return undefined; // corrupt, or larger than the cap
  }
}

export type HelmReleaseDecoding =
  | { readonly ok: true; readonly release: unknown }
  | { readonly ok: false; readonly reason: string };

/**
 * A Helm 3 release record (`data.release` of a `helm.sh/release.v1` Secret, already base64-decoded once by the
 * caller or not): base64 → gzip → JSON. Accepts the value as stored in the Secret's `data` (base64 of base64).
 */
export function decodeHelmRelease(storedValue: string): HelmReleaseDecoding {
  // As stored in `data`: base64 (Kubernetes) of base64 (Helm) of gzip. `stringData` or a decoded value: one less.
  let text: string | undefined = storedValue;
  for (let layer = 0; layer < 3 && text !== undefined; layer++) {
    const bytes = decodeBase64Bytes(text);
    if (bytes === undefined) return { ok: false, reason: 'not base64' };
    const inflated = gunzipBounded(bytes);
    if (inflated !== undefined) {
      try {
        return { ok: true, release: JSON.parse(inflated.toString('utf8')) as unknown };
      } catch {
        return { ok: false, reason: 'not JSON after gunzip' };
      }
    }
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      return { ok: false, reason: `corrupt or above ${MAX_INFLATED_BYTES / 1048576} MiB uncompressed` };
    }
    text = bytes.toString('latin1');
  }
  return { ok: false, reason: 'no gzip data after three base64 layers' };
}
