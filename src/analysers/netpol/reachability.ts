// Reachability between two endpoints, or an endpoint and an address outside the cluster, under networking.k8s.io/v1
// NetworkPolicies: the reference implementation, pair by pair, with the evidence for every answer. The matrix
// (matrix.ts) computes the same answers for every pair at once and is tested against this.
//
// Exported API:
//   reach(model, from, to, port?, options?): ReachResult
//   externalTarget(text): ExternalTarget | undefined     `10.0.0.1`, `10.0.0.0/8`, `ip:2001:db8::1`, `::/0`
//   OUTSIDE: ExternalTarget                               0.0.0.0/0 and ::/0: anywhere outside the cluster
//   resolveTarget(model, text): Target[]                  `ip:<address or CIDR>`, a CIDR, `ns/name` or `ns/Kind/name`
//   verdictOf(ports, unknownPorts, port?): Verdict
//   Types: Target, ExternalTarget, Verdict, Certainty, ReachResult, SideResult, SideStatus, RuleMatch, ReachNote,
//     ReachOptions
//
// Semantics (see /work/shared/notes/network-policy.md):
// - A connection needs the source's egress AND the destination's ingress to allow it, on a common protocol and port:
//   the answer is the intersection of the two sides' port sets, not two yes/no answers (Kubescape #3903).
// - A side is isolated in a direction when a policy selecting it has that direction in its effective policyTypes;
//   then it allows the union of those policies' rules; otherwise everything.
// - Named ports resolve against the destination endpoint's container ports (name and protocol); a name it does not
//   define matches nothing. Towards an address outside, a named port matches nothing (a note says so).
// - Traffic from an endpoint to itself is always allowed when it runs one pod (a pod cannot be cut off from itself;
//   Kubescape #3904); between the replicas of a larger workload, policies decide as for any two pods.
// - ipBlock peers match addresses outside the cluster. They do not match endpoints: pod IPs are not known and
//   implementations differ on whether ipBlock applies to them. `options.ipBlockPods: 'unknown'` makes an ipBlock
//   peer a possible match for every pod instead (the verdict becomes `unknown` where only an ipBlock would allow).
// - An external target that is a range (a CIDR) is reachable when some address of it is: the per-rule evidence
//   says which addresses.
// - hostNetwork pods are not subject to policies: their own side allows everything. As a peer, a pod selector
//   cannot be relied on to match them (their traffic carries the node's address; OpenShift documents that it does
//   not), so a selector that would match one is a *possible* match, an ipBlock covering a whole address family a
//   certain one and any other ipBlock a possible one. Ingress from the destination's own node is always allowed
//   (NetworkPolicySpec.ingress: "OR if the traffic source is the pod's local node"), and a hostNetwork source may be
//   on that node: every port is at least possible. So verdicts that depend on them come out `unknown`.
// - A verdict involving an endpoint that a foreign policy (Cilium, Calico, AdminNetworkPolicy, …) may affect is
//   `unknown`: those can both allow and deny what NetworkPolicies say. `policyVerdict` keeps the v1-only answer.
// - Two external targets: no NetworkPolicy governs that traffic; the verdict is `unknown`.
import { selectorMatches } from '../../core/label-selector.ts';
import {
  ANYWHERE,
  addressIntersect,
  addressesEmpty,
  addressUnion,
  coversFamily,
  formatAddresses,
  parseCidr,
  cidrSet,
  type AddressSet,
} from './cidr.ts';
import { findEndpoints, policyApplies, type Direction, type Endpoint, type ForeignPolicy, type NetworkModel, type NetworkPolicyEntry, type Peer, type PolicyRule } from './model.ts';
import {
  ALL_PORTS,
  NO_PORTS,
  intersectPorts,
  namedPortKey,
  portsContain,
  portsEmpty,
  portsOf,
  subtractPorts,
  unionPorts,
  type PortQuery,
  type ProtocolPorts,
} from './ports.ts';

export type Verdict = 'allowed' | 'denied' | 'unknown';
/** `sure`: the rule matches; `possible`: it may (host-network peers, ipBlocks towards pods with ipBlockPods 'unknown'). */
export type Certainty = 'sure' | 'possible';

export interface ExternalTarget {
  readonly kind: 'external';
  /** As given, without an `ip:` prefix. */
  readonly text: string;
  readonly addresses: AddressSet;
}

export type Target = Endpoint | ExternalTarget;

export function isExternal(target: Target): target is ExternalTarget {
  return 'kind' in target && target.kind === 'external';
}

export const OUTSIDE: ExternalTarget = Object.freeze({ kind: 'external', text: '0.0.0.0/0,::/0', addresses: ANYWHERE });

