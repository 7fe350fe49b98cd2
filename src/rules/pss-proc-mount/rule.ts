import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `procMount`. The evaluator decides, per policy version.
export const rule = definePssRule('procMount', {
  id: 'pss-proc-mount',
  title: 'Unmasked /proc mount',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'The runtime masks and makes read-only sensitive parts of /proc (kcore, sysrq-trigger, keys, …). ' +
    'procMount: Unmasked removes those masks, exposing kernel interfaces to the container. The baseline ' +
    'profile requires the Default procMount, except (from 1.35) in pods with their own user namespace ' +
    '(hostUsers: false).',
  remediation:
    'Remove securityContext.procMount or set it to Default. Nested container runtimes that need an ' +
    'unmasked /proc should run with hostUsers: false.',
  controls: ['pss-baseline/procMount', 'pss-restricted/procMount', 'cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  procMount: Unmasked',
    good: 'securityContext:\n  procMount: Default',
  },
});
