import { networkModels } from '../../analysers/netpol/index.ts';
import { listText, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-selects-host-network',
    title: 'NetworkPolicy selects hostNetwork pods',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A pod with hostNetwork: true shares the node\'s network namespace: its traffic is the node\'s traffic, and ' +
      'NetworkPolicies, which CNI plugins enforce on pod interfaces, do not apply to it (the upstream API leaves ' +
      'the behaviour undefined; Calico, Cilium and OVN-Kubernetes do not isolate such pods, and OpenShift documents ' +
      'it). A policy selecting it gives a false sense of isolation: the workload accepts and opens connections on ' +
      'every port of the node regardless. The finding is on the workload and names the policies that select it.',
    remediation:
      'Drop hostNetwork unless the workload needs the node\'s network (CNI, node agents), and protect the ones that ' +
      'do with a host firewall or the CNI\'s host policies (Calico HostEndpoint, Cilium host firewall).',
    controls: ['nsa-cisa/network-separation', 'cis-k8s/5.2.5', 'nist-800-190/4.3.3', 'nist-800-53/SC-7', 'pci-dss/1.3.1', 'soc2/CC6.6', 'iso-27001/8.22'],
    messages: {
      hostNetworkSelected:
        '{{workload}} uses the host network: the NetworkPolicies selecting it ({{policies}}) do not apply to it, so it accepts and opens connections like ' +
        'the node itself',
    },
    example: {
      bad: 'kind: DaemonSet\nspec:\n  template:\n    spec:\n      hostNetwork: true   # selected by a NetworkPolicy',
      good: 'kind: DaemonSet\nspec:\n  template:\n    spec:\n      hostNetwork: false',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      for (const endpoint of model.endpoints) {
        if (!endpoint.hostNetwork || endpoint.selectedBy.length === 0) continue;
        context.report({
          messageId: 'hostNetworkSelected',
          data: { workload: workloadText(endpoint), policies: listText(endpoint.selectedBy.map((policy) => policy.id)) },
          path: [...endpoint.template.specPath, 'hostNetwork'],
          object: endpoint.object,
        });
      }
    }
  },
});