/** `10.0.0.1`, `10.0.0.0/8`, `ip:2001:db8::1`; undefined when it does not parse. */
export function externalTarget(text: string): ExternalTarget | undefined {
  const bare = text.startsWith('ip:') ? text.slice(3) : text;
  const cidr = parseCidr(bare);
  return cidr ? { kind: 'external', text: bare, addresses: cidrSet(cidr) } : undefined;
}

/** `ip:<address or CIDR>` or a bare CIDR/address → one external target; `ns/name`, `ns/Kind/name` → endpoints. */
export function resolveTarget(model: NetworkModel, text: string): Target[] {
  if (text.startsWith('ip:') || parseCidr(text)) {
    const external = externalTarget(text);
    return external ? [external] : [];
  }
  return findEndpoints(model, text);
}

export function targetLabel(target: Target): string {
  return isExternal(target) ? `ip:${target.text}` : target.id;
}

export interface ReachOptions {
  /** Whether an ipBlock peer may match pods: 'no-match' (default) or 'unknown'. */
  readonly ipBlockPods?: 'no-match' | 'unknown';
}

export interface RuleMatch {
  readonly policy: NetworkPolicyEntry;
  readonly rule: PolicyRule;
  /** The peer that matched; undefined when the rule has no peers (it matches every source/destination). */
  readonly peer?: Peer;
  readonly certainty: Certainty;
  /** What the rule allows towards the destination (named ports resolved). */
  readonly ports: ProtocolPorts;
  /** When the other side is outside: which of its addresses the rule matches. */
  readonly addresses?: AddressSet;
}

/**
 * - `self`: a connection from an endpoint to itself
 * - `external`: the side is outside the cluster; no policy applies to it
 * - `host-network`: a hostNetwork pod; policies do not apply to it
 * - `not-isolated`: no policy selecting it covers this direction
 * - `isolated`: policies select it for this direction (`isolatedBy`); only their rules allow (`allowedBy`)
 */
export type SideStatus = 'self' | 'external' | 'host-network' | 'not-isolated' | 'isolated';

export interface SideResult {
  readonly direction: Direction;
  /** The endpoint whose policies decide this side: the source for egress, the destination for ingress. */
  readonly endpoint?: Endpoint;
  readonly status: SideStatus;
  readonly isolatedBy: readonly NetworkPolicyEntry[];
  /** Rules that match the other side (surely or possibly), with the ports each allows. */
  readonly allowedBy: readonly RuleMatch[];
  /** Allowed for sure by this side. */
  readonly ports: ProtocolPorts;
  /** Allowed or possibly allowed by this side (includes `ports`). */
  readonly possiblePorts: ProtocolPorts;
}

export type ReachNoteCode =
  | 'self'
  | 'external-to-external'
  | 'foreign-policy'
  | 'host-network-source'
  | 'host-network-destination'
  | 'named-port-external'
  | 'named-port-undefined'
  | 'ipblock-pods';

export interface ReachNote {
  readonly code: ReachNoteCode;
  readonly message: string;
  readonly rule?: PolicyRule;
}

export interface ReachResult {
  readonly from: Target;
  readonly to: Target;
  /** The port asked about; undefined: any port. */
  readonly port?: PortQuery;
  /** For `port`, or for any port (allowed when some port is). */
  readonly verdict: Verdict;
  /** Every port allowed for sure (common to both sides), whatever `port` asks. */
  readonly ports: ProtocolPorts;
  /** Possibly allowed, not for sure (disjoint from `ports`). */
  readonly unknownPorts: ProtocolPorts;
  /** What NetworkPolicies alone say (differs from `verdict` only when foreign policies are involved). */
  readonly policyVerdict: Verdict;
  readonly policyPorts: ProtocolPorts;
  readonly egress: SideResult;
  readonly ingress: SideResult;
  /** Foreign policies that may affect either endpoint (they make the verdict unknown). */
  readonly foreign: readonly ForeignPolicy[];
  readonly notes: readonly ReachNote[];
}

/** Verdict for a port (or any port) given the sure and the possible-but-not-sure ports. */
export function verdictOf(ports: ProtocolPorts, unknownPorts: ProtocolPorts, port?: PortQuery): Verdict {
  if (port) {
    if (portsContain(ports, port.protocol, port.port)) return 'allowed';
    return portsContain(unknownPorts, port.protocol, port.port) ? 'unknown' : 'denied';
  }
  if (!portsEmpty(ports)) return 'allowed';
  return portsEmpty(unknownPorts) ? 'denied' : 'unknown';
}

