// Data for the HTML report's graphs: what the cluster holds and how it connects, coloured by findings. Built by
// src/scan/report-graphs.ts from the inventory and the RBAC and network analysers; kept in the JSON report so
// `palisade report` can draw them later. Every list is sorted and every graph is bounded (see `truncated`), so the
// same scan gives the same data and a large cluster still gives a drawable picture.
import type { Severity } from './model.ts';

/** Findings about one object: how many, and the most severe. */
export interface FindingTally {
  readonly findings: number;
  readonly worst?: Severity;
}

export interface ClusterMapWorkload extends FindingTally {
  /** `Kind/namespace/name`. */
  readonly id: string;
  readonly kind: string;
  readonly name: string;
}

export interface ClusterMapService extends FindingTally {
  /** `Service/namespace/name`. */
  readonly id: string;
  readonly name: string;
  readonly type: string;
  /** Ids of the workloads whose pods it selects (those in the map). */
  readonly workloads: readonly string[];
}

export interface ClusterMapIngress extends FindingTally {
  /** `Ingress/namespace/name`. */
  readonly id: string;
  readonly name: string;
  readonly tls: boolean;
  /** Ids of the Services its rules and default backend route to (those in the map). */
  readonly services: readonly string[];
}

/** A namespace's tally counts every finding on an object of the namespace, not only those drawn. */
export interface ClusterMapNamespace extends FindingTally {
  readonly name: string;
  readonly workloads: readonly ClusterMapWorkload[];
  readonly services: readonly ClusterMapService[];
  readonly ingresses: readonly ClusterMapIngress[];
  /** Workloads, Services and Ingresses of this namespace left out to keep the map drawable. */
  readonly omitted?: number;
}

/** Namespaces → workloads → Services → Ingresses, each coloured by its worst finding. */
export interface ClusterMap {
  readonly namespaces: readonly ClusterMapNamespace[];
  /** Set when the map was cut to stay drawable: what was left out. */
  readonly truncated?: string;
}

export interface ReportGraphNode {
  readonly id: string;
  /** RBAC: subject, binding, role, permission, workload; network: workloads, outside. */
  readonly kind: string;
  readonly label: string;
  readonly namespace?: string;
  /** Drawn as a danger: a risky permission, a subject with cluster-admin, a workload no policy isolates. */
  readonly risky?: boolean;
  /** One line on why it is drawn as it is (capabilities granted, isolation per direction); shown on hover. */
  readonly detail?: string;
}

export interface ReportGraphEdge {
  readonly from: string;
  readonly to: string;
  /** RBAC: member-of, subject-of, role-ref, aggregates, grants, runs-as; network: allowed, unknown. */
  readonly kind?: string;
  readonly label?: string;
}

export interface ReportGraph {
  readonly nodes: readonly ReportGraphNode[];
  readonly edges: readonly ReportGraphEdge[];
  /** Set when the graph was cut to stay drawable: what was left out. */
  readonly truncated?: string;
  /** How to read the graph when it leaves something implicit (network: pairs no policy restricts are not drawn). */
  readonly note?: string;
}

export interface ReportGraphs {
  /** When the input holds workloads, Services or Ingresses. */
  readonly clusterMap?: ClusterMap;
  /** The RBAC graph (analysers/rbac/graph.ts), when the input holds RBAC objects. */
  readonly rbac?: ReportGraph;
  /** Network reachability (analysers/netpol), when the input holds workloads. */
  readonly network?: ReportGraph;
}
