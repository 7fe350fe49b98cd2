// What the netpol-* rules (src/rules/netpol-*) share on top of the analyser: evidence text, whether the input holds
// a namespace's or a peer's pods completely, Services and Ingress backends with the endpoints they lead to, the
// raw entries of a rule's `ports`, cluster DNS, and the network plugin a cluster runs. Pure; memoised per model.
//
// Exported API:
//   Text:       listText, countText, workloadText, labelsText, selectorText, peerText, ruleText, whereText,
//               isEmptySelector
//   Inventory:  fromCluster(object, objects)   a live object, or one of a snapshot file (it holds a ClusterInfo)
//               modelIndex(model)              endpoints and classes by namespace, endpoints selected per policy
//   Peers:      peerDestinations(model, peer, authoritative)   the endpoints a selector peer matches, and whether the
//               input surely holds them all; pinnedNames(namespaceSelector)   the namespace names it pins
//   Ports:      rulePortEntries(rule)           the raw `ports` entries of a rule, with their paths
//               portsForEndpoint(matcher, endpoint)  a rule's ports resolved against one destination
//               namedPortNumbers, containerPortPath, openToEveryAddress(externalAccess, protocol, port)
//   Services:   servicesOf(model, objects), targetPortOf(port, endpoint), ingressBackendsOf(model, objects)
//   DNS:        clusterDns(model, objects)      the cluster DNS endpoints and the pod ports DNS arrives on;
//               DNS_NAMESPACE, DNS_POD_LABEL_SETS  what a policy written without the DNS workload may aim at
//   CNI:        detectNetworkPlugins(templates) what the DaemonSets say about NetworkPolicy enforcement
//
// "Complete" is the rules' conservative stance for manifests: a namespace's workloads are taken to be all in the
// input when the input has at least one workload in it; a peer's when it names its namespaces exactly (its own, or
// kubernetes.io/metadata.name) and each of them has workloads in the input. A live cluster (or a snapshot of one)
// is authoritative.
import { isClusterInfo } from '../../core/cluster-info.ts';
import { apiGroupOf, type InventoryObject } from '../../core/inventory.ts';
import { selectorMatches, type LabelSelector, type Labels } from '../../core/label-selector.ts';
import { asArray, asObject, asString, type JsonObject, type JsonValue, type Path } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import { addressUnion, coversFamily, NO_ADDRESSES } from './cidr.ts';
import { endpointClasses, type EndpointClass, type ExternalAccess } from './classes.ts';
import {
  NAMESPACE_NAME_LABEL,
  selectorKey,
  sourceKeyOf,
  type Endpoint,
  type NetworkModel,
  type NetworkPolicyEntry,
  type Peer,
  type PolicyRule,
  type SelectorPeer,
} from './model.ts';
import { isProtocol, namedPortKey, resolvePorts, type PortMatcher, type Protocol, type ProtocolPorts } from './ports.ts';

// ---------------------------------------------------------------------------------------------------------------
// Text

const NAMES_SHOWN = 3;

/** `a, b, c and 2 more` (in the order given). */
export function listText(items: readonly string[], shown = NAMES_SHOWN): string {
  if (items.length <= shown) return items.join(', ');
  return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
}

/** `1 workload`, `3 workloads`; `2 NetworkPolicies` with the plural given. */
export function countText(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}

/** `Deployment shop/web`. */
export function workloadText(endpoint: Endpoint): string {
  return `${endpoint.kind} ${endpoint.namespace}/${endpoint.name}`;
}