// ---------------------------------------------------------------------------------------------------------------

interface PeerMatch {
  readonly certainty: Certainty;
  readonly addresses?: AddressSet;
}

class Notes {
  readonly list: ReachNote[] = [];
  readonly #seen = new Set<string>();
  add(code: ReachNoteCode, message: string, rule?: PolicyRule): void {
    const key = `${code}\u0000${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.list.push(rule ? { code, message, rule } : { code, message });
  }
}

function ruleLabel(rule: PolicyRule): string {
  return `NetworkPolicy ${rule.policy.id} ${rule.direction}[${rule.index}]`;
}

function matchPeer(model: NetworkModel, peer: Peer, other: Target, options: ReachOptions, notes: Notes, rule: PolicyRule): PeerMatch | undefined {
  switch (peer.kind) {
    case 'invalid':
      return undefined;
    case 'selector': {
      if (isExternal(other)) return undefined;
      const namespaceOk = peer.namespaceSelector
        ? selectorMatches(peer.namespaceSelector, model.namespaces.get(other.namespace)?.labels ?? {})
        : other.namespace === peer.namespace;
      if (!namespaceOk || (peer.podSelector && !selectorMatches(peer.podSelector, other.labels))) return undefined;
      return { certainty: other.hostNetwork ? 'possible' : 'sure' };
    }
    case 'ipBlock': {
      if (isExternal(other)) {
        const addresses = addressIntersect(peer.addresses, other.addresses);
        return addressesEmpty(addresses) ? undefined : { certainty: 'sure', addresses };
      }
      if (addressesEmpty(peer.addresses)) return undefined;
      if (other.hostNetwork) return { certainty: coversFamily(peer.addresses) ? 'sure' : 'possible' };
      if (options.ipBlockPods === 'unknown') {
        notes.add('ipblock-pods', `${ruleLabel(rule)}: ipBlock ${peer.cidr} may or may not match pod ${other.id} (implementation-defined)`, rule);
        return { certainty: 'possible' };
      }
      return undefined;
    }
  }
}

function matchRule(model: NetworkModel, rule: PolicyRule, other: Target, options: ReachOptions, notes: Notes): { certainty: Certainty; peer?: Peer; addresses?: AddressSet } | undefined {
  if (rule.peers === undefined) return isExternal(other) ? { certainty: 'sure', addresses: other.addresses } : { certainty: 'sure' };
  let best: { certainty: Certainty; peer: Peer; addresses?: AddressSet } | undefined;
  for (const peer of rule.peers) {
    const match = matchPeer(model, peer, other, options, notes, rule);
    if (!match) continue;
    if (!best || (best.certainty === 'possible' && match.certainty === 'sure')) {
      best = match.addresses ? { certainty: match.certainty, peer, addresses: match.addresses } : { certainty: match.certainty, peer };
    } else if (best.addresses && match.addresses && match.certainty === best.certainty) {
      best = { ...best, addresses: addressUnion(best.addresses, match.addresses) };
    }
  }
  return best;
}

function rulePorts(rule: PolicyRule, destination: Target, notes: Notes): ProtocolPorts {
  const { numeric, named } = rule.ports;
  if (named.length === 0) return numeric;
  let ports = numeric;
  for (const { protocol, name } of named) {
    if (isExternal(destination)) {
      notes.add('named-port-external', `${ruleLabel(rule)}: named port ${name} has no pod to resolve against towards ${destination.text}; it matches nothing there`, rule);
      continue;
    }
    const numbers = destination.namedPorts.get(namedPortKey(protocol, name));
    if (!numbers) {
      notes.add('named-port-undefined', `${ruleLabel(rule)}: ${destination.id} defines no ${protocol} container port named ${name}; it matches nothing there`, rule);
      continue;
    }
    for (const number of numbers) ports = unionPorts(ports, portsOf(protocol, number));
  }
  return ports;
}

/**
 * One side: `own` is the endpoint whose policies decide (source for egress, destination for ingress), `other` the
 * peer the rules must match, `destination` what named ports resolve against.
 */
function evaluateSide(
  model: NetworkModel,
  direction: Direction,
  own: Target,
  other: Target,
  destination: Target,
  options: ReachOptions,
  notes: Notes,
): SideResult {
  if (isExternal(own)) return { direction, status: 'external', isolatedBy: [], allowedBy: [], ports: ALL_PORTS, possiblePorts: ALL_PORTS };
  if (own.hostNetwork) {
    notes.add(direction === 'egress' ? 'host-network-source' : 'host-network-destination', `${own.id} uses the host network: NetworkPolicies do not apply to its ${direction}`);
    return { direction, endpoint: own, status: 'host-network', isolatedBy: [], allowedBy: [], ports: ALL_PORTS, possiblePorts: ALL_PORTS };
  }
  const isolatedBy = own.selectedBy.filter((policy) => policyApplies(policy, direction));
  if (isolatedBy.length === 0) return { direction, endpoint: own, status: 'not-isolated', isolatedBy, allowedBy: [], ports: ALL_PORTS, possiblePorts: ALL_PORTS };
  let ports = NO_PORTS;
  let possiblePorts = NO_PORTS;
  const allowedBy: RuleMatch[] = [];
  for (const policy of isolatedBy) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      const match = matchRule(model, rule, other, options, notes);
      if (!match) continue;
      const allowed = rulePorts(rule, destination, notes);
      if (match.certainty === 'sure') ports = unionPorts(ports, allowed);
      possiblePorts = unionPorts(possiblePorts, allowed);
      allowedBy.push({
        policy,
        rule,
        ...(match.peer ? { peer: match.peer } : {}),
        certainty: match.certainty,
        ports: allowed,
        ...(match.addresses ? { addresses: match.addresses } : {}),
      });
    }
  }
  if (direction === 'ingress' && !isExternal(other) && other.hostNetwork) {
    notes.add('host-network-source', `${other.id} uses the host network; traffic from ${own.id}'s own node is always allowed, and it may run there`);
    possiblePorts = ALL_PORTS;
  }
  return { direction, endpoint: own, status: 'isolated', isolatedBy, allowedBy, ports, possiblePorts };
}

