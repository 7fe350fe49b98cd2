import { isIsolated, networkModels, policyApplies, type Direction, type Endpoint, type NetworkPolicyEntry, type PolicyRule } from '../../analysers/netpol/index.ts';
import { countText, fromCluster, isEmptySelector, listText, modelIndex, whereText, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

const DEFAULT_DENY = 'podSelector: {} with the type in policyTypes and no rule allowing everything';

function allowAllRule(policy: NetworkPolicyEntry, direction: Direction): PolicyRule | undefined {
  if (!policyApplies(policy, direction)) return undefined;
  return (direction === 'ingress' ? policy.ingress : policy.egress).find((rule) => rule.peers === undefined && rule.allPorts);
}

/** Whether policies selecting every pod isolate them for `direction` without a rule that allows everything. */
function defaultDenies(policy: NetworkPolicyEntry, direction: Direction): boolean {
  return isEmptySelector(policy.podSelector) && policyApplies(policy, direction) && !allowAllRule(policy, direction);
}

/** What a missing default deny leaves open in one direction, with the evidence. */
function openText(direction: Direction, endpoints: readonly Endpoint[], policies: readonly NetworkPolicyEntry[]): string {
  // Open: not isolated, or isolated by a policy with a rule allowing everything.
  const open = endpoints.filter((endpoint) => !isIsolated(endpoint, direction) || endpoint.selectedBy.some((policy) => allowAllRule(policy, direction)));
  const verb = direction === 'ingress' ? ['accepts', 'accept'] : ['may connect', 'may connect'];
  const what = `${verb[open.length === 1 ? 0 : 1]} ${direction === 'ingress' ? 'connections from any source' : 'to any destination'}`;
  let text =
    open.length === 0
      ? `its ${countText(endpoints.length, 'workload')} ${endpoints.length === 1 ? 'is' : 'are'} isolated for ${direction} by other policies, but workloads added later will not be`
      : `${open.length === endpoints.length ? 'its' : `${open.length} of its`} ${countText(endpoints.length, 'workload')} (${listText(open.map(workloadText))}) ${what}, and so will workloads added later`;
  for (const policy of policies) {
    const rule = isEmptySelector(policy.podSelector) ? allowAllRule(policy, direction) : undefined;
    if (rule) {
      text += ` (NetworkPolicy ${policy.id} selects every pod, but its spec.${direction}[${rule.index}] allows every ${direction === 'ingress' ? 'source' : 'destination'} on every port)`;
      break;
    }
  }
  return text;
}

export const rule = defineRule({
  meta: {
    id: 'netpol-namespace-default-deny',
    title: 'Namespace has no default-deny NetworkPolicy',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A pod that no NetworkPolicy selects accepts connections from every pod of the cluster (and from outside where ' +
      'pod addresses are routable) and connects anywhere; policies only add allows, so isolation starts with a policy ' +
      'that selects every pod of the namespace (podSelector: {}) for a direction and allows nothing, or only what ' +
      'the namespace needs. Without it, each new workload starts open, and one compromised pod can reach every ' +
      'service of the namespace. The rule looks at every namespace with workloads in the input (hostNetwork ' +
      'workloads aside: policies do not apply to them), and a namespace whose workloads fall under CiliumNetworkPolicy, ' +
      'Calico or AdminNetworkPolicy objects counts as covered (netpol-foreign-policies reports those). A policy that ' +
      'selects every pod but has a rule allowing every peer on every port is not a default deny. The finding is on ' +
      'the Namespace object, or on the namespace\'s first workload when the input has no Namespace object for it.',
    remediation:
      'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] (no rules) to the namespace, then ' +
      'policies allowing what each workload needs, cluster DNS included (UDP and TCP 53 to kube-system).',
    controls: ['cis-k8s/5.3.2', 'nsa-cisa/network-separation', 'mitre-attack/T1046', 'nist-800-190/4.3.3', 'nist-800-190/4.4.2', 'nist-800-53/AC-4', 'nist-800-53/SC-7', 'nist-800-53/SC-7(5)', 'pci-dss/1.3.1', 'pci-dss/1.3.2', 'soc2/CC6.6', 'iso-27001/8.22', 'hipaa/164.312(a)(1)'],
    messages: {
      noPolicies:
        'namespace {{namespace}} has {{workloads}} ({{names}}) and no NetworkPolicy {{where}}: every pod accepts connections from any source and ' +
        'connects to any destination; add a default deny (podSelector: {}, policyTypes: [Ingress, Egress]) and allow what each workload needs',
      noDefaultDeny: `namespace {{namespace}} has no default-deny NetworkPolicy for ingress or egress (${DEFAULT_DENY}): for ingress, {{ingress}}; for egress, {{egress}}`,
      noDefaultDenyIngress: `namespace {{namespace}} has no default-deny ingress NetworkPolicy (${DEFAULT_DENY}): {{ingress}}`,
      noDefaultDenyEgress: `namespace {{namespace}} has no default-deny egress NetworkPolicy (${DEFAULT_DENY}): {{egress}}`,
    },
    example: {
      bad: 'kind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - ports: [{port: 8080}]',
      good: 'kind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]',
    },
  },
  scope: {
    type: 'inventory',
    kinds: [
      { group: '', kind: 'Namespace' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ],
  },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      for (const [namespace, all] of modelIndex(model).endpointsByNamespace) {
        const endpoints = all.filter((endpoint) => !endpoint.hostNetwork);
        const first = endpoints[0];
        if (!first || first.foreign.length > 0) continue;
        const info = model.namespaces.get(namespace);
        const at = info?.object ? { object: info.object, path: ['metadata', 'name'] } : { object: first.object, path: ['metadata', 'namespace'] };
        const policies = model.policiesByNamespace.get(namespace) ?? [];
        if (policies.length === 0) {
          context.report({
            messageId: 'noPolicies',
            data: { namespace, workloads: countText(endpoints.length, 'workload'), names: listText(endpoints.map(workloadText)), where: whereText(model, fromCluster(at.object, objects)) },
            ...at,
          });
          continue;
        }
        const ingress = policies.some((policy) => defaultDenies(policy, 'ingress'));
        const egress = policies.some((policy) => defaultDenies(policy, 'egress'));
        if (ingress && egress) continue;
        const data = { namespace, ingress: openText('ingress', endpoints, policies), egress: openText('egress', endpoints, policies) };
        const messageId = !ingress && !egress ? 'noDefaultDeny' : !ingress ? 'noDefaultDenyIngress' : 'noDefaultDenyEgress';
        context.report({ messageId, data, ...at });
      }
    }
  },
});