/** `app=web, tier=frontend`, or `no labels`. */
export function labelsText(labels: Labels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? 'no labels' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/** kubectl's notation in braces: `{app=web, tier in (a,b), !legacy}`; `{}` for the empty selector. */
export function selectorText(selector: LabelSelector): string {
  const parts = Object.entries(selector.matchLabels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`);
  for (const { key, operator, values } of selector.matchExpressions) {
    const list = `(${[...values].sort().join(',')})`;
    if (operator === 'In') parts.push(`${key} in ${list}`);
    else if (operator === 'NotIn') parts.push(`${key} notin ${list}`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else parts.push(`${key} ${operator} ${list}`);
  }
  return `{${parts.join(', ')}}`;
}

/** `namespaceSelector {team=a} and podSelector {app=api}`, `ipBlock 10.0.0.0/8 except 10.1.0.0/16`. */
export function peerText(peer: Peer): string {
  switch (peer.kind) {
    case 'selector': {
      const parts: string[] = [];
      if (peer.namespaceSelector) parts.push(`namespaceSelector ${selectorText(peer.namespaceSelector)}`);
      if (peer.podSelector) parts.push(`podSelector ${selectorText(peer.podSelector)}`);
      return parts.join(' and ');
    }
    case 'ipBlock':
      return `ipBlock ${peer.cidr}${peer.except.length > 0 ? ` except ${peer.except.join(', ')}` : ''}`;
    case 'invalid':
      return 'an invalid peer';
  }
}

/** `NetworkPolicy shop/api spec.ingress[0]`. */
export function ruleText(rule: PolicyRule): string {
  return `NetworkPolicy ${rule.policy.id} spec.${rule.direction}[${rule.index}]`;
}

/** How findings say where a fact holds: manifests are partial, a cluster is not. */
export function whereText(model: NetworkModel, authoritative: boolean): string {
  return model.source === 'files' && !authoritative ? 'in the input' : 'in the cluster';
}

// ---------------------------------------------------------------------------------------------------------------
// Inventory

const snapshotMemo = new WeakMap<readonly InventoryObject[], ReadonlySet<string>>();

/** Files that hold a ClusterInfo: snapshots of a live scan, whose objects are the cluster's. */
function snapshotFiles(objects: readonly InventoryObject[]): ReadonlySet<string> {
  let files = snapshotMemo.get(objects);
  if (!files) {
    const set = new Set<string>();
    for (const object of objects) if (object.origin.type === 'file' && isClusterInfo(object.object)) set.add(object.origin.file);
    files = set;
    snapshotMemo.set(objects, files);
  }
  return files;
}

/** Read from a cluster: a live object, or an object of a snapshot file. What the cluster holds is known completely. */
export function fromCluster(object: InventoryObject, objects: readonly InventoryObject[]): boolean {
  return object.origin.type === 'cluster' || snapshotFiles(objects).has(object.origin.file);
}

export interface ModelIndex {
  /** Endpoints by namespace, in id order. */
  readonly endpointsByNamespace: ReadonlyMap<string, readonly Endpoint[]>;
  readonly classesByNamespace: ReadonlyMap<string, readonly EndpointClass[]>;
  /** The endpoints each policy's podSelector selects, in id order (policies selecting none are absent). */
  readonly selected: ReadonlyMap<NetworkPolicyEntry, readonly Endpoint[]>;
}

const indexMemo = new WeakMap<NetworkModel, ModelIndex>();

export function modelIndex(model: NetworkModel): ModelIndex {
  let index = indexMemo.get(model);
  if (index) return index;
  const endpointsByNamespace = new Map<string, Endpoint[]>();
  const selected = new Map<NetworkPolicyEntry, Endpoint[]>();
  for (const endpoint of model.endpoints) {
    pushTo(endpointsByNamespace, endpoint.namespace, endpoint);
    for (const policy of endpoint.selectedBy) pushTo(selected, policy, endpoint);
  }
  const classesByNamespace = new Map<string, EndpointClass[]>();
  for (const cls of endpointClasses(model).classes) pushTo(classesByNamespace, cls.namespace, cls);
  index = { endpointsByNamespace, classesByNamespace, selected };
  indexMemo.set(model, index);
  return index;
}

// ---------------------------------------------------------------------------------------------------------------
// Peers

export interface PeerDestinations {
  /** Namespaces the peer covers that the input knows of (matched by its namespaceSelector, or the policy's own). */
  readonly namespaces: readonly string[];
  /** Endpoints of the input the peer matches, in id order. */
  readonly endpoints: readonly Endpoint[];
  /** Whether the input surely holds every pod the peer can match (see the header). */
  readonly complete: boolean;
}

/** The kubernetes.io/metadata.name values a namespaceSelector pins, or undefined when it does not pin names. */
export function pinnedNames(selector: LabelSelector): string[] | undefined {
  let names: string[] | undefined;
  const constrain = (values: readonly string[]): void => {
    names = names === undefined ? [...values] : names.filter((name) => values.includes(name));
  };
  const byLabel = selector.matchLabels[NAMESPACE_NAME_LABEL];
  if (byLabel !== undefined) constrain([byLabel]);
  for (const { key, operator, values } of selector.matchExpressions) if (key === NAMESPACE_NAME_LABEL && operator === 'In') constrain(values);
  return names?.sort();
}

/** Whether a selector has requirements on keys other than kubernetes.io/metadata.name. */
function constrainsOtherLabels(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).some((key) => key !== NAMESPACE_NAME_LABEL) || selector.matchExpressions.some((e) => e.key !== NAMESPACE_NAME_LABEL);
}

const peerMemo = new WeakMap<NetworkModel, Map<string, PeerDestinations>>();

/**
 * The endpoints a selector peer matches. `authoritative`: the policy comes from a cluster, whose namespaces and pods
 * the model holds completely.
 */
export function peerDestinations(model: NetworkModel, peer: SelectorPeer, authoritative: boolean): PeerDestinations {
  const key = [
    authoritative ? 'a' : 'f',
    peer.namespaceSelector ? `n${selectorKey(peer.namespaceSelector)}` : `o${peer.namespace}`,
    peer.podSelector ? selectorKey(peer.podSelector) : '*',
  ].join('\u0000');
  let memo = peerMemo.get(model);
  if (!memo) {
    memo = new Map();
    peerMemo.set(model, memo);
  }
  const known = memo.get(key);
  if (known) return known;

  const index = modelIndex(model);
  const hasWorkloads = (namespace: string): boolean => index.endpointsByNamespace.has(namespace);
  let namespaces: string[];
  let complete: boolean;
  const selector = peer.namespaceSelector;
  if (!selector) {
    namespaces = [peer.namespace];
    complete = authoritative || hasWorkloads(peer.namespace);
  } else if (authoritative) {
    namespaces = [...model.namespaces.values()].filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name);
    complete = true;
  } else {
    const pinned = pinnedNames(selector);
    if (!pinned) {
      namespaces = [...model.namespaces.values()].filter((ns) => selectorMatches(selector, ns.labels)).map((ns) => ns.name);
      complete = false;
    } else {
      namespaces = [];
      complete = true;
      for (const name of pinned) {
        const info = model.namespaces.get(name);
        const labels = info?.labels ?? { [NAMESPACE_NAME_LABEL]: name };
        if (selectorMatches(selector, labels)) namespaces.push(name);
        // Without its Namespace object, the namespace's other labels are unknown.
        else if (!info?.object && constrainsOtherLabels(selector)) complete = false;
      }
      if (namespaces.some((name) => !hasWorkloads(name))) complete = false;
    }
  }
  const endpoints: Endpoint[] = [];
  for (const namespace of namespaces) {
    for (const cls of index.classesByNamespace.get(namespace) ?? []) {
      if (!peer.podSelector || selectorMatches(peer.podSelector, cls.labels)) endpoints.push(...cls.endpoints);
    }
  }
  endpoints.sort(byId);
  const result: PeerDestinations = { namespaces, endpoints, complete };
  memo.set(key, result);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Ports

/** One entry of a rule's `ports` as written. */
export interface RulePortEntry {
  readonly index: number;
  /** Path of the entry inside the policy. */
  readonly path: Path;
  /** Whether `protocol` is written (absent: TCP). */
  readonly protocolWritten: boolean;
  readonly protocol: Protocol;
  /** A number, a name, or undefined (every port of the protocol). */
  readonly port: number | string | undefined;
  readonly endPort: number | undefined;
}

/** The entries of a rule's `ports` that the API server accepts, as written (invalid ones are the model's problems). */
export function rulePortEntries(rule: PolicyRule): RulePortEntry[] {
  const spec = asObject(rule.policy.object.object['spec']);
  const value = asObject(asArray(spec?.[rule.direction])[rule.index]);
  const entries: RulePortEntry[] = [];
  asArray(value?.['ports']).forEach((item, index) => {
    const entry = asObject(item) ?? {};
    const protocolValue = entry['protocol'];
    const protocolWritten = protocolValue !== undefined && protocolValue !== null;
    if (protocolWritten && !isProtocol(protocolValue)) return;
    const port = entry['port'];
    const endPort = entry['endPort'];
    entries.push({
      index,
      path: [...rule.path, 'ports', index],
      protocolWritten,
      protocol: isProtocol(protocolValue) ? protocolValue : 'TCP',
      port: typeof port === 'number' || typeof port === 'string' ? port : undefined,
      endPort: typeof endPort === 'number' ? endPort : undefined,
    });
  });
  return entries;
}

/** What a rule's ports allow towards one destination endpoint (named ports resolved against it). */
export function portsForEndpoint(matcher: PortMatcher, endpoint: Endpoint): ProtocolPorts {
  return resolvePorts(matcher, endpoint.namedPorts);
}

/** The container port numbers an endpoint declares under `name` for `protocol`. */
export function namedPortNumbers(endpoint: Endpoint, protocol: Protocol, name: string): readonly number[] {
  return endpoint.namedPorts.get(namedPortKey(protocol, name)) ?? [];
}

/** Whether an ExternalAccess allows `protocol`/`port` from (or to) every address of a family (0.0.0.0/0 or ::/0). */
export function openToEveryAddress(access: ExternalAccess, protocol: Protocol, port: number): boolean {
  let addresses = NO_ADDRESSES;
  for (const entry of access.entries) if (entry.ports[protocol].contains(port)) addresses = addressUnion(addresses, entry.addresses);
  return coversFamily(addresses);
}

/** Path of the container port an endpoint declares for `protocol`/`port`, if any. */
export function containerPortPath(endpoint: Endpoint, protocol: Protocol, port: number): Path | undefined {
  for (const entry of endpoint.template.containers) {
    if (entry.type === 'ephemeralContainers') continue;
    const ports = asArray(entry.container['ports']);
    for (let index = 0; index < ports.length; index++) {
      const value = asObject(ports[index]);
      const declared = isProtocol(value?.['protocol']) ? value['protocol'] : 'TCP';
      if (value?.['containerPort'] === port && declared === protocol) return [...entry.path, 'ports', index];
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Services and Ingresses

export interface ServicePort {
  readonly index: number;
  readonly name?: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** As written, defaulting to `port`. */
  readonly targetPort: number | string;
  readonly nodePort?: number;
}

export interface ServiceEntry {
  /** `ns/name`. */
  readonly id: string;
  readonly namespace: string;
  readonly name: string;
  readonly object: InventoryObject;
  /** ClusterIP (default), NodePort, LoadBalancer, ExternalName. */
  readonly type: string;
  /** Undefined when absent or empty: the Service's endpoints are not managed from a selector. */
  readonly selector?: Labels;
  readonly ports: readonly ServicePort[];
  readonly externalIPs: readonly string[];
  /** Endpoints of its namespace its selector matches, in id order. */
  readonly endpoints: readonly Endpoint[];
}

function objectsOfSource(objects: readonly InventoryObject[], source: string, accept: (object: InventoryObject) => boolean): InventoryObject[] {
  return objects.filter((object) => accept(object) && sourceKeyOf(object) === source);
}

function isService(object: InventoryObject): boolean {
  return object.ref.kind === 'Service' && object.ref.apiVersion === 'v1';
}

function isIngress(object: InventoryObject): boolean {
  const group = apiGroupOf(object.ref.apiVersion);
  return object.ref.kind === 'Ingress' && (group === 'networking.k8s.io' || group === 'extensions');
}

function parseServicePorts(spec: JsonObject): ServicePort[] {
  const ports: ServicePort[] = [];
  asArray(spec['ports']).forEach((item, index) => {
    const entry = asObject(item);
    const port = entry?.['port'];
    if (!entry || typeof port !== 'number') return;
    const protocolValue = entry['protocol'];
    if (protocolValue !== undefined && protocolValue !== null && !isProtocol(protocolValue)) return;
    const target = entry['targetPort'];
    const name = asString(entry['name']);
    const nodePort = entry['nodePort'];
    ports.push({
      index,
      ...(name ? { name } : {}),
      port,
      protocol: isProtocol(protocolValue) ? protocolValue : 'TCP',
      targetPort: typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : port,
      ...(typeof nodePort === 'number' ? { nodePort } : {}),
    });
  });
  return ports;
}

const servicesMemo = new WeakMap<NetworkModel, { objects: readonly InventoryObject[]; services: readonly ServiceEntry[] }>();

/** The v1 Services of the model's source, with the endpoints their selectors match; sorted by id. */
export function servicesOf(model: NetworkModel, objects: readonly InventoryObject[]): readonly ServiceEntry[] {
  const memo = servicesMemo.get(model);
  if (memo && memo.objects === objects) return memo.services;
  const index = modelIndex(model);
  const services: ServiceEntry[] = [];
  for (const object of objectsOfSource(objects, model.source, isService)) {
    const spec = asObject(object.object['spec']) ?? {};
    const namespace = object.ref.namespace ?? 'default';
    const selectorValue = asObject(spec['selector']);
    const selector: Record<string, string> = {};
    for (const [key, value] of Object.entries(selectorValue ?? {})) if (typeof value === 'string') selector[key] = value;
    const hasSelector = Object.keys(selector).length > 0;
    const endpoints: Endpoint[] = [];
    if (hasSelector) {
      const labelSelector: LabelSelector = { matchLabels: selector, matchExpressions: [] };
      for (const cls of index.classesByNamespace.get(namespace) ?? []) if (selectorMatches(labelSelector, cls.labels)) endpoints.push(...cls.endpoints);
      endpoints.sort(byId);
    }
    services.push({
      id: `${namespace}/${object.ref.name}`,
      namespace,
      name: object.ref.name,
      object,
      type: asString(spec['type']) ?? 'ClusterIP',
      ...(hasSelector ? { selector } : {}),
      ports: parseServicePorts(spec),
      externalIPs: asArray(spec['externalIPs']).filter((ip): ip is string => typeof ip === 'string' && ip !== ''),
      endpoints,
    });
  }
  services.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  servicesMemo.set(model, { objects, services });
  return services;
}

/** The pod port a Service port forwards to on this endpoint; undefined when a named targetPort is not defined there. */
export function targetPortOf(port: ServicePort, endpoint: Endpoint): number | undefined {
  if (typeof port.targetPort === 'number') return port.targetPort;
  return namedPortNumbers(endpoint, port.protocol, port.targetPort)[0];
}

export interface IngressBackend {
  readonly object: InventoryObject;
  readonly namespace: string;
  /** Path of the backend inside the Ingress. */
  readonly path: Path;
  readonly service: string;
  /** Service port number or name; undefined when not given. */
  readonly port: number | string | undefined;
  readonly host?: string;
}

function backendOf(value: JsonValue | undefined): { service: string; port: number | string | undefined } | undefined {
  const backend = asObject(value);
  if (!backend) return undefined;
  const service = asObject(backend['service']);
  if (service) {
    const name = asString(service['name']);
    const port = asObject(service['port']);
    const number = port?.['number'];
    const portName = asString(port?.['name']);
    return name ? { service: name, port: typeof number === 'number' ? number : portName } : undefined;
  }
  // extensions/v1beta1 and networking.k8s.io/v1beta1.
  const name = asString(backend['serviceName']);
  const port = backend['servicePort'];
  return name ? { service: name, port: typeof port === 'number' || typeof port === 'string' ? port : undefined } : undefined;
}

const ingressMemo = new WeakMap<NetworkModel, { objects: readonly InventoryObject[]; backends: readonly IngressBackend[] }>();

/** Every Service backend of the Ingresses of the model's source. */
export function ingressBackendsOf(model: NetworkModel, objects: readonly InventoryObject[]): readonly IngressBackend[] {
  const memo = ingressMemo.get(model);
  if (memo && memo.objects === objects) return memo.backends;
  const backends: IngressBackend[] = [];
  for (const object of objectsOfSource(objects, model.source, isIngress)) {
    const spec = asObject(object.object['spec']) ?? {};
    const namespace = object.ref.namespace ?? 'default';
    for (const field of ['defaultBackend', 'backend']) {
      const backend = backendOf(spec[field]);
      if (backend) backends.push({ object, namespace, path: ['spec', field], ...backend });
    }
    asArray(spec['rules']).forEach((ruleValue, ruleIndex) => {
      const rule = asObject(ruleValue);
      const host = asString(rule?.['host']);
      asArray(asObject(rule?.['http'])?.['paths']).forEach((pathValue, pathIndex) => {
        const backend = backendOf(asObject(pathValue)?.['backend']);
        if (!backend) return;
        backends.push({ object, namespace, path: ['spec', 'rules', ruleIndex, 'http', 'paths', pathIndex, 'backend'], ...backend, ...(host ? { host } : {}) });
      });
    });
  }
  ingressMemo.set(model, { objects, backends });
  return backends;
}

// ---------------------------------------------------------------------------------------------------------------
// Cluster DNS

export interface DnsTarget {
  readonly endpoint: Endpoint;
  /** The pod ports DNS queries arrive on, after the Service's translation (53 without a Service in the input). */
  readonly udp: readonly number[];
  readonly tcp: readonly number[];
}

export interface ClusterDns {
  /** Empty when the input holds no cluster DNS workload. */
  readonly targets: readonly DnsTarget[];
  /** `Service kube-system/kube-dns (Deployment kube-system/coredns)`. */
  readonly description: string;
}

/** Services that front cluster DNS: upstream kube-dns (CoreDNS keeps the name), OpenShift's dns-default. */
const DNS_SERVICES = ['kube-system/kube-dns', 'openshift-dns/dns-default'];
/** Without a Service: the pods upstream's and most distributions' DNS add-ons carry. */
export const DNS_NAMESPACE = 'kube-system';
const DNS_POD_LABEL = 'k8s-app';
const DNS_POD_LABEL_VALUES = ['kube-dns', 'coredns'];

const dnsMemo = new WeakMap<NetworkModel, { objects: readonly InventoryObject[]; dns: ClusterDns }>();

/** The cluster DNS endpoints of the input and the ports DNS arrives on; no targets when the input holds none. */
export function clusterDns(model: NetworkModel, objects: readonly InventoryObject[]): ClusterDns {
  const memo = dnsMemo.get(model);
  if (memo && memo.objects === objects) return memo.dns;
  const targets: DnsTarget[] = [];
  const services = servicesOf(model, objects).filter((s) => DNS_SERVICES.includes(s.id) && s.endpoints.length > 0);
  for (const service of services) {
    for (const endpoint of service.endpoints) {
      const udp: number[] = [];
      const tcp: number[] = [];
      for (const port of service.ports) {
        if (port.port !== 53) continue;
        const target = targetPortOf(port, endpoint);
        if (target === undefined) continue;
        if (port.protocol === 'UDP') udp.push(target);
        if (port.protocol === 'TCP') tcp.push(target);
      }
      targets.push({ endpoint, udp, tcp });
    }
  }
  let description: string;
  if (services.length > 0) {
    const workloads = [...new Set(targets.map((t) => workloadText(t.endpoint)))];
    description = `${services.map((s) => `Service ${s.id}`).join(', ')} → ${listText(workloads)}`;
  } else {
    for (const endpoint of modelIndex(model).endpointsByNamespace.get(DNS_NAMESPACE) ?? []) {
      const value = endpoint.labels[DNS_POD_LABEL];
      if (value !== undefined && DNS_POD_LABEL_VALUES.includes(value)) targets.push({ endpoint, udp: [53], tcp: [53] });
    }
    description = listText(targets.map((t) => workloadText(t.endpoint)));
  }
  const dns: ClusterDns = { targets, description };
  dnsMemo.set(model, { objects, dns });
  return dns;
}

/** Pod labels of cluster DNS that a policy written without the DNS workload at hand may select. */
export const DNS_POD_LABEL_SETS: readonly Labels[] = [
  { [DNS_POD_LABEL]: 'kube-dns' },
  { [DNS_POD_LABEL]: 'coredns' },
  { 'app.kubernetes.io/name': 'coredns' },
  { [DNS_POD_LABEL]: 'node-local-dns' },
];

// ---------------------------------------------------------------------------------------------------------------
// Network plugins

export type PolicySupport = 'enforces' | 'does-not-enforce' | 'unknown';

export interface NetworkPlugin {
  /** `Calico`, `Cilium`, `flannel`, … */
  readonly name: string;
  readonly support: PolicySupport;
  /** The DaemonSet it was recognised by. */
  readonly object: InventoryObject;
  /** Why, when the support depends on configuration or version. */
  readonly detail?: string;
}

function images(template: PodTemplate): string[] {
  return template.containers.map((entry) => asString(entry.container['image']) ?? '');
}

function containerArgs(template: PodTemplate, accept: (name: string, image: string) => boolean): string[] | undefined {
  for (const entry of template.containers) {
    const image = asString(entry.container['image']) ?? '';
    if (!accept(entry.name, image)) continue;
    return [...asArray(entry.container['command']), ...asArray(entry.container['args'])].filter((a): a is string => typeof a === 'string');
  }
  return undefined;
}

/** `--flag=value` or `--flag value` (one or two dashes). */
function flagValue(args: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!.replace(/^--?/, '');
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
    if (arg === flag) return args[i + 1] ?? 'true';
  }
  return undefined;
}

/** Recognises one DaemonSet as a network plugin (or its policy agent). */
function recognise(template: PodTemplate): Omit<NetworkPlugin, 'object'> | undefined {
  const name = template.object.ref.name;
  const imageList = images(template);
  const hasImage = (fragment: string): boolean => imageList.some((image) => image.includes(fragment));
  const hasContainer = (container: string): boolean => template.containers.some((entry) => entry.name === container);
  if (name === 'canal' || (hasContainer('calico-node') && hasContainer('kube-flannel'))) return { name: 'Canal (Calico policy with flannel)', support: 'enforces' };
  if (name === 'calico-node' || hasImage('calico/node')) return { name: 'Calico', support: 'enforces' };
  if (name === 'anetd') return { name: 'GKE Dataplane V2 (Cilium)', support: 'enforces' };
  if (name === 'cilium' || hasImage('cilium/cilium')) return { name: 'Cilium', support: 'enforces' };
  if (name === 'antrea-agent' || hasImage('antrea/antrea-agent') || hasImage('antrea/antrea-ubuntu')) return { name: 'Antrea', support: 'enforces' };
  if (name === 'kube-ovn-cni' || name === 'ovs-ovn' || hasImage('kubeovn/kube-ovn')) return { name: 'Kube-OVN', support: 'enforces' };
  if (name === 'ovnkube-node' || name === 'ovnkube-node-dpu' || hasImage('ovn-kubernetes')) return { name: 'OVN-Kubernetes', support: 'enforces' };
  if (name === 'azure-npm' || hasImage('azure-npm')) return { name: 'Azure Network Policy Manager', support: 'enforces' };
  if (name === 'kube-network-policies' || hasImage('kube-network-policies')) return { name: 'kube-network-policies', support: 'enforces' };
  if (name === 'kube-router' || hasImage('kube-router')) {
    const args = containerArgs(template, (_, image) => image.includes('kube-router')) ?? [];
    return flagValue(args, 'run-firewall') === 'false'
      ? { name: 'kube-router', support: 'does-not-enforce', detail: 'runs with --run-firewall=false' }
      : { name: 'kube-router', support: 'enforces' };
  }
  if (name === 'weave-net' || hasImage('weaveworks/weave-kube')) {
    return hasContainer('weave-npc') || hasImage('weave-npc')
      ? { name: 'Weave Net', support: 'enforces' }
      : { name: 'Weave Net', support: 'does-not-enforce', detail: 'has no weave-npc container' };
  }
  if (name === 'aws-node' || hasImage('amazon-k8s-cni')) {
    const args = containerArgs(template, (container, image) => container === 'aws-eks-nodeagent' || image.includes('aws-network-policy-agent'));
    if (args === undefined) return { name: 'Amazon VPC CNI', support: 'does-not-enforce', detail: 'has no network policy agent (aws-eks-nodeagent) container' };
    return flagValue(args, 'enable-network-policy') === 'true'
      ? { name: 'Amazon VPC CNI', support: 'enforces' }
      : { name: 'Amazon VPC CNI', support: 'does-not-enforce', detail: 'runs its network policy agent without --enable-network-policy=true' };
  }
  if (name === 'kindnet' || hasImage('kindest/kindnetd') || hasImage('kindnetd')) {
    return { name: 'kindnet', support: 'unknown', detail: 'enforces them only from kind v0.24 on, a version its DaemonSet does not show' };
  }
  if (name.includes('flannel') || hasImage('flannel')) return { name: 'flannel', support: 'does-not-enforce' };
  return undefined;
}

/** The network plugins (and policy agents) the DaemonSets among these pod templates are recognised as. */
export function detectNetworkPlugins(templates: readonly PodTemplate[]): NetworkPlugin[] {
  const plugins: NetworkPlugin[] = [];
  for (const template of templates) {
    const ref = template.object.ref;
    if (ref.kind !== 'DaemonSet' || (apiGroupOf(ref.apiVersion) !== 'apps' && apiGroupOf(ref.apiVersion) !== 'extensions')) continue;
    const plugin = recognise(template);
    if (plugin) plugins.push({ ...plugin, object: template.object });
  }
  return plugins;
}

// ---------------------------------------------------------------------------------------------------------------

function byId(a: Endpoint, b: Endpoint): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
