import { describeRedacted, isSecretName, type SecretHit } from '../../analysers/secrets/index.ts';

/** `Database connection string with a password "p…" (12 chars, sha256:86d0d2ad6ee0)`: what a message says. */
export function describeHit(hit: SecretHit): string {
  return `${hit.title} ${describeRedacted(hit.redacted)}${hit.inner !== undefined ? ` at ${hit.inner}` : ''}`;
}

const PLACEHOLDER = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|<[^>]*>|changeme|change-me|placeholder|redacted|x+|\*+|none|null|false|true)$/i;

// References resolved at run time by a secret manager or injector: the manifest holds no secret.
const SECRET_REFERENCE = /^(?:vault:|ref\+|arn:aws:secretsmanager:|arn:aws:ssm:|sm:\/\/|gcp:secretmanager:|projects\/[^/]+\/secrets\/|azurekeyvault:|akv:|op:\/\/|doppler:|secret:\/\/)/i;

/** Whether env-literal-secret reports this env item (hardcoded-secret leaves those to it): a secret-named variable with a literal value. */
export function isLiteralSecretEnv(name: string, value: string): boolean {
  const text = value.trim();
  // `$(VAR)` anywhere means the value is assembled from other variables, typically secretKeyRef ones.
  return text !== '' && !PLACEHOLDER.test(text) && !text.includes('$(') && !SECRET_REFERENCE.test(text) && isSecretName(name);
}
