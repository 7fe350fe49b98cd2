import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `seccompProfile_restricted`. The evaluator decides, per policy version.
export const rule = definePssRule('seccompProfile_restricted', {
  id: 'pss-seccomp-profile-restricted',
  title: 'No RuntimeDefault or Localhost seccomp profile',
  category: 'pod-security',
  defaultSeverity: 'low',
  rationale:
    'Kubernetes runs containers without seccomp filtering unless a profile is set. The restricted profile ' +
    'requires every container to run with the RuntimeDefault or a Localhost profile, set at pod level or ' +
    'on each container (Windows pods are exempt from 1.25).',
  remediation:
    'Set spec.securityContext.seccompProfile.type: RuntimeDefault at pod level; containers then inherit ' +
    'it.',
  controls: ['pss-restricted/seccompProfile_restricted', 'cis-k8s/5.6.2', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'spec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
    good: 'spec:\n  securityContext:\n    seccompProfile:\n      type: RuntimeDefault\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
  },
});
