import { shannonEntropy } from './entropy.ts';
import { secretKeyKind } from './key-names.ts';
import { isUnlikelyGenericSecret } from './not-secret.ts';

/** Detectors without a provider format: a secret-sounding name with a value that looks like a credential. */
export const GENERIC_DETECTORS = {
  'generic-password': {
    title: 'Password assigned to a password-named key',
    description: 'A key, variable or flag named like a password (password, passwd, pwd, passphrase) holds a literal value.',
  },
  'generic-secret': {
    title: 'Secret-looking value assigned to a secret-named key',
    description:
      'A key, variable or flag named like a secret, token, API key or private key holds a long, random-looking literal value.',
  },
} as const;
export type GenericDetectorId = keyof typeof GENERIC_DETECTORS;

export interface GenericMatch {
  readonly detectorId: GenericDetectorId;
  /** Offsets of the secret inside the value given. */
  readonly start: number;
  readonly end: number;
  readonly secret: string;
}

const AUTH_SCHEME = /^(?:Bearer|Basic|Token|Digest|ApiKey|Bot)\s{1,4}/i;

/** Judges a value by the name it is assigned to. `value` is the literal as written (quotes already removed). */
export function detectByName(name: string, value: string): GenericMatch | undefined {
  const kind = secretKeyKind(name);
  if (kind === undefined) return undefined;
  let start = value.length - value.trimStart().length;
  let secret = value.trim();
  const scheme = AUTH_SCHEME.exec(secret);
  if (scheme) {
    start += scheme[0].length;
    secret = secret.slice(scheme[0].length);
  }
  if (secret.length > 1024 || isUnlikelyGenericSecret(secret)) return undefined;
  if (kind === 'password') {
    if (secret.length < 6 || shannonEntropy(secret) < 2) return undefined;
    return { detectorId: 'generic-password', start, end: start + secret.length, secret };
  }
  if (secret.length < 12 || shannonEntropy(secret) < 3 || !/[0-9]/.test(secret) || !/[A-Za-z]/.test(secret)) return undefined;
  return { detectorId: 'generic-secret', start, end: start + secret.length, secret };
}

// `key: value`, `KEY=value`, `"key": "value"`, `export KEY="value"`, `--key=value`, `key = 'value'`: one per line.
const ASSIGNMENT = /^[ \t]{0,200}(?:-[ \t]{1,10})?(?:export[ \t]{1,10})?(?:--?)?["']?(?<name>[A-Za-z0-9_.-]{1,100})["']?[ \t]{0,10}(?::|=|:=)[ \t]{0,10}(?<quote>["'`]?)(?<value>[^\s"'`#;,]{1,1024})/;

export interface LineAssignmentMatch extends GenericMatch {
  readonly name: string;
}

/** Generic detection on one line of plain text (env files, scripts, properties, non-Kubernetes YAML). */
export function detectAssignmentInLine(line: string): LineAssignmentMatch | undefined {
  const match = ASSIGNMENT.exec(line);
  if (!match?.groups) return undefined;
  const name = match.groups['name']!;
  const value = match.groups['value']!;
  const hit = detectByName(name, value);
  if (!hit) return undefined;
  const offset = match.index + match[0].length - value.length;
  return { ...hit, name, start: offset + hit.start, end: offset + hit.end };
}
