// The reachability matrix: for every ordered pair of endpoints, what reach() would answer (verdict, sure ports,
// unknown ports), computed class by class (classes.ts) and factored so that big clusters stay cheap.
//
// Exported API:
//   matrix(model, options?): Matrix          memoised per model and options
//   Matrix: classes, classOf(endpoint), classResult(fromClass, toClass), result(from, to), verdict(from, to, port?),
//     row(fromClass) (the results towards every class, in class order), classPairs(), pairs() (expanded to
//     endpoints, self pairs included), external(endpointOrClass, direction), stats
//   PairResult, SELF_RESULT, FOREIGN_RESULT, MatrixOptions
//
// How. A pair's answer is egress(S → D) ∩ ingress(S → D); each side is the union of the ports of the rules whose
// peers match the other class. Peers are interned (a namespaceSelector peer is the same whatever namespace its
// policy is in) and evaluated once against every class, giving their members. Then:
// - "Big" peers (more members than bigPeerThreshold, default max(64, 4·√classes): `namespaceSelector: {}`,
//   `env NotIn [prod]`, …) are folded into groups: a class's group is the set of big peers it belongs to. Few
//   distinct groups exist in practice, since big peers are few and overlap in regular ways.
// - A row key is (S's egress rules as far as big peers, rules without peers and ipBlocks go; S's group) and a
//   column key (D's ingress rules likewise, resolved against D's named ports; D's group; D's named ports). Every
//   pair that no "small" peer singles out gets the default of its row key and column key, computed once per
//   (row key, column key) and kept in a table: one array read per pair.
// - A pair where a rule of S's egress has a small peer listing D, or a rule of D's ingress one listing S, is an
//   exception, evaluated exactly rule by rule. There are about as many as the edges the policies spell out with
//   specific selectors (Σ over policies of selected classes × classes their small peers list).
// - Pairs with a hostNetwork class are evaluated exactly (peers match those only possibly); pairs with a class
//   under foreign policies are unknown (FOREIGN_RESULT).
// Nothing is materialised per pair: building costs the peer evaluations and the keys, a single pair costs at most
// its rules, and row(S) costs one table read per column plus S's exceptions. Port sets are interned; unions,
// intersections and named-port resolutions are memoised by id.
import { selectorMatches } from '../../core/label-selector.ts';
import { addressesEmpty, coversFamily } from './cidr.ts';
import { endpointClasses, externalAccess, type EndpointClass, type ExternalAccess } from './classes.ts';
import { policyApplies, selectorKey, type Direction, type Endpoint, type NetworkModel, type NetworkPolicyEntry, type PolicyRule, type SelectorPeer } from './model.ts';
import {
  ALL_PORTS,
  ALL_PORTS_MATCHER,
  NO_PORTS,
  NO_PORTS_MATCHER,
  intersectPorts,
  matcherKey,
  portsEmpty,
  portsKey,
  resolvePorts,
  subtractPorts,
  unionMatchers,
  unionPorts,
  type PortMatcher,
  type PortQuery,
  type ProtocolPorts,
} from './ports.ts';
import { verdictOf, type ReachOptions, type Verdict } from './reachability.ts';

export interface PairResult {
  /** For any port: allowed when some port surely is. */
  readonly verdict: Verdict;
  readonly ports: ProtocolPorts;
  readonly unknownPorts: ProtocolPorts;
}

export const SELF_RESULT: PairResult = Object.freeze({ verdict: 'allowed', ports: ALL_PORTS, unknownPorts: NO_PORTS });
export const FOREIGN_RESULT: PairResult = Object.freeze({ verdict: 'unknown', ports: NO_PORTS, unknownPorts: ALL_PORTS });

export interface MatrixOptions extends ReachOptions {
  /** Peers with more member classes than this are folded into groups instead of listed pair by pair (tuning, tests). */
  readonly bigPeerThreshold?: number;
}

