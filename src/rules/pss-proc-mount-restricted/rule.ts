import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `procMount_restricted`. The evaluator decides, per policy version.
export const rule = definePssRule('procMount_restricted', {
  id: 'pss-proc-mount-restricted',
  title: 'Unmasked /proc mount under restricted',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'From policy 1.35 the baseline profile lets pods with their own user namespace (hostUsers: false) ' +
    'unmask /proc; the restricted profile still requires the Default procMount for every pod, because an ' +
    'unmasked /proc exposes kernel interfaces even inside a user namespace.',
  remediation:
    'Remove securityContext.procMount or set it to Default; workloads that need an unmasked /proc cannot ' +
    'meet the restricted profile.',
  controls: ['pss-restricted/procMount_restricted', 'cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'spec:\n  hostUsers: false\n  containers:\n  - name: builder\n    image: registry.example.com/builder:2.0.0\n    securityContext:\n      procMount: Unmasked',
    good: 'spec:\n  hostUsers: false\n  containers:\n  - name: builder\n    image: registry.example.com/builder:2.0.0',
  },
});
