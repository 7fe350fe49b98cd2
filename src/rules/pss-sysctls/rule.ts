import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `sysctls`. The evaluator decides, per policy version.
export const rule = definePssRule('sysctls', {
  id: 'pss-sysctls',
  title: 'Unsafe sysctl',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'Sysctls outside the safe, namespaced set can change kernel behaviour for the whole node or for other ' +
    'pods and disable security mechanisms. The baseline profile allows only the safe set, which grows ' +
    'with the policy version.',
  remediation:
    'Remove the sysctl from spec.securityContext.sysctls; tune node-wide kernel parameters on the node ' +
    'itself, not from a workload.',
  controls: ['pss-baseline/sysctls', 'pss-restricted/sysctls', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  sysctls:\n  - name: kernel.msgmax\n    value: "65536"',
    good: 'securityContext:\n  sysctls:\n  - name: net.ipv4.ip_local_port_range\n    value: "32768 60999"',
  },
});
