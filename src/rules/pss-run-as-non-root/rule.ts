import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `runAsNonRoot`. The evaluator decides, per policy version.
export const rule = definePssRule('runAsNonRoot', {
  id: 'pss-run-as-non-root',
  title: 'Container may run as root',
  category: 'privileges',
  defaultSeverity: 'medium',
  rationale:
    'Without runAsNonRoot: true the kubelet starts the container as whatever user its image declares, ' +
    'often root. Root in a container turns any escape or misconfigured mount into root on the node. The ' +
    'restricted profile requires runAsNonRoot: true (pods with hostUsers: false are exempt from 1.35).',
  remediation:
    'Set securityContext.runAsNonRoot: true at pod level (or on every container), and make sure the image ' +
    'runs as a non-zero UID (USER in the Dockerfile, or securityContext.runAsUser).',
  controls: ['pss-restricted/runAsNonRoot', 'cis-k8s/5.2.7', 'nsa-cisa/pod-security', 'nist-800-190/4.1.2', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'spec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
    good: 'spec:\n  securityContext:\n    runAsNonRoot: true\n    runAsUser: 10001\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
  },
});
