import { asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'etcd-secrets-encrypted',
    title: 'Secrets are stored in etcd in plain text',
    category: 'secrets',
    defaultSeverity: 'high',
    requires: 'a Secret read back from etcd (palisade node --etcd-check on a control-plane node)',
    rationale:
      'Flags and configuration files say what the API server should do; etcd shows what it did. `palisade node ' +
      '--etcd-check` reads one Secret\'s stored value with the API server\'s own etcd client certificate: a value an ' +
      'encryption provider wrote starts with k8s:enc:<provider>:v1:<key>:, a plain one with the protobuf magic ' +
      'k8s\\0. A plain value means anyone with etcd or a backup of it reads every such Secret — because encryption ' +
      'at rest is off, identity comes first, or the Secret was written before encryption was enabled and never ' +
      'rewritten. Only the value\'s prefix is looked at; the value is never kept or shown.',
    remediation:
      'Configure --encryption-provider-config with a real first provider for secrets (kms v2, or secretbox), restart ' +
      'the API servers, then rewrite every Secret so it is stored encrypted: kubectl get secrets -A -o json | ' +
      'kubectl replace -f -',
    controls: ['cis-k8s/1.2.27', 'cis-k8s/1.2.28', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-190/4.3.2', 'nist-800-53/SC-28', 'nist-800-53/SC-28(1)', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/8.24', 'hipaa/164.312(a)(2)(iv)'],
    messages: {
      plaintext: 'etcd at {{server}} stores {{key}} in plain text (read with the client certificate of the API server in {{apiServer}})',
    },
    example: {
      bad: 'etcdctl get /registry/secrets/shop/db  →  k8s\\0\\n\\f\\n\\x02v1\\x12\\x06Secret…',
      good: 'etcdctl get /registry/secrets/shop/db  →  k8s:enc:kms:v2:kms-plugin:…',
    },
  },
  scope: { type: 'object', kinds: [{ group: 'palisade.dev', kind: 'EtcdEncryptionCheck' }] },
  check(context, object) {
    const spec = asObject(object.object['spec']);
    const status = asString(spec?.['status']);
    // Judged when a Secret was read back; not when the check failed or found no Secret to read.
    if (status !== 'plaintext' && status !== 'encrypted') return;
    context.evaluated();
    if (status !== 'plaintext') return;
    context.report({
      messageId: 'plaintext',
      data: { server: asString(spec?.['server']) ?? '?', key: asString(spec?.['key']) ?? '?', apiServer: asString(spec?.['apiServer']) ?? '?' },
      path: ['spec', 'status'],
    });
  },
});
