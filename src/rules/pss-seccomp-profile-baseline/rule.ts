import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `seccompProfile_baseline`. The evaluator decides, per policy version.
export const rule = definePssRule('seccompProfile_baseline', {
  id: 'pss-seccomp-profile-baseline',
  title: 'Seccomp disabled',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'Seccomp filters the system calls a container may make and blocks many kernel attack paths. Setting ' +
    'the profile to Unconfined (or, before policy 1.19, the seccomp.security.alpha.kubernetes.io ' +
    'annotations to unconfined) disables that filter. The baseline profile allows only RuntimeDefault and ' +
    'Localhost profiles.',
  remediation:
    'Set securityContext.seccompProfile.type to RuntimeDefault (or Localhost with a reviewed profile) at ' +
    'pod level, and remove Unconfined profiles from containers.',
  controls: ['pss-baseline/seccompProfile_baseline', 'pss-restricted/seccompProfile_baseline', 'cis-k8s/5.6.2', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  seccompProfile:\n    type: Unconfined',
    good: 'securityContext:\n  seccompProfile:\n    type: RuntimeDefault',
  },
});
