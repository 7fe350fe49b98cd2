import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `hostPorts`. The evaluator decides, per policy version.
export const rule = definePssRule('hostPorts', {
  id: 'pss-host-ports',
  title: 'Container binds a host port',
  category: 'host-access',
  defaultSeverity: 'medium',
  rationale:
    'A hostPort binds the port on the node\'s network interfaces, bypassing Services and often ' +
    'NetworkPolicy, exposing the container on every address of the node and limiting scheduling. The ' +
    'baseline profile forbids host ports.',
  remediation:
    'Remove hostPort from the container ports and expose the workload through a Service (ClusterIP, ' +
    'NodePort or LoadBalancer) or an Ingress.',
  controls: ['pss-baseline/hostPorts', 'pss-restricted/hostPorts', 'cis-k8s/5.2.12', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/CM-7', 'nist-800-53/SC-7', 'pci-dss/1.3.1', 'pci-dss/2.2.6', 'soc2/CC6.6', 'iso-27001/8.9', 'iso-27001/8.20'],
  example: {
    bad: 'ports:\n- containerPort: 8080\n  hostPort: 8080',
    good: 'ports:\n- containerPort: 8080',
  },
});
