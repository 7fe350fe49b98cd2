// What a change to the manifests (or a cluster) does to reachability: the connections between workloads it opens
// and closes, port by port, and how each workload's access to and from outside the cluster changes. Workloads are
// matched across the two models by identity (`ns/Kind/name`), so files can move, split or merge freely. Pure.
//
// Exported API:
//   diffNetworks(before, after, options?): NetworkDiff
//   pairDelta(before?, after?): { opened, closed }              one pair's results, port by port
//   externalDelta(before?, after?): { opened, closed }          one side's outside access, (port, address) by pair
//   Types: NetworkDiff, PairChange, ExternalChange
//
// A port of a pair is in one of three states: allowed (surely), unknown (possibly), denied. A change *opens* the
// ports whose state rises (denied → unknown → allowed) and *closes* those whose state falls. A workload only in
// `after` has every pair denied before (its connections are all opened), one only in `before` every pair denied
// after. Traffic from a workload to itself follows matrix.result: a single pod to itself is always allowed; the
// replicas of a workload that runs several pods connect as any two pods do.
//
// How: both matrices are factored (factored.ts) into row and column keys plus exceptions. Pairs of workloads present
// in both whose classes are exceptions in neither model are decided by the (before, after) keys of the source and
// of the destination: each combination of keys is compared once and expanded to its workloads only when it changed.
// Exception pairs, the diagonal and added or removed workloads are compared one by one.
import { addressesEmpty, addressSubtract, addressUnion, formatAddresses, NO_ADDRESSES, type AddressSet } from './cidr.ts';
import type { ExternalAccess, ExternalEntry } from './classes.ts';
import { factorMatrix, type FactoredMatrix } from './factored.ts';
import { IntervalSet } from './interval-set.ts';
import { matrix, type Matrix, type PairResult } from './matrix.ts';
import { DIRECTIONS, type Direction, type Endpoint, type NetworkModel } from './model.ts';
import { NO_PORTS, PROTOCOLS, portsEmpty, subtractPorts, unionPorts, type ProtocolPorts } from './ports.ts';
import type { ReachOptions } from './reachability.ts';

export interface PairChange {
  /** Endpoint ids. */
  readonly from: string;
  readonly to: string;
  /** Undefined when a workload is not in `before`. */
  readonly before?: PairResult;
  /** Undefined when a workload is not in `after`. */
  readonly after?: PairResult;
  /** Ports whose state rose; closed: fell. At least one is not empty. */
  readonly opened: ProtocolPorts;
  readonly closed: ProtocolPorts;
}

export interface ExternalChange {
  /** Endpoint id. */
  readonly workload: string;
  /** egress: what outside it can reach; ingress: what outside can reach it. */
  readonly direction: Direction;
  readonly before?: ExternalAccess;
  readonly after?: ExternalAccess;
  /** Outside (port, address) pairs newly allowed, and no longer allowed, by NetworkPolicies. */
  readonly opened: readonly ExternalEntry[];
  readonly closed: readonly ExternalEntry[];
}

export interface NetworkDiff {
  readonly before: NetworkModel;
  readonly after: NetworkModel;
  /** Endpoints of `after` not in `before`, and of `before` not in `after`, by id. */
  readonly added: readonly Endpoint[];
  readonly removed: readonly Endpoint[];
  /** Workloads in both. */
  readonly common: number;
  /** Sorted by from, then to. */
  readonly changes: readonly PairChange[];
  /** Sorted by workload, then egress before ingress. */
  readonly external: readonly ExternalChange[];
}

const NONE: PairResult = Object.freeze({ verdict: 'denied', ports: NO_PORTS, unknownPorts: NO_PORTS });

export function pairDelta(before: PairResult | undefined, after: PairResult | undefined): { opened: ProtocolPorts; closed: ProtocolPorts } {
  const b = before ?? NONE;
  const a = after ?? NONE;
  if (b === a) return { opened: NO_PORTS, closed: NO_PORTS };
  const possibleBefore = unionPorts(b.ports, b.unknownPorts);
  const possibleAfter = unionPorts(a.ports, a.unknownPorts);
  return {
    opened: unionPorts(subtractPorts(a.ports, b.ports), subtractPorts(a.unknownPorts, possibleBefore)),
    closed: unionPorts(subtractPorts(b.ports, a.ports), subtractPorts(b.unknownPorts, possibleAfter)),
  };
}

