import { DIRECTIONS, networkModels, policyApplies } from '../../analysers/netpol/index.ts';
import { countText, fromCluster, labelsText, listText, modelIndex, peerDestinations, peerText, pinnedNames, whereText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-peer-matches-nothing',
    title: 'NetworkPolicy peer matches no workload or namespace',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'A peer of an ingress or egress rule allows traffic from or to the pods it matches. A peer that matches none ' +
      '(a misspelt label, a namespace label nobody set, the legacy name=<namespace> label where only ' +
      'kubernetes.io/metadata.name exists) allows nothing, so the traffic it was written for is blocked, and someone ' +
      'will later "fix" it by widening the rule. Manifests are often applied in parts: a peer is only judged when ' +
      'the input surely holds what it can match: a podSelector of the policy\'s own namespace whose workloads are in ' +
      'the input, or a namespaceSelector naming namespaces by kubernetes.io/metadata.name whose workloads are in the ' +
      'input (their Namespace objects decide other labels). A live cluster, or a snapshot of one, is judged as it is. ' +
      'ipBlock peers are not judged.',
    remediation:
      'Fix the selector to the labels the peer pods and namespaces carry (kubectl get ns --show-labels; prefer ' +
      'kubernetes.io/metadata.name, which the API server sets and nobody can forge), or remove the peer.',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      noWorkload:
        '{{direction}} peer {{peer}} matches no workload {{where}}: namespace(s) {{namespaces}} hold {{workloads}}, with pod labels {{labels}}; this peer allows nothing',
      noNamespace: '{{direction}} peer {{peer}} matches no namespace {{where}}{{labels}}: this peer allows nothing',
    },
    example: {
      bad: 'ingress:\n- from:\n  - namespaceSelector:\n      matchLabels: {name: monitoring}   # not set on the namespace',
      good: 'ingress:\n- from:\n  - namespaceSelector:\n      matchLabels: {kubernetes.io/metadata.name: monitoring}',
    },
  },
  scope: {
    type: 'inventory',
    kinds: [
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      { group: '', kind: 'Namespace' },
    ],
  },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      for (const policy of model.policies) {
        const authoritative = fromCluster(policy.object, objects);
        const where = whereText(model, authoritative);
        for (const direction of DIRECTIONS) {
          if (!policyApplies(policy, direction)) continue;
          for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
            for (const peer of rule.peers ?? []) {
              if (peer.kind !== 'selector') continue;
              const destinations = peerDestinations(model, peer, authoritative);
              if (destinations.endpoints.length > 0 || !destinations.complete) continue;
              const common = { direction: direction === 'ingress' ? 'Ingress' : 'Egress', peer: peerText(peer), where };
              if (destinations.namespaces.length === 0) {
                // Evidence: the labels of the namespaces the selector names, where the input has them.
                const named = (peer.namespaceSelector ? (pinnedNames(peer.namespaceSelector) ?? []) : [])
                  .map((name) => model.namespaces.get(name))
                  .filter((info) => info?.object !== undefined)
                  .map((info) => `namespace ${info!.name} has labels ${labelsText(info!.labels)}`);
                const labels = named.length > 0 ? ` (${listText(named)})` : '';
                context.report({ messageId: 'noNamespace', data: { ...common, labels }, path: peer.path, object: policy.object });
                continue;
              }
              const classes = destinations.namespaces.flatMap((namespace) => index.classesByNamespace.get(namespace) ?? []);
              const workloads = classes.reduce((sum, cls) => sum + cls.endpoints.length, 0);
              const labels = classes.length === 0 ? 'none' : listText([...new Set(classes.map((cls) => `{${labelsText(cls.labels)}}`))].sort());
              context.report({
                messageId: 'noWorkload',
                data: { ...common, namespaces: listText(destinations.namespaces), workloads: countText(workloads, 'workload'), labels },
                path: peer.path,
                object: policy.object,
              });
            }
          }
        }
      }
    }
  },
});
