import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `privileged`. The evaluator decides, per policy version.
export const rule = definePssRule('privileged', {
  id: 'pss-privileged',
  title: 'Privileged container',
  category: 'privileges',
  defaultSeverity: 'critical',
  rationale:
    'A privileged container runs with every capability, sees the host\'s devices and is not confined by ' +
    'seccomp, AppArmor or SELinux: it is root on the node in all but name, and escaping to the host is ' +
    'trivial. The Pod Security Standards baseline profile forbids it.',
  remediation:
    'Remove securityContext.privileged (or set it to false) and grant only the specific capabilities the ' +
    'workload needs; run node-level agents that truly need host access in a dedicated, separately ' +
    'governed namespace.',
  controls: ['pss-baseline/privileged', 'pss-restricted/privileged', 'cis-k8s/5.2.2', 'nsa-cisa/pod-security', 'mitre-attack/T1610', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.3', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.1', 'soc2/CC6.8', 'iso-27001/8.2', 'iso-27001/8.9'],
  example: {
    bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    privileged: true',
    good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    privileged: false',
  },
});
