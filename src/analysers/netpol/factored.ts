// The class matrix factored as defaults plus exceptions, for commands that print or compare whole matrices
// (`palisade netpol matrix`, `netpol diff`): every class gets a row key and a column key, every class pair that no
// "small" peer singles out has the default result of its (row key, column key), and the few pairs that are singled
// out are exceptions. Printing or comparing then costs O(classes + keys² + exceptions), not O(classes²).
//
// Exported API:
//   factorMatrix(matrix, options?): FactoredMatrix        memoised per matrix (default options)
//   FactoredMatrix: rowKeyOf / columnKeyOf (class index → key), rowKeys / columnKeys (counts),
//     defaultResult(rowKey, columnKey), exceptions(fromClass) (destination class index → result, ascending),
//     classResult(from, to), stats
//
// Every result comes from matrix.classResult: this module only decides which pairs must have the same result. Why
// they do. classResult(S, D) is egress(S → D) ∩ ingress(S → D) (FOREIGN_RESULT when either class is under foreign
// policies):
// - egress(S → D) is ALL unless S is isolated for egress (and not host-network); then it is the union, over the
//   egress rules applying to S, of the rule's ports (resolved against D's named ports) for the rules whose peers
//   match D: a rule without peers always; a selector peer when D is a member (surely, or possibly if D uses the host
//   network); an ipBlock depending on D's hostNetwork and whether the block covers a whole family.
// - ingress(S → D) likewise with D's ingress rules matched against S (and every port possible when S uses the host
//   network).
// Peers are interned (as matrix.ts does) and split by size: a "big" peer (more member classes than a threshold) is
// part of the keys, through the set of big peers a class belongs to; a "small" peer is not, and a pair where a small
// peer of S's egress rules holds D, or a small peer of D's ingress rules holds S, is an exception. So a row key is
// (foreign?, hostNetwork, egress isolation, S's egress rules without their small peers, the big ingress peers S
// belongs to) and a column key (foreign?, hostNetwork, named ports, ingress isolation, D's ingress rules without
// their small peers, the big egress peers D belongs to). Two non-exception pairs with equal keys are decided by the
// same facts, hence the same result. factored.test.ts checks every class pair against matrix.row() on random
// clusters.
import { selectorMatches, type LabelSelector } from '../../core/label-selector.ts';
import { formatAddresses } from './cidr.ts';
import type { EndpointClass } from './classes.ts';
import type { Matrix, PairResult } from './matrix.ts';
import { policyApplies, type Direction, type NamespaceInfo, type NetworkModel, type PolicyRule, type SelectorPeer } from './model.ts';
import { formatPorts } from './ports.ts';

export interface FactoredMatrixStats {
  readonly classes: number;
  readonly rowKeys: number;
  readonly columnKeys: number;
  /** Class pairs singled out by small peers. */
  readonly exceptions: number;
  readonly bigPeers: number;
  readonly smallPeers: number;
}

export interface FactoredMatrix {
  readonly matrix: Matrix;
  readonly rowKeyOf: Int32Array;
  readonly columnKeyOf: Int32Array;
  readonly rowKeys: number;
  readonly columnKeys: number;
  /** The result of every non-exception pair with these keys; undefined when every such pair is an exception. */
  defaultResult(rowKey: number, columnKey: number): PairResult | undefined;
  /** The exceptions of a row: destination class index → result (which may equal the default), ascending. */
  exceptions(from: EndpointClass): ReadonlyMap<number, PairResult>;
  /** matrix.classResult(from, to), through the factors. */
  classResult(from: EndpointClass, to: EndpointClass): PairResult;
  readonly stats: FactoredMatrixStats;
}

function selectorKey(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  const expressions = selector.matchExpressions.map((e) => `${e.key} ${e.operator} ${[...e.values].sort().join(',')}`).sort();
  return JSON.stringify([labels, expressions]);
}

interface Peer {
  readonly members: readonly number[];
  readonly memberSet: ReadonlySet<number>;
  readonly big: boolean;
}

/** Interned selector peers of one direction's rules, with their member classes. */
class Peers {
  readonly list: Peer[] = [];
  readonly #ids = new Map<string, number>();
  readonly #namespaces = new Map<string, string[]>();
  readonly #model: NetworkModel;
  readonly #classes: readonly EndpointClass[];
  readonly #byNamespace: ReadonlyMap<string, readonly number[]>;
  readonly #threshold: number;

  #byLabel: Map<string, NamespaceInfo[]> | undefined;

  /** Namespaces that may match: those with one of the selector's matchLabels pairs (all when it has none). */
  #candidates(selector: LabelSelector): readonly NamespaceInfo[] {
    const pairs = Object.entries(selector.matchLabels);
    if (pairs.length === 0) return [...this.#model.namespaces.values()];
    if (!this.#byLabel) {
      this.#byLabel = new Map();
      for (const ns of this.#model.namespaces.values()) {
        for (const [key, value] of Object.entries(ns.labels)) {
          const label = `${key}=${value}`;
          const list = this.#byLabel.get(label);
          if (list) list.push(ns);
          else this.#byLabel.set(label, [ns]);
        }
      }
    }
    const [key, value] = pairs[0]!;
    return this.#byLabel.get(`${key}=${value}`) ?? [];
  }

