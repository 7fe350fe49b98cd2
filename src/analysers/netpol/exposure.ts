// Which workloads Services and Ingresses expose outside the cluster: a Service of type LoadBalancer or NodePort, or
// with externalIPs, whose selector matches the workload's pods; an Ingress with a backend Service that selects them
// (whatever the Service's type). Pure; for `palisade netpol` (matrix, graph, reach notes).
//
// Exported API:
//   exposureOf(model, objects): ReadonlyMap<endpoint id, readonly Exposure[]>   memoised per model and objects
//   exposureText(exposure): `Ingress shop/web (host shop.example.com) → Service frontend`, `Service shop/api (LoadBalancer)`
//
// NetworkPolicies decide whether that traffic arrives: through a LoadBalancer or NodePort Service it comes from
// outside addresses (or the node's, when externalTrafficPolicy: Cluster hides the client), through an Ingress from
// the ingress controller's pods.
import type { InventoryObject } from '../../core/inventory.ts';
import type { Path } from '../../core/model.ts';
import type { NetworkModel } from './model.ts';
import { ingressBackendsOf, servicesOf } from './rules-support.ts';

export interface Exposure {
  readonly kind: 'Service' | 'Ingress';
  readonly namespace: string;
  readonly name: string;
  /** Service: its type (LoadBalancer, NodePort, or ClusterIP with externalIPs). */
  readonly type?: string;
  /** Ingress: the backend Service (of the Ingress's namespace) and the rule's host. */
  readonly service?: string;
  readonly host?: string;
  readonly object: InventoryObject;
  /** Where in the object: the Service's spec.type (or spec), the Ingress backend. */
  readonly path: Path;
}

const memo = new WeakMap<NetworkModel, { objects: readonly InventoryObject[]; exposure: ReadonlyMap<string, readonly Exposure[]> }>();

export function exposureOf(model: NetworkModel, objects: readonly InventoryObject[]): ReadonlyMap<string, readonly Exposure[]> {
  const cached = memo.get(model);
  if (cached && cached.objects === objects) return cached.exposure;
  const byEndpoint = new Map<string, Exposure[]>();
  const add = (endpoint: string, exposure: Exposure): void => {
    const list = byEndpoint.get(endpoint);
    if (!list) byEndpoint.set(endpoint, [exposure]);
    else if (!list.some((e) => exposureText(e) === exposureText(exposure))) list.push(exposure);
  };
  const services = servicesOf(model, objects);
  const serviceById = new Map(services.map((service) => [service.id, service]));
  for (const service of services) {
    const external = service.type === 'LoadBalancer' || service.type === 'NodePort' || service.externalIPs.length > 0;
    if (!external) continue;
    const exposure: Exposure = {
      kind: 'Service',
      namespace: service.namespace,
      name: service.name,
      type: service.type,
      object: service.object,
      path: service.type === 'ClusterIP' ? ['spec', 'externalIPs'] : ['spec', 'type'],
    };
    for (const endpoint of service.endpoints) add(endpoint.id, exposure);
  }
  for (const backend of ingressBackendsOf(model, objects)) {
    const service = serviceById.get(`${backend.namespace}/${backend.service}`);
    if (!service) continue;
    const exposure: Exposure = {
      kind: 'Ingress',
      namespace: backend.namespace,
      name: backend.object.ref.name,
      service: backend.service,
      ...(backend.host !== undefined ? { host: backend.host } : {}),
      object: backend.object,
      path: backend.path,
    };
    for (const endpoint of service.endpoints) add(endpoint.id, exposure);
  }
  for (const list of byEndpoint.values()) list.sort((a, b) => compare(exposureText(a), exposureText(b)));
  memo.set(model, { objects, exposure: byEndpoint });
  return byEndpoint;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function exposureText(exposure: Exposure): string {
  if (exposure.kind === 'Service') return `Service ${exposure.namespace}/${exposure.name} (${exposure.type === 'ClusterIP' ? 'externalIPs' : exposure.type})`;
  return `Ingress ${exposure.namespace}/${exposure.name}${exposure.host !== undefined ? ` (host ${exposure.host})` : ''} → Service ${exposure.service}`;
}
