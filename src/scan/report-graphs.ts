// The HTML report's graph data (core/report-graphs.ts) from a scan's inventory, pod templates and findings:
// - the cluster map: per namespace its workloads (the network model's endpoints: objects with a pod template, a
//   Pod or ReplicaSet whose controller is in the input counting as that controller), the Services selecting their
//   pods and the Ingresses routing to those Services, each with its findings;
// - the RBAC graph of analysers/rbac (subjects → bindings → roles → permissions, workloads → ServiceAccounts);
// - the network graph of analysers/netpol: one node per endpoint class, an edge per pair a NetworkPolicy governs.
// Each graph is bounded (DEFAULT_GRAPH_LIMITS): what matters most is kept (namespaces with the worst findings or
// the most open workloads, whole grants of the riskiest bindings) and `truncated` says what was left out. Pure and
// deterministic: sorted output, no clock.
import {
  formatAddresses,
  formatPorts,
  isIsolated,
  matrix as buildMatrix,
  networkModels,
  policyApplies,
  portsEmpty,
  sourceKeyOf,
  type Direction,
  type Endpoint,
  type EndpointClass,
  type Matrix,
  type NetworkModel,
  type PairResult,
} from '../analysers/netpol/index.ts';
import { ingressBackendsOf } from '../analysers/netpol/rules-support.ts';
import { buildRbacGraph, collectWorkloads, type GraphNode as RbacGraphNode, type RbacGraph } from '../analysers/rbac/graph.ts';
import { rbacSources } from '../analysers/rbac/findings-helpers.ts';
import type { Finding } from '../core/findings.ts';
import { apiGroupOf, isCoreKind, type InventoryObject } from '../core/inventory.ts';
import { selectorMatches } from '../core/label-selector.ts';
import { asArray, asObject, compareStrings, severityRank, type ObjectRef, type Severity } from '../core/model.ts';
import type { PodTemplate, PodTemplateLocation } from '../core/pod-templates.ts';
import type {
  ClusterMap,
  ClusterMapIngress,
  ClusterMapNamespace,
  ClusterMapService,
  ClusterMapWorkload,
  FindingTally,
  ReportGraph,
  ReportGraphEdge,
  ReportGraphNode,
  ReportGraphs,
} from '../core/report-graphs.ts';

/** At most this many nodes (cluster map: workloads, Services and Ingresses) and edges per graph. */
export const DEFAULT_GRAPH_LIMITS = { nodes: 400, edges: 2000 } as const;

export interface ReportGraphOptions {
  /** Where pod templates sit (config podTemplates included): the RBAC graph's workloads. */
  readonly podTemplateLocations: readonly PodTemplateLocation[];
  readonly maxNodes?: number;
  readonly maxEdges?: number;
  /** As `palisade netpol --ipblock-pods`: whether ipBlock peers may match pod IPs (default no-match). */
  readonly ipBlockPods?: 'no-match' | 'unknown';
}

interface Limits {
  readonly nodes: number;
  readonly edges: number;
}

const NO_RANK = Number.MAX_SAFE_INTEGER;
const rankOf = (tally: FindingTally): number => (tally.worst === undefined ? NO_RANK : severityRank(tally.worst));

// ---------------------------------------------------------------------------------------------------------------
// Findings per object

class Tally {
  findings = 0;
  worst: Severity | undefined;
  add(severity: Severity, count = 1): void {
    this.findings += count;
    if (this.worst === undefined || severityRank(severity) < severityRank(this.worst)) this.worst = severity;
  }
  merge(other: FindingTally): void {
    if (other.worst !== undefined) this.add(other.worst, other.findings);
  }
  get value(): FindingTally {
    return this.worst === undefined ? { findings: 0 } : { findings: this.findings, worst: this.worst };
  }
}

const refKey = (ref: ObjectRef): string => `${ref.apiVersion}\u0000${ref.kind}\u0000${ref.namespace ?? ''}\u0000${ref.name}`;

class FindingIndex {
  readonly #byObject = new Map<string, Tally>();
  readonly #byNamespace = new Map<string, Tally>();

