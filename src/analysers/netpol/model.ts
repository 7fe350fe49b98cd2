// The network model of one source (the files of a scan together, or one cluster): namespaces with their labels,
// endpoints (one per workload's pod template), networking.k8s.io/v1 NetworkPolicies parsed with the API server's
// defaulting, and "foreign" policies of other APIs (Cilium, Calico, AdminNetworkPolicy) that make verdicts unknown.
//
// Exported API:
//   buildNetworkModel(objects, podTemplates, source?): NetworkModel      one source's objects (callers group them)
//   buildNetworkModels(objects, podTemplates): Map<source, NetworkModel> every source of a scan (`files`, `cluster:…`)
//   sourceKeyOf(object), parseNetworkPolicy(object, problems?), effectivePolicyTypes(spec)
//   findEndpoints(model, ref): Endpoint[]          ref `ns/name` (workload name, any kind) or `ns/Kind/name`
//   policyApplies(policy, direction), isIsolated(endpoint, direction)
//   Types: NetworkModel, NamespaceInfo, Endpoint, NetworkPolicyEntry, PolicyRule, Peer (SelectorPeer, IpBlockPeer,
//     InvalidPeer), ForeignPolicy, ModelProblem, Direction
//
// Endpoints: every object with a pod template (BUILTIN_POD_TEMPLATE_LOCATIONS and configured ones) except
//   - core PodTemplate objects (nothing runs them) and Pods that have finished (status.phase Succeeded/Failed);
//   - Pods and ReplicaSets (any template object) whose controller (an ownerReference with controller: true) is a
//     template object of the same source and namespace: the Deployment stands for its ReplicaSets and their Pods.
//   Its namespace is the object's, `default` when it has none (a manifest applied without -n). Labels are the pod
//   template's; Job templates also get the labels the Job controller adds (job-name, batch.kubernetes.io/job-name)
//   unless spec.manualSelector is true. Container ports come from containers and initContainers (sidecars serve).
//   Ids are `ns/Kind/name`; `ns/name` finds a workload whatever its kind.
// Namespaces: Namespace objects' labels, plus kubernetes.io/metadata.name=<name>, which the API server sets on every
//   namespace (1.22+); namespaces only referenced by namespaced objects get that label alone.
// NetworkPolicies (networking.k8s.io/v1 only; other versions are reported and ignored): policyTypes defaulted as the
//   API server does (SetDefaults_NetworkPolicy: when the list is absent or empty, Ingress, plus Egress if spec.egress
//   has at least one rule); rules with `from`/`to` absent or empty match every peer, `ports` absent or empty every
//   port. Things the API server would reject (a peer with no selector or with ipBlock and a selector, bad CIDRs,
//   protocols, ports or endPorts) are recorded as problems and match nothing.
// Foreign policies: cilium.io CiliumNetworkPolicy (namespaced) and CiliumClusterwideNetworkPolicy, Calico
//   (crd.projectcalico.org / projectcalico.org) NetworkPolicy (namespaced) and GlobalNetworkPolicy, and
//   policy.networking.k8s.io AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy (cluster-wide).
//   Their selectors are not evaluated: a namespaced one is taken to affect every endpoint of its namespace, a
//   cluster-wide one every endpoint. Any verdict involving an affected endpoint is `unknown`.
import { apiGroupOf, originLabel, type InventoryObject } from '../../core/inventory.ts';
import { labelsOf, parseLabelSelector, selectorMatches, type LabelSelector, type Labels } from '../../core/label-selector.ts';
import { asArray, asObject, asString, type JsonObject, type JsonValue, type Path } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import { addressesEmpty, addressSubtract, cidrSet, parseCidr, type AddressSet } from './cidr.ts';
import {
  ALL_PORTS_MATCHER,
  NO_PORTS,
  isProtocol,
  namedPortsOf,
  portsOf,
  unionMatchers,
  type ContainerPort,
  type NamedPorts,
  type PortMatcher,
  type Protocol,
} from './ports.ts';

