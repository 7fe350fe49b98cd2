import { asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'legacy-service-account-token-secret',
    title: 'Long-lived ServiceAccount token Secret',
    category: 'secrets',
    defaultSeverity: 'medium',
    rationale:
      'A Secret of type kubernetes.io/service-account-token makes the control plane mint a token that never ' +
      'expires and is not bound to a pod: whoever reads the Secret (or a copy of it, in git, a backup or a CI ' +
      'variable) authenticates as the ServiceAccount until the Secret is deleted. Since Kubernetes 1.24 pods get ' +
      'short-lived, audience-bound tokens through the TokenRequest API instead.',
    remediation:
      'Delete the Secret and use projected service account tokens (the default for pods), or `kubectl create token ' +
      'SA --duration=…` for a short-lived token outside the cluster.',
    controls: ['cis-k8s/5.1.6', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1528', 'nist-800-53/IA-5', 'pci-dss/8.6.3', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      legacyToken: 'Secret holds a non-expiring token for ServiceAccount {{account}}',
    },
    example: {
      bad: 'kind: Secret\ntype: kubernetes.io/service-account-token\nmetadata:\n  annotations:\n    kubernetes.io/service-account.name: ci',
      good: '# no Secret: kubectl create token ci --duration=1h',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Secret' }] },
  check(context, object) {
    if (object.object['type'] !== 'kubernetes.io/service-account-token') return;
    const account = asObject(asObject(object.object['metadata'])?.['annotations'])?.['kubernetes.io/service-account.name'];
    context.report({ messageId: 'legacyToken', data: { account: typeof account === 'string' ? account : '(unnamed)' }, path: ['type'] });
  },
});
