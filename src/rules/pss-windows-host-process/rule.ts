import { PSS_MESSAGES, pssViolationsOf } from '../../analysers/pss/index.ts';
import { defineRule } from '../../core/rule-api.ts';

// Pod Security Standards, baseline level: upstream check `windowsHostProcess`. The evaluator decides, per policy version.
export const rule = defineRule({
  meta: {
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
    controls: ['pss-baseline/windowsHostProcess', 'pss-restricted/windowsHostProcess', 'cis-k8s/5.2.11', 'nsa-cisa/pod-security', 'mitre-attack/T1611'],
    messages: PSS_MESSAGES.windowsHostProcess,
    example: {
      bad: 'securityContext:\n  windowsOptions:\n    hostProcess: true\n    runAsUserName: "NT AUTHORITY\\\\SYSTEM"',
      good: 'securityContext:\n  windowsOptions:\n    runAsUserName: ContainerUser',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    for (const violation of pssViolationsOf(template, context.settings.pssVersion, 'windowsHostProcess')) {
      context.report({ messageId: violation.reason, data: violation.data, path: violation.path });
    }
  },
});
