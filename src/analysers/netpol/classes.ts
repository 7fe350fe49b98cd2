// Equivalence classes of endpoints, and what each class can reach outside the cluster / be reached from there.
//
// Exported API:
//   endpointClasses(model): EndpointClasses      memoised per model
//   externalAccess(endpointOrClass, direction): ExternalAccess
//       egress: which outside addresses it may connect to, per port; ingress: which may connect to it
//   externalVerdict(access, addresses, port?): Verdict      one address / CIDR (some address of it) against that
//   Types: EndpointClass, EndpointClasses, ExternalAccess, ExternalEntry
//
// Two endpoints are in one class when they have the same namespace (hence namespace labels), the same pod labels, the
// same named container ports (name, protocol, number), the same hostNetwork and the same foreign-policy exposure.
// Every NetworkPolicy question has the same answer for both, except traffic from an endpoint to itself, which is
// always allowed. Policies select, and peers match, classes; the matrix is computed class by class.
import type { Labels } from '../../core/label-selector.ts';
import {
  ANYWHERE,
  addressIntersect,
  addressesEmpty,
  addressesKey,
  addressUnion,
  NO_ADDRESSES,
  type AddressSet,
} from './cidr.ts';
import { IntervalSet } from './interval-set.ts';
import { isIsolated, labelsKey, policyApplies, type Direction, type Endpoint, type ForeignPolicy, type NetworkModel, type NetworkPolicyEntry, type PolicyRule } from './model.ts';
import { ALL_PORTS, NO_PORTS, PROTOCOLS, portsEmpty, resolvePorts, unionPorts, type NamedPorts, type ProtocolPorts, type PortQuery } from './ports.ts';
import type { Verdict } from './reachability.ts';

export interface EndpointClass {
  /** Position in EndpointClasses.classes. */
  readonly index: number;
  readonly key: string;
  readonly namespace: string;
  readonly labels: Labels;
  readonly namedPorts: NamedPorts;
  readonly hostNetwork: boolean;
  readonly foreign: readonly ForeignPolicy[];
  readonly selectedBy: readonly NetworkPolicyEntry[];
  /** Sorted by id; never empty. */
  readonly endpoints: readonly Endpoint[];
}

export interface EndpointClasses {
  /** Sorted by their first endpoint's id. */
  readonly classes: readonly EndpointClass[];
  classOf(endpoint: Endpoint): EndpointClass;
}

function namedPortsKey(namedPorts: NamedPorts): string {
  return [...namedPorts].map(([key, ports]) => `${key}=${[...ports].sort((a, b) => a - b).join('+')}`).sort().join(',');
}

const classesMemo = new WeakMap<NetworkModel, EndpointClasses>();

