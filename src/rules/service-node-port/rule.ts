import { asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'service-node-port',
    title: 'Service opens a port on every node',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A NodePort Service listens on a port of every node, on all of the node\'s addresses, so the workload is ' +
      'reachable by anyone who can reach a node, around Ingress controllers, TLS termination and usually ' +
      'NetworkPolicy. A LoadBalancer Service allocates node ports too unless allocateLoadBalancerNodePorts is false.',
    remediation:
      'Use a ClusterIP Service behind an Ingress or Gateway; for a LoadBalancer that does not need node ports, set ' +
      'spec.allocateLoadBalancerNodePorts: false.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1133', 'nist-800-53/CM-7', 'nist-800-53/SC-7', 'pci-dss/1.3.1', 'soc2/CC6.6', 'iso-27001/8.20'],
    messages: {
      nodePort: 'Service type NodePort exposes its ports on every node',
      loadBalancerNodePorts: 'Service type LoadBalancer also allocates node ports (allocateLoadBalancerNodePorts is not false)',
    },
    example: {
      bad: 'kind: Service\nspec:\n  type: NodePort\n  ports:\n  - port: 80',
      good: 'kind: Service\nspec:\n  type: ClusterIP\n  ports:\n  - port: 80',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] },
  check(context, object) {
    const spec = asObject(object.object['spec']);
    const type = spec?.['type'];
    if (type === 'NodePort') context.report({ messageId: 'nodePort', path: ['spec', 'type'] });
    if (type === 'LoadBalancer' && spec?.['allocateLoadBalancerNodePorts'] !== false) {
      context.report({ messageId: 'loadBalancerNodePorts', path: ['spec', 'allocateLoadBalancerNodePorts'] });
    }
  },
});
