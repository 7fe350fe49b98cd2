import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

// Names that say "secret"… unless they name where a secret is rather than the secret itself.
const SECRET_NAME = /(?:^|_)(?:PASSWORD|PASSWD|PWD|PASS|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SECRET_?KEY|CLIENT_?SECRET|CREDENTIALS?|AUTH)(?:$|_)/;
const NOT_A_SECRET = /(?:_FILE|_PATH|_DIR|_URL|_URI|_ENDPOINT|_NAME|_REF|_ID|_USER|_USERNAME|_HEADER|_TYPE|_LENGTH|_TTL|_EXPIRY|_TIMEOUT|_ENABLED|_REQUIRED|_MODE|_ALGORITHM|_FIELD|_KEY_ID|^PUBLIC_KEY)$|^PUBLIC_/;
const PLACEHOLDER = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[^}]*\}|<[^>]*>|changeme|change-me|placeholder|redacted|x+|\*+|none|null|false|true)$/i;

// References resolved at run time by a secret manager or injector: the manifest holds no secret.
const SECRET_REFERENCE = /^(?:vault:|ref\+|arn:aws:secretsmanager:|arn:aws:ssm:|sm:\/\/|gcp:secretmanager:|projects\/[^/]+\/secrets\/|azurekeyvault:|akv:|op:\/\/|doppler:|secret:\/\/)/i;

/** Whether an env var's name says it holds a secret (SNAKE_CASE, kebab-case, dotted or camelCase). */
export function isSecretName(name: string): boolean {
  const upper = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[-.]/g, '_');
  return SECRET_NAME.test(upper) && !NOT_A_SECRET.test(upper);
}

export const rule = defineRule({
  meta: {
    id: 'env-literal-secret',
    title: 'Secret-looking environment variable holds a literal value',
    category: 'secrets',
    defaultSeverity: 'high',
    rationale:
      'A literal credential in a manifest is readable by everyone who can read the repository, the rendered ' +
      'chart, the API object and its last-applied annotation, and it never rotates. Secrets belong in Secret ' +
      'objects (or an external secret store) referenced with valueFrom.secretKeyRef, ideally mounted as files.',
    remediation:
      'Move the value into a Secret and reference it with env[].valueFrom.secretKeyRef (or mount the Secret as a ' +
      'file); rotate the credential, since it has been exposed.',
    controls: ['cis-k8s/5.4.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1552'],
    messages: {
      literal: 'container "{{container}}" sets {{variable}} to a literal value; reference a Secret instead (value not shown)',
    },
    example: {
      bad: 'env:\n- name: DB_PASSWORD\n  value: "s3cr3t"',
      good: 'env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: password}',
    },
  },
  scope: { type: 'container' },
  check(context, { entry }) {
    asArray(entry.container['env']).forEach((item, index) => {
      const env = asObject(item);
      const name = env?.['name'];
      const value = env?.['value'];
      if (typeof name !== 'string' || typeof value !== 'string') return;
      const text = value.trim();
      // `$(VAR)` anywhere means the value is assembled from other variables, typically secretKeyRef ones.
      if (text === '' || PLACEHOLDER.test(text) || text.includes('$(') || SECRET_REFERENCE.test(text) || !isSecretName(name)) return;
      context.report({ messageId: 'literal', data: { container: entry.name, variable: name }, path: [...entry.path, 'env', index, 'value'] });
    });
  },
});
