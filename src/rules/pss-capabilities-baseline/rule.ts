import { PSS_MESSAGES, pssViolationsOf } from '../../analysers/pss/index.ts';
import { defineRule } from '../../core/rule-api.ts';

// Pod Security Standards, baseline level: upstream check `capabilities_baseline`. The evaluator decides, per policy version.
export const rule = defineRule({
  meta: {
    id: 'pss-capabilities-baseline',
    title: 'Container adds a non-default capability',
    category: 'privileges',
    defaultSeverity: 'high',
    rationale:
      'Capabilities beyond the container runtime\'s default set (SYS_ADMIN, NET_ADMIN, SYS_PTRACE, ' +
      'SYS_MODULE, NET_RAW, …) hand out pieces of root: many allow escaping the container or attacking the ' +
      'node\'s network. The baseline profile allows adding only the default set.',
    remediation:
      'Remove the capability from securityContext.capabilities.add; if the workload genuinely needs it, ' +
      'isolate it in a namespace with a less restrictive policy and document why.',
    controls: ['pss-baseline/capabilities_baseline', 'pss-restricted/capabilities_baseline', 'cis-k8s/5.2.8', 'cis-k8s/5.2.9', 'nsa-cisa/pod-security', 'mitre-attack/T1611'],
    messages: PSS_MESSAGES.capabilities_baseline,
    example: {
      bad: 'securityContext:\n  capabilities:\n    add: ["SYS_ADMIN"]',
      good: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    for (const violation of pssViolationsOf(template, context.settings.pssVersion, 'capabilities_baseline')) {
      context.report({ messageId: violation.reason, data: violation.data, path: violation.path });
    }
  },
});
