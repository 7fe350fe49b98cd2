import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `allowPrivilegeEscalation`. The evaluator decides, per policy version.
export const rule = definePssRule('allowPrivilegeEscalation', {
  id: 'pss-allow-privilege-escalation',
  title: 'Privilege escalation not disabled',
  category: 'privileges',
  defaultSeverity: 'medium',
  rationale:
    'Unless allowPrivilegeEscalation is false, a process in the container can gain more privileges than ' +
    'its parent (setuid and setgid binaries, file capabilities), because no_new_privs is not set. The ' +
    'restricted profile requires it to be false on every container (Windows pods are exempt from 1.25).',
  remediation:
    'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral ' +
    'container.',
  controls: ['pss-restricted/allowPrivilegeEscalation', 'cis-k8s/5.2.6', 'nsa-cisa/pod-security', 'mitre-attack/T1548', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/AC-6(10)', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3',
    good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    allowPrivilegeEscalation: false',
  },
});
