import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'share-process-namespace',
    title: 'Containers share one process namespace',
    category: 'privileges',
    defaultSeverity: 'medium',
    rationale:
      'With shareProcessNamespace every container of the pod sees and can signal the others\' processes and read ' +
      'their /proc entries, including environment variables and the root filesystem through /proc/<pid>/root. A ' +
      'compromise of one container (a sidecar, say) reaches all of them.',
    remediation: 'Remove spec.shareProcessNamespace (or set it to false); use an ephemeral debug container for troubleshooting.',
    controls: ['nsa-cisa/pod-security', 'mitre-attack/T1055', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/SC-4', 'nist-800-53/SC-39', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      shared: 'pod sets shareProcessNamespace: true; its containers can see and signal each other\'s processes',
    },
    example: {
      bad: 'spec:\n  shareProcessNamespace: true',
      good: 'spec:\n  shareProcessNamespace: false',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    if (template.spec['shareProcessNamespace'] !== true) return;
    context.report({ messageId: 'shared', path: [...template.specPath, 'shareProcessNamespace'] });
  },
});
