import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `appArmorProfile`. The evaluator decides, per policy version.
export const rule = definePssRule('appArmorProfile', {
  id: 'pss-apparmor-profile',
  title: 'AppArmor profile disabled',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'On nodes with AppArmor the runtime confines containers with its default profile. Setting the profile ' +
    'to Unconfined (in securityContext.appArmorProfile or the deprecated ' +
    'container.apparmor.security.beta.kubernetes.io annotation) removes that confinement. The baseline ' +
    'profile allows only RuntimeDefault and Localhost profiles.',
  remediation:
    'Remove the Unconfined profile, or set securityContext.appArmorProfile.type to RuntimeDefault (or ' +
    'Localhost with a reviewed profile); migrate AppArmor annotations to the field.',
  controls: ['pss-baseline/appArmorProfile', 'pss-restricted/appArmorProfile', 'cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  appArmorProfile:\n    type: Unconfined',
    good: 'securityContext:\n  appArmorProfile:\n    type: RuntimeDefault',
  },
});
