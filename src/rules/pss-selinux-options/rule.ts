import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `seLinuxOptions`. The evaluator decides, per policy version.
export const rule = definePssRule('seLinuxOptions', {
  id: 'pss-selinux-options',
  title: 'Custom SELinux options',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'SELinux labels confine what a container may touch on the node. A custom type (such as spc_t or ' +
    'unconfined_t), user or role can lift that confinement. The baseline profile allows only the ' +
    'container types (container_t, container_init_t, container_kvm_t, and container_engine_t from 1.31) ' +
    'and no user or role.',
  remediation:
    'Remove seLinuxOptions.user and seLinuxOptions.role and use one of the allowed container types, or ' +
    'leave seLinuxOptions unset; setting only the level (MCS categories) is fine.',
  controls: ['pss-baseline/seLinuxOptions', 'pss-restricted/seLinuxOptions', 'cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  seLinuxOptions:\n    type: spc_t',
    good: 'securityContext:\n  seLinuxOptions:\n    level: "s0:c123,c456"',
  },
});
