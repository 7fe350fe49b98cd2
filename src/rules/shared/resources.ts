// Shared by the resource rules: a container's limit for cpu or memory, judged the way the kubelet applies it.
import { asObject, type JsonObject, type Path } from '../../core/model.ts';
import type { ContainerEntry, PodTemplate } from '../../core/pod-templates.ts';
import { podLevelResources, resourceLimit, type QosResource } from './qos.ts';
import { isPositive } from './quantity.ts';

export interface LimitProblem {
  readonly messageId: 'missing' | 'zero';
  readonly path: Path;
  /** The written value, for `zero`. */
  readonly value?: string;
}

function containerResources(entry: ContainerEntry): JsonObject | undefined {
  return asObject(entry.container['resources']);
}

/**
 * Why a container has no effective limit for `resource`: none is written (`missing`), or the written one is zero
 * or invalid, which the kubelet treats as no limit (`zero`). Undefined when the container, or the pod through
 * pod-level resources, is limited.
 */
export function limitProblem(template: PodTemplate, entry: ContainerEntry, resource: QosResource): LimitProblem | undefined {
  if (isPositive(resourceLimit(podLevelResources(template.spec), resource))) return undefined;
  const resources = containerResources(entry);
  const path = [...entry.path, 'resources', 'limits', resource];
  const written = asObject(resources?.['limits'])?.[resource];
  if (written === undefined || written === null) return { messageId: 'missing', path };
  if (isPositive(resourceLimit(resources, resource))) return undefined;
  return { messageId: 'zero', path, value: String(written) };
}
