import { getFlag } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, REQUIRES_KUBELET_COMMAND_LINE } from '../shared/component-flags.ts';

export const rule = defineRule({
  meta: {
    id: 'kubelet-hostname-override',
    title: 'Kubelet registers its node under a name other than the host name',
    category: 'cluster',
    defaultSeverity: 'low',
    requires: REQUIRES_KUBELET_COMMAND_LINE,
    rationale:
      'With --hostname-override the kubelet registers the node, and identifies itself, under the given name instead ' +
      'of the machine\'s host name. The node name then has to match the kubelet\'s certificates (its client identity ' +
      'system:node:<name> and the names in its serving certificate) and DNS by hand, or TLS between the API server and ' +
      'the kubelet breaks; and logs, audit events and alerts that name the node no longer match the machine\'s own ' +
      'records, which slows down an investigation. The setting exists only as a flag (KubeletConfiguration has no ' +
      'such field), so it is judged on the kubelet\'s command line (palisade node). CIS Kubernetes Benchmark 4.2.7 ' +
      '(Manual). Some cloud setups need the flag: suppress the finding there with the reason.',
    remediation:
      'Remove --hostname-override from the kubelet\'s systemd unit, its drop-ins and environment files (kubeadm: ' +
      '/var/lib/kubelet/kubeadm-flags.env, /etc/default/kubelet), set the machine\'s host name to the node name ' +
      'instead, and restart the kubelet. Renaming a registered node means deleting the Node object and joining again.',
    controls: ['cis-k8s/4.2.7', 'nist-800-190/4.3.5', 'nist-800-53/CM-6', 'nist-800-53/IA-3', 'pci-dss/2.2.6', 'iso-27001/8.9'],
    messages: {
      hostnameOverridden:
        'the kubelet registers its node as "{{name}}" instead of the machine\'s host name ({{flag}} on its command line); remove the flag and give the machine that host name',
    },
    example: {
      bad: 'argv: [/usr/bin/kubelet, --config=/var/lib/kubelet/config.yaml, --hostname-override=worker-1]',
      good: 'argv: [/usr/bin/kubelet, --config=/var/lib/kubelet/config.yaml]',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kubelet')) {
      context.evaluated();
      const flag = getFlag(located.invocation.flags, 'hostname-override');
      // An empty value means the host name; the kubelet trims the value (a blank one makes it exit).
      if (!flag || flag.value.trim() === '') continue;
      const written = flag.last.form === 'separate' ? `${flag.last.written} ${flag.value}` : `${flag.last.written}=${flag.value}`;
      context.report({
        messageId: 'hostnameOverridden',
        data: { name: flag.value.trim(), flag: written },
        path: located.pathOf(flag),
        object: located.object,
      });
    }
  },
});
