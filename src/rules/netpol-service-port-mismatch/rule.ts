import { DIRECTIONS, networkModels, policyApplies, portsContain, type Endpoint } from '../../analysers/netpol/index.ts';
import {
  fromCluster,
  listText,
  modelIndex,
  peerDestinations,
  portsForEndpoint,
  rulePortEntries,
  servicesOf,
  targetPortOf,
  workloadText,
  type ServiceEntry,
  type ServicePort,
} from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-service-port-mismatch',
    title: 'NetworkPolicy allows a Service port instead of the pod port',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'A Service translates its port to the pods\' targetPort (DNAT) before NetworkPolicies see the packet, so ' +
      'policies must name the pod port: a rule allowing port 80 does not allow traffic through a Service whose ' +
      'port 80 forwards to container port 8080. The rule reports a rule\'s port entry that equals the port of a ' +
      'Service selecting some of the rule\'s destinations (for ingress rules the pods the policy selects, for egress ' +
      'rules the pods the peers match) when, for those pods, the Service forwards it to another port that the ' +
      'rule does not allow and the pods do not also serve the entry\'s port themselves.',
    remediation: 'Name the pod port in the policy: the Service\'s targetPort (a number, or the container port\'s name).',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      servicePort:
        'port {{port}} is the port of {{services}}: policies see the pod port after the Service translates it, so this entry does not let traffic ' +
        'through the Service reach {{workloads}}; allow {{targets}} instead',
    },
    example: {
      bad: 'ingress:\n- ports:\n  - port: 80          # Service port; the Service forwards to targetPort 8080',
      good: 'ingress:\n- ports:\n  - port: 8080',
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
      const services = servicesOf(model, objects);
      if (services.length === 0 || model.policies.length === 0) continue;
      const byPort = new Map<string, { service: ServiceEntry; port: ServicePort }[]>();
      for (const service of services) {
        if (service.endpoints.length === 0) continue;
        for (const port of service.ports) {
          const key = `${port.protocol}/${port.port}`;
          const list = byPort.get(key);
          if (list) list.push({ service, port });
          else byPort.set(key, [{ service, port }]);
        }
      }
      const index = modelIndex(model);
      for (const policy of model.policies) {
        const authoritative = fromCluster(policy.object, objects);
        for (const direction of DIRECTIONS) {
          if (!policyApplies(policy, direction)) continue;
          for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
            const entries = rulePortEntries(rule).filter((entry) => typeof entry.port === 'number' && entry.endPort === undefined && byPort.has(`${entry.protocol}/${entry.port}`));
            if (entries.length === 0) continue;
            let destinations: ReadonlySet<Endpoint>;
            if (direction === 'ingress') {
              destinations = new Set(index.selected.get(policy) ?? []);
            } else {
              const found = new Set<Endpoint>();
              for (const peer of rule.peers ?? []) {
                if (peer.kind === 'selector') for (const endpoint of peerDestinations(model, peer, authoritative).endpoints) found.add(endpoint);
              }
              destinations = found;
            }
            if (destinations.size === 0) continue;
            for (const entry of entries) {
              const number = entry.port as number;
              const mismatches: string[] = [];
              const workloads = new Set<string>();
              const targets = new Set<number>();
              for (const { service, port } of byPort.get(`${entry.protocol}/${number}`) ?? []) {
                const reached: string[] = [];
                for (const endpoint of service.endpoints) {
                  if (!destinations.has(endpoint)) continue;
                  const target = targetPortOf(port, endpoint);
                  if (target === undefined || target === number) continue;
                  // The pod serves the entry's port itself, or the rule allows the target port too: nothing lost.
                  if (endpoint.ports.some((p) => p.port === number && p.protocol === entry.protocol)) continue;
                  if (portsContain(portsForEndpoint(rule.ports, endpoint), entry.protocol, target)) continue;
                  reached.push(workloadText(endpoint));
                  workloads.add(workloadText(endpoint));
                  targets.add(target);
                }
                if (reached.length > 0) mismatches.push(`Service ${service.id}, which forwards it to targetPort ${port.targetPort}`);
              }
              if (mismatches.length === 0) continue;
              const protocol = entry.protocol.toLowerCase();
              context.report({
                messageId: 'servicePort',
                data: {
                  port: number,
                  services: listText(mismatches),
                  workloads: listText([...workloads].sort()),
                  targets: listText([...targets].sort((a, b) => a - b).map((t) => `${protocol}/${t}`)),
                },
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