  constructor(findings: readonly Finding[]) {
    // Findings of one object share its ref: tally by identity first, then key the (far fewer) refs.
    const byRef = new Map<ObjectRef, Tally>();
    for (const { resource, severity } of findings) {
      let tally = byRef.get(resource);
      if (!tally) byRef.set(resource, (tally = new Tally()));
      tally.add(severity);
    }
    for (const [resource, tally] of byRef) {
      const key = refKey(resource);
      const known = this.#byObject.get(key);
      if (known) known.merge(tally.value);
      else this.#byObject.set(key, tally);
      const namespace = resource.namespace ?? (resource.kind === 'Namespace' && apiGroupOf(resource.apiVersion) === '' ? resource.name : undefined);
      if (namespace !== undefined) this.namespaceTally(namespace).merge(tally.value);
    }
  }

  of(ref: ObjectRef): FindingTally {
    return this.#byObject.get(refKey(ref))?.value ?? { findings: 0 };
  }

  namespaceTally(name: string): Tally {
    let tally = this.#byNamespace.get(name);
    if (!tally) this.#byNamespace.set(name, (tally = new Tally()));
    return tally;
  }
}

function groupBySource<T>(items: readonly T[], sourceOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const source = sourceOf(item);
    const list = groups.get(source);
    if (list) list.push(item);
    else groups.set(source, [item]);
  }
  return new Map([...groups].sort(([a], [b]) => compareStrings(a, b)));
}