const SELF_SIDE = (direction: Direction, endpoint: Endpoint): SideResult => ({
  direction,
  endpoint,
  status: 'self',
  isolatedBy: [],
  allowedBy: [],
  ports: ALL_PORTS,
  possiblePorts: ALL_PORTS,
});

/** Can `from` open a connection to `to` (on `port`, or on any port)? */
export function reach(model: NetworkModel, from: Target, to: Target, port?: PortQuery, options: ReachOptions = {}): ReachResult {
  const notes = new Notes();
  const base = port ? { from, to, port } : { from, to };
  if (!isExternal(from) && !isExternal(to) && from.id === to.id && from.singlePod) {
    notes.add('self', `${from.id} to itself: always allowed (a pod cannot be isolated from itself)`);
    return {
      ...base,
      verdict: 'allowed',
      ports: ALL_PORTS,
      unknownPorts: NO_PORTS,
      policyVerdict: 'allowed',
      policyPorts: ALL_PORTS,
      egress: SELF_SIDE('egress', from),
      ingress: SELF_SIDE('ingress', to),
      foreign: [],
      notes: notes.list,
    };
  }
  const egress = evaluateSide(model, 'egress', from, to, to, options, notes);
  const ingress = evaluateSide(model, 'ingress', to, from, to, options, notes);
  let ports = intersectPorts(egress.ports, ingress.ports);
  let unknownPorts = subtractPorts(intersectPorts(egress.possiblePorts, ingress.possiblePorts), ports);
  if (isExternal(from) && isExternal(to)) {
    notes.add('external-to-external', 'both ends are outside the cluster: no NetworkPolicy governs this traffic');
    ports = NO_PORTS;
    unknownPorts = ALL_PORTS;
  }
  const policyVerdict = verdictOf(ports, unknownPorts, port);
  const foreign = [...(isExternal(from) ? [] : from.foreign), ...(isExternal(to) ? [] : to.foreign)].filter((f, i, all) => all.indexOf(f) === i);
  if (foreign.length > 0) {
    notes.add('foreign-policy', `also subject to ${foreign.map((f) => f.id).join(', ')}, which NetworkPolicy analysis does not evaluate: unknown`);
  }
  return {
    ...base,
    verdict: foreign.length > 0 ? 'unknown' : policyVerdict,
    ports: foreign.length > 0 ? NO_PORTS : ports,
    unknownPorts: foreign.length > 0 ? ALL_PORTS : unknownPorts,
    policyVerdict,
    policyPorts: ports,
    egress,
    ingress,
    foreign,
    notes: notes.list,
  };
}

/** `10.0.0.0/8 tcp/80`-style evidence text of a rule match, for explanations. */
export function describeRuleMatch(match: RuleMatch): string {
  const where = `${ruleLabel(match.rule)}${match.peer ? ` peer ${match.peer.index}` : ' (every peer)'}`;
  const addresses = match.addresses ? ` from/to ${formatAddresses(match.addresses)}` : '';
  return `${where}${match.certainty === 'possible' ? ' (possibly)' : ''}${addresses}`;
}