export interface MatrixStats {
  readonly endpoints: number;
  readonly classes: number;
  /** Distinct peers after interning, and how many are big (folded into groups). */
  readonly peers: number;
  readonly bigPeers: number;
  readonly groups: number;
  readonly rowKeys: number;
  readonly columnKeys: number;
}

export interface Matrix {
  readonly model: NetworkModel;
  readonly classes: readonly EndpointClass[];
  classOf(endpoint: Endpoint): EndpointClass;
  /** Between two different endpoints of these classes (the same class twice: two of its endpoints). */
  classResult(from: EndpointClass, to: EndpointClass): PairResult;
  /** Results from one class towards every class, indexed by class index (a fresh array). */
  row(from: EndpointClass): PairResult[];
  /** Endpoint to endpoint; a single-pod endpoint to itself is always allowed (replicas of a larger one: policies). */
  result(from: Endpoint, to: Endpoint): PairResult;
  verdict(from: Endpoint, to: Endpoint, port?: PortQuery): Verdict;
  /** Every ordered pair of classes, row by row. */
  classPairs(): Generator<{ readonly from: EndpointClass; readonly to: EndpointClass; readonly result: PairResult }>;
  /** Every ordered pair of endpoints (n², self pairs included), row by row in endpoint id order. */
  pairs(): Generator<{ readonly from: Endpoint; readonly to: Endpoint; readonly result: PairResult }>;
  /** What outside the cluster the class can reach (egress) or be reached from (ingress). */
  external(target: Endpoint | EndpointClass, direction: Direction): ExternalAccess;
  readonly stats: MatrixStats;
}

const MEMO_SHIFT = 67108864; // 2^26: ids stay below it, so a * MEMO_SHIFT + b is an exact double.
const DENSE_TABLE_LIMIT = 1 << 24;
const SURE = 2;
const POSSIBLE = 1;

/** Interned values with ids. */
class Table<V> {
  readonly values: V[] = [];
  readonly #ids = new Map<string, number>();
  readonly #keyOf: (value: V) => string;
  constructor(keyOf: (value: V) => string) {
    this.#keyOf = keyOf;
  }
  id(value: V): number {
    const key = this.#keyOf(value);
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value);
      this.#ids.set(key, id);
    }
    return id;
  }
}

function memo2(cache: Map<number, number>, a: number, b: number, compute: () => number): number {
  const key = a * MEMO_SHIFT + b;
  let value = cache.get(key);
  if (value === undefined) {
    value = compute();
    cache.set(key, value);
  }
  return value;
}

interface PeerInfo {
  readonly members: readonly number[];
  readonly memberSet: ReadonlySet<number>;
  readonly big: boolean;
}

interface RuleRef {
  readonly rule: PolicyRule;
  /** No peers: matches everything. */
  readonly all: boolean;
  readonly smallPeers: readonly number[];
  readonly bigPeers: readonly number[];
  /** Some ipBlock peer has addresses; some covers a whole address family. */
  readonly ipBlock: boolean;
  readonly ipBlockFamily: boolean;
  readonly matcher: number;
}

/** A rule as far as defaults go: how it matches a class no small peer lists, given that class's group. */
interface DefaultRule {
  /** Egress: a matcher id (resolved per destination); ingress: a port-set id (already resolved). */
  readonly ports: number;
  readonly all: boolean;
  readonly possible: boolean;
  readonly bigPeers: readonly number[];
}

const ALL_RULES = 'all';
type DefaultRules = readonly DefaultRule[] | typeof ALL_RULES;

const matrixMemo = new WeakMap<NetworkModel, Map<string, Matrix>>();

export function matrix(model: NetworkModel, options: MatrixOptions = {}): Matrix {
  const optionsKey = `${options.ipBlockPods ?? 'no-match'}/${options.bigPeerThreshold ?? ''}`;
  let byOptions = matrixMemo.get(model);
  if (!byOptions) {
    byOptions = new Map();
    matrixMemo.set(model, byOptions);
  }
  let built = byOptions.get(optionsKey);
  if (!built) {
    built = buildMatrix(model, options);
    byOptions.set(optionsKey, built);
  }
  return built;
}

