import { NETWORKING_GROUP } from '../../analysers/netpol/index.ts';
import { countText, detectNetworkPlugins, listText, type NetworkPlugin } from '../../analysers/netpol/rules-support.ts';
import { CLUSTER_INFO_GROUP, CLUSTER_INFO_KIND } from '../../core/cluster-info.ts';
import { apiGroupOf } from '../../core/inventory.ts';
import { defineRule } from '../../core/rule-api.ts';
import { belongsTo, clusterFactsOf, REQUIRES_CLUSTER_NETWORK_POLICIES } from '../shared/cluster-facts.ts';

function pluginText(plugin: NetworkPlugin): string {
  const ref = plugin.object.ref;
  return `${plugin.name} (DaemonSet ${ref.namespace ?? 'default'}/${ref.name}${plugin.detail ? `, which ${plugin.detail}` : ''})`;
}

export const rule = defineRule({
  meta: {
    id: 'netpol-cni-unsupported',
    title: 'Cluster has NetworkPolicies but no network plugin that enforces them',
    category: 'network-exposure',
    defaultSeverity: 'high',
    requires: REQUIRES_CLUSTER_NETWORK_POLICIES,
    rationale:
      'NetworkPolicies are enforced by the network plugin; the API server accepts them whether or not anything ' +
      'enforces them, and nothing signals that they are inert. flannel alone, the Amazon VPC CNI without its network ' +
      'policy agent enabled, kube-router with --run-firewall=false and Weave Net without weave-npc do not enforce ' +
      'them. For a live cluster (or a snapshot of one) holding NetworkPolicies, the rule recognises the plugin from ' +
      'its DaemonSets (names and images): Calico and Canal, Cilium (and GKE Dataplane V2), Antrea, Kube-OVN, ' +
      'OVN-Kubernetes, Azure NPM, kube-router, Weave Net with weave-npc, kube-network-policies, and the Amazon VPC CNI ' +
      'whose aws-eks-nodeagent runs with --enable-network-policy=true enforce them. kindnet enforces them only from ' +
      'kind v0.24, which its DaemonSet does not tell reliably, so it is reported as undetermined. Manifests are not ' +
      'judged: they do not show the cluster they go to.',
    remediation:
      'Install or enable a NetworkPolicy-capable plugin (for EKS: enableNetworkPolicy in the vpc-cni add-on ' +
      'configuration; for flannel: Canal, or Calico in policy-only mode), then verify with a pod that a default-deny ' +
      'policy really blocks it. Where the plugin runs outside the cluster\'s view (some managed offerings), check ' +
      'the provider\'s setting and suppress the finding with that reason.',
    controls: ['cis-k8s/5.3.1', 'nsa-cisa/network-separation', 'nist-800-190/4.3.3', 'nist-800-53/AC-4', 'nist-800-53/SC-7', 'pci-dss/1.3.1', 'pci-dss/1.3.2', 'soc2/CC6.6', 'iso-27001/8.22'],
    messages: {
      notEnforced: 'this cluster has {{policies}}, but its network plugin does not enforce them: {{plugins}}; the policies have no effect',
      cannotTell:
        'this cluster has {{policies}}, but no network plugin that enforces them was recognised among its DaemonSets ({{detail}}): check that its CNI ' +
        'enforces NetworkPolicies, or they have no effect',
    },
    example: {
      bad: 'kind: DaemonSet\nmetadata: {name: kube-flannel-ds, namespace: kube-flannel}   # and NetworkPolicies in the cluster',
      good: 'kind: DaemonSet\nmetadata: {name: calico-node, namespace: kube-system}',
    },
  },
  scope: {
    type: 'inventory',
    kinds: [
      { group: CLUSTER_INFO_GROUP, kind: CLUSTER_INFO_KIND },
      { group: NETWORKING_GROUP, kind: 'NetworkPolicy' },
    ],
  },
  check(context, { objects, podTemplates }) {
    for (const facts of clusterFactsOf(objects)) {
      const info = facts.object;
      const policies = objects.filter((o) => o.ref.kind === 'NetworkPolicy' && apiGroupOf(o.ref.apiVersion) === NETWORKING_GROUP && belongsTo(o, facts)).length;
      if (policies === 0) continue;
      context.evaluated();
      const templates = podTemplates.filter((template) => belongsTo(template.object, facts));
      const plugins = detectNetworkPlugins(templates);
      if (plugins.some((plugin) => plugin.support === 'enforces')) continue;
      const count = countText(policies, 'NetworkPolicy', 'NetworkPolicies');
      const inert = plugins.filter((plugin) => plugin.support === 'does-not-enforce');
      if (inert.length > 0) {
        context.report({ messageId: 'notEnforced', data: { policies: count, plugins: listText(inert.map(pluginText)) }, path: ['spec'], object: info });
        continue;
      }
      const daemonSets = templates.filter((t) => t.object.ref.kind === 'DaemonSet').length;
      const detail = plugins.length > 0 ? listText(plugins.map(pluginText)) : `none of its ${countText(daemonSets, 'DaemonSet')} is a known network plugin`;
      context.report({ messageId: 'cannotTell', data: { policies: count, detail }, path: ['spec'], object: info });
    }
  },
});
