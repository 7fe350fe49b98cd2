import { DIRECTIONS, PROTOCOLS, networkModels, policyApplies, type Endpoint, type Protocol } from '../../analysers/netpol/index.ts';
import {
  fromCluster,
  listText,
  modelIndex,
  namedPortNumbers,
  peerDestinations,
  rulePortEntries,
  whereText,
  workloadText,
} from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

/** `; Deployment shop/dns defines it for UDP` when destinations define the name under other protocols. */
function otherProtocols(endpoints: readonly Endpoint[], protocol: Protocol, name: string): Protocol[] {
  return PROTOCOLS.filter((other) => other !== protocol && endpoints.some((endpoint) => namedPortNumbers(endpoint, other, name).length > 0));
}

export const rule = defineRule({
  meta: {
    id: 'netpol-named-port-undefined',
    title: 'NetworkPolicy names a port that no destination defines',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'A named port in a NetworkPolicy rule is resolved, pod by pod, against the container ports of the destination: ' +
      'for ingress rules the pods the policy selects, for egress rules the pods the peers match. A name that no ' +
      'destination defines with that protocol (a renamed port, a name written for UDP but matched as TCP) matches ' +
      'nothing, so the entry allows nothing; towards ipBlock peers a name never matches, since there is no pod to ' +
      'look it up in. The result is broken connectivity that gets "fixed" by widening the policy. Egress destinations ' +
      'are only judged when the input surely holds the peers\' pods (see netpol-peer-matches-nothing); a live cluster ' +
      'is judged as it is. An entry without protocol whose name the destinations define for UDP only is left to ' +
      'netpol-port-protocol.',
    remediation:
      'Use the name the destination container declares (ports[].name) with its protocol, or the port number; towards ' +
      'ipBlock peers, always use numbers.',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      ingressUndefined:
        'named port {{port}} ({{protocol}}) is defined by none of the workloads this policy selects ({{workloads}}){{other}}: this entry allows nothing',
      egressUndefined:
        'named port {{port}} ({{protocol}}) is defined by none of the workloads the rule\'s peers match {{where}} ({{workloads}}){{other}}: this entry allows nothing',
      ipBlockOnly:
        'named port {{port}} has no pod to be resolved against: the rule\'s only peers are ipBlocks ({{cidrs}}), so it matches nothing; use the port number',
    },
    example: {
      bad: 'ingress:\n- ports:\n  - port: metrics        # the container port is named http-metrics',
      good: 'ingress:\n- ports:\n  - port: http-metrics',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      for (const policy of model.policies) {
        const selected = index.selected.get(policy) ?? [];
        const authoritative = fromCluster(policy.object, objects);
        for (const direction of DIRECTIONS) {
          if (!policyApplies(policy, direction)) continue;
          for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
            const entries = rulePortEntries(rule).filter((entry) => typeof entry.port === 'string');
            if (entries.length === 0) continue;
            // The destinations the names resolve against, when the input surely holds them all.
            let destinations: readonly Endpoint[] | undefined;
            let ipBlockOnly = false;
            if (direction === 'ingress') {
              destinations = selected.length > 0 ? selected : undefined;
            } else if (rule.peers === undefined) {
              destinations = authoritative && model.endpoints.length > 0 ? model.endpoints : undefined;
            } else if (rule.peers.every((peer) => peer.kind === 'ipBlock')) {
              ipBlockOnly = true;
            } else {
              const found = new Set<Endpoint>();
              let complete = true;
              for (const peer of rule.peers) {
                if (peer.kind !== 'selector') continue;
                const reached = peerDestinations(model, peer, authoritative);
                complete &&= reached.complete;
                for (const endpoint of reached.endpoints) found.add(endpoint);
              }
              destinations = complete && found.size > 0 ? [...found].sort((a, b) => (a.id < b.id ? -1 : 1)) : undefined;
            }
            for (const entry of entries) {
              const name = entry.port as string;
              const path = [...entry.path, 'port'];
              if (ipBlockOnly) {
                const cidrs = listText((rule.peers ?? []).map((peer) => (peer.kind === 'ipBlock' ? peer.cidr : '')).filter((cidr) => cidr !== ''));
                context.report({ messageId: 'ipBlockOnly', data: { port: name, cidrs }, path, object: policy.object });
                continue;
              }
              if (!destinations || destinations.some((endpoint) => namedPortNumbers(endpoint, entry.protocol, name).length > 0)) continue;
              const others = otherProtocols(destinations, entry.protocol, name);
              // Written without protocol and served over UDP: netpol-port-protocol says so.
              if (!entry.protocolWritten && others.includes('UDP')) continue;
              const data = {
                port: name,
                protocol: entry.protocol,
                workloads: listText(destinations.map(workloadText)),
                other: others.length > 0 ? `; they define it for ${others.join(' and ')}` : '',
              };
              if (direction === 'ingress') context.report({ messageId: 'ingressUndefined', data, path, object: policy.object });
              else context.report({ messageId: 'egressUndefined', data: { ...data, where: whereText(model, authoritative) }, path, object: policy.object });
            }
          }
        }
      }
    }
  },
});