  constructor(model: NetworkModel, classes: readonly EndpointClass[], byNamespace: ReadonlyMap<string, readonly number[]>, threshold: number) {
    this.#model = model;
    this.#classes = classes;
    this.#byNamespace = byNamespace;
    this.#threshold = threshold;
  }

  id(peer: SelectorPeer): number {
    const nsKey = peer.namespaceSelector ? `s${selectorKey(peer.namespaceSelector)}` : `o${peer.namespace}`;
    const key = `${nsKey}\u0000${peer.podSelector ? selectorKey(peer.podSelector) : '*'}`;
    let id = this.#ids.get(key);
    if (id !== undefined) return id;
    let namespaces = this.#namespaces.get(nsKey);
    if (!namespaces) {
      const selector = peer.namespaceSelector;
      namespaces = selector ? this.#candidates(selector).filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name) : [peer.namespace];
      this.#namespaces.set(nsKey, namespaces);
    }
    const members: number[] = [];
    for (const namespace of namespaces) {
      for (const index of this.#byNamespace.get(namespace) ?? []) {
        if (!peer.podSelector || selectorMatches(peer.podSelector, this.#classes[index]!.labels)) members.push(index);
      }
    }
    id = this.list.length;
    this.list.push({ members, memberSet: new Set(members), big: members.length > this.#threshold });
    this.#ids.set(key, id);
    return id;
  }
}

interface RuleFactors {
  /** The rule without its small peers, as a key part. */
  readonly key: string;
  readonly smallPeers: readonly number[];
}

export interface FactorOptions {
  /** Peers with more member classes than this are big (part of the keys); default max(64, 4·√classes). */
  readonly bigPeerThreshold?: number;
}

const memo = new WeakMap<Matrix, FactoredMatrix>();

export function factorMatrix(matrix: Matrix, options: FactorOptions = {}): FactoredMatrix {
  const cached = options.bigPeerThreshold === undefined ? memo.get(matrix) : undefined;
  if (cached) return cached;
  const { model, classes } = matrix;
  const T = classes.length;
  const byNamespace = new Map<string, number[]>();
  for (const cls of classes) {
    const list = byNamespace.get(cls.namespace);
    if (list) list.push(cls.index);
    else byNamespace.set(cls.namespace, [cls.index]);
  }
  const threshold = options.bigPeerThreshold ?? Math.max(64, Math.ceil(4 * Math.sqrt(T)));
  const peers = { ingress: new Peers(model, classes, byNamespace, threshold), egress: new Peers(model, classes, byNamespace, threshold) };

  const ruleMemo = new Map<PolicyRule, RuleFactors>();
  const factorsOf = (rule: PolicyRule): RuleFactors => {
    let factors = ruleMemo.get(rule);
    if (factors) return factors;
    const table = peers[rule.direction];
    const parts: string[] = [];
    const smallPeers: number[] = [];
    if (rule.peers === undefined) parts.push('*');
    for (const peer of rule.peers ?? []) {
      if (peer.kind === 'selector') {
        const id = table.id(peer);
        if (table.list[id]!.big) parts.push(`b${id}`);
        else if (!smallPeers.includes(id)) smallPeers.push(id);
      } else if (peer.kind === 'ipBlock') {
        parts.push(`i${formatAddresses(peer.addresses)}`);
      }
    }
    const { numeric, named } = rule.ports;
    factors = { key: `${[...new Set(parts)].sort().join(' ')}|${formatPorts(numeric)}|${named.map((n) => `${n.name}/${n.protocol}`).join(',')}`, smallPeers };
    ruleMemo.set(rule, factors);
    return factors;
  };

  // Per class and direction: null when not isolated (or host network: policies do not apply), else its rules.
  const rulesOf = (cls: EndpointClass, direction: Direction): PolicyRule[] | null => {
    if (cls.hostNetwork) return null;
    const applying = cls.selectedBy.filter((policy) => policyApplies(policy, direction));
    return applying.length === 0 ? null : applying.flatMap((policy) => (direction === 'ingress' ? policy.ingress : policy.egress));
  };
  const egressRules = classes.map((cls) => rulesOf(cls, 'egress'));
  const ingressRules = classes.map((cls) => rulesOf(cls, 'ingress'));
  // Intern every peer first, so that membership lists are complete.
  for (const list of [...egressRules, ...ingressRules]) for (const rule of list ?? []) factorsOf(rule);

  const bigMembership = (table: Peers): string[] => {
    const lists: number[][] = classes.map(() => []);
    table.list.forEach((peer, id) => {
      if (peer.big) for (const member of peer.members) lists[member]!.push(id);
    });
    return lists.map((list) => list.join(','));
  };
  const bigIngress = bigMembership(peers.ingress);
  const bigEgress = bigMembership(peers.egress);
  const rulesKey = (rules: readonly PolicyRule[] | null): string => (rules === null ? 'open' : [...new Set(rules.map((rule) => factorsOf(rule).key))].sort().join(';'));
  const namedPortsKey = (cls: EndpointClass): string =>
    [...cls.namedPorts].map(([key, ports]) => `${key}=${[...ports].sort((a, b) => a - b).join('+')}`).sort().join(',');

  const intern = (keys: readonly string[]): { keyOf: Int32Array; count: number; members: number[][] } => {
    const ids = new Map<string, number>();
    const keyOf = new Int32Array(keys.length);
    const members: number[][] = [];
    keys.forEach((key, index) => {
      let id = ids.get(key);
      if (id === undefined) {
        id = members.length;
        ids.set(key, id);
        members.push([]);
      }
      keyOf[index] = id;
      members[id]!.push(index);
    });
    return { keyOf, count: members.length, members };
  };
  // Classes under foreign policies have every cell FOREIGN_RESULT: one key for all of them.
  const rowKeyText = (cls: EndpointClass): string =>
    cls.foreign.length > 0 ? 'foreign' : [cls.hostNetwork ? 'host' : 'pod', rulesKey(egressRules[cls.index]!), bigIngress[cls.index]].join('\u0000');
  const columnKeyText = (cls: EndpointClass): string =>
    cls.foreign.length > 0 ? 'foreign' : [cls.hostNetwork ? 'host' : 'pod', namedPortsKey(cls), rulesKey(ingressRules[cls.index]!), bigEgress[cls.index]].join('\u0000');
  const rows = intern(classes.map(rowKeyText));
  const columns = intern(classes.map(columnKeyText));

  // Exceptions: (S, D) where a small peer of S's egress rules holds D, or a small peer of D's ingress rules holds S.
  const ingressUsers: number[][] = peers.ingress.list.map(() => []);
  ingressRules.forEach((rules, D) => {
    const seen = new Set<number>();
    for (const rule of rules ?? []) {
      for (const peer of factorsOf(rule).smallPeers) {
        if (seen.has(peer)) continue;
        seen.add(peer);
        ingressUsers[peer]!.push(D);
      }
    }
  });
  const exceptionTargets: number[][] = classes.map(() => []);
  const mark = new Int32Array(T).fill(-1);
  for (let S = 0; S < T; S++) {
    const targets = exceptionTargets[S]!;
    const visit = (D: number): void => {
      if (mark[D] === S) return;
      mark[D] = S;
      targets.push(D);
    };
    for (const rule of egressRules[S] ?? []) for (const peer of factorsOf(rule).smallPeers) for (const D of peers.egress.list[peer]!.members) visit(D);
    targets.sort((a, b) => a - b);
  }
  peers.ingress.list.forEach((peer, id) => {
    if (peer.big) return;
    for (const S of peer.members) for (const D of ingressUsers[id]!) exceptionTargets[S]!.push(D);
  });
  let exceptionCount = 0;
  const exceptionSets = exceptionTargets.map((targets) => {
    const unique = [...new Set(targets)].sort((a, b) => a - b);
    exceptionCount += unique.length;
    return unique;
  });
  const exceptionLookup = exceptionSets.map((list) => new Set(list));

  const C = columns.count;
  const defaults = new Map<number, PairResult | null>();
  const defaultResult = (rowKey: number, columnKey: number): PairResult | undefined => {
    const at = rowKey * C + columnKey;
    let cell = defaults.get(at);
    if (cell === undefined) {
      cell = null;
      // Any pair with these keys that is not an exception stands for all of them.
      search: for (const S of rows.members[rowKey]!) {
        const singled = exceptionLookup[S]!;
        for (const D of columns.members[columnKey]!) {
          if (singled.has(D)) continue;
          cell = matrix.classResult(classes[S]!, classes[D]!);
          break search;
        }
      }
      defaults.set(at, cell);
    }
    return cell ?? undefined;
  };
  const exceptionMemo = new Map<number, ReadonlyMap<number, PairResult>>();
  const exceptions = (from: EndpointClass): ReadonlyMap<number, PairResult> => {
    let map = exceptionMemo.get(from.index);
    if (!map) {
      map = new Map(exceptionSets[from.index]!.map((D) => [D, matrix.classResult(from, classes[D]!)]));
      exceptionMemo.set(from.index, map);
    }
    return map;
  };
  const factored: FactoredMatrix = {
    matrix,
    rowKeyOf: rows.keyOf,
    columnKeyOf: columns.keyOf,
    rowKeys: rows.count,
    columnKeys: C,
    defaultResult,
    exceptions,
    classResult(from, to) {
      if (exceptionLookup[from.index]!.has(to.index)) return matrix.classResult(from, to);
      return defaultResult(rows.keyOf[from.index]!, columns.keyOf[to.index]!)!;
    },
    stats: {
      classes: T,
      rowKeys: rows.count,
      columnKeys: C,
      exceptions: exceptionCount,
      bigPeers: [...peers.ingress.list, ...peers.egress.list].filter((peer) => peer.big).length,
      smallPeers: [...peers.ingress.list, ...peers.egress.list].filter((peer) => !peer.big).length,
    },
  };
  if (options.bigPeerThreshold === undefined) memo.set(matrix, factored);
  return factored;
}
