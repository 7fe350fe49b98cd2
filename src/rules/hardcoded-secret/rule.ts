import { scanObjectSecrets } from '../../analysers/secrets/index.ts';
import { asObject, formatPath, getAtPath } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { describeHit, isLiteralSecretEnv } from '../shared/secret-hits.ts';
import { isCoreKind } from '../../core/inventory.ts';

/** env-literal-secret already reports a secret-named variable's literal: do not report it twice. */
function isReportedByEnvRule(root: unknown, path: readonly (string | number)[]): boolean {
  if (path.length < 3 || path[path.length - 1] !== 'value' || path[path.length - 3] !== 'env') return false;
  const item = asObject(getAtPath(root, path.slice(0, -1)));
  const name = item?.['name'];
  const value = item?.['value'];
  return typeof name === 'string' && typeof value === 'string' && isLiteralSecretEnv(name, value);
}

export const rule = defineRule({
  meta: {
    id: 'hardcoded-secret',
    title: 'Credential written into an object',
    category: 'secrets',
    defaultSeverity: 'high',
    rationale:
      'A credential in a workload, annotation, label or custom resource is readable by everyone who can read the ' +
      'repository or get the object — a far wider audience than Secret readers — and shows up in kubectl describe, ' +
      'audit logs and backups. Provider formats (cloud keys, VCS tokens, private keys, connection strings) and ' +
      'secret-named keys with credential-like values are detected; templates, references and placeholders are not.',
    remediation:
      'Revoke and rotate the credential first: it has been exposed. Then keep it in a Secret (or an external secret ' +
      'store) and reference it with valueFrom.secretKeyRef or a mounted secret volume.',
    controls: ['nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'mitre-attack/T1552.007', 'nist-800-190/4.1.4', 'nist-800-53/IA-5', 'nist-800-53/IA-5(7)', 'pci-dss/8.3.2', 'pci-dss/8.6.2', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      found: '{{secret}} in {{field}}',
    },
    example: {
      bad: 'args: ["--db-url=postgres://app:P4ssw0rd-2024@db:5432/orders"]',
      good: 'env:\n- name: DB_URL\n  valueFrom:\n    secretKeyRef: {name: db, key: url}',
    },
  },
  scope: { type: 'inventory' },
  check(context, { objects }) {
    for (const object of objects) {
      // Secrets hold secrets by design (secret-committed judges them in git); ConfigMaps have their own rule.
      if (isCoreKind(object, 'Secret') || isCoreKind(object, 'ConfigMap')) continue;
      // An EncryptionConfiguration holds its keys by design; encryption-at-rest-config judges them.
      if (object.ref.kind === 'EncryptionConfiguration' && object.ref.apiVersion.startsWith('apiserver.config.k8s.io/')) continue;
      for (const hit of scanObjectSecrets(object.object)) {
        if (hit.layer === 'last-applied' || hit.layer === 'helm-release') continue;
        if (isReportedByEnvRule(object.object, hit.path)) continue;
        context.report({ messageId: 'found', data: { secret: describeHit(hit), field: formatPath(hit.path) }, path: hit.path, object });
      }
    }
  },
});
