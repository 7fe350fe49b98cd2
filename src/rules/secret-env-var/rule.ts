import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'secret-env-var',
    title: 'Secret consumed as environment variables',
    category: 'secrets',
    defaultSeverity: 'low',
    rationale:
      'Environment variables leak more easily than files: applications print them in crash reports and debug ' +
      'endpoints, child processes inherit them, they appear in /proc/<pid>/environ, and they never change while ' +
      'the container runs, so rotating the Secret needs a restart. The CIS Benchmark (5.4.1) prefers Secrets ' +
      'mounted as files.',
    remediation:
      'Mount the Secret as a volume (volumes[].secret with a volumeMount, readOnly) and have the application read ' +
      'the file; many images accept a *_FILE variable naming that path.',
    controls: ['cis-k8s/5.4.1', 'mitre-attack/T1552.007', 'nist-800-53/IA-5', 'iso-27001/5.17'],
    messages: {
      keyRef: 'container "{{container}}" reads Secret key {{secret}}/{{key}} into ${{variable}}; mount it as a file instead',
      envFrom: 'container "{{container}}" loads every key of Secret {{secret}} as environment variables; mount it as a file instead',
    },
    example: {
      bad: 'env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef: {name: db, key: password}',
      good: 'volumeMounts:\n- {name: db, mountPath: /run/secrets/db, readOnly: true}\nenv:\n- {name: DB_PASSWORD_FILE, value: /run/secrets/db/password}',
    },
  },
  scope: { type: 'container' },
  check(context, { entry }) {
    asArray(entry.container['env']).forEach((item, index) => {
      const env = asObject(item);
      const ref = asObject(asObject(env?.['valueFrom'])?.['secretKeyRef']);
      if (!ref) return;
      context.report({
        messageId: 'keyRef',
        data: { container: entry.name, secret: String(ref['name'] ?? '?'), key: String(ref['key'] ?? '?'), variable: String(env?.['name'] ?? '?') },
        path: [...entry.path, 'env', index, 'valueFrom', 'secretKeyRef'],
      });
    });
    asArray(entry.container['envFrom']).forEach((item, index) => {
      const ref = asObject(asObject(item)?.['secretRef']);
      if (!ref) return;
      context.report({ messageId: 'envFrom', data: { container: entry.name, secret: String(ref['name'] ?? '?') }, path: [...entry.path, 'envFrom', index, 'secretRef'] });
    });
  },
});
