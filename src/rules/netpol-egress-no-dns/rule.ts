import { selectorMatches } from '../../core/label-selector.ts';
import {
  endpointClasses,
  isIsolated,
  matrix,
  networkModels,
  policyApplies,
  portsContain,
  verdictOf,
  type EndpointClass,
  type NetworkModel,
  type Peer,
  type PolicyRule,
  type Protocol,
} from '../../analysers/netpol/index.ts';
import { clusterDns, DNS_NAMESPACE, type DnsTarget, DNS_POD_LABEL_SETS, listText, pinnedNames, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

const DNS_PORT = 53;

function egressRules(cls: EndpointClass): PolicyRule[] {
  return cls.selectedBy.filter((policy) => policyApplies(policy, 'egress')).flatMap((policy) => [...policy.egress]);
}

/** Whether a rule's ports may include `protocol`/53 (named ports are given the benefit of the doubt). */
function allowsDnsPort(rule: PolicyRule, protocol: Protocol): boolean {
  return portsContain(rule.ports.numeric, protocol, DNS_PORT) || rule.ports.named.some((named) => named.protocol === protocol);
}

/** Whether a peer may be cluster DNS when the input holds no DNS workload (lenient: only sure mismatches count). */
function mayBeDns(model: NetworkModel, peer: Peer): boolean {
  if (peer.kind === 'invalid') return false;
  // Whether an ipBlock matches pods, or a node-local DNS cache address, is implementation- and setup-defined.
  if (peer.kind === 'ipBlock') return true;
  if (peer.namespaceSelector) {
    const info = model.namespaces.get(DNS_NAMESPACE);
    if (info?.object) {
      if (!selectorMatches(peer.namespaceSelector, info.labels)) return false;
    } else {
      const pinned = pinnedNames(peer.namespaceSelector);
      if (pinned && !pinned.includes(DNS_NAMESPACE)) return false;
    }
  } else if (peer.namespace !== DNS_NAMESPACE) {
    return false;
  }
  const podSelector = peer.podSelector;
  return !podSelector || DNS_POD_LABEL_SETS.some((labels) => selectorMatches(podSelector, labels));
}

/** Whether an egress rule allows `protocol`/53 to an ipBlock: a path to DNS the analysis cannot judge. */
function ipBlockDns(rules: readonly PolicyRule[], protocol: Protocol): boolean {
  return rules.some((rule) => allowsDnsPort(rule, protocol) && (rule.peers ?? []).some((peer) => peer.kind === 'ipBlock'));
}

/** `udp/53, tcp/53`: the pod ports DNS arrives on. */
function portsText(targets: readonly DnsTarget[]): string {
  const udp = [...new Set(targets.flatMap((t) => t.udp))].sort((a, b) => a - b);
  const tcp = [...new Set(targets.flatMap((t) => t.tcp))].sort((a, b) => a - b);
  return [...udp.map((p) => `udp/${p}`), ...tcp.map((p) => `tcp/${p}`)].join(', ') || 'none';
}

export const rule = defineRule({
  meta: {
    id: 'netpol-egress-no-dns',
    title: 'Egress-isolated workload cannot reach cluster DNS',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'Once a policy isolates a pod for egress, only what its egress rules allow gets out, and name resolution goes ' +
      'to the cluster DNS pods (CoreDNS or kube-dns behind Service kube-system/kube-dns) like any other traffic. ' +
      'Without an allow for UDP and TCP 53 towards them, every lookup fails; with UDP only, answers too large for ' +
      'UDP (truncated, retried over TCP) fail intermittently; with TCP only, resolvers time out on UDP first. ' +
      'When the input holds the DNS workload (a live cluster, or manifests that include it), the reachability ' +
      'analysis decides, on the pod ports behind the DNS Service\'s port 53 (both sides\' policies count). Otherwise ' +
      'the rule approximates from the workload\'s egress rules alone: some rule must allow the protocol on port 53 ' +
      '(or a named port) to every destination, to an ipBlock, or to a peer that may be the DNS pods (a ' +
      'namespaceSelector that may match kube-system, given its labels when the input has its Namespace object, and ' +
      'a podSelector, if any, matching k8s-app=kube-dns, k8s-app=coredns, app.kubernetes.io/name=coredns or ' +
      'k8s-app=node-local-dns). An egress rule on port 53 towards an ipBlock (NodeLocal DNSCache, implementations ' +
      'where ipBlock matches pod addresses) is taken as a possible path, and nothing is reported for that protocol.',
    remediation:
      'Allow DNS in the namespace\'s egress policies: `to: [{namespaceSelector: {matchLabels: ' +
      '{kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]` with ports ' +
      '53/UDP and 53/TCP (and the pod port if the DNS Service translates it, e.g. 5353 on OpenShift).',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      noDns: '{{workload}} is isolated for egress ({{policies}}) and cannot reach cluster DNS ({{dns}}) over UDP or TCP: its name lookups fail',
      udpOnly:
        '{{workload}} is isolated for egress ({{policies}}) and can reach cluster DNS ({{dns}}) over UDP but not TCP: lookups whose answers are ' +
        'retried over TCP (large or truncated answers) fail',
      tcpOnly:
        '{{workload}} is isolated for egress ({{policies}}) and can reach cluster DNS ({{dns}}) over TCP but not UDP: resolvers ask over UDP ' +
        'first, so lookups time out or fail',
    },
    example: {
      bad: 'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - podSelector: {matchLabels: {app: db}}',
      good:
        'kind: NetworkPolicy\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: kube-system}\n' +
        '      podSelector:\n        matchLabels: {k8s-app: kube-dns}\n    ports:\n    - {port: 53, protocol: UDP}\n    - {port: 53, protocol: TCP}',
    },
  },
  scope: {
    type: 'inventory',
    kinds: [
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
      { group: '', kind: 'Service' },
    ],
  },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const dns = clusterDns(model, objects);
      const dnsEndpoints = new Set(dns.targets.map((target) => target.endpoint));
      const reachability = dns.targets.length > 0 ? matrix(model) : undefined;
      const description = reachability
        ? `${dns.description}, pod ports ${portsText(dns.targets)}`
        : `pods labelled k8s-app=kube-dns in ${DNS_NAMESPACE}, port 53; judged from its egress rules, as the input holds no DNS workload`;
      for (const cls of endpointClasses(model).classes) {
        const first = cls.endpoints[0]!;
        if (cls.hostNetwork || cls.foreign.length > 0 || !isIsolated(first, 'egress') || cls.endpoints.some((e) => dnsEndpoints.has(e))) continue;
        const rules = egressRules(cls);
        const reaches = { UDP: false, TCP: false };
        if (reachability) {
          let unknown = false;
          for (const target of dns.targets) {
            const result = reachability.result(first, target.endpoint);
            for (const [protocol, ports] of [['UDP', target.udp], ['TCP', target.tcp]] as const) {
              for (const port of ports) {
                const verdict = verdictOf(result.ports, result.unknownPorts, { protocol, port });
                if (verdict === 'allowed') reaches[protocol] = true;
                else if (verdict === 'unknown') unknown = true;
              }
            }
          }
          if (unknown) continue;
          for (const protocol of ['UDP', 'TCP'] as const) if (!reaches[protocol] && ipBlockDns(rules, protocol)) reaches[protocol] = true;
        } else {
          for (const protocol of ['UDP', 'TCP'] as const) {
            reaches[protocol] = rules.some((rule) => allowsDnsPort(rule, protocol) && (rule.peers === undefined || rule.peers.some((peer) => mayBeDns(model, peer))));
          }
        }
        if (reaches.UDP && reaches.TCP) continue;
        const messageId = !reaches.UDP && !reaches.TCP ? 'noDns' : reaches.UDP ? 'udpOnly' : 'tcpOnly';
        const policies = listText(cls.selectedBy.filter((policy) => policyApplies(policy, 'egress')).map((policy) => `NetworkPolicy ${policy.id}`));
        for (const endpoint of cls.endpoints) {
          context.report({
            messageId,
            data: { workload: workloadText(endpoint), policies, dns: description },
            path: [...endpoint.template.metadataPath, 'labels'],
            object: endpoint.object,
          });
        }
      }
    }
  },
});
