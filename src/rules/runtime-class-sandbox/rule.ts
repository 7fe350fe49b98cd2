import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'runtime-class-sandbox',
    title: 'Pod does not request a sandboxed runtime',
    category: 'privileges',
    defaultSeverity: 'info',
    rationale:
      'Containers share the node\'s kernel; a kernel exploit escapes them. A RuntimeClass backed by a sandbox ' +
      '(gVisor, Kata Containers) adds a boundary between untrusted workloads and the host. This is advice for ' +
      'workloads that run untrusted code or handle sensitive data, hence info severity.',
    remediation: 'Install a sandboxed runtime handler and set spec.runtimeClassName (for example gvisor or kata) on workloads that need the isolation.',
    controls: ['nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.5.2', 'nist-800-53/SC-39', 'pci-dss/2.2.3'],
    messages: {
      noRuntimeClass: 'pod sets no runtimeClassName; it runs on the node\'s default runtime without a sandbox',
    },
    example: {
      bad: 'spec:\n  containers:\n  - name: app',
      good: 'spec:\n  runtimeClassName: gvisor\n  containers:\n  - name: app',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    const runtimeClass = template.spec['runtimeClassName'];
    if (typeof runtimeClass === 'string' && runtimeClass !== '') return;
    context.report({ messageId: 'noRuntimeClass', path: [...template.specPath, 'runtimeClassName'] });
  },
});