export const NETWORKING_GROUP = 'networking.k8s.io';
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export type Direction = 'ingress' | 'egress';
export const DIRECTIONS: readonly Direction[] = ['ingress', 'egress'];

export interface NamespaceInfo {
  readonly name: string;
  /** The Namespace object's labels plus kubernetes.io/metadata.name. */
  readonly labels: Labels;
  /** Undefined when the input has no Namespace object for it. */
  readonly object?: InventoryObject;
}

export interface Endpoint {
  /** `ns/Kind/name`. */
  readonly id: string;
  /** `ns/name`: how users name a workload. Not unique across kinds. */
  readonly workload: string;
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  readonly object: InventoryObject;
  readonly template: PodTemplate;
  /** Pod labels (the template's metadata.labels, plus controller-added labels where they are known). */
  readonly labels: Labels;
  readonly ports: readonly ContainerPort[];
  readonly namedPorts: NamedPorts;
  /** spec.hostNetwork: the pod uses the node's network; NetworkPolicies do not apply to it (see reachability.ts). */
  readonly hostNetwork: boolean;
  /**
   * At most one pod runs at a time (a Pod; replicas or parallelism of 1): its traffic to itself is a pod's to itself,
   * always allowed. Otherwise its replicas talk to each other, and policies decide that as for any two pods.
   */
  readonly singlePod: boolean;
  /** Policies of its namespace whose podSelector selects it, whatever their policyTypes. */
  readonly selectedBy: readonly NetworkPolicyEntry[];
  /** Foreign policies that may affect it. */
  readonly foreign: readonly ForeignPolicy[];
}

/** Pods run at once by a workload: 1 for a Pod, `replicas` (default 1) or a Job's `parallelism`; DaemonSets many. */
function runsOnePod(object: InventoryObject): boolean {
  const spec = object.object['spec'];
  const field = (name: string): unknown => (typeof spec === 'object' && spec !== null && !Array.isArray(spec) ? (spec as Record<string, unknown>)[name] : undefined);
  switch (object.ref.kind) {
    case 'Pod':
      return true;
    case 'DaemonSet':
      return false;
    case 'Job': {
      const parallelism = field('parallelism');
      return typeof parallelism !== 'number' || parallelism <= 1;
    }
    case 'CronJob': {
      const jobSpec = (field('jobTemplate') as { spec?: { parallelism?: unknown } } | undefined)?.spec;
      return field('concurrencyPolicy') === 'Forbid' && (typeof jobSpec?.parallelism !== 'number' || jobSpec.parallelism <= 1);
    }
    default: {
      const replicas = field('replicas');
      return replicas === undefined || replicas === null || (typeof replicas === 'number' && replicas <= 1);
    }
  }
}

export interface NetworkPolicyEntry {
  /** `ns/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: InventoryObject;
  readonly podSelector: LabelSelector;
  /** Effective policyTypes, after defaulting. */
  readonly policyTypes: readonly Direction[];
  /** policyTypes was absent or empty and was defaulted. */
  readonly policyTypesDefaulted: boolean;
  /** The rules as written (those of a direction not in policyTypes are parsed, and ignored by the analysis). */
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
}

export interface PolicyRule {
  readonly policy: NetworkPolicyEntry;
  readonly direction: Direction;
  /** Index in spec.ingress / spec.egress. */
  readonly index: number;
  readonly path: Path;
  /** Undefined when `from`/`to` is absent or empty: every source/destination, in the cluster or outside. */
  readonly peers: readonly Peer[] | undefined;
  /** ALL_PORTS_MATCHER when `ports` is absent or empty. */
  readonly ports: PortMatcher;
  readonly allPorts: boolean;
}

interface PeerBase {
  /** Index in `from` / `to`. */
  readonly index: number;
  readonly path: Path;
}

