import { asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'default-namespace',
    title: 'Workload runs in the default namespace',
    category: 'namespaces',
    defaultSeverity: 'low',
    rationale:
      'The default namespace is where everything lands by accident; policies, quotas, RBAC and NetworkPolicies ' +
      'are rarely scoped to it, so workloads there share one undifferentiated trust boundary. Objects without a ' +
      'namespace are not reported: their namespace is chosen when they are applied (kubectl -n, helm --namespace).',
    remediation: 'Create a dedicated namespace for the application and set metadata.namespace to it.',
    controls: ['cis-k8s/5.6.4', 'nsa-cisa/network-separation', 'nist-800-53/CM-6', 'iso-27001/8.9'],
    messages: {
      defaultNamespace: '{{kind}} is placed in the default namespace',
    },
    example: {
      bad: 'kind: Deployment\nmetadata:\n  name: web\n  namespace: default',
      good: 'kind: Deployment\nmetadata:\n  name: web\n  namespace: shop',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    const namespace = asObject(template.object.object['metadata'])?.['namespace'];
    if (namespace !== 'default') return;
    context.report({ messageId: 'defaultNamespace', data: { kind: template.object.ref.kind }, path: ['metadata', 'namespace'] });
  },
});
