import { networkModels } from '../../analysers/netpol/index.ts';
import { fromCluster, listText, labelsText, whereText, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-workload-unselected',
    title: 'Workload is selected by no NetworkPolicy',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A pod that no NetworkPolicy of its namespace selects is isolated in neither direction: every pod of the ' +
      'cluster, and every outside address that can route to pod IPs, may connect to it on any port, and it may ' +
      'connect anywhere, the cloud metadata service and the API server included. A compromised workload of this kind ' +
      'is a free pivot. hostNetwork workloads are left out (NetworkPolicies do not apply to them), and so are ' +
      'workloads under CiliumNetworkPolicy, Calico or AdminNetworkPolicy objects, which count as covered. The ' +
      'finding names the pod labels, since a policy selects pods by them.',
    remediation:
      'Add a default-deny policy to the namespace (podSelector: {}, policyTypes: [Ingress, Egress]) and a policy ' +
      'selecting the workload\'s labels that allows the connections it needs, or fix the selector of the policy meant ' +
      'for it.',
    controls: ['cis-k8s/5.3.2', 'nsa-cisa/network-separation', 'mitre-attack/T1046', 'nist-800-190/4.3.3', 'nist-800-190/4.4.2', 'nist-800-53/AC-4', 'nist-800-53/SC-7', 'nist-800-53/SC-7(5)', 'pci-dss/1.3.1', 'pci-dss/1.3.2', 'soc2/CC6.6', 'iso-27001/8.22', 'hipaa/164.312(a)(1)'],
    messages: {
      unselected:
        '{{workload}} (pod labels {{labels}}) matches the podSelector of none of the NetworkPolicies of namespace {{namespace}} ({{policies}}): it accepts ' +
        'connections from any source and may connect to any destination',
      unselectedNoPolicies:
        '{{workload}} is selected by no NetworkPolicy, as namespace {{namespace}} has none {{where}}: it accepts connections from any source and may connect ' +
        'to any destination',
    },
    example: {
      bad: 'kind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels: {app: frontend}   # the pods are labelled app: web',
      good: 'kind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels: {app: web}',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      for (const endpoint of model.endpoints) {
        if (endpoint.selectedBy.length > 0 || endpoint.hostNetwork || endpoint.foreign.length > 0) continue;
        const policies = model.policiesByNamespace.get(endpoint.namespace) ?? [];
        const path = [...endpoint.template.metadataPath, 'labels'];
        const common = { workload: workloadText(endpoint), namespace: endpoint.namespace };
        if (policies.length === 0) {
          context.report({ messageId: 'unselectedNoPolicies', data: { ...common, where: whereText(model, fromCluster(endpoint.object, objects)) }, path, object: endpoint.object });
        } else {
          context.report({ messageId: 'unselected', data: { ...common, labels: labelsText(endpoint.labels), policies: listText(policies.map((policy) => policy.name)) }, path, object: endpoint.object });
        }
      }
    }
  },
});
