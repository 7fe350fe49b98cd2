import { networkModels } from '../../analysers/netpol/index.ts';
import { countText, fromCluster, listText, modelIndex, whereText, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

/** The foreign policy kinds the analyser recognises (analysers/netpol/model.ts), so they count as evaluated. */
const FOREIGN_KINDS = [
  { group: 'cilium.io', kind: 'CiliumNetworkPolicy' },
  { group: 'cilium.io', kind: 'CiliumClusterwideNetworkPolicy' },
  { group: 'crd.projectcalico.org', kind: 'NetworkPolicy' },
  { group: 'crd.projectcalico.org', kind: 'GlobalNetworkPolicy' },
  { group: 'projectcalico.org', kind: 'NetworkPolicy' },
  { group: 'projectcalico.org', kind: 'GlobalNetworkPolicy' },
  { group: 'policy.networking.k8s.io', kind: 'AdminNetworkPolicy' },
  { group: 'policy.networking.k8s.io', kind: 'BaselineAdminNetworkPolicy' },
  { group: 'policy.networking.k8s.io', kind: 'ClusterNetworkPolicy' },
];

export const rule = defineRule({
  meta: {
    id: 'netpol-foreign-policies',
    title: 'Network policies of other APIs are not analysed',
    category: 'network-exposure',
    defaultSeverity: 'info',
    rationale:
      'Palisade analyses networking.k8s.io/v1 NetworkPolicies. CiliumNetworkPolicy and ' +
      'CiliumClusterwideNetworkPolicy, Calico NetworkPolicy and GlobalNetworkPolicy, and AdminNetworkPolicy, ' +
      'BaselineAdminNetworkPolicy and ClusterNetworkPolicy can allow what NetworkPolicies deny and deny what they ' +
      'allow, with selectors and semantics of their own. Their selectors are not evaluated: a namespaced one is ' +
      'taken to affect every workload of its namespace, a cluster-wide one every workload. Those workloads count ' +
      'as covered (the default-deny and unselected-workload rules do not report them), and every reachability ' +
      'verdict involving them is unknown. This informational finding says how many workloads that is, so that a ' +
      'quiet report is not mistaken for a verified one.',
    remediation:
      'Review these policies with their own tools (cilium policy trace, calicoctl), or express the rules as ' +
      'NetworkPolicies where possible; suppress this finding once that is done.',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      namespaced:
        '{{kind}} {{name}} is not analysed: the {{workloads}} of namespace {{namespace}} {{where}} ({{names}}) count as covered, and reachability verdicts ' +
        'involving them are unknown',
      namespacedNoWorkloads:
        '{{kind}} {{name}} is not analysed; namespace {{namespace}} has no workload {{where}}, and those it gets will count as covered, with unknown verdicts',
      clusterWide:
        '{{kind}} {{name}} applies cluster-wide and is not analysed: all {{workloads}} {{where}} count as covered, and every reachability verdict ' +
        'involving them is unknown',
    },
    example: {
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec:\n  endpointSelector: {}',
      good: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nspec:\n  podSelector: {}',
    },
  },
  scope: { type: 'inventory', kinds: FOREIGN_KINDS },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      for (const foreign of model.foreignPolicies) {
        const where = whereText(model, fromCluster(foreign.object, objects));
        const common = { kind: `${foreign.kind} (${foreign.group})`, where };
        const path = ['spec'];
        if (foreign.namespace === undefined) {
          context.report({ messageId: 'clusterWide', data: { ...common, name: foreign.name, workloads: countText(model.endpoints.length, 'workload') }, path, object: foreign.object });
          continue;
        }
        const endpoints = index.endpointsByNamespace.get(foreign.namespace) ?? [];
        const data = { ...common, name: `${foreign.namespace}/${foreign.name}`, namespace: foreign.namespace };
        if (endpoints.length === 0) context.report({ messageId: 'namespacedNoWorkloads', data, path, object: foreign.object });
        else context.report({ messageId: 'namespaced', data: { ...data, workloads: countText(endpoints.length, 'workload'), names: listText(endpoints.map(workloadText)) }, path, object: foreign.object });
      }
    }
  },
});
