import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isLiteralSecretEnv } from '../shared/secret-hits.ts';

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
    controls: ['cis-k8s/5.4.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-53/IA-5', 'nist-800-53/IA-5(7)', 'pci-dss/8.3.2', 'pci-dss/8.6.2', 'soc2/CC6.1', 'iso-27001/5.17'],
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
      if (!isLiteralSecretEnv(name, value)) return;
      context.report({ messageId: 'literal', data: { container: entry.name, variable: name }, path: [...entry.path, 'env', index, 'value'] });
    });
  },
});
