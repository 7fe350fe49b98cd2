// The reachability graph, as data for drawings (DOT) and the HTML report: one node per endpoint class (workloads
// that every policy treats alike: usually one workload, several for replicas of a template or look-alike pods),
// grouped by namespace, plus "outside" (addresses outside the cluster); one edge per ordered pair of nodes that can
// connect (allowed or unknown), labelled with the ports. Deterministic: nodes by namespace and id, edges by ends.
// Pure.
//
// Exported API:
//   networkGraph(matrix, options?): NetworkGraph      options.namespaces keeps only nodes of those namespaces
//   OUTSIDE_NODE ('outside'); types NetworkGraph, GraphNode, GraphEdge, GraphWorkload
//
// A node's id is its first workload's id (`ns/Kind/name`), stable across runs and inputs. An edge from a node to
// itself is traffic between two of its pods (different workloads of the class, or replicas of one); a node of a
// single one-pod workload has none (a pod to itself is always allowed). Edges to and from "outside" say what
// NetworkPolicies let the class reach outside the cluster, and be reached from there, with the addresses.
import type { Labels } from '../../core/label-selector.ts';
import { addressUnion, NO_ADDRESSES, type AddressSet } from './cidr.ts';
import type { EndpointClass, ExternalEntry } from './classes.ts';
import { factorMatrix } from './factored.ts';
import type { Matrix, PairResult } from './matrix.ts';
import { isIsolated, type Direction } from './model.ts';
import { ALL_PORTS, NO_PORTS, unionPorts, type ProtocolPorts } from './ports.ts';

export const OUTSIDE_NODE = 'outside';

export interface GraphWorkload {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
}

export interface GraphNode {
  /** The first workload's id, or `outside`. */
  readonly id: string;
  readonly kind: 'workloads' | 'outside';
  readonly namespace?: string;
  readonly workloads: readonly GraphWorkload[];
  /** Pod labels of the class. */
  readonly labels?: Labels;
  readonly isolated?: { readonly ingress: boolean; readonly egress: boolean };
  readonly hostNetwork?: boolean;
  /** Foreign policies that may affect it (its verdicts are unknown). */
  readonly foreign?: readonly string[];
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly verdict: 'allowed' | 'unknown';
  readonly ports: ProtocolPorts;
  readonly unknownPorts: ProtocolPorts;
  /** Edges to or from outside: the addresses, per port (NetworkPolicies alone). */
  readonly outside?: readonly ExternalEntry[];
  readonly addresses?: AddressSet;
}

export interface NetworkGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function nodeOf(cls: EndpointClass): GraphNode {
  const first = cls.endpoints[0]!;
  return {
    id: first.id,
    kind: 'workloads',
    namespace: cls.namespace,
    workloads: cls.endpoints.map((endpoint) => ({ id: endpoint.id, kind: endpoint.kind, name: endpoint.name })),
    labels: cls.labels,
    isolated: { ingress: isIsolated(first, 'ingress'), egress: isIsolated(first, 'egress') },
    hostNetwork: cls.hostNetwork,
    foreign: cls.foreign.map((policy) => policy.id),
  };
}

function pairEdge(from: string, to: string, result: PairResult): GraphEdge | undefined {
  if (result.verdict === 'denied') return undefined;
  return { from, to, verdict: result.verdict, ports: result.ports, unknownPorts: result.unknownPorts };
}

export function networkGraph(matrix: Matrix, options: { readonly namespaces?: ReadonlySet<string> } = {}): NetworkGraph {
  const keep = options.namespaces;
  const classes = matrix.classes.filter((cls) => !keep || keep.has(cls.namespace));
  const nodes: GraphNode[] = [{ id: OUTSIDE_NODE, kind: 'outside', workloads: [] }];
  const sorted = [...classes].sort((a, b) => compare(a.namespace, b.namespace) || compare(a.endpoints[0]!.id, b.endpoints[0]!.id));
  for (const cls of sorted) nodes.push(nodeOf(cls));

  const factored = factorMatrix(matrix);
  const byColumnKey = new Map<number, EndpointClass[]>();
  for (const cls of sorted) {
    const key = factored.columnKeyOf[cls.index]!;
    const list = byColumnKey.get(key);
    if (list) list.push(cls);
    else byColumnKey.set(key, [cls]);
  }
  const kept = new Set(sorted.map((cls) => cls.index));
  const edges: GraphEdge[] = [];
  const outsideEdge = (cls: EndpointClass, direction: Direction): GraphEdge | undefined => {
    const access = matrix.external(cls, direction);
    if (access.verdict === 'denied') return undefined;
    let ports = NO_PORTS;
    let addresses = NO_ADDRESSES;
    for (const entry of access.entries) {
      ports = unionPorts(ports, entry.ports);
      addresses = addressUnion(addresses, entry.addresses);
    }
    const id = cls.endpoints[0]!.id;
    return {
      from: direction === 'egress' ? id : OUTSIDE_NODE,
      to: direction === 'egress' ? OUTSIDE_NODE : id,
      verdict: access.verdict,
      ports: access.verdict === 'allowed' ? ports : NO_PORTS,
      unknownPorts: access.verdict === 'unknown' ? ALL_PORTS : NO_PORTS,
      outside: access.entries,
      addresses,
    };
  };
  for (const cls of sorted) {
    const ingress = outsideEdge(cls, 'ingress');
    if (ingress) edges.push(ingress);
  }
  for (const from of sorted) {
    const fromId = from.endpoints[0]!.id;
    const singled = factored.exceptions(from);
    const rowKey = factored.rowKeyOf[from.index]!;
    for (const [columnKey, targets] of byColumnKey) {
      const result = factored.defaultResult(rowKey, columnKey);
      if (!result || result.verdict === 'denied') continue;
      for (const to of targets) if (!singled.has(to.index)) edges.push({ from: fromId, to: to.endpoints[0]!.id, verdict: result.verdict, ports: result.ports, unknownPorts: result.unknownPorts });
    }
    for (const [toIndex, result] of singled) {
      if (!kept.has(toIndex)) continue;
      const edge = pairEdge(fromId, matrix.classes[toIndex]!.endpoints[0]!.id, result);
      if (edge) edges.push(edge);
    }
    const egress = outsideEdge(from, 'egress');
    if (egress) edges.push(egress);
  }
  // A class of one workload running a single pod has no pod to talk to but itself.
  const lone = new Set(sorted.filter((cls) => cls.endpoints.length === 1 && cls.endpoints[0]!.singlePod).map((cls) => cls.endpoints[0]!.id));
  const result = edges.filter((edge) => !(edge.from === edge.to && lone.has(edge.from)));
  result.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  return { nodes, edges: result };
}
