import { getFlag, parseGoInt, type ComponentName } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, REQUIRES_CONTROLLER_MANAGER_OR_SCHEDULER } from '../shared/component-flags.ts';
import { isLoopbackIp, isUnspecifiedIp, parseIp } from '../shared/ip-address.ts';
import { judgedControls } from '../shared/judged-controls.ts';

// Both components register k8s.io/apiserver's SecureServingOptions: --bind-address defaults to 0.0.0.0 (every
// interface); --secure-port defaults to the component's port, and 0 turns serving off.
const COMPONENTS: Readonly<Partial<Record<ComponentName, { readonly control: string; readonly port: number }>>> = {
  'kube-controller-manager': { control: 'cis-k8s/1.3.7', port: 10257 },
  'kube-scheduler': { control: 'cis-k8s/1.4.2', port: 10259 },
};

const COMPONENT_CONTROLS = Object.values(COMPONENTS).map((component) => component.control);

export const rule = defineRule({
  meta: {
    id: 'control-plane-bind-address',
    title: 'Controller manager or scheduler listens beyond loopback',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: REQUIRES_CONTROLLER_MANAGER_OR_SCHEDULER,
    rationale:
      'kube-controller-manager (port 10257) and kube-scheduler (port 10259) serve an HTTPS endpoint with health checks ' +
      '(/healthz, /readyz, /livez, open to anyone by default), /metrics, /configz and, unless --profiling=false, ' +
      '/debug/pprof. Nothing outside the node needs it, yet --bind-address defaults to 0.0.0.0, so it listens on every ' +
      'interface of the control-plane node and anyone who can reach the node can probe it. The CIS Kubernetes ' +
      'Benchmark (1.3.7, 1.4.2) asks for 127.0.0.1; kubeadm sets it. A component started with --secure-port=0 serves ' +
      'nothing and is not reported.',
    remediation:
      'Add --bind-address=127.0.0.1 to the component\'s command in its static Pod manifest (for kubeadm, ' +
      '/etc/kubernetes/manifests/kube-controller-manager.yaml and kube-scheduler.yaml). Liveness probes of the static ' +
      'Pod then need host: 127.0.0.1, as kubeadm writes them.',
    controls: ['cis-k8s/1.3.7', 'cis-k8s/1.4.2', 'nsa-cisa/network-separation', 'nist-800-53/CM-7', 'nist-800-53/SC-7', 'pci-dss/2.2.6', 'soc2/CC6.6', 'iso-27001/8.20'],
    messages: {
      listensBeyondLoopback:
        '{{component}} serves its HTTPS endpoint (port {{port}}) on {{where}}: --bind-address is {{state}}; set --bind-address=127.0.0.1',
    },
    example: {
      bad: 'command:\n- kube-scheduler\n- --kubeconfig=/etc/kubernetes/scheduler.conf',
      good: 'command:\n- kube-scheduler\n- --kubeconfig=/etc/kubernetes/scheduler.conf\n- --bind-address=127.0.0.1',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const [component, { control, port: defaultPort }] of Object.entries(COMPONENTS) as [ComponentName, { control: string; port: number }][]) {
      for (const located of invocationsOf(subject, component)) {
        const securePort = getFlag(located.invocation.flags, 'secure-port');
        const port = securePort ? parseGoInt(securePort.value, 64) : defaultPort;
        const flag = getFlag(located.invocation.flags, 'bind-address');
        // pflag's IP flag: net.ParseIP of the trimmed text.
        const ip = flag ? parseIp(flag.value.trim()) : undefined;
        // A port or an address that does not parse stops the component at start-up: nothing to judge.
        if (port === undefined || (flag && !ip)) continue;
        // The component's CIS control, and the rule's controls that are not one component's.
        context.evaluated(judgedControls(rule.meta.controls, COMPONENT_CONTROLS, [control]));
        // 0 serves nothing.
        if (port === 0) continue;
        let where = 'every network interface';
        let state = 'not set, and it defaults to 0.0.0.0';
        if (flag && ip) {
          if (isLoopbackIp(ip)) continue;
          if (!isUnspecifiedIp(ip)) where = flag.value.trim();
          state = `set to ${flag.value}`;
        }
        context.report({
          messageId: 'listensBeyondLoopback',
          data: { component, port, where, state },
          path: located.pathOf(flag),
          object: located.object,
          controls: [control, 'nsa-cisa/network-separation'],
        });
      }
    }
  },
});
