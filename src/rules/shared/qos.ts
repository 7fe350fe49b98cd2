// The pod's Quality of Service class, computed the way Kubernetes does (pkg/apis/core/helper/qos ComputePodQOS,
// applied to the pod after API defaulting):
// - a container (or pod-level) limit without a request defaults the request to the limit;
// - when the pod sets pod-level `spec.resources`, only those decide;
// - otherwise each init and app container gets a shape per QoS resource (cpu, memory): BestEffort when request
//   and limit are both absent or zero, Guaranteed when they are equal and non-zero, Burstable otherwise; the pod is
//   Guaranteed or BestEffort when every shape agrees, Burstable as soon as any differs;
// - ephemeral containers cannot set resources and do not count; other resources (ephemeral-storage,
//   hugepages, extended resources) do not count.
import { asObject, type JsonObject } from '../../core/model.ts';
import { compareQuantities, parseQuantity, ZERO_QUANTITY, type Quantity } from './quantity.ts';

export type QosClass = 'Guaranteed' | 'Burstable' | 'BestEffort';
export const QOS_RESOURCES = ['cpu', 'memory'] as const;
export type QosResource = (typeof QOS_RESOURCES)[number];

/** The limit set for a resource; undefined when absent or not a valid quantity. */
export function resourceLimit(resources: JsonObject | undefined, name: QosResource): Quantity | undefined {
  return parseQuantity(asObject(resources?.['limits'])?.[name]);
}

/** The request after API defaulting: the request when present, else the limit. */
export function effectiveRequest(resources: JsonObject | undefined, name: QosResource): Quantity | undefined {
  const requests = asObject(resources?.['requests']);
  if (requests && Object.hasOwn(requests, name)) return parseQuantity(requests[name]);
  return resourceLimit(resources, name);
}

/** Pod-level resources (`spec.resources`, the PodLevelResources feature), when the pod sets them. */
export function podLevelResources(spec: JsonObject): JsonObject | undefined {
  return asObject(spec['resources']);
}

function resourceShape(resources: JsonObject | undefined, name: QosResource): QosClass {
  const request = effectiveRequest(resources, name) ?? ZERO_QUANTITY;
  const limit = resourceLimit(resources, name) ?? ZERO_QUANTITY;
  if (compareQuantities(request, limit) !== 0) return 'Burstable';
  return request.numerator === 0n ? 'BestEffort' : 'Guaranteed';
}

/** The QoS shape of one set of resource requirements (a container's, or the pod-level ones). */
export function requirementsQosClass(resources: JsonObject | undefined): QosClass {
  let qos: QosClass | undefined;
  for (const name of QOS_RESOURCES) {
    const shape = resourceShape(resources, name);
    if (shape === 'Burstable') return shape;
    if (qos === undefined) qos = shape;
    else if (qos !== shape) return 'Burstable';
  }
  return qos ?? 'BestEffort';
}

/** The QoS class Kubernetes assigns to a pod with this spec. */
export function computeQosClass(spec: JsonObject): QosClass {
  const podLevel = podLevelResources(spec);
  if (podLevel) return requirementsQosClass(podLevel);
  let qos: QosClass | undefined;
  for (const type of ['initContainers', 'containers'] as const) {
    const containers = spec[type];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      const shape = requirementsQosClass(asObject(asObject(container)?.['resources']));
      if (shape === 'Burstable') return shape;
      if (qos === undefined) qos = shape;
      else if (qos !== shape) return 'Burstable';
    }
  }
  return qos ?? 'BestEffort';
}
