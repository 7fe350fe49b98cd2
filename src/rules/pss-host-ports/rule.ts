import { PSS_MESSAGES, pssViolationsOf } from '../../analysers/pss/index.ts';
import { defineRule } from '../../core/rule-api.ts';

// Pod Security Standards, baseline level: upstream check `hostPorts`. The evaluator decides, per policy version.
export const rule = defineRule({
  meta: {
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
    controls: ['pss-baseline/hostPorts', 'pss-restricted/hostPorts', 'cis-k8s/5.2.13', 'nsa-cisa/pod-security'],
    messages: PSS_MESSAGES.hostPorts,
    example: {
      bad: 'ports:\n- containerPort: 8080\n  hostPort: 8080',
      good: 'ports:\n- containerPort: 8080',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    for (const violation of pssViolationsOf(template, context.settings.pssVersion, 'hostPorts')) {
      context.report({ messageId: violation.reason, data: violation.data, path: violation.path });
    }
  },
});
