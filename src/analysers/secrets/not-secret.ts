// Values that look like credentials to a pattern or to entropy but are not: templates and variable references,
// placeholders, encrypted or referenced values, digests and identifiers.

const TEMPLATE = /\{\{.{0,2000}?\}\}|\$\{[^}\n]{0,200}\}|\$\([A-Za-z_][A-Za-z0-9_]{0,200}\)|%\{[^}\n]{0,200}\}|#\{[^}\n]{0,200}\}|@@[A-Za-z_]{1,100}@@|__[A-Z][A-Z0-9_]{1,100}__/s;

const PLACEHOLDER =
  /^(?:<[^<>\n]{1,100}>|\[[^[\]\n]{1,100}\]|changeme|change[-_ ]?me|changeit|change[-_]?this|placeholder|redacted|removed|hidden|secret|password|passwd|token|apikey|api[-_]key|example|examples?[-_].{0,40}|sample|dummy|fake|test|testing|todo|tbd|fixme|none|null|nil|undefined|empty|default|true|false|yes|no|on|off|n\/a|xx+|\*+|\.{3,}|-+|_+|0+|your[-_ ].{0,60}|my[-_]?(?:password|secret|token|key)|(?:replace|insert|enter|put|add)[-_ ](?:me|your|here).{0,60}|.{0,40}[-_]here|<no value>)$/i;

// Encrypted in place (SOPS, Ansible vault, sealed values), or a reference a secret manager resolves at run time.
const ENCRYPTED_OR_REFERENCE =
  /^(?:ENC\[(?:AES256_GCM|PKCS7),|\$ANSIBLE_VAULT;|vault:|ref\+|arn:aws:secretsmanager:|arn:aws:ssm:|sm:\/\/|gcp:secretmanager:|gcpsm:|projects\/[^/\s]{1,200}\/secrets\/|azurekeyvault:|akv:|keyvault:|op:\/\/|doppler:|bws:|secret:\/\/|secretref\+|awssm:|k8s:\/\/|file:\/\/)/i;

const IMAGE_DIGEST = /^(?:[a-z0-9]{2,20}:)?[a-f0-9]{32,128}$|@sha(?:256|384|512):[a-f0-9]{32,128}$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Templates, placeholders, encrypted values and references: never a secret, whichever detector matched. */
export function isNeverSecret(value: string): boolean {
  const text = value.trim();
  if (text === '') return true;
  if (TEMPLATE.test(text)) return true;
  if (PLACEHOLDER.test(text)) return true;
  return ENCRYPTED_OR_REFERENCE.test(text);
}

/**
 * For detection without a provider's own format (key names plus entropy): also identifiers and hashes, paths,
 * plain numbers, words and sentences, which high entropy alone would flag.
 */
export function isUnlikelyGenericSecret(value: string): boolean {
  const text = value.trim();
  if (isNeverSecret(text)) return true;
  if (IMAGE_DIGEST.test(text) || UUID.test(text)) return true;
  if (/^[0-9a-f]{40}$|^[0-9a-f]{64}$/i.test(text)) return true; // commit ids and content hashes
  // Variables and code: `$DB_PASS`, `${…` cut at a space, `process.env.X`, `getPassword()`, `cfg.db.password`.
  if (/^(?:\$[{(]?[A-Za-z_]|%[A-Za-z_][A-Za-z0-9_]{0,100}%$)/.test(text)) return true;
  if (/^(?:process\.env|os\.environ|os\.getenv|System\.getenv|ENV\[|env\.|secrets\.|vars\.|self\.|this\.)/.test(text)) return true;
  if (/^[A-Za-z_][A-Za-z0-9_.]{0,100}\(/.test(text)) return true;
  if (/^(?:\/|\.{1,2}\/|~\/)[^\s]{0,500}$/.test(text)) return true; // a file path
  if (/^[a-z][a-z0-9+.-]{1,20}:\/\/[^\s@]{1,500}$/i.test(text)) return true; // a URL without user info
  if (/^[+-]?\d{1,30}(?:\.\d{1,30})?[a-z]{0,3}$/i.test(text)) return true; // numbers, durations, sizes
  if (/\s\S{1,100}\s/.test(text)) return true; // prose: two spaces between words
  if (/^[A-Za-z]{1,40}$/.test(text) && text.length < 12) return true; // a short plain word
  return false;
}
