import { getFlag, type ComponentName } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { boolFlag, invocationsOf, REQUIRES_CONTROL_PLANE_COMPONENT } from '../shared/component-flags.ts';
import { judgedControls } from '../shared/judged-controls.ts';

const CONTROLS: Readonly<Partial<Record<ComponentName, string>>> = {
  'kube-apiserver': 'cis-k8s/1.2.15',
  'kube-controller-manager': 'cis-k8s/1.3.2',
  'kube-scheduler': 'cis-k8s/1.4.1',
};

export const rule = defineRule({
  meta: {
    id: 'control-plane-profiling',
    title: 'Control-plane component serves profiling data',
    category: 'cluster',
    defaultSeverity: 'low',
    requires: REQUIRES_CONTROL_PLANE_COMPONENT,
    rationale:
      'kube-apiserver, kube-controller-manager and kube-scheduler serve Go profiling endpoints (/debug/pprof) unless ' +
      'started with --profiling=false; the flag defaults to true. Profiles reveal the program\'s internals and ' +
      'workload, and generating them costs CPU that an authenticated caller can demand. The CIS Kubernetes ' +
      'Benchmark (1.2.15, 1.3.2, 1.4.1) asks for profiling to be off.',
    remediation: 'Add --profiling=false to the component\'s command in its static Pod manifest (for kubeadm, /etc/kubernetes/manifests/<component>.yaml).',
    controls: ['cis-k8s/1.2.15', 'cis-k8s/1.3.2', 'cis-k8s/1.4.1', 'nist-800-53/CM-7', 'pci-dss/2.2.4', 'iso-27001/8.9'],
    messages: {
      profilingOn: '{{component}} serves profiling data: --profiling is {{state}} (it defaults to true); set --profiling=false',
    },
    example: {
      bad: 'command:\n- kube-scheduler\n- --kubeconfig=/etc/kubernetes/scheduler.conf',
      good: 'command:\n- kube-scheduler\n- --kubeconfig=/etc/kubernetes/scheduler.conf\n- --profiling=false',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'palisade.dev', kind: 'ComponentCommandLine' }] },
  check(context, subject) {
    for (const component of Object.keys(CONTROLS) as ComponentName[]) {
      for (const located of invocationsOf(subject, component)) {
        // The component's CIS control, and the rule's controls that are not one component's.
        context.evaluated(judgedControls(rule.meta.controls, Object.values(CONTROLS), [CONTROLS[component]!]));
        if (!boolFlag(located.invocation, 'profiling', true)) continue;
        const flag = getFlag(located.invocation.flags, 'profiling');
        context.report({
          messageId: 'profilingOn',
          data: { component, state: flag ? `set to ${flag.value}` : 'not set' },
          path: located.pathOf(flag),
          object: located.object,
          controls: [CONTROLS[component]!],
        });
      }
    }
  },
});
