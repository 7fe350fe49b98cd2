import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'service-load-balancer',
    title: 'LoadBalancer Service is open to every source address',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A LoadBalancer Service without loadBalancerSourceRanges is usually reachable from the whole internet. ' +
      'Restricting the source ranges at the cloud load balancer keeps administrative and internal services ' +
      'away from scanners and attackers.',
    remediation:
      'Set spec.loadBalancerSourceRanges to the networks that need access, or use an internal load balancer ' +
      '(the cloud provider\'s internal annotation) or an Ingress with authentication.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1133'],
    messages: {
      openToAll: 'LoadBalancer Service sets no loadBalancerSourceRanges: every address that reaches the load balancer can connect',
    },
    example: {
      bad: 'kind: Service\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 443',
      good: 'kind: Service\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: ["203.0.113.0/24"]\n  ports:\n  - port: 443',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] },
  check(context, object) {
    const spec = asObject(object.object['spec']);
    if (spec?.['type'] !== 'LoadBalancer') return;
    if (asArray(spec['loadBalancerSourceRanges']).length > 0) return;
    context.report({ messageId: 'openToAll', path: ['spec', 'loadBalancerSourceRanges'] });
  },
});