function listText(items: readonly string[], shown = 5): string {
  return items.length <= shown ? items.join(', ') : `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

const plural = (count: number, noun: string, many = `${noun}s`): string => `${count.toLocaleString('en-US')} ${count === 1 ? noun : many}`;

/**
 * Which namespaces to keep whole, in priority order, while their sizes fit the budget; then the first one left out
 * is kept in part with what budget remains. Returns the namespace → how many of its items to keep.
 */
function pickNamespaces(ranked: readonly { readonly name: string; readonly size: number }[], budget: number): Map<string, number> {
  const kept = new Map<string, number>();
  let remaining = budget;
  for (const { name, size } of ranked) {
    if (size <= remaining) {
      kept.set(name, size);
      remaining -= size;
    }
  }
  if (remaining > 0) {
    const partial = ranked.find(({ name, size }) => !kept.has(name) && size > 0);
    if (partial) kept.set(partial.name, remaining);
  }
  return kept;
}

// ---------------------------------------------------------------------------------------------------------------
// Cluster map

interface MapNamespace {
  readonly name: string;
  readonly workloads: ClusterMapWorkload[];
  readonly services: ClusterMapService[];
  readonly ingresses: ClusterMapIngress[];
  readonly ids: Set<string>;
}

/**
 * The endpoints of a namespace a Service selector (a plain label map) selects, as the endpoints controller does; an
 * absent or empty selector selects nothing (the Service's endpoints are managed by hand). Indexed by label, so a
 * namespace of thousands of workloads costs one lookup per Service.
 */
function endpointsByLabel(model: NetworkModel): (namespace: string, selector: unknown) => readonly Endpoint[] {
  const index = new Map<string, Endpoint[]>();
  for (const endpoint of model.endpoints) {
    for (const [key, value] of Object.entries(endpoint.labels)) {
      const posting = `${endpoint.namespace}\u0000${key}\u0000${value}`;
      const list = index.get(posting);
      if (list) list.push(endpoint);
      else index.set(posting, [endpoint]);
    }
  }
  return (namespace, selector) => {
    const pairs = Object.entries(asObject(selector) ?? {});
    if (pairs.length === 0) return [];
    const labels: Record<string, string> = {};
    let smallest: readonly Endpoint[] | undefined;
    for (const [key, value] of pairs) {
      if (typeof value !== 'string') return []; // the API server rejects it
      labels[key] = value;
      const list = index.get(`${namespace}\u0000${key}\u0000${value}`) ?? [];
      if (!smallest || list.length < smallest.length) smallest = list;
    }
    return (smallest ?? []).filter((endpoint) => selectorMatches({ matchLabels: labels, matchExpressions: [] }, endpoint.labels));
  };
}

function isIngress(object: InventoryObject): boolean {
  const group = apiGroupOf(object.ref.apiVersion);
  return object.ref.kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions');
}

function buildClusterMap(objects: readonly InventoryObject[], models: ReadonlyMap<string, NetworkModel>, index: FindingIndex, limits: Limits): ClusterMap | undefined {
  const namespaces = new Map<string, MapNamespace>();
  const namespaceOf = (name: string): MapNamespace => {
    let entry = namespaces.get(name);
    if (!entry) namespaces.set(name, (entry = { name, workloads: [], services: [], ingresses: [], ids: new Set() }));
    return entry;
  };
  // Objects written without a namespace land in `default`: their findings count there too.
  const defaulted = (ref: ObjectRef, tally: FindingTally, namespace: string): void => {
    if (ref.namespace === undefined && tally.worst !== undefined) index.namespaceTally(namespace).merge(tally);
  };

  for (const model of models.values()) {
    const workloadIds = new Map<string, string>();
    for (const endpoint of model.endpoints) {
      const suffix = endpoint.id.slice(`${endpoint.namespace}/${endpoint.kind}/${endpoint.name}`.length);
      const id = `${endpoint.kind}/${endpoint.namespace}/${endpoint.name}${suffix}`;
      workloadIds.set(endpoint.id, id);
      const namespace = namespaceOf(endpoint.namespace);
      if (namespace.ids.has(id)) continue;
      namespace.ids.add(id);
      const tally = index.of(endpoint.object.ref);
      defaulted(endpoint.object.ref, tally, endpoint.namespace);
      namespace.workloads.push({ id, kind: endpoint.kind, name: endpoint.name, ...tally });
    }
    const serviceIds = new Set<string>();
    const selectable = endpointsByLabel(model);
    for (const object of objects) {
      if (!isCoreKind(object, 'Service') || sourceKeyOf(object) !== model.source) continue;
      const name = object.ref.namespace ?? 'default';
      const id = `Service/${name}/${object.ref.name}`;
      serviceIds.add(`${name}/${object.ref.name}`);
      const namespace = namespaceOf(name);
      if (namespace.ids.has(id)) continue;
      namespace.ids.add(id);
      const tally = index.of(object.ref);
      defaulted(object.ref, tally, name);
      const spec = asObject(object.object['spec']) ?? {};
      const type = typeof spec['type'] === 'string' ? spec['type'] : 'ClusterIP';
      const workloads = [...new Set(selectable(name, spec['selector']).map((endpoint) => workloadIds.get(endpoint.id)!))].sort(compareStrings);
      namespace.services.push({ id, name: object.ref.name, type, workloads, ...tally });
    }
    const backends = new Map<InventoryObject, Set<string>>();
    for (const backend of ingressBackendsOf(model, objects)) {
      if (!serviceIds.has(`${backend.namespace}/${backend.service}`)) continue;
      let set = backends.get(backend.object);
      if (!set) backends.set(backend.object, (set = new Set()));
      set.add(`Service/${backend.namespace}/${backend.service}`);
    }
    for (const object of objects) {
      if (!isIngress(object) || sourceKeyOf(object) !== model.source) continue;
      const name = object.ref.namespace ?? 'default';
      const id = `Ingress/${name}/${object.ref.name}`;
      const namespace = namespaceOf(name);
      if (namespace.ids.has(id)) continue;
      namespace.ids.add(id);
      const tally = index.of(object.ref);
      defaulted(object.ref, tally, name);
      const tls = asArray(asObject(object.object['spec'])?.['tls']).length > 0;
      namespace.ingresses.push({ id, name: object.ref.name, tls, services: [...(backends.get(object) ?? [])].sort(compareStrings), ...tally });
    }
  }
  const all = [...namespaces.values()].filter((namespace) => namespace.ids.size > 0);
  if (all.length === 0) return undefined;

  const total = all.reduce((sum, namespace) => sum + namespace.ids.size, 0);
  const tallyOf = (name: string): FindingTally => index.namespaceTally(name).value;
  const ranked = all
    .map((namespace) => ({ name: namespace.name, size: namespace.ids.size, tally: tallyOf(namespace.name) }))
    .sort((a, b) => rankOf(a.tally) - rankOf(b.tally) || b.tally.findings - a.tally.findings || compareStrings(a.name, b.name));
  const kept = total <= limits.nodes ? new Map(all.map((namespace) => [namespace.name, namespace.ids.size])) : pickNamespaces(ranked, limits.nodes);

  const byId = <T extends { readonly id: string }>(a: T, b: T): number => compareStrings(a.id, b.id);
  const result: ClusterMapNamespace[] = [];
  let partial: string | undefined;
  for (const namespace of all.sort((a, b) => compareStrings(a.name, b.name))) {
    const budget = kept.get(namespace.name);
    if (budget === undefined) continue;
    let { workloads, services, ingresses } = namespace;
    let omitted = 0;
    if (budget < namespace.ids.size) {
      // In part: the items with the worst findings first; Ingresses, then Services, then workloads on a tie.
      partial = namespace.name;
      const items = [
        ...ingresses.map((item) => ({ item, order: 0 })),
        ...services.map((item) => ({ item, order: 1 })),
        ...workloads.map((item) => ({ item, order: 2 })),
      ].sort((a, b) => rankOf(a.item) - rankOf(b.item) || b.item.findings - a.item.findings || a.order - b.order || compareStrings(a.item.id, b.item.id));
      const keep = new Set(items.slice(0, budget).map(({ item }) => item.id));
      omitted = namespace.ids.size - keep.size;
      workloads = workloads.filter((item) => keep.has(item.id));
      services = services.filter((item) => keep.has(item.id)).map((item) => ({ ...item, workloads: item.workloads.filter((id) => keep.has(id)) }));
      ingresses = ingresses.filter((item) => keep.has(item.id)).map((item) => ({ ...item, services: item.services.filter((id) => keep.has(id)) }));
    }
    result.push({
      name: namespace.name,
      ...tallyOf(namespace.name),
      workloads: [...workloads].sort(byId),
      services: [...services].sort(byId),
      ingresses: [...ingresses].sort(byId),
      ...(omitted > 0 ? { omitted } : {}),
    });
  }
  if (total <= limits.nodes) return { namespaces: result };
  const shown = result.reduce((sum, namespace) => sum + namespace.workloads.length + namespace.services.length + namespace.ingresses.length, 0);
  const left = ranked.filter(({ name }) => !kept.has(name)).map(({ name }) => name);
  const parts = [`${shown.toLocaleString('en-US')} of ${plural(total, 'workload, Service and Ingress', 'workloads, Services and Ingresses')} shown (at most ${limits.nodes}), namespaces with the most severe findings first`];
  if (partial !== undefined) parts.push(`namespace ${partial} in part`);
  if (left.length > 0) parts.push(`${plural(left.length, 'namespace')} left out: ${listText(left)}`);
  return { namespaces: result, truncated: parts.join('; ') };
}

// ---------------------------------------------------------------------------------------------------------------
// RBAC graph

const RBAC_KIND_ORDER: Readonly<Record<string, number>> = { permission: 0, role: 1, binding: 2, subject: 3, workload: 4 };

function permissionRisk(node: RbacGraphNode): { risky: boolean; admin: boolean; detail?: string } {
  const admin = node.attributes['clusterAdmin'] === true;
  const capabilities = node.attributes['capabilities'];
  const granted = Array.isArray(capabilities) ? capabilities : [];
  if (admin) return { risky: true, admin, detail: 'cluster-admin: every verb on every resource' };
  if (granted.length > 0) return { risky: true, admin, detail: `grants ${granted.join(', ')}` };
  return { risky: false, admin };
}

/** Every node from which `targets` can be reached following edges. */
function reaching(targets: readonly string[], edges: RbacGraph['edges']): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const edge of edges) {
    const list = incoming.get(edge.to);
    if (list) list.push(edge.from);
    else incoming.set(edge.to, [edge.from]);
  }
  const seen = new Set(targets);
  const stack = [...targets];
  while (stack.length > 0) {
    for (const from of incoming.get(stack.pop()!) ?? []) {
      if (seen.has(from)) continue;
      seen.add(from);
      stack.push(from);
    }
  }
  return seen;
}

interface RbacReportNode extends ReportGraphNode {
  readonly order: number;
  /** A permission granting everything. */
  readonly admin: boolean;
}

function rbacGraphOf(graph: RbacGraph, prefix: string): { nodes: RbacReportNode[]; edges: ReportGraphEdge[] } {
  const permissions = graph.nodes.filter((node) => node.kind === 'permission');
  const risks = new Map(permissions.map((node) => [node.id, permissionRisk(node)]));
  const toAdmin = reaching(permissions.filter((node) => risks.get(node.id)!.admin).map((node) => node.id), graph.edges);
  const nodes = graph.nodes.map((node): RbacReportNode => {
    const namespace = node.attributes['namespace'];
    const risk = risks.get(node.id);
    let risky = risk?.risky ?? false;
    let detail = risk?.detail;
    if (!risk && toAdmin.has(node.id)) {
      risky = true;
      detail = node.kind === 'role' || node.kind === 'binding' ? 'on a path to cluster-admin' : 'has cluster-admin';
    } else if (node.kind === 'role' && node.attributes['missing'] === true) {
      detail = 'not in the input: the binding grants nothing until it exists';
    } else if (node.kind === 'subject' && node.attributes['implicit'] === true) {
      detail = 'implicit group: membership comes from how one authenticates';
    } else if (node.kind === 'workload' && node.attributes['tokenMounted'] === false) {
      detail = 'ServiceAccount token not mounted';
    }
    return {
      id: `${prefix}${node.id}`,
      kind: node.kind,
      label: node.label,
      ...(typeof namespace === 'string' && namespace !== '' ? { namespace } : {}),
      ...(risky ? { risky: true } : {}),
      ...(detail !== undefined ? { detail } : {}),
      order: RBAC_KIND_ORDER[node.kind] ?? 5,
      admin: risk?.admin ?? false,
    };
  });
  const edges = graph.edges.map((edge) => ({ from: `${prefix}${edge.from}`, to: `${prefix}${edge.to}`, kind: edge.kind }));
  return { nodes, edges };
}

function edgesBy(edges: readonly ReportGraphEdge[], end: 'from' | 'to'): Map<string, ReportGraphEdge[]> {
  const index = new Map<string, ReportGraphEdge[]>();
  for (const edge of edges) {
    const list = index.get(edge[end]);
    if (list) list.push(edge);
    else index.set(edge[end], [edge]);
  }
  return index;
}

/**
 * The nodes to draw when the graph is too big: whole grants, riskiest first. A grant is a binding with the role it
 * references, the roles that role aggregates, their permissions, and the subjects the binding names; bindings to
 * cluster-admin power come first, then those granting the most risky permissions. Then the workloads running as
 * subjects in the picture, then whatever else fits.
 */
function pickRbacNodes(nodes: readonly RbacReportNode[], edges: readonly ReportGraphEdge[], max: number): Set<string> {
  const keep = new Set<string>();
  const add = (ids: readonly string[]): boolean => {
    const fresh = [...new Set(ids)].filter((id) => !keep.has(id));
    if (keep.size + fresh.length > max) return false;
    for (const id of fresh) keep.add(id);
    return true;
  };
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const outgoing = edgesBy(edges, 'from');
  const incoming = edgesBy(edges, 'to');
  const grantedBy = (role: string): string[] => {
    const seen = new Set([role]);
    const stack = [role];
    while (stack.length > 0) {
      for (const edge of outgoing.get(stack.pop()!) ?? []) {
        if ((edge.kind !== 'aggregates' && edge.kind !== 'grants') || seen.has(edge.to)) continue;
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
    return [...seen];
  };
  const grants = nodes
    .filter((node) => node.kind === 'binding')
    .map((binding) => {
      const roles = (outgoing.get(binding.id) ?? []).filter((edge) => edge.kind === 'role-ref').flatMap((edge) => grantedBy(edge.to));
      const permissions = roles.map((id) => byId.get(id)).filter((node) => node?.kind === 'permission');
      const subjects = (incoming.get(binding.id) ?? []).filter((edge) => edge.kind === 'subject-of').map((edge) => edge.from);
      return {
        id: binding.id,
        unit: [binding.id, ...roles, ...subjects],
        admin: permissions.some((node) => node!.admin),
        risky: permissions.filter((node) => node!.risky === true).length,
      };
    })
    .sort((a, b) => Number(b.admin) - Number(a.admin) || b.risky - a.risky || compareStrings(a.id, b.id));
  for (const grant of grants) add(grant.unit);
  const workloads = nodes
    .filter((node) => node.kind === 'workload' && (outgoing.get(node.id) ?? []).some((edge) => keep.has(edge.to)))
    .sort((a, b) => Number(b.risky === true) - Number(a.risky === true) || compareStrings(a.id, b.id));
  for (const workload of workloads) add([workload.id]);
  for (const node of [...nodes].sort((a, b) => a.order - b.order || compareStrings(a.id, b.id))) {
    if (keep.size >= max) break;
    add([node.id]);
  }
  return keep;
}

function buildRbacReportGraph(objects: readonly InventoryObject[], locations: readonly PodTemplateLocation[], limits: Limits): ReportGraph | undefined {
  // The models the RBAC rules built for the same objects array (memoised on it), else built here.
  const objectsBySource = groupBySource(objects, sourceKeyOf);
  const sources = rbacSources(objects)
    .map(({ key, model }) => ({ source: key, objects: objectsBySource.get(key) ?? [], model }))
    .filter(({ model }) => model.roles.size > 0 || model.bindings.length > 0)
    .sort((a, b) => compareStrings(a.source, b.source));
  if (sources.length === 0) return undefined;
  const nodes: RbacReportNode[] = [];
  const edges: ReportGraphEdge[] = [];
  for (const { source, objects: sourceObjects, model } of sources) {
    // Ids are those of `palisade rbac graph`; with several sources (clusters), prefixed by the source.
    const graph = rbacGraphOf(buildRbacGraph(model, collectWorkloads(sourceObjects, model, locations)), sources.length > 1 ? `${source}|` : '');
    nodes.push(...graph.nodes);
    edges.push(...graph.edges);
  }
  const keep = nodes.length <= limits.nodes ? undefined : pickRbacNodes(nodes, edges, limits.nodes);
  const keptNodes = keep === undefined ? nodes : nodes.filter((node) => keep.has(node.id));
  const candidateEdges = keep === undefined ? edges : edges.filter((edge) => keep.has(edge.from) && keep.has(edge.to));
  const keptEdges = [...candidateEdges].sort(compareEdges).slice(0, limits.edges);
  const parts: string[] = [];
  if (keptNodes.length < nodes.length) parts.push(`${keptNodes.length} of ${plural(nodes.length, 'node')} shown (at most ${limits.nodes}): whole grants, those of cluster-admin power and of the most risky permissions first`);
  if (keptEdges.length < edges.length) parts.push(`${keptEdges.length} of ${plural(edges.length, 'edge')} shown${candidateEdges.length > limits.edges ? ` (at most ${limits.edges})` : ''}`);
  return {
    nodes: [...keptNodes].sort((a, b) => a.order - b.order || compareStrings(a.id, b.id)).map(({ order: _order, admin: _admin, ...node }) => node),
    edges: keptEdges,
    ...(parts.length > 0 ? { truncated: parts.join('; ') } : {}),
  };
}

function compareEdges(a: ReportGraphEdge, b: ReportGraphEdge): number {
  return compareStrings(a.from, b.from) || compareStrings(a.to, b.to) || compareStrings(a.kind ?? '', b.kind ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// Network graph

const OUTSIDE_ID = 'outside';

function isolationText(cls: EndpointClass, direction: Direction): string {
  const first = cls.endpoints[0]!;
  if (first.hostNetwork) return `${direction}: host network, no policy applies`;
  const policies = cls.selectedBy.filter((policy) => policyApplies(policy, direction)).map((policy) => policy.id);
  return policies.length === 0 ? `${direction}: not isolated` : `${direction}: isolated by ${listText(policies, 3)}`;
}

function networkNode(cls: EndpointClass, prefix: string): ReportGraphNode {
  const first = cls.endpoints[0]!;
  const ingress = isIsolated(first, 'ingress');
  const egress = isIsolated(first, 'egress');
  const foreign = cls.foreign.map((policy) => policy.id);
  const risky = (!ingress && !egress) || cls.hostNetwork || foreign.length > 0;
  const more = cls.endpoints.length > 1 ? ` (+${cls.endpoints.length - 1} more)` : '';
  const detail = [isolationText(cls, 'ingress'), isolationText(cls, 'egress')];
  if (foreign.length > 0) detail.push(`other policy APIs may apply: ${listText(foreign, 3)}`);
  if (cls.endpoints.length > 1) detail.push(`treated alike: ${listText(cls.endpoints.map((endpoint) => `${endpoint.kind} ${endpoint.name}`), 3)}`);
  return {
    id: `${prefix}${first.id}`,
    kind: 'workloads',
    label: `${first.kind} ${first.name}${more}`,
    namespace: cls.namespace,
    ...(risky ? { risky: true } : {}),
    detail: detail.join('; '),
  };
}

function pairLabel(result: PairResult): string {
  const parts: string[] = [];
  if (!portsEmpty(result.ports)) parts.push(formatPorts(result.ports));
  if (!portsEmpty(result.unknownPorts)) parts.push(`? ${formatPorts(result.unknownPorts)}`);
  return parts.join(' ');
}

interface NetworkEdge extends ReportGraphEdge {
  readonly priority: number;
}

function networkEdges(m: Matrix, kept: readonly EndpointClass[], prefix: string): { edges: NetworkEdge[]; implied: number } {
  // A side is open when no policy restricts it: not isolated, or on the host network (policies do not apply).
  const open = (cls: EndpointClass, direction: Direction): boolean => cls.hostNetwork || !isIsolated(cls.endpoints[0]!, direction);
  const foreign = (cls: EndpointClass): boolean => cls.foreign.length > 0;
  const idOf = (cls: EndpointClass): string => `${prefix}${cls.endpoints[0]!.id}`;
  const outsideId = `${prefix}${OUTSIDE_ID}`;
  const edges: NetworkEdge[] = [];
  let implied = 0;
  for (const cls of kept) {
    for (const direction of ['ingress', 'egress'] as const) {
      if (foreign(cls) || open(cls, direction)) continue; // implied: anything outside, or unknown
      const access = m.external(cls, direction);
      if (access.verdict === 'denied') continue;
      const label = access.entries.map((entry) => `${formatPorts(entry.ports)} ${formatAddresses(entry.addresses)}`).join('; ');
      const [from, to] = direction === 'ingress' ? [outsideId, idOf(cls)] : [idOf(cls), outsideId];
      edges.push({ from, to, kind: access.verdict, ...(label !== '' ? { label: label.length > 80 ? `${label.slice(0, 79)}…` : label } : {}), priority: 0 });
    }
  }
  for (const from of kept) {
    for (const to of kept) {
      if (from === to && from.endpoints.length === 1 && from.endpoints[0]!.singlePod) continue; // a pod to itself
      if (foreign(from) || foreign(to) || (open(from, 'egress') && open(to, 'ingress'))) {
        implied++;
        continue;
      }
      const result = m.classResult(from, to);
      if (result.verdict === 'denied') continue;
      const label = pairLabel(result);
      edges.push({ from: idOf(from), to: idOf(to), kind: result.verdict, ...(label !== '' ? { label } : {}), priority: from.namespace === to.namespace ? 2 : 1 });
    }
  }
  return { edges, implied };
}

function buildNetworkReportGraph(models: ReadonlyMap<string, NetworkModel>, options: ReportGraphOptions, limits: Limits): ReportGraph | undefined {
  const sources = [...models.values()].filter((model) => model.endpoints.length > 0);
  if (sources.length === 0) return undefined;
  const nodes: ReportGraphNode[] = [];
  const edges: NetworkEdge[] = [];
  let implied = 0;
  let total = 0;
  const leftOut: string[] = [];
  const inPart: string[] = [];
  let budget = limits.nodes;
  for (const model of sources) {
    const prefix = sources.length > 1 ? `${model.source}|` : '';
    const m = buildMatrix(model, { ipBlockPods: options.ipBlockPods ?? 'no-match' });
    total += m.classes.length;
    nodes.push({ id: `${prefix}${OUTSIDE_ID}`, kind: 'outside', label: 'outside the cluster' });
    budget--;
    // Namespaces with the most open workloads first, kept whole while they fit.
    const byNamespace = groupBySource(m.classes, (cls) => cls.namespace);
    const nodeOf = new Map(m.classes.map((cls) => [cls, networkNode(cls, prefix)]));
    const ranked = [...byNamespace]
      .map(([name, classes]) => ({ name, size: classes.length, risky: classes.filter((cls) => nodeOf.get(cls)!.risky === true).length }))
      .sort((a, b) => b.risky - a.risky || compareStrings(a.name, b.name));
    const kept = m.classes.length <= budget ? new Map(ranked.map(({ name, size }) => [name, size])) : pickNamespaces(ranked, Math.max(0, budget));
    const keptClasses: EndpointClass[] = [];
    for (const [name, classes] of byNamespace) {
      const count = kept.get(name);
      if (count === undefined) {
        leftOut.push(name);
        continue;
      }
      if (count < classes.length) inPart.push(name);
      // In part: open and host-network workloads first.
      const chosen = count < classes.length ? [...classes].sort((a, b) => Number(nodeOf.get(b)!.risky === true) - Number(nodeOf.get(a)!.risky === true)).slice(0, count) : classes;
      keptClasses.push(...chosen);
    }
    budget -= keptClasses.length;
    keptClasses.sort((a, b) => compareStrings(a.namespace, b.namespace) || compareStrings(a.endpoints[0]!.id, b.endpoints[0]!.id));
    for (const cls of keptClasses) nodes.push(nodeOf.get(cls)!);
    const built = networkEdges(m, keptClasses, prefix);
    edges.push(...built.edges);
    implied += built.implied;
  }
  // Outside first, then between namespaces, then within one.
  const ranked = [...edges].sort((a, b) => a.priority - b.priority || compareEdges(a, b));
  const keptEdges = ranked.slice(0, limits.edges).map(({ priority: _priority, ...edge }) => edge).sort(compareEdges);
  const shownClasses = nodes.filter((node) => node.kind === 'workloads').length;
  const parts: string[] = [];
  if (shownClasses < total) {
    const namespaces = [inPart.length > 0 ? `${listText(inPart)} in part` : '', leftOut.length > 0 ? `${plural(leftOut.length, 'namespace')} left out: ${listText(leftOut)}` : ''].filter((text) => text !== '');
    parts.push(`${shownClasses} of ${plural(total, 'workload group')} shown (at most ${limits.nodes} nodes), namespaces with the most open workloads first${namespaces.length > 0 ? `; ${namespaces.join('; ')}` : ''}`);
  }
  if (keptEdges.length < edges.length) parts.push(`${keptEdges.length} of ${plural(edges.length, 'edge')} shown (at most ${limits.edges}), edges to and from outside and between namespaces first`);
  const note =
    implied > 0
      ? `${plural(implied, 'pair')} of workloads shown can connect because neither side is isolated by a NetworkPolicy (or other policy APIs make the answer unknown); those edges are not drawn: an open workload accepts connections from, and reaches, every pod and address that does not restrict it itself.`
      : undefined;
  return {
    nodes,
    edges: keptEdges,
    ...(parts.length > 0 ? { truncated: parts.join('; ') } : {}),
    ...(note !== undefined ? { note } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------

/**
 * The graphs of the HTML report. `podTemplates` are those of every object (as the engine finds them with the same
 * locations). Passing the very arrays the rules saw (the engine's inventory objects and pod templates) shares the
 * network and RBAC models with them, which are memoised on those arrays: at 10,000 workloads that is about 0.1 s
 * instead of 0.35 s. A graph is left out when its input is absent: no workloads, Services or Ingresses (cluster
 * map), no Role, ClusterRole or binding (RBAC), no workloads (network).
 */
export function buildReportGraphs(
  objects: readonly InventoryObject[],
  podTemplates: readonly PodTemplate[],
  findings: readonly Finding[],
  options: ReportGraphOptions,
): ReportGraphs {
  const limits: Limits = {
    nodes: Math.max(2, options.maxNodes ?? DEFAULT_GRAPH_LIMITS.nodes),
    edges: Math.max(0, options.maxEdges ?? DEFAULT_GRAPH_LIMITS.edges),
  };
  const index = new FindingIndex(findings);
  const models = networkModels(objects, podTemplates);
  const clusterMap = buildClusterMap(objects, models, index, limits);
  const rbac = buildRbacReportGraph(objects, options.podTemplateLocations, limits);
  const network = buildNetworkReportGraph(models, options, limits);
  return {
    ...(clusterMap !== undefined ? { clusterMap } : {}),
    ...(rbac !== undefined ? { rbac } : {}),
    ...(network !== undefined ? { network } : {}),
  };
}