/** (port, address) pairs of `a` not in `b`, as entries with disjoint ports. */
function entriesMinus(a: readonly ExternalEntry[], b: readonly ExternalEntry[]): ExternalEntry[] {
  const byAddresses = new Map<string, { ports: ProtocolPorts; addresses: AddressSet }>();
  for (const protocol of PROTOCOLS) {
    const bounds = new Set<number>();
    for (const entry of [...a, ...b]) {
      for (const [lo, hi] of entry.ports[protocol].ranges()) {
        bounds.add(lo);
        bounds.add(hi + 1);
      }
    }
    const sorted = [...bounds].sort((x, y) => x - y);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const lo = sorted[i]!;
      const hi = sorted[i + 1]! - 1;
      let left = NO_ADDRESSES;
      for (const entry of a) if (entry.ports[protocol].contains(lo)) left = addressUnion(left, entry.addresses);
      if (addressesEmpty(left)) continue;
      let right = NO_ADDRESSES;
      for (const entry of b) if (entry.ports[protocol].contains(lo)) right = addressUnion(right, entry.addresses);
      const rest = addressSubtract(left, right);
      if (addressesEmpty(rest)) continue;
      const key = formatAddresses(rest);
      const segment: ProtocolPorts = { ...NO_PORTS, [protocol]: IntervalSet.range(lo, hi) };
      const entry = byAddresses.get(key);
      if (entry) entry.ports = unionPorts(entry.ports, segment);
      else byAddresses.set(key, { ports: segment, addresses: rest });
    }
  }
  return [...byAddresses.values()];
}

