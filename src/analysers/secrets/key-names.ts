// What a key, variable or flag name says about its value: a password, a token or key, or neither.

const PASSWORD_WORD = /(?:^|_)(?:PASSWORD|PASSWD|PASSWORT|PWD|PASS|PASSPHRASE|PASSCODE)(?:$|_)/;
const TOKEN_WORD =
  /(?:^|_)(?:SECRET|TOKEN|API_?KEY|APIKEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CLIENT_?SECRET|CREDENTIALS?|AUTH|AUTH_?TOKEN|SIGNING_?KEY|ENCRYPTION_?KEY|MASTER_?KEY|SESSION_?KEY|WEBHOOK_?SECRET|BEARER|AUTHORIZATION|CONNECTION_?STRING|DSN)(?:$|_)/;
// Names of where a secret is, or of something about it, rather than the secret itself.
const NOT_A_SECRET =
  /(?:_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_HOST|_PORT|_NAME|_REF|_ID|_USER|_USERNAME|_HEADER|_TYPE|_LENGTH|_TTL|_EXPIRY|_EXPIRES|_TIMEOUT|_ENABLED|_DISABLED|_REQUIRED|_MODE|_ALGORITHM|_FIELD|_KEY_ID|_VERSION|_POLICY|_PROVIDER|_FORMAT|_PREFIX|_SUFFIX|_SIZE|_COUNT|_ROTATION|_STORE|_SECRET_KEY_REF|_SECRET_NAME|_SECRET_REF|_KEY_REF|_SECRETS|_ISSUER|_AUDIENCE|_SCOPE|_SCOPES|_METHOD|_MOUNT|_LOCATION|_NAMESPACE)$|^(?:PUBLIC_|EXISTING_|USE_|ENABLE_|DISABLE_|REQUIRE_)|^(?:PUBLIC_?KEY|SECRET_?NAME|SECRET_?REF|SECRET_?KEY_?REF|TOKEN_?REVIEW|PASSWORD_?POLICY|PASS_?THROUGH|PASSTHROUGH|AUTH_?MODE|AUTH_?TYPE|AUTH_?METHOD|AUTH_?ENABLED|AUTH_?URL|AUTHENTICATION|AUTHORIZATION_?MODE)$/;

/** `dbPassword`, `db-password`, `db.password` and `DB_PASSWORD` all become `DB_PASSWORD`. */
export function normaliseKeyName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export type SecretKeyKind = 'password' | 'token';

/** Whether a name says its value is a password or a token/key; undefined when it names neither, or a reference. */
export function secretKeyKind(name: string): SecretKeyKind | undefined {
  const key = normaliseKeyName(name);
  if (key === '' || NOT_A_SECRET.test(key)) return undefined;
  if (PASSWORD_WORD.test(key)) return 'password';
  if (TOKEN_WORD.test(key)) return 'token';
  return undefined;
}

/** Whether an environment variable's name says it holds a secret (SNAKE_CASE, kebab-case, dotted or camelCase). */
export function isSecretName(name: string): boolean {
  return secretKeyKind(name) !== undefined;
}
