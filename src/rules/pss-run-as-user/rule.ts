import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `runAsUser`. The evaluator decides, per policy version.
export const rule = definePssRule('runAsUser', {
  id: 'pss-run-as-user',
  title: 'Container runs as UID 0',
  category: 'privileges',
  defaultSeverity: 'medium',
  rationale:
    'runAsUser: 0 explicitly runs the container as root, defeating runAsNonRoot. The restricted profile ' +
    'forbids it at pod and container level from policy 1.23 (pods with hostUsers: false are exempt from ' +
    '1.35).',
  remediation:
    'Set runAsUser to a non-zero UID (for example 10001) or remove it and let the image\'s non-root USER ' +
    'apply.',
  controls: ['pss-restricted/runAsUser', 'cis-k8s/5.2.7', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  runAsUser: 0',
    good: 'securityContext:\n  runAsUser: 10001',
  },
});
