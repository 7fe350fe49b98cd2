import { networkModels } from '../../analysers/netpol/index.ts';
import { countText, fromCluster, isEmptySelector, labelsText, listText, modelIndex, selectorText, whereText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-policy-selects-nothing',
    title: 'NetworkPolicy selects no workload',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'A NetworkPolicy applies to the pods of its namespace that its podSelector matches. A selector that matches ' +
      'none (a typo in a label, labels changed by a new chart version, the policy applied to the wrong namespace) ' +
      'isolates nothing and allows nothing: the workloads it was written for stay open, and the policy reads as ' +
      'protection in reviews. Manifests are often applied in parts, so a policy is only judged against a namespace ' +
      'whose workloads the input holds (at least one of them); a live cluster, or a snapshot of one, is judged as it ' +
      'is. podSelector: {} (every pod) is never reported.',
    remediation:
      'Fix the podSelector to match the labels of the pod template it is meant for (kubectl get pods -n NS --show-labels), ' +
      'or delete the policy if its workload is gone.',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      selectsNothing:
        'podSelector {{selector}} matches no workload of namespace {{namespace}} {{where}} ({{workloads}}, with pod labels {{labels}}): this policy ' +
        'isolates nothing and allows nothing',
      namespaceEmpty: 'podSelector {{selector}} matches nothing: namespace {{namespace}} has no workload {{where}}',
    },
    example: {
      bad: 'kind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels: {app: paymnts}',
      good: 'kind: NetworkPolicy\nspec:\n  podSelector:\n    matchLabels: {app: payments}',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      for (const policy of model.policies) {
        if (isEmptySelector(policy.podSelector) || index.selected.has(policy)) continue;
        const authoritative = fromCluster(policy.object, objects);
        const where = whereText(model, authoritative);
        const classes = index.classesByNamespace.get(policy.namespace) ?? [];
        const common = { selector: selectorText(policy.podSelector), namespace: policy.namespace, where };
        const path = ['spec', 'podSelector'];
        if (classes.length > 0) {
          const workloads = classes.reduce((sum, cls) => sum + cls.endpoints.length, 0);
          const labels = listText([...new Set(classes.map((cls) => labelsText(cls.labels)))].sort().map((text) => `{${text}}`));
          context.report({ messageId: 'selectsNothing', data: { ...common, workloads: countText(workloads, 'workload'), labels }, path, object: policy.object });
        } else if (authoritative) {
          context.report({ messageId: 'namespaceEmpty', data: common, path, object: policy.object });
        }
      }
    }
  },
});