/**
 * podSelector and/or namespaceSelector. Without namespaceSelector: pods of `namespace` (the policy's own) matching
 * podSelector. With it: pods of the matching namespaces matching podSelector (absent: every pod).
 */
export interface SelectorPeer extends PeerBase {
  readonly kind: 'selector';
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
  /** The policy's namespace, which a peer without namespaceSelector is limited to. */
  readonly namespace: string;
}

export interface IpBlockPeer extends PeerBase {
  readonly kind: 'ipBlock';
  readonly cidr: string;
  readonly except: readonly string[];
  /** cidr minus except. */
  readonly addresses: AddressSet;
}

/** A peer the API server would reject; it matches nothing. */
export interface InvalidPeer extends PeerBase {
  readonly kind: 'invalid';
  readonly reason: string;
}

export type Peer = SelectorPeer | IpBlockPeer | InvalidPeer;

export type ForeignScope = 'namespace' | 'cluster';

export interface ForeignPolicy {
  /** `Kind/ns/name` or `Kind/name`. */
  readonly id: string;
  readonly kind: string;
  readonly group: string;
  readonly namespace?: string;
  readonly name: string;
  readonly scope: ForeignScope;
  readonly object: InventoryObject;
}

export type ModelProblemCode =
  | 'unsupported-version'
  | 'invalid-policy-type'
  | 'invalid-peer'
  | 'invalid-cidr'
  | 'cidr-host-bits'
  | 'except-outside-cidr'
  | 'invalid-port'
  | 'duplicate-endpoint';

export interface ModelProblem {
  readonly code: ModelProblemCode;
  readonly object: InventoryObject;
  /** Path inside the object. */
  readonly path: Path;
  readonly message: string;
}

