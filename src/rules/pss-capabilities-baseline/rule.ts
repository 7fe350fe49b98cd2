import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `capabilities_baseline`. The evaluator decides, per policy version.
export const rule = definePssRule('capabilities_baseline', {
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
  controls: ['pss-baseline/capabilities_baseline', 'pss-restricted/capabilities_baseline', 'cis-k8s/5.2.8', 'cis-k8s/5.2.9', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.2', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  capabilities:\n    add: ["SYS_ADMIN"]',
    good: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]',
  },
});
