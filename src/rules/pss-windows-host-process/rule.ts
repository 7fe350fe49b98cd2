import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `windowsHostProcess`. The evaluator decides, per policy version.
export const rule = definePssRule('windowsHostProcess', {
  id: 'pss-windows-host-process',
  title: 'Windows HostProcess container',
  category: 'host-access',
  defaultSeverity: 'high',
  rationale:
    'A Windows HostProcess container runs directly on the host as a host process with access to the ' +
    'node\'s network, filesystem and devices: the Windows equivalent of a privileged container. The ' +
    'baseline profile forbids it.',
  remediation:
    'Remove securityContext.windowsOptions.hostProcess (or set it to false) at pod and container level; ' +
    'run node agents that need host access in a dedicated namespace.',
  controls: ['pss-baseline/windowsHostProcess', 'pss-restricted/windowsHostProcess', 'cis-k8s/5.2.11', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'nist-800-53/SC-39', 'pci-dss/2.2.3', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.1', 'soc2/CC6.8', 'iso-27001/8.2', 'iso-27001/8.9'],
  example: {
    bad: 'securityContext:\n  windowsOptions:\n    hostProcess: true\n    runAsUserName: "NT AUTHORITY\\\\SYSTEM"',
    good: 'securityContext:\n  windowsOptions:\n    runAsUserName: ContainerUser',
  },
});