export interface NetworkModel {
  /** `files` or `cluster:<context>`. */
  readonly source: string;
  readonly namespaces: ReadonlyMap<string, NamespaceInfo>;
  /** Sorted by id. */
  readonly endpoints: readonly Endpoint[];
  /** Sorted by id. */
  readonly policies: readonly NetworkPolicyEntry[];
  readonly foreignPolicies: readonly ForeignPolicy[];
  readonly problems: readonly ModelProblem[];
  readonly endpointById: ReadonlyMap<string, Endpoint>;
  /** `ns/name` → endpoints of that workload name (usually one). */
  readonly endpointsByWorkload: ReadonlyMap<string, readonly Endpoint[]>;
  readonly policiesByNamespace: ReadonlyMap<string, readonly NetworkPolicyEntry[]>;
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

export function sourceKeyOf(object: InventoryObject): string {
  return object.origin.type === 'cluster' ? originLabel(object.origin) : 'files';
}

export function policyApplies(policy: NetworkPolicyEntry, direction: Direction): boolean {
  return policy.policyTypes.includes(direction);
}

/** Isolated in a direction: some policy selecting it has that policyType. Host-network pods never are. */
export function isIsolated(endpoint: Endpoint, direction: Direction): boolean {
  return !endpoint.hostNetwork && endpoint.selectedBy.some((policy) => policyApplies(policy, direction));
}

/** Endpoints named `ns/name` (any kind) or `ns/Kind/name` (kind case-insensitive). */
export function findEndpoints(model: NetworkModel, ref: string): Endpoint[] {
  const parts = ref.split('/');
  if (parts.length === 2) return [...(model.endpointsByWorkload.get(ref) ?? [])];
  if (parts.length === 3) {
    const exact = model.endpointById.get(ref);
    if (exact) return [exact];
    const [namespace, kind, name] = parts;
    return (model.endpointsByWorkload.get(`${namespace}/${name}`) ?? []).filter((e) => e.kind.toLowerCase() === kind!.toLowerCase());
  }
  return [];
}

export function labelsKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A key equal for selectors that select the same objects as written (matchLabels and expressions, sorted). */
export function selectorKey(selector: LabelSelector): string {
  const expressions = selector.matchExpressions.map((e) => `${e.key}\u0001${e.operator}\u0001${[...e.values].sort().join('\u0002')}`).sort();
  return `${labelsKey(selector.matchLabels)}\u0003${expressions.join('\u0003')}`;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function isPresent(value: JsonValue | undefined): value is JsonValue {
  return value !== undefined && value !== null;
}

// ---------------------------------------------------------------------------------------------------------------
// NetworkPolicy parsing

/**
 * Effective policyTypes (SetDefaults_NetworkPolicy): as written when the list is non-empty (unknown values are
 * dropped: the API server rejects them), else Ingress plus Egress when spec.egress has at least one rule.
 */
export function effectivePolicyTypes(spec: JsonObject): { types: Direction[]; defaulted: boolean; invalid: { index: number; value: JsonValue }[] } {
  const written = asArray(spec['policyTypes']);
  if (written.length === 0) {
    const types: Direction[] = ['ingress'];
    if (asArray(spec['egress']).length > 0) types.push('egress');
    return { types, defaulted: true, invalid: [] };
  }
  const types: Direction[] = [];
  const invalid: { index: number; value: JsonValue }[] = [];
  written.forEach((value, index) => {
    const direction = value === 'Ingress' ? 'ingress' : value === 'Egress' ? 'egress' : undefined;
    if (!direction) invalid.push({ index, value });
    else if (!types.includes(direction)) types.push(direction);
  });
  return { types: types.sort(), defaulted: false, invalid };
}

type ProblemSink = (code: ModelProblemCode, path: Path, message: string) => void;

const PORT_NAME = /[a-z]/i;

function parsePorts(value: JsonValue | undefined, path: Path, problem: ProblemSink): { matcher: PortMatcher; all: boolean } {
  const items = asArray(value);
  if (items.length === 0) return { matcher: ALL_PORTS_MATCHER, all: true };
  let matcher: PortMatcher = { numeric: NO_PORTS, named: [] };
  items.forEach((item, index) => {
    const at = [...path, index];
    const entry = asObject(item) ?? {};
    const protocolValue = entry['protocol'];
    let protocol: Protocol = 'TCP';
    if (isPresent(protocolValue)) {
      if (!isProtocol(protocolValue)) {
        problem('invalid-port', [...at, 'protocol'], `protocol ${JSON.stringify(protocolValue)} is not TCP, UDP or SCTP: this entry matches nothing`);
        return;
      }
      protocol = protocolValue;
    }
    const port = entry['port'];
    const endPort = entry['endPort'];
    if (!isPresent(port)) {
      if (isPresent(endPort)) {
        problem('invalid-port', [...at, 'endPort'], 'endPort needs a numeric port: this entry matches nothing');
        return;
      }
      matcher = unionMatchers(matcher, { numeric: portsOf(protocol), named: [] });
      return;
    }
    if (typeof port === 'string') {
      if (!PORT_NAME.test(port)) {
        problem('invalid-port', [...at, 'port'], `port ${JSON.stringify(port)} is a string but not a port name (a name has a letter; write numbers unquoted): this entry matches nothing`);
        return;
      }
      if (isPresent(endPort)) {
        problem('invalid-port', [...at, 'endPort'], 'endPort cannot be combined with a named port: this entry matches nothing');
        return;
      }
      matcher = unionMatchers(matcher, { numeric: NO_PORTS, named: [{ protocol, name: port }] });
      return;
    }
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
      problem('invalid-port', [...at, 'port'], `port ${JSON.stringify(port)} is not a port number (1-65535) or name: this entry matches nothing`);
      return;
    }
    let last = port;
    if (isPresent(endPort)) {
      if (typeof endPort !== 'number' || !Number.isInteger(endPort) || endPort < port || endPort > 65535) {
        problem('invalid-port', [...at, 'endPort'], `endPort ${JSON.stringify(endPort)} must be a number from port (${port}) to 65535: this entry matches nothing`);
        return;
      }
      last = endPort;
    }
    matcher = unionMatchers(matcher, { numeric: portsOf(protocol, port, last), named: [] });
  });
  return { matcher, all: false };
}

function parsePeer(value: JsonValue, index: number, path: Path, namespace: string, problem: ProblemSink): Peer {
  const entry = asObject(value) ?? {};
  const podSelector = isPresent(entry['podSelector']) ? parseLabelSelector(entry['podSelector']) : undefined;
  const namespaceSelector = isPresent(entry['namespaceSelector']) ? parseLabelSelector(entry['namespaceSelector']) : undefined;
  const ipBlock = isPresent(entry['ipBlock']) ? (asObject(entry['ipBlock']) ?? {}) : undefined;
  const invalid = (reason: string, at: Path = path): InvalidPeer => {
    problem('invalid-peer', at, `${reason}: this peer matches nothing`);
    return { kind: 'invalid', index, path, reason };
  };
  if (ipBlock) {
    if (podSelector || namespaceSelector) return invalid('ipBlock cannot be combined with podSelector or namespaceSelector in one peer');
    const cidrText = asString(ipBlock['cidr']) ?? '';
    const cidr = parseCidr(cidrText);
    if (!cidr) return invalid(`ipBlock.cidr ${JSON.stringify(ipBlock['cidr'] ?? null)} is not a CIDR`, [...path, 'ipBlock', 'cidr']);
    if (cidr.hostBits) problem('cidr-host-bits', [...path, 'ipBlock', 'cidr'], `ipBlock.cidr ${cidrText} has bits set after the prefix; it means ${cidrText.replace(/^[^/]+/, '')} of the masked network`);
    const except: string[] = [];
    const block = cidrSet(cidr);
    let addresses = block;
    asArray(ipBlock['except']).forEach((item, exceptIndex) => {
      const text = asString(item) ?? '';
      const at = [...path, 'ipBlock', 'except', exceptIndex];
      const parsed = parseCidr(text);
      if (!parsed) {
        problem('invalid-cidr', at, `except entry ${JSON.stringify(item)} is not a CIDR; it is ignored`);
        return;
      }
      if (parsed.family !== cidr.family || !addressesEmpty(addressSubtract(cidrSet(parsed), block)) || parsed.prefix <= cidr.prefix) {
        problem('except-outside-cidr', at, `except entry ${text} is not strictly inside ${cidrText}`);
      }
      except.push(text);
      addresses = addressSubtract(addresses, cidrSet(parsed));
    });
    return { kind: 'ipBlock', index, path, cidr: cidrText, except, addresses };
  }
  if (!podSelector && !namespaceSelector) return invalid('a peer needs podSelector, namespaceSelector or ipBlock');
  return {
    kind: 'selector',
    index,
    path,
    namespace,
    ...(podSelector ? { podSelector } : {}),
    ...(namespaceSelector ? { namespaceSelector } : {}),
  };
}

/** Parses a networking.k8s.io/v1 NetworkPolicy; problems (what the API server would reject) go to `problems`. */
export function parseNetworkPolicy(object: InventoryObject, problems: ModelProblem[] = []): NetworkPolicyEntry {
  const problem: ProblemSink = (code, path, message) => problems.push({ code, object, path, message });
  const namespace = object.ref.namespace ?? 'default';
  const spec = asObject(object.object['spec']) ?? {};
  const { types, defaulted, invalid } = effectivePolicyTypes(spec);
  for (const { index, value } of invalid) {
    problem('invalid-policy-type', ['spec', 'policyTypes', index], `policyTypes entry ${JSON.stringify(value)} is neither Ingress nor Egress`);
  }
  const rules = (direction: Direction): Omit<PolicyRule, 'policy'>[] => {
    const field = direction === 'ingress' ? 'ingress' : 'egress';
    const peersField = direction === 'ingress' ? 'from' : 'to';
    return asArray(spec[field]).map((value, index) => {
      const rule = asObject(value) ?? {};
      const path = ['spec', field, index];
      const peerItems = asArray(rule[peersField]);
      const peers =
        peerItems.length === 0
          ? undefined
          : peerItems.map((peer, peerIndex) => parsePeer(peer, peerIndex, [...path, peersField, peerIndex], namespace, problem));
      const { matcher, all } = parsePorts(rule['ports'], [...path, 'ports'], problem);
      return { direction, index, path, peers, ports: matcher, allPorts: all };
    });
  };
  const ingress: PolicyRule[] = [];
  const egress: PolicyRule[] = [];
  const entry: NetworkPolicyEntry = {
    id: `${namespace}/${object.ref.name}`,
    namespace,
    name: object.ref.name,
    object,
    podSelector: parseLabelSelector(spec['podSelector']),
    policyTypes: types,
    policyTypesDefaulted: defaulted,
    ingress,
    egress,
  };
  for (const rule of rules('ingress')) ingress.push(Object.freeze({ ...rule, policy: entry }));
  for (const rule of rules('egress')) egress.push(Object.freeze({ ...rule, policy: entry }));
  return entry;
}

// ---------------------------------------------------------------------------------------------------------------
// Foreign policies

const FOREIGN_KINDS: readonly { group: string; kind: string; scope: ForeignScope }[] = [
  { group: 'cilium.io', kind: 'CiliumNetworkPolicy', scope: 'namespace' },
  { group: 'cilium.io', kind: 'CiliumClusterwideNetworkPolicy', scope: 'cluster' },
  { group: 'crd.projectcalico.org', kind: 'NetworkPolicy', scope: 'namespace' },
  { group: 'crd.projectcalico.org', kind: 'GlobalNetworkPolicy', scope: 'cluster' },
  { group: 'projectcalico.org', kind: 'NetworkPolicy', scope: 'namespace' },
  { group: 'projectcalico.org', kind: 'GlobalNetworkPolicy', scope: 'cluster' },
  { group: 'policy.networking.k8s.io', kind: 'AdminNetworkPolicy', scope: 'cluster' },
  { group: 'policy.networking.k8s.io', kind: 'BaselineAdminNetworkPolicy', scope: 'cluster' },
  { group: 'policy.networking.k8s.io', kind: 'ClusterNetworkPolicy', scope: 'cluster' },
];

function foreignPolicy(object: InventoryObject): ForeignPolicy | undefined {
  const group = apiGroupOf(object.ref.apiVersion);
  const known = FOREIGN_KINDS.find((k) => k.group === group && k.kind === object.ref.kind);
  if (!known) return undefined;
  const { kind, scope } = known;
  if (scope === 'namespace') {
    const namespace = object.ref.namespace ?? 'default';
    return { id: `${kind}/${namespace}/${object.ref.name}`, kind, group, namespace, name: object.ref.name, scope, object };
  }
  return { id: `${kind}/${object.ref.name}`, kind, group, name: object.ref.name, scope, object };
}

// ---------------------------------------------------------------------------------------------------------------
// Endpoints

function controllerOf(object: InventoryObject): { kind: string; name: string } | undefined {
  for (const value of asArray(asObject(object.object['metadata'])?.['ownerReferences'])) {
    const owner = asObject(value);
    if (owner?.['controller'] === true && typeof owner['kind'] === 'string' && typeof owner['name'] === 'string') {
      return { kind: owner['kind'], name: owner['name'] };
    }
  }
  return undefined;
}

function containerPorts(template: PodTemplate): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const entry of template.containers) {
    if (entry.type === 'ephemeralContainers') continue;
    for (const value of asArray(entry.container['ports'])) {
      const port = asObject(value);
      const number = port?.['containerPort'];
      if (!port || typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535) continue;
      const protocolValue = port['protocol'];
      const protocol: Protocol = isProtocol(protocolValue) ? protocolValue : 'TCP';
      if (isPresent(protocolValue) && !isProtocol(protocolValue)) continue;
      const name = asString(port['name']);
      ports.push(name ? { port: number, protocol, name } : { port: number, protocol });
    }
  }
  return ports;
}