export function endpointClasses(model: NetworkModel): EndpointClasses {
  const memo = classesMemo.get(model);
  if (memo) return memo;
  const byKey = new Map<string, { key: string; endpoints: Endpoint[] }>();
  const classKeyOf = new Map<Endpoint, string>();
  for (const endpoint of model.endpoints) {
    const key = [
      endpoint.namespace,
      labelsKey(endpoint.labels),
      namedPortsKey(endpoint.namedPorts),
      endpoint.hostNetwork ? 'host' : 'pod',
      endpoint.foreign.map((f) => f.id).join(','),
    ].join('\u0000');
    classKeyOf.set(endpoint, key);
    const group = byKey.get(key);
    if (group) group.endpoints.push(endpoint);
    else byKey.set(key, { key, endpoints: [endpoint] });
  }
  // model.endpoints is sorted by id, so the groups come in order of their first endpoint.
  const classes: EndpointClass[] = [];
  const byClassKey = new Map<string, EndpointClass>();
  for (const { key, endpoints } of byKey.values()) {
    const first = endpoints[0]!;
    const cls: EndpointClass = Object.freeze({
      index: classes.length,
      key,
      namespace: first.namespace,
      labels: first.labels,
      namedPorts: first.namedPorts,
      hostNetwork: first.hostNetwork,
      foreign: first.foreign,
      selectedBy: first.selectedBy,
      endpoints,
    });
    classes.push(cls);
    byClassKey.set(key, cls);
  }
  const result: EndpointClasses = {
    classes,
    classOf(endpoint) {
      const key = classKeyOf.get(endpoint);
      const cls = key === undefined ? undefined : byClassKey.get(key);
      if (!cls) throw new Error(`${endpoint.id} is not an endpoint of this model`);
      return cls;
    },
  };
  classesMemo.set(model, result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Outside the cluster

export interface ExternalEntry {
  /** Disjoint from every other entry's ports. */
  readonly ports: ProtocolPorts;
  readonly addresses: AddressSet;
}

export interface ExternalAccess {
  readonly direction: Direction;
  /** `host-network` and `not-isolated` allow everything. */
  readonly status: 'host-network' | 'not-isolated' | 'isolated';
  /** For anywhere outside (0.0.0.0/0 and ::/0): allowed when some address is on some port; unknown under foreign policies. */
  readonly verdict: Verdict;
  /** Allowed outside addresses by port (NetworkPolicies alone); empty when nothing is allowed. */
  readonly entries: readonly ExternalEntry[];
  /** The rules that allow something outside. */
  readonly allowedBy: readonly PolicyRule[];
  /** Rules with named ports: those ports match nothing outside. */
  readonly namedPortRules: readonly PolicyRule[];
  readonly foreign: readonly ForeignPolicy[];
}

interface Contribution {
  readonly ports: ProtocolPorts;
  readonly addresses: AddressSet;
}

/** Splits contributions (ports, addresses) into entries whose port sets are disjoint, each with its addresses. */
function partition(contributions: readonly Contribution[]): ExternalEntry[] {
  const byAddresses = new Map<string, { ports: ProtocolPorts; addresses: AddressSet }>();
  for (const protocol of PROTOCOLS) {
    const bounds = new Set<number>();
    for (const { ports } of contributions) {
      for (const [lo, hi] of ports[protocol].ranges()) {
        bounds.add(lo);
        bounds.add(hi + 1);
      }
    }
    const sorted = [...bounds].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const lo = sorted[i]!;
      const hi = sorted[i + 1]! - 1;
      let addresses = NO_ADDRESSES;
      for (const contribution of contributions) {
        if (contribution.ports[protocol].contains(lo)) addresses = addressUnion(addresses, contribution.addresses);
      }
      if (addressesEmpty(addresses)) continue;
      const key = addressesKey(addresses);
      const segment: ProtocolPorts = { ...NO_PORTS, [protocol]: IntervalSet.range(lo, hi) };
      const entry = byAddresses.get(key);
      if (entry) entry.ports = unionPorts(entry.ports, segment);
      else byAddresses.set(key, { ports: segment, addresses });
    }
  }
  return [...byAddresses.values()];
}

/**
 * What outside the cluster an endpoint (or any endpoint of a class) can connect to (egress), or what can connect to
 * it (ingress), as NetworkPolicies say; `verdict` is unknown when foreign policies may affect it.
 */
export function externalAccess(target: Endpoint | EndpointClass, direction: Direction): ExternalAccess {
  const endpoint = 'endpoints' in target ? target.endpoints[0]! : target;
  const foreign = endpoint.foreign;
  const open = (status: 'host-network' | 'not-isolated'): ExternalAccess => ({
    direction,
    status,
    verdict: foreign.length > 0 ? 'unknown' : 'allowed',
    entries: [{ ports: ALL_PORTS, addresses: ANYWHERE }],
    allowedBy: [],
    namedPortRules: [],
    foreign,
  });
  if (endpoint.hostNetwork) return open('host-network');
  if (!isIsolated(endpoint, direction)) return open('not-isolated');
  const contributions: Contribution[] = [];
  const allowedBy: PolicyRule[] = [];
  const namedPortRules: PolicyRule[] = [];
  for (const policy of endpoint.selectedBy) {
    if (!policyApplies(policy, direction)) continue;
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      let addresses = rule.peers === undefined ? ANYWHERE : NO_ADDRESSES;
      for (const peer of rule.peers ?? []) if (peer.kind === 'ipBlock') addresses = addressUnion(addresses, peer.addresses);
      if (addressesEmpty(addresses)) continue;
      if (rule.ports.named.length > 0) namedPortRules.push(rule);
      // Ingress named ports resolve against the endpoint itself; egress ones have no pod to resolve against.
      const ports = direction === 'ingress' ? resolvePorts(rule.ports, endpoint.namedPorts) : rule.ports.numeric;
      if (portsEmpty(ports)) continue;
      contributions.push({ ports, addresses });
      allowedBy.push(rule);
    }
  }
  const entries = partition(contributions);
  return {
    direction,
    status: 'isolated',
    verdict: foreign.length > 0 ? 'unknown' : entries.length > 0 ? 'allowed' : 'denied',
    entries,
    allowedBy,
    namedPortRules: direction === 'egress' ? namedPortRules : [],
    foreign,
  };
}

/** The verdict of an ExternalAccess for some outside addresses (allowed when some of them are) and a port or any. */
export function externalVerdict(access: ExternalAccess, addresses: AddressSet, port?: PortQuery): Verdict {
  if (access.foreign.length > 0) return 'unknown';
  for (const entry of access.entries) {
    if (port && !entry.ports[port.protocol].contains(port.port)) continue;
    if (!addressesEmpty(addressIntersect(entry.addresses, addresses))) return 'allowed';
  }
  return 'denied';
}
