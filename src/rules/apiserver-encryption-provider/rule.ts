import { getFlag } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, REQUIRES_KUBE_APISERVER, stringFlag } from '../shared/component-flags.ts';

export const rule = defineRule({
  meta: {
    id: 'apiserver-encryption-provider',
    title: 'API server does not encrypt Secrets at rest',
    category: 'secrets',
    defaultSeverity: 'high',
    requires: REQUIRES_KUBE_APISERVER,
    rationale:
      'kube-apiserver encrypts objects before writing them to etcd only when --encryption-provider-config names an ' +
      'EncryptionConfiguration; without it Secrets (and every other resource) are stored in plain text, readable by ' +
      'anyone with access to etcd, its data directory, its snapshots or backups. The CIS Kubernetes Benchmark (1.2.27) ' +
      'asks for the flag to be set. This rule checks only that it is; what the EncryptionConfiguration encrypts and ' +
      'with which provider is judged by encryption-at-rest-config and encryption-at-rest-coverage.',
    remediation:
      'Write an EncryptionConfiguration that encrypts secrets (preferably with a KMS v2 provider, else secretbox or ' +
      'aesgcm, with identity last), set --encryption-provider-config to its path in the API server\'s static Pod ' +
      'manifest (for kubeadm, /etc/kubernetes/manifests/kube-apiserver.yaml, mounting the file with a hostPath ' +
      'volume), then rewrite existing Secrets (kubectl get secrets -A -o json | kubectl replace -f -) so they are ' +
      'stored encrypted.',
    controls: ['cis-k8s/1.2.27', 'nsa-cisa/network-separation', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-190/4.3.2', 'nist-800-53/SC-28', 'nist-800-53/SC-28(1)', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/8.24', 'hipaa/164.312(a)(2)(iv)'],
    messages: {
      encryptionConfigMissing:
        'kube-apiserver stores Secrets in etcd unencrypted: --encryption-provider-config is {{state}}; set it to an EncryptionConfiguration that encrypts secrets',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --etcd-servers=https://127.0.0.1:2379',
      good: 'command:\n- kube-apiserver\n- --etcd-servers=https://127.0.0.1:2379\n- --encryption-provider-config=/etc/kubernetes/enc/encryption-config.yaml',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      context.evaluated();
      if (stringFlag(located.invocation, 'encryption-provider-config') !== undefined) continue;
      const flag = getFlag(located.invocation.flags, 'encryption-provider-config');
      context.report({
        messageId: 'encryptionConfigMissing',
        data: { state: flag ? 'empty' : 'not set' },
        path: located.pathOf(flag),
        object: located.object,
        controls: ['cis-k8s/1.2.27', 'nsa-cisa/network-separation', 'mitre-attack/T1552'],
      });
    }
  },
});
