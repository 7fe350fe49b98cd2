import { DIRECTIONS, networkModels, parseCidr, policyApplies, type NetworkPolicyEntry } from '../../analysers/netpol/index.ts';
import { countText, isEmptySelector, listText, modelIndex, peerText, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-allow-all',
    title: 'NetworkPolicy rule allows all traffic',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'Policies only add allows, so one rule that allows everything undoes every other policy for the pods it ' +
      'selects: `ingress: [{}]` or `egress: [{}]` (no peers, no ports) allows every source or destination, in the ' +
      'cluster and outside, on every port; a peer `namespaceSelector: {}` (without a podSelector, or with ' +
      'podSelector: {}) in a rule without ports allows every pod of every namespace, those created later included; ' +
      'an ipBlock of 0.0.0.0/0 or ::/0 without except, in a rule without ports, allows the whole internet (or, for ' +
      'egress, every destination outside the cluster). Such rules are sometimes written on purpose to switch ' +
      'isolation off; they are reported so that the decision is visible. Rules that limit the ports are not ' +
      'reported here (netpol-exposed-workload judges what is reachable).',
    remediation:
      'List the peers and ports the workload needs. To switch isolation off on purpose, delete the policy instead, ' +
      'or suppress this finding with the reason.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1046', 'nist-800-190/4.3.3', 'nist-800-190/4.4.2', 'nist-800-53/AC-4', 'nist-800-53/SC-7', 'nist-800-53/SC-7(5)', 'pci-dss/1.3.1', 'pci-dss/1.3.2', 'soc2/CC6.6', 'iso-27001/8.22', 'hipaa/164.312(a)(1)'],
    messages: {
      allowAll:
        'spec.{{direction}}[{{index}}] has no {{peersField}} and no ports: it allows every {{peer}}, in the cluster and outside, on every port, for {{selected}}',
      allNamespaces:
        '{{peer}} matches every pod of every namespace, including namespaces created later, and the rule has no ports: it allows them on every port, for {{selected}}',
      anywhere:
        '{{peer}} covers every {{family}} address and the rule has no ports: it allows {{what}} on every port, for {{selected}}',
    },
    example: {
      bad: 'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  ingress:\n  - {}',
      good: 'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: frontend}}\n    ports:\n    - port: 8080',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      const selectedText = (policy: NetworkPolicyEntry): string => {
        const selected = index.selected.get(policy) ?? [];
        return selected.length === 0
          ? `the pods it selects (${model.source === 'files' ? 'none in the input yet' : 'none now'})`
          : `the ${countText(selected.length, 'workload')} it selects (${listText(selected.map(workloadText))})`;
      };
      for (const policy of model.policies) {
        for (const direction of DIRECTIONS) {
          if (!policyApplies(policy, direction)) continue;
          for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
            if (!rule.allPorts) continue;
            const selected = selectedText(policy);
            if (rule.peers === undefined) {
              context.report({
                messageId: 'allowAll',
                data: { direction, index: rule.index, peersField: direction === 'ingress' ? 'from' : 'to', peer: direction === 'ingress' ? 'source' : 'destination', selected },
                path: rule.path,
                object: policy.object,
              });
              continue;
            }
            for (const peer of rule.peers) {
              if (peer.kind === 'selector' && peer.namespaceSelector && isEmptySelector(peer.namespaceSelector) && (!peer.podSelector || isEmptySelector(peer.podSelector))) {
                context.report({ messageId: 'allNamespaces', data: { peer: peerText(peer), selected }, path: peer.path, object: policy.object });
              } else if (peer.kind === 'ipBlock' && peer.except.length === 0) {
                const cidr = parseCidr(peer.cidr);
                if (!cidr || cidr.prefix !== 0) continue;
                const family = cidr.family === 4 ? 'IPv4' : 'IPv6';
                const what = direction === 'ingress' ? `connections from any ${family} address` : `connections to any ${family} address outside the cluster`;
                context.report({ messageId: 'anywhere', data: { peer: peerText(peer), family, what, selected }, path: [...peer.path, 'ipBlock', 'cidr'], object: policy.object });
              }
            }
          }
        }
      }
    }
  },
});