export function externalDelta(before: ExternalAccess | undefined, after: ExternalAccess | undefined): { opened: ExternalEntry[]; closed: ExternalEntry[] } {
  const b = before?.entries ?? [];
  const a = after?.entries ?? [];
  return { opened: entriesMinus(a, b), closed: entriesMinus(b, a) };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Side {
  readonly matrix: Matrix;
  readonly factored: FactoredMatrix;
  /** Class index of each endpoint of the side. */
  readonly classOf: (endpoint: Endpoint) => number;
}

function sideOf(model: NetworkModel, options: ReachOptions): Side {
  const m = matrix(model, options);
  return { matrix: m, factored: factorMatrix(m), classOf: (endpoint) => m.classOf(endpoint).index };
}

export function diffNetworks(before: NetworkModel, after: NetworkModel, options: ReachOptions = {}): NetworkDiff {
  const b = sideOf(before, options);
  const a = sideOf(after, options);
  const added = after.endpoints.filter((endpoint) => !before.endpointById.has(endpoint.id));
  const removed = before.endpoints.filter((endpoint) => !after.endpointById.has(endpoint.id));
  // Workloads in both, in id order, with their endpoint on each side.
  const common: { id: string; before: Endpoint; after: Endpoint; classBefore: number; classAfter: number }[] = [];
  for (const endpoint of after.endpoints) {
    const old = before.endpointById.get(endpoint.id);
    if (old) common.push({ id: endpoint.id, before: old, after: endpoint, classBefore: b.classOf(old), classAfter: a.classOf(endpoint) });
  }
  const changes: PairChange[] = [];
  const record = (from: string, to: string, resultBefore: PairResult | undefined, resultAfter: PairResult | undefined): void => {
    const { opened, closed } = pairDelta(resultBefore, resultAfter);
    if (portsEmpty(opened) && portsEmpty(closed)) return;
    changes.push({ from, to, ...(resultBefore ? { before: resultBefore } : {}), ...(resultAfter ? { after: resultAfter } : {}), opened, closed });
  };

  // Common workloads: sources and destinations grouped by their (before, after) keys.
  const internKeys = (keyOf: (index: number) => string): { keyOf: Int32Array; members: number[][] } => {
    const ids = new Map<string, number>();
    const keys = new Int32Array(common.length);
    const members: number[][] = [];
    for (let i = 0; i < common.length; i++) {
      const key = keyOf(i);
      let id = ids.get(key);
      if (id === undefined) {
        id = members.length;
        ids.set(key, id);
        members.push([]);
      }
      keys[i] = id;
      members[id]!.push(i);
    }
    return { keyOf: keys, members };
  };
  const sources = internKeys((i) => `${b.factored.rowKeyOf[common[i]!.classBefore]},${a.factored.rowKeyOf[common[i]!.classAfter]}`);
  const destinations = internKeys((i) => `${b.factored.columnKeyOf[common[i]!.classBefore]},${a.factored.columnKeyOf[common[i]!.classAfter]}`);
  // Exception pairs of either model, as (i, j) over common workloads.
  const commonByClassBefore = new Map<number, number[]>();
  const commonByClassAfter = new Map<number, number[]>();
  common.forEach((entry, i) => {
    for (const [map, cls] of [[commonByClassBefore, entry.classBefore], [commonByClassAfter, entry.classAfter]] as const) {
      const list = map.get(cls);
      if (list) list.push(i);
      else map.set(cls, [i]);
    }
  });
  const exceptionPairs = new Map<number, Set<number>>();
  common.forEach((entry, i) => {
    const set = new Set<number>();
    for (const D of b.factored.exceptions(b.matrix.classes[entry.classBefore]!).keys()) for (const j of commonByClassBefore.get(D) ?? []) if (j !== i) set.add(j);
    for (const D of a.factored.exceptions(a.matrix.classes[entry.classAfter]!).keys()) for (const j of commonByClassAfter.get(D) ?? []) if (j !== i) set.add(j);
    if (set.size > 0) exceptionPairs.set(i, set);
  });
  for (let s = 0; s < sources.members.length; s++) {
    const first = common[sources.members[s]![0]!]!;
    for (let d = 0; d < destinations.members.length; d++) {
      const target = common[destinations.members[d]![0]!]!;
      const resultBefore = b.factored.defaultResult(b.factored.rowKeyOf[first.classBefore]!, b.factored.columnKeyOf[target.classBefore]!);
      const resultAfter = a.factored.defaultResult(a.factored.rowKeyOf[first.classAfter]!, a.factored.columnKeyOf[target.classAfter]!);
      // Undefined: every pair with these keys is an exception of that model, compared below.
      if (!resultBefore || !resultAfter) continue;
      const { opened, closed } = pairDelta(resultBefore, resultAfter);
      if (portsEmpty(opened) && portsEmpty(closed)) continue;
      for (const i of sources.members[s]!) {
        const singled = exceptionPairs.get(i);
        for (const j of destinations.members[d]!) {
          if (i === j || singled?.has(j)) continue;
          changes.push({ from: common[i]!.id, to: common[j]!.id, before: resultBefore, after: resultAfter, opened, closed });
        }
      }
    }
  }
  for (const [i, targets] of exceptionPairs) {
    const from = common[i]!;
    for (const j of targets) {
      const to = common[j]!;
      record(from.id, to.id, b.matrix.result(from.before, to.before), a.matrix.result(from.after, to.after));
    }
  }
  for (const entry of common) record(entry.id, entry.id, b.matrix.result(entry.before, entry.before), a.matrix.result(entry.after, entry.after));

  // Added and removed workloads: every pair they are part of, on the side they exist.
  const oneSided = (side: Side, model: NetworkModel, endpoints: readonly Endpoint[], when: 'before' | 'after'): void => {
    const only = new Set(endpoints.map((endpoint) => endpoint.id));
    const put = (from: Endpoint, to: Endpoint): void => {
      const result = side.matrix.result(from, to);
      if (when === 'after') record(from.id, to.id, undefined, result);
      else record(from.id, to.id, result, undefined);
    };
    for (const endpoint of endpoints) {
      for (const other of model.endpoints) {
        put(endpoint, other);
        if (!only.has(other.id)) put(other, endpoint);
      }
    }
  };
  oneSided(a, after, added, 'after');
  oneSided(b, before, removed, 'before');
  changes.sort((x, y) => compare(x.from, y.from) || compare(x.to, y.to));

  // Outside the cluster.
  const external: ExternalChange[] = [];
  const externalMemo = new Map<string, { opened: ExternalEntry[]; closed: ExternalEntry[] }>();
  const addExternal = (workload: string, direction: Direction, accessBefore: ExternalAccess | undefined, accessAfter: ExternalAccess | undefined, memoKey?: string): void => {
    let delta = memoKey !== undefined ? externalMemo.get(memoKey) : undefined;
    if (!delta) {
      delta = externalDelta(accessBefore, accessAfter);
      if (memoKey !== undefined) externalMemo.set(memoKey, delta);
    }
    if (delta.opened.length === 0 && delta.closed.length === 0) return;
    external.push({ workload, direction, ...(accessBefore ? { before: accessBefore } : {}), ...(accessAfter ? { after: accessAfter } : {}), opened: delta.opened, closed: delta.closed });
  };
  for (const entry of common) {
    for (const direction of DIRECTIONS) {
      addExternal(entry.id, direction, b.matrix.external(entry.before, direction), a.matrix.external(entry.after, direction), `${entry.classBefore}/${entry.classAfter}/${direction}`);
    }
  }
  for (const endpoint of added) for (const direction of DIRECTIONS) addExternal(endpoint.id, direction, undefined, a.matrix.external(endpoint, direction));
  for (const endpoint of removed) for (const direction of DIRECTIONS) addExternal(endpoint.id, direction, b.matrix.external(endpoint, direction), undefined);
  const directionOrder = (direction: Direction): number => (direction === 'egress' ? 0 : 1);
  external.sort((x, y) => compare(x.workload, y.workload) || directionOrder(x.direction) - directionOrder(y.direction));

  return { before, after, added, removed, common: common.length, changes, external };
}
