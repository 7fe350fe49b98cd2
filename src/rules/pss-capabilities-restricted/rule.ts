import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `capabilities_restricted`. The evaluator decides, per policy version.
export const rule = definePssRule('capabilities_restricted', {
  id: 'pss-capabilities-restricted',
  title: 'Capabilities not dropped',
  category: 'privileges',
  defaultSeverity: 'medium',
  rationale:
    'Containers start with the runtime\'s default capability set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW on ' +
    'some runtimes, …), most of which applications never need. The restricted profile requires dropping ' +
    'ALL capabilities and allows adding back only NET_BIND_SERVICE (Windows pods are exempt from 1.25).',
  remediation:
    'Set securityContext.capabilities.drop: ["ALL"] on every container and add back at most ' +
    'NET_BIND_SERVICE.',
  controls: ['pss-restricted/capabilities_restricted', 'cis-k8s/5.2.8', 'cis-k8s/5.2.9', 'cis-k8s/5.2.10', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  capabilities:\n    add: ["CHOWN"]',
    good: 'securityContext:\n  capabilities:\n    drop: ["ALL"]\n    add: ["NET_BIND_SERVICE"]',
  },
});
