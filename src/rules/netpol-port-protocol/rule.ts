import { DIRECTIONS, networkModels, policyApplies, type Endpoint, type Protocol } from '../../analysers/netpol/index.ts';
import { fromCluster, listText, modelIndex, namedPortNumbers, peerDestinations, rulePortEntries, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

/** Whether the endpoint serves `port` (a number or a name) over `protocol`. */
function serves(endpoint: Endpoint, protocol: Protocol, port: number | string): boolean {
  if (typeof port === 'string') return namedPortNumbers(endpoint, protocol, port).length > 0;
  return endpoint.ports.some((p) => p.port === port && p.protocol === protocol);
}

export const rule = defineRule({
  meta: {
    id: 'netpol-port-protocol',
    title: 'NetworkPolicy port without protocol targets a UDP port',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'A NetworkPolicyPort without `protocol` means TCP. When the destination serves that port (by number, or the ' +
      'container port of that name) over UDP only (DNS on 53, syslog on 514, QUIC, game or media servers), the entry ' +
      'allows a protocol nobody uses and the UDP traffic it was written for is dropped. The destinations are the ' +
      'pods the policy selects for ingress rules, and the pods the peers match for egress rules (rules without peers, ' +
      'or with ipBlock peers only, are not judged: the destination may be outside the cluster); the entry is reported ' +
      'when some destination serves the port over UDP only and none serves it over TCP.',
    remediation: 'Write `protocol: UDP` on the entry, and keep a separate TCP entry when TCP is needed too (DNS needs both).',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      udpOnly:
        'this entry names no protocol, so it allows TCP port {{port}}, but that port is UDP-only on {{workloads}}: add protocol: UDP (and a separate TCP ' +
        'entry if TCP is needed too)',
    },
    example: {
      bad: 'egress:\n- to:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: logging}}\n  ports:\n  - port: 514',
      good: 'egress:\n- to:\n  - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: logging}}\n  ports:\n  - port: 514\n    protocol: UDP',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      for (const policy of model.policies) {
        const authoritative = fromCluster(policy.object, objects);
        for (const direction of DIRECTIONS) {
          if (!policyApplies(policy, direction)) continue;
          for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
            const entries = rulePortEntries(rule).filter((entry) => !entry.protocolWritten && entry.port !== undefined && entry.endPort === undefined);
            if (entries.length === 0) continue;
            let destinations: readonly Endpoint[];
            if (direction === 'ingress') {
              destinations = index.selected.get(policy) ?? [];
            } else {
              const found = new Set<Endpoint>();
              for (const peer of rule.peers ?? []) {
                if (peer.kind === 'selector') for (const endpoint of peerDestinations(model, peer, authoritative).endpoints) found.add(endpoint);
              }
              destinations = [...found].sort((a, b) => (a.id < b.id ? -1 : 1));
            }
            if (destinations.length === 0) continue;
            for (const entry of entries) {
              const port = entry.port!;
              if (destinations.some((endpoint) => serves(endpoint, 'TCP', port))) continue;
              const udpOnly = destinations.filter((endpoint) => serves(endpoint, 'UDP', port));
              if (udpOnly.length === 0) continue;
              const numbers = typeof port === 'string' ? [...new Set(udpOnly.flatMap((e) => namedPortNumbers(e, 'UDP', port)))].sort((a, b) => a - b) : [];
              context.report({
                messageId: 'udpOnly',
                data: { port: typeof port === 'string' ? `${port} (${numbers.join(', ')})` : String(port), workloads: listText(udpOnly.map(workloadText)) },
                path: [...entry.path, 'port'],
                object: policy.object,
              });
            }
          }
        }
      }
    }
  },
});