function buildMatrix(model: NetworkModel, options: MatrixOptions): Matrix {
  const ipBlockPodsUnknown = options.ipBlockPods === 'unknown';
  const { classes, classOf } = endpointClasses(model);
  const T = classes.length;
  const bigPeerThreshold = options.bigPeerThreshold ?? Math.max(64, Math.ceil(4 * Math.sqrt(T)));
  const host = new Uint8Array(T);
  const foreign = new Uint8Array(T);
  for (const cls of classes) {
    host[cls.index] = cls.hostNetwork ? 1 : 0;
    foreign[cls.index] = cls.foreign.length > 0 ? 1 : 0;
  }
  const plain = (cls: number): boolean => host[cls] === 0 && foreign[cls] === 0;

  // ------------------------------------------------------------------ interned port sets, matchers, named ports
  const ports = new Table<ProtocolPorts>(portsKey);
  const NO = ports.id(NO_PORTS);
  const ALL = ports.id(ALL_PORTS);
  const unionCache = new Map<number, number>();
  const intersectCache = new Map<number, number>();
  const union = (a: number, b: number): number => {
    if (a === b || b === NO) return a;
    if (a === NO) return b;
    if (a === ALL || b === ALL) return ALL;
    const [x, y] = a < b ? [a, b] : [b, a];
    return memo2(unionCache, x, y, () => ports.id(unionPorts(ports.values[x]!, ports.values[y]!)));
  };
  const intersect = (a: number, b: number): number => {
    if (a === b || b === ALL) return a;
    if (a === ALL) return b;
    if (a === NO || b === NO) return NO;
    const [x, y] = a < b ? [a, b] : [b, a];
    return memo2(intersectCache, x, y, () => ports.id(intersectPorts(ports.values[x]!, ports.values[y]!)));
  };
  const matchers = new Table<PortMatcher>(matcherKey);
  const NO_MATCHER = matchers.id(NO_PORTS_MATCHER);
  matchers.id(ALL_PORTS_MATCHER);
  const matcherUnionCache = new Map<number, number>();
  const unionMatcher = (a: number, b: number): number => {
    if (a === b || b === NO_MATCHER) return a;
    if (a === NO_MATCHER) return b;
    return memo2(matcherUnionCache, Math.min(a, b), Math.max(a, b), () => matchers.id(unionMatchers(matchers.values[a]!, matchers.values[b]!)));
  };
  const namedTable = new Table<EndpointClass>((cls) => [...cls.namedPorts].map(([k, v]) => `${k}=${v.join('+')}`).sort().join(','));
  const namedId = new Int32Array(T);
  for (const cls of classes) namedId[cls.index] = namedTable.id(cls);
  const resolveCache = new Map<number, number>();
  const resolve = (matcher: number, named: number): number => {
    const value = matchers.values[matcher]!;
    if (value.named.length === 0) return memo2(resolveCache, matcher, 0, () => ports.id(value.numeric));
    return memo2(resolveCache, matcher, named + 1, () => ports.id(resolvePorts(value, namedTable.values[named]!.namedPorts)));
  };

  // ------------------------------------------------------------------ peers: interned, evaluated once
  const classesByNamespace = new Map<string, number[]>();
  for (const cls of classes) {
    const list = classesByNamespace.get(cls.namespace);
    if (list) list.push(cls.index);
    else classesByNamespace.set(cls.namespace, [cls.index]);
  }
  const namespaceMatches = new Map<string, string[]>();
  const peerIds = new Map<string, number>();
  const peers: PeerInfo[] = [];
  const peerId = (peer: SelectorPeer): number => {
    const key = peer.namespaceSelector
      ? `n${selectorKey(peer.namespaceSelector)}\u0004${peer.podSelector ? selectorKey(peer.podSelector) : '*'}`
      : `o${peer.namespace}\u0004${peer.podSelector ? selectorKey(peer.podSelector) : '*'}`;
    let id = peerIds.get(key);
    if (id !== undefined) return id;
    let namespaces: string[];
    if (peer.namespaceSelector) {
      const nsKey = selectorKey(peer.namespaceSelector);
      let matched = namespaceMatches.get(nsKey);
      if (!matched) {
        const selector = peer.namespaceSelector;
        matched = [...model.namespaces.values()].filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name);
        namespaceMatches.set(nsKey, matched);
      }
      namespaces = matched;
    } else {
      namespaces = [peer.namespace];
    }
    const members: number[] = [];
    for (const namespace of namespaces) {
      for (const index of classesByNamespace.get(namespace) ?? []) {
        if (!peer.podSelector || selectorMatches(peer.podSelector, classes[index]!.labels)) members.push(index);
      }
    }
    id = peers.length;
    peers.push({ members, memberSet: new Set(members), big: members.length > bigPeerThreshold });
    peerIds.set(key, id);
    return id;
  };

  // ------------------------------------------------------------------ rules of each policy, once
  const ruleRefs = new Map<NetworkPolicyEntry, { ingress: RuleRef[]; egress: RuleRef[] }>();
  const refOf = (rule: PolicyRule): RuleRef => {
    const smallPeers: number[] = [];
    const bigPeers: number[] = [];
    let ipBlock = false;
    let ipBlockFamily = false;
    for (const peer of rule.peers ?? []) {
      if (peer.kind === 'selector') {
        const id = peerId(peer);
        const list = peers[id]!.big ? bigPeers : smallPeers;
        if (!list.includes(id)) list.push(id);
      } else if (peer.kind === 'ipBlock' && !addressesEmpty(peer.addresses)) {
        ipBlock = true;
        if (coversFamily(peer.addresses)) ipBlockFamily = true;
      }
    }
    bigPeers.sort((a, b) => a - b);
    return { rule, all: rule.peers === undefined, smallPeers, bigPeers, ipBlock, ipBlockFamily, matcher: matchers.id(rule.ports) };
  };
  for (const policy of model.policies) {
    ruleRefs.set(policy, {
      ingress: policyApplies(policy, 'ingress') ? policy.ingress.map(refOf) : [],
      egress: policyApplies(policy, 'egress') ? policy.egress.map(refOf) : [],
    });
  }

  // ------------------------------------------------------------------ per class: the rules of each direction
  /** null: not isolated in that direction (or host network: policies do not apply). */
  const inRules: (RuleRef[] | null)[] = new Array<RuleRef[] | null>(T).fill(null);
  const outRules: (RuleRef[] | null)[] = new Array<RuleRef[] | null>(T).fill(null);
  const selectedClasses = new Map<NetworkPolicyEntry, number[]>();
  for (const cls of classes) {
    for (const policy of cls.selectedBy) {
      const list = selectedClasses.get(policy);
      if (list) list.push(cls.index);
      else selectedClasses.set(policy, [cls.index]);
    }
    if (cls.hostNetwork) continue;
    for (const direction of ['ingress', 'egress'] as const) {
      const applying = cls.selectedBy.filter((policy) => policyApplies(policy, direction));
      if (applying.length === 0) continue;
      (direction === 'ingress' ? inRules : outRules)[cls.index] = applying.flatMap((policy) => ruleRefs.get(policy)![direction]);
    }
  }

  // ------------------------------------------------------------------ exact evaluation of one class pair
  const results: PairResult[] = [];
  const resultIds = new Map<number, number>();
  const resultOf = (sure: number, possible: number): number =>
    memo2(resultIds, sure, possible, () => {
      const surePorts = ports.values[sure]!;
      const unknownPorts = subtractPorts(ports.values[possible]!, surePorts);
      results.push(Object.freeze({ verdict: verdictOf(surePorts, unknownPorts), ports: surePorts, unknownPorts }));
      return results.length - 1;
    });
  const ruleMatch = (ref: RuleRef, other: number): number => {
    if (ref.all) return SURE;
    let best = 0;
    const otherHost = host[other] === 1;
    for (const list of [ref.smallPeers, ref.bigPeers]) {
      for (const peer of list) {
        if (peers[peer]!.memberSet.has(other)) {
          if (!otherHost) return SURE;
          best = POSSIBLE;
        }
      }
    }
    if (ref.ipBlock) {
      if (otherHost) {
        if (ref.ipBlockFamily) return SURE;
        best = POSSIBLE;
      } else if (ipBlockPodsUnknown) {
        best = POSSIBLE;
      }
    }
    return best;
  };
  const evaluate = (S: number, D: number): number => {
    let egressSure = ALL;
    let egressPossible = ALL;
    const out = outRules[S];
    if (out && host[S] === 0) {
      egressSure = NO;
      egressPossible = NO;
      for (const ref of out) {
        const match = ruleMatch(ref, D);
        if (match === 0) continue;
        const allowed = resolve(ref.matcher, namedId[D]!);
        if (match === SURE) egressSure = union(egressSure, allowed);
        egressPossible = union(egressPossible, allowed);
      }
    }
    let ingressSure = ALL;
    let ingressPossible = ALL;
    const inbound = inRules[D];
    if (inbound && host[D] === 0) {
      ingressSure = NO;
      ingressPossible = NO;
      for (const ref of inbound) {
        const match = ruleMatch(ref, S);
        if (match === 0) continue;
        const allowed = resolve(ref.matcher, namedId[D]!);
        if (match === SURE) ingressSure = union(ingressSure, allowed);
        ingressPossible = union(ingressPossible, allowed);
      }
      // Traffic from the destination's own node is allowed, and a host-network source may be on it.
      if (host[S] === 1) ingressPossible = ALL;
    }
    return resultOf(intersect(egressSure, ingressSure), intersect(egressPossible, ingressPossible));
  };

  // ------------------------------------------------------------------ groups: which big peers a class belongs to
  const groupLists: number[][] = Array.from({ length: T }, () => []);
  let bigPeerCount = 0;
  peers.forEach((peer, id) => {
    if (!peer.big) return;
    bigPeerCount++;
    for (const member of peer.members) groupLists[member]!.push(id);
  });
  const groupTable = new Table<readonly number[]>((list) => list.join(','));
  const group = new Int32Array(T);
  for (let c = 0; c < T; c++) group[c] = groupTable.id(groupLists[c]!);
  const groupSets = groupTable.values.map((list) => new Set(list));

  // ------------------------------------------------------------------ row and column keys for the defaults
  const defaultRule = (ref: RuleRef, portsId: number): DefaultRule | undefined => {
    const possible = ref.ipBlock && ipBlockPodsUnknown;
    if (!ref.all && !possible && ref.bigPeers.length === 0) return undefined;
    return { ports: portsId, all: ref.all, possible, bigPeers: ref.bigPeers };
  };
  const rulesKey = (rules: DefaultRules): string =>
    rules === ALL_RULES ? ALL_RULES : rules.map((r) => `${r.ports}:${r.all ? 1 : 0}${r.possible ? 1 : 0}:${r.bigPeers.join('.')}`).sort().join(';');
  const rowRules = new Table<DefaultRules>(rulesKey);
  const columnRules = new Table<DefaultRules>(rulesKey);
  const rowKeyTable = new Table<readonly [rules: number, group: number]>(([r, g]) => `${r},${g}`);
  const columnKeyTable = new Table<readonly [rules: number, group: number, named: number]>(([r, g, n]) => `${r},${g},${n}`);
  const rowKey = new Int32Array(T).fill(-1);
  const columnKey = new Int32Array(T).fill(-1);
  for (let c = 0; c < T; c++) {
    if (!plain(c)) continue;
    const out = outRules[c];
    const egress: DefaultRules = out ? out.map((ref) => defaultRule(ref, ref.matcher)).filter((r) => r !== undefined) : ALL_RULES;
    rowKey[c] = rowKeyTable.id([rowRules.id(egress), group[c]!]);
    const inbound = inRules[c];
    const ingress: DefaultRules = inbound ? inbound.map((ref) => defaultRule(ref, resolve(ref.matcher, namedId[c]!))).filter((r) => r !== undefined) : ALL_RULES;
    columnKey[c] = columnKeyTable.id([columnRules.id(ingress), group[c]!, namedId[c]!]);
  }
  const matchesByDefault = (rule: DefaultRule, groupId: number): number => {
    if (rule.all) return SURE;
    const set = groupSets[groupId]!;
    for (const peer of rule.bigPeers) if (set.has(peer)) return SURE;
    return rule.possible ? POSSIBLE : 0;
  };
  const computeDefault = (rk: number, ck: number): number => {
    const [egressRulesId, sourceGroup] = rowKeyTable.values[rk]!;
    const [ingressRulesId, destinationGroup, named] = columnKeyTable.values[ck]!;
    const egressRules = rowRules.values[egressRulesId]!;
    let egressSure = ALL;
    let egressPossible = ALL;
    if (egressRules !== ALL_RULES) {
      let sure = NO_MATCHER;
      let possible = NO_MATCHER;
      for (const rule of egressRules) {
        const match = matchesByDefault(rule, destinationGroup);
        if (match === SURE) sure = unionMatcher(sure, rule.ports);
        if (match !== 0) possible = unionMatcher(possible, rule.ports);
      }
      egressSure = resolve(sure, named);
      egressPossible = resolve(possible, named);
    }
    const ingressRules = columnRules.values[ingressRulesId]!;
    let ingressSure = ALL;
    let ingressPossible = ALL;
    if (ingressRules !== ALL_RULES) {
      ingressSure = NO;
      ingressPossible = NO;
      for (const rule of ingressRules) {
        const match = matchesByDefault(rule, sourceGroup);
        if (match === SURE) ingressSure = union(ingressSure, rule.ports);
        if (match !== 0) ingressPossible = union(ingressPossible, rule.ports);
      }
    }
    return resultOf(intersect(egressSure, ingressSure), intersect(egressPossible, ingressPossible));
  };
  const CK = columnKeyTable.values.length;
  const tableSize = rowKeyTable.values.length * CK;
  const denseDefaults = tableSize <= DENSE_TABLE_LIMIT ? new Int32Array(tableSize).fill(-1) : undefined;
  const sparseDefaults = new Map<number, number>();
  const defaultId = (rk: number, ck: number): number => {
    if (denseDefaults) {
      const at = rk * CK + ck;
      let id = denseDefaults[at]!;
      if (id < 0) {
        id = computeDefault(rk, ck);
        denseDefaults[at] = id;
      }
      return id;
    }
    return memo2(sparseDefaults, rk, ck, () => computeDefault(rk, ck));
  };

  // ------------------------------------------------------------------ exceptions: pairs small peers single out
  // Source side: for each small peer used by an ingress rule, the classes whose ingress that rule is part of.
  const inboundSelected: number[][] = peers.map(() => []);
  for (const [policy, refs] of ruleRefs) {
    if (refs.ingress.length === 0) continue;
    const selected = (selectedClasses.get(policy) ?? []).filter(plain);
    if (selected.length === 0) continue;
    const seen = new Set<number>();
    for (const ref of refs.ingress) {
      for (const peer of ref.smallPeers) {
        if (seen.has(peer)) continue;
        seen.add(peer);
        for (const D of selected) inboundSelected[peer]!.push(D);
      }
    }
  }
  const smallMemberOf: number[][] = Array.from({ length: T }, () => []);
  peers.forEach((peer, id) => {
    if (peer.big || inboundSelected[id]!.length === 0) return;
    for (const member of peer.members) smallMemberOf[member]!.push(id);
  });
  const isException = (S: number, D: number): boolean => {
    for (const ref of outRules[S] ?? []) for (const peer of ref.smallPeers) if (peers[peer]!.memberSet.has(D)) return true;
    for (const ref of inRules[D] ?? []) for (const peer of ref.smallPeers) if (peers[peer]!.memberSet.has(S)) return true;
    return false;
  };
  const mark = new Int32Array(T);
  let generation = 0;
  /** The plain classes D for which (S, D) is an exception. */
  const exceptionsOf = (S: number): number[] => {
    generation++;
    const targets: number[] = [];
    const visit = (D: number): void => {
      if (mark[D] === generation || !plain(D)) return;
      mark[D] = generation;
      targets.push(D);
    };
    for (const ref of outRules[S] ?? []) for (const peer of ref.smallPeers) for (const D of peers[peer]!.members) visit(D);
    for (const peer of smallMemberOf[S]!) for (const D of inboundSelected[peer]!) visit(D);
    return targets;
  };

  const classResultAt = (S: number, D: number): PairResult => {
    if (foreign[S] === 1 || foreign[D] === 1) return FOREIGN_RESULT;
    if (host[S] === 1 || host[D] === 1 || isException(S, D)) return results[evaluate(S, D)]!;
    return results[defaultId(rowKey[S]!, columnKey[D]!)]!;
  };
  const rowAt = (S: number): PairResult[] => {
    const row = new Array<PairResult>(T);
    if (foreign[S] === 1) return row.fill(FOREIGN_RESULT);
    if (host[S] === 1) {
      for (let D = 0; D < T; D++) row[D] = foreign[D] === 1 ? FOREIGN_RESULT : results[evaluate(S, D)]!;
      return row;
    }
    const rk = rowKey[S]!;
    for (let D = 0; D < T; D++) {
      if (foreign[D] === 1) row[D] = FOREIGN_RESULT;
      else if (host[D] === 1) row[D] = results[evaluate(S, D)]!;
      else row[D] = results[defaultId(rk, columnKey[D]!)]!;
    }
    for (const D of exceptionsOf(S)) row[D] = results[evaluate(S, D)]!;
    return row;
  };

  const externalMemo = new Map<string, ExternalAccess>();
  const self: Matrix = {
    model,
    classes,
    classOf,
    classResult: (from, to) => classResultAt(from.index, to.index),
    row: (from) => rowAt(from.index),
    result: (from, to) => (from.id === to.id && from.singlePod ? SELF_RESULT : classResultAt(classOf(from).index, classOf(to).index)),
    verdict(from, to, port) {
      const result = self.result(from, to);
      return port ? verdictOf(result.ports, result.unknownPorts, port) : result.verdict;
    },
    *classPairs() {
      for (const from of classes) {
        const row = rowAt(from.index);
        for (const to of classes) yield { from, to, result: row[to.index]! };
      }
    },
    *pairs() {
      const endpoints = model.endpoints;
      const indices = endpoints.map((endpoint) => classOf(endpoint).index);
      let rowClass = -1;
      let row: PairResult[] = [];
      for (let i = 0; i < endpoints.length; i++) {
        if (indices[i] !== rowClass) {
          rowClass = indices[i]!;
          row = rowAt(rowClass);
        }
        for (let j = 0; j < endpoints.length; j++) {
          yield { from: endpoints[i]!, to: endpoints[j]!, result: i === j && endpoints[i]!.singlePod ? SELF_RESULT : row[indices[j]!]! };
        }
      }
    },
    external(target, direction) {
      const cls = 'endpoints' in target ? target : classOf(target);
      const key = `${cls.index}/${direction}`;
      let access = externalMemo.get(key);
      if (!access) {
        access = externalAccess(cls, direction);
        externalMemo.set(key, access);
      }
      return access;
    },
    stats: {
      endpoints: model.endpoints.length,
      classes: T,
      peers: peers.length,
      bigPeers: bigPeerCount,
      groups: groupTable.values.length,
      rowKeys: rowKeyTable.values.length,
      columnKeys: CK,
    },
  };
  return self;
}

/** Whether a result allows something for sure (any port). */
export function allowsSomething(result: PairResult): boolean {
  return !portsEmpty(result.ports);
}
