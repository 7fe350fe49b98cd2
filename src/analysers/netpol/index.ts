// NetworkPolicy analyser (networking.k8s.io/v1): who can connect to whom, on which ports, and why. Pure; no I/O.
//
// Exported API (rules in src/rules/netpol-* and `palisade netpol reach|matrix|diff|graph` are written against it):
//
// Model (model.ts)
//   buildNetworkModels(objects, podTemplates): Map<source, NetworkModel>   `files` together, each cluster apart
//   buildNetworkModel(objects, podTemplates, source?): NetworkModel         one source's objects
//   networkModels(objects, podTemplates): ReadonlyMap<source, NetworkModel> the same, memoised on the arrays
//   findEndpoints(model, 'ns/name' | 'ns/Kind/name'): Endpoint[]           endpoint ids are `ns/Kind/name`
//   isIsolated(endpoint, direction), policyApplies(policy, direction), effectivePolicyTypes(spec)
//   model.problems: what the API server would reject (bad peers, ports, CIDRs …), each with object and path
//
// One pair (reachability.ts): the reference semantics, with evidence
//   reach(model, from, to, port?, options?): ReachResult
//       from/to: an Endpoint or an ExternalTarget (externalTarget('203.0.113.0/24'), OUTSIDE = 0.0.0.0/0 + ::/0);
//       port: { protocol, port } (parsePortQuery('tcp/80')) or undefined for any port.
//       → verdict allowed|denied|unknown, ports (sure), unknownPorts, policyVerdict (NetworkPolicies alone),
//         egress/ingress SideResult (status, isolatedBy, allowedBy: policy + rule + peer + ports), foreign, notes
//   resolveTarget(model, 'ip:10.0.0.1' | '10.0.0.0/8' | 'ns/name' | 'ns/Kind/name'): Target[]
//   verdictOf(ports, unknownPorts, port?), describeRuleMatch(match), targetLabel(target)
//
// Every pair (classes.ts, matrix.ts)
//   matrix(model, options?): Matrix — result(from, to) / verdict(from, to, port?) for endpoints, classResult for
//       classes, classPairs() and pairs() to expand, external(endpointOrClass, direction), stats
//   endpointClasses(model): the equivalence classes (namespace, pod labels, named ports, hostNetwork, foreign)
//   externalAccess(endpointOrClass, direction): allowed outside addresses by port; externalVerdict(access, addresses, port?)
//
// Values
//   ports.ts: ProtocolPorts ({ TCP, UDP, SCTP } interval sets), ALL_PORTS, NO_PORTS, formatPorts, portsContain, …
//   cidr.ts: AddressSet ({ v4: numbers, v6: bigints }), parseCidr, formatAddresses, ANYWHERE, isAnywhere, …
//   interval-set.ts: IntervalSet<number | bigint> (immutable; union, intersect, subtract, equals, format)
//
// Design decisions (details in each module's header):
// - IPv6 addresses are bigints in their own interval set; IPv4 numbers; the families never mix.
// - ipBlock peers match addresses outside the cluster only, never endpoints (options.ipBlockPods: 'unknown' makes
//   them a possible match for pods instead).
// - hostNetwork pods: policies do not apply to them; as peers they match selectors only possibly; a verdict that
//   depends on that is `unknown`.
// - A single-pod workload always reaches itself (replicas of larger ones are governed by policies); foreign
//   policies (Cilium, Calico, AdminNetworkPolicy …) make verdicts `unknown`.
import type { InventoryObject } from '../../core/inventory.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import { buildNetworkModels, type NetworkModel } from './model.ts';

export {
  buildNetworkModel,
  buildNetworkModels,
  effectivePolicyTypes,
  findEndpoints,
  isIsolated,
  parseNetworkPolicy,
  policyApplies,
  sourceKeyOf,
  DIRECTIONS,
  NAMESPACE_NAME_LABEL,
  NETWORKING_GROUP,
} from './model.ts';
export type {
  Direction,
  Endpoint,
  ForeignPolicy,
  ForeignScope,
  InvalidPeer,
  IpBlockPeer,
  ModelProblem,
  ModelProblemCode,
  NamespaceInfo,
  NetworkModel,
  NetworkPolicyEntry,
  Peer,
  PolicyRule,
  SelectorPeer,
} from './model.ts';
export {
  OUTSIDE,
  describeRuleMatch,
  externalTarget,
  isExternal,
  reach,
  resolveTarget,
  targetLabel,
  verdictOf,
} from './reachability.ts';
export type {
  Certainty,
  ExternalTarget,
  ReachNote,
  ReachNoteCode,
  ReachOptions,
  ReachResult,
  RuleMatch,
  SideResult,
  SideStatus,
  Target,
  Verdict,
} from './reachability.ts';
export { endpointClasses, externalAccess, externalVerdict } from './classes.ts';
export type { EndpointClass, EndpointClasses, ExternalAccess, ExternalEntry } from './classes.ts';
export { FOREIGN_RESULT, SELF_RESULT, allowsSomething, matrix } from './matrix.ts';
export type { Matrix, MatrixStats, PairResult } from './matrix.ts';
export {
  ALL_PORTS,
  NO_PORTS,
  PROTOCOLS,
  formatPorts,
  intersectPorts,
  parsePortQuery,
  portsContain,
  portsEmpty,
  portsEqual,
  portsOf,
  subtractPorts,
  unionPorts,
} from './ports.ts';
export type { ContainerPort, PortMatcher, PortQuery, Protocol, ProtocolPorts } from './ports.ts';
export {
  ANYWHERE,
  NO_ADDRESSES,
  addressIntersect,
  addressSubtract,
  addressUnion,
  addressesEmpty,
  addressesEqual,
  cidrAddresses,
  formatAddresses,
  isAnywhere,
  parseCidr,
  parseIp,
} from './cidr.ts';
export type { AddressSet, IpFamily, ParsedCidr, ParsedIp } from './cidr.ts';
export { IntervalSet } from './interval-set.ts';
export type { Interval } from './interval-set.ts';

const modelsMemo = new WeakMap<readonly InventoryObject[], { templates: readonly PodTemplate[]; models: ReadonlyMap<string, NetworkModel> }>();

/** buildNetworkModels, memoised on the (frozen) objects and templates arrays of a scan: rules share one model. */
export function networkModels(objects: readonly InventoryObject[], podTemplates: readonly PodTemplate[]): ReadonlyMap<string, NetworkModel> {
  const memo = modelsMemo.get(objects);
  if (memo && memo.templates === podTemplates) return memo.models;
  const models = buildNetworkModels(objects, podTemplates);
  modelsMemo.set(objects, { templates: podTemplates, models });
  return models;
}