function podLabels(template: PodTemplate): Labels {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(template.metadata['labels']) ?? {})) {
    if (typeof value === 'string') labels[key] = value;
  }
  const object = template.object;
  if (object.ref.kind === 'Job' && apiGroupOf(object.ref.apiVersion) === 'batch' && asObject(object.object['spec'])?.['manualSelector'] !== true) {
    labels['batch.kubernetes.io/job-name'] ??= object.ref.name;
    labels['job-name'] ??= object.ref.name;
  }
  return labels;
}

function isFinishedPod(object: InventoryObject): boolean {
  if (object.ref.kind !== 'Pod') return false;
  const phase = asObject(object.object['status'])?.['phase'];
  return phase === 'Succeeded' || phase === 'Failed';
}

// ---------------------------------------------------------------------------------------------------------------
// The model

/** The model of one source's objects and pod templates (callers group by source; see buildNetworkModels). */
export function buildNetworkModel(objects: readonly InventoryObject[], podTemplates: readonly PodTemplate[], source = 'files'): NetworkModel {
  const problems: ModelProblem[] = [];
  const namespaceObjects = new Map<string, InventoryObject>();
  const namespaceNames = new Set<string>();
  const policies: NetworkPolicyEntry[] = [];
  const foreignPolicies: ForeignPolicy[] = [];

  for (const object of objects) {
    if (object.ref.namespace) namespaceNames.add(object.ref.namespace);
    if (object.ref.kind === 'Namespace' && object.ref.apiVersion === 'v1') {
      namespaceObjects.set(object.ref.name, object);
      namespaceNames.add(object.ref.name);
      continue;
    }
    if (object.ref.kind === 'NetworkPolicy' && apiGroupOf(object.ref.apiVersion) === NETWORKING_GROUP) {
      if (object.ref.apiVersion !== `${NETWORKING_GROUP}/v1`) {
        problems.push({ code: 'unsupported-version', object, path: ['apiVersion'], message: `${object.ref.apiVersion} is not served; only networking.k8s.io/v1 NetworkPolicies are analysed` });
        continue;
      }
      const policy = parseNetworkPolicy(object, problems);
      namespaceNames.add(policy.namespace);
      policies.push(policy);
      continue;
    }
    if (object.ref.kind === 'NetworkPolicy' && object.ref.apiVersion === 'extensions/v1beta1') {
      problems.push({ code: 'unsupported-version', object, path: ['apiVersion'], message: 'extensions/v1beta1 NetworkPolicy is no longer served (removed in 1.16); it is ignored' });
      continue;
    }
    const foreign = foreignPolicy(object);
    if (foreign) {
      if (foreign.namespace) namespaceNames.add(foreign.namespace);
      foreignPolicies.push(foreign);
    }
  }
  policies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  foreignPolicies.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const policiesByNamespace = new Map<string, NetworkPolicyEntry[]>();
  for (const policy of policies) pushTo(policiesByNamespace, policy.namespace, policy);
  const clusterForeign = foreignPolicies.filter((f) => f.scope === 'cluster');
  const foreignByNamespace = new Map<string, ForeignPolicy[]>();
  for (const foreign of foreignPolicies) if (foreign.namespace) pushTo(foreignByNamespace, foreign.namespace, foreign);

  // Template objects by namespace/kind/name, to drop what a controller in the input stands for.
  const templateKeys = new Set<string>();
  for (const template of podTemplates) {
    const ref = template.object.ref;
    templateKeys.add(`${ref.namespace ?? 'default'}/${ref.kind}/${ref.name}`);
  }

  const endpoints: Endpoint[] = [];
  const endpointById = new Map<string, Endpoint>();
  // Policy selection evaluated once per (namespace, labels).
  const selectionMemo = new Map<string, NetworkPolicyEntry[]>();
  const foreignMemo = new Map<string, ForeignPolicy[]>();
  for (const template of podTemplates) {
    const object = template.object;
    if (object.ref.kind === 'PodTemplate' && apiGroupOf(object.ref.apiVersion) === '') continue;
    if (isFinishedPod(object)) continue;
    const namespace = object.ref.namespace ?? 'default';
    const controller = controllerOf(object);
    if (controller && templateKeys.has(`${namespace}/${controller.kind}/${controller.name}`)) continue;
    namespaceNames.add(namespace);
    const labels = podLabels(template);
    const key = `${namespace}\u0000${labelsKey(labels)}`;
    let selectedBy = selectionMemo.get(key);
    if (!selectedBy) {
      selectedBy = (policiesByNamespace.get(namespace) ?? []).filter((policy) => selectorMatches(policy.podSelector, labels));
      selectionMemo.set(key, selectedBy);
    }
    let foreign = foreignMemo.get(namespace);
    if (!foreign) {
      foreign = [...clusterForeign, ...(foreignByNamespace.get(namespace) ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      foreignMemo.set(namespace, foreign);
    }
    const ports = containerPorts(template);
    let id = `${namespace}/${object.ref.kind}/${object.ref.name}`;
    if (endpointById.has(id)) {
      let n = 2;
      while (endpointById.has(`${id}#${n}`)) n++;
      problems.push({ code: 'duplicate-endpoint', object, path: [], message: `${id} is defined more than once; this one is ${id}#${n}` });
      id = `${id}#${n}`;
    }
    const endpoint: Endpoint = Object.freeze({
      id,
      workload: `${namespace}/${object.ref.name}`,
      namespace,
      kind: object.ref.kind,
      name: object.ref.name,
      object,
      template,
      labels: Object.freeze(labels),
      ports,
      namedPorts: namedPortsOf(ports),
      hostNetwork: template.spec['hostNetwork'] === true,
      singlePod: runsOnePod(object),
      selectedBy,
      foreign,
    });
    endpoints.push(endpoint);
    endpointById.set(id, endpoint);
  }
  endpoints.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const endpointsByWorkload = new Map<string, Endpoint[]>();
  for (const endpoint of endpoints) pushTo(endpointsByWorkload, endpoint.workload, endpoint);

  const namespaces = new Map<string, NamespaceInfo>();
  for (const name of [...namespaceNames].sort()) {
    const object = namespaceObjects.get(name);
    const labels = { ...(object ? labelsOf(object.object) : {}), [NAMESPACE_NAME_LABEL]: name };
    namespaces.set(name, object ? { name, labels, object } : { name, labels });
  }

  return {
    source,
    namespaces,
    endpoints,
    policies,
    foreignPolicies,
    problems,
    endpointById,
    endpointsByWorkload,
    policiesByNamespace,
  };
}

/** One model per source: the files of a scan together, each cluster on its own. */
export function buildNetworkModels(objects: readonly InventoryObject[], podTemplates: readonly PodTemplate[]): Map<string, NetworkModel> {
  const objectsBySource = new Map<string, InventoryObject[]>();
  for (const object of objects) pushTo(objectsBySource, sourceKeyOf(object), object);
  const templatesBySource = new Map<string, PodTemplate[]>();
  for (const template of podTemplates) pushTo(templatesBySource, sourceKeyOf(template.object), template);
  const sources = [...new Set([...objectsBySource.keys(), ...templatesBySource.keys()])].sort();
  return new Map(sources.map((source) => [source, buildNetworkModel(objectsBySource.get(source) ?? [], templatesBySource.get(source) ?? [], source)]));
}
