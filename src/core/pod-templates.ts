import { apiGroupOf, type InventoryObject } from './inventory.ts';
import { asArray, asObject, getAtPath, type JsonObject, type Path } from './model.ts';

/** "Objects of this kind (in this API group) embed a pod template (metadata + spec) at this path." */
export interface PodTemplateLocation {
  /** API group; `''` is the core group. Omitted: any group. */
  readonly group?: string;
  readonly kind: string;
  /** Path to the template object holding `metadata` and `spec`; `[]` for a Pod itself. */
  readonly path: Path;
}

export const BUILTIN_POD_TEMPLATE_LOCATIONS: readonly PodTemplateLocation[] = [
  { group: '', kind: 'Pod', path: [] },
  { group: '', kind: 'PodTemplate', path: ['template'] },
  { group: '', kind: 'ReplicationController', path: ['spec', 'template'] },
  ...['apps', 'extensions'].flatMap((group) =>
    ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet'].map((kind) => ({ group, kind, path: ['spec', 'template'] })),
  ),
  { group: 'batch', kind: 'Job', path: ['spec', 'template'] },
  { group: 'batch', kind: 'CronJob', path: ['spec', 'jobTemplate', 'spec', 'template'] },
  { group: 'argoproj.io', kind: 'Rollout', path: ['spec', 'template'] },
];

export type ContainerType = 'initContainers' | 'containers' | 'ephemeralContainers';
export const CONTAINER_TYPES: readonly ContainerType[] = ['initContainers', 'containers', 'ephemeralContainers'];

/** A pod template found in an object: its spec and metadata and the paths to them. */
export interface PodTemplate {
  readonly object: InventoryObject;
  readonly templatePath: Path;
  readonly spec: JsonObject;
  readonly metadata: JsonObject;
  readonly specPath: Path;
  readonly metadataPath: Path;
  readonly containers: readonly ContainerEntry[];
}

export interface ContainerEntry {
  readonly type: ContainerType;
  readonly index: number;
  readonly container: JsonObject;
  /** Path from the object root to the container. */
  readonly path: Path;
  readonly name: string;
}

export function findPodTemplate(
  object: InventoryObject,
  locations: readonly PodTemplateLocation[],
): PodTemplate | undefined {
  const group = apiGroupOf(object.ref.apiVersion);
  for (const location of locations) {
    if (location.kind !== object.ref.kind) continue;
    if (location.group !== undefined && location.group !== group) continue;
    const template = location.path.length === 0 ? object.object : asObject(getAtPath(object.object, location.path));
    const spec = asObject(template?.['spec']);
    if (!template || !spec) continue;
    const specPath = [...location.path, 'spec'];
    const containers: ContainerEntry[] = [];
    for (const type of CONTAINER_TYPES) {
      asArray(spec[type]).forEach((value, index) => {
        const container = asObject(value);
        if (!container) return;
        const name = typeof container['name'] === 'string' ? container['name'] : `#${index}`;
        containers.push({ type, index, container, path: [...specPath, type, index], name });
      });
    }
    return {
      object,
      templatePath: location.path,
      spec,
      metadata: asObject(template['metadata']) ?? {},
      specPath,
      metadataPath: [...location.path, 'metadata'],
      containers,
    };
  }
  return undefined;
}

/** A value and the path it was read from, so findings point at the field that decided. */
export interface Sourced<T> {
  readonly value: T;
  readonly path: Path;
}

/** securityContext fields a container inherits from the pod when it does not set them itself. */
export const INHERITED_SECURITY_CONTEXT_FIELDS = [
  'runAsUser',
  'runAsGroup',
  'runAsNonRoot',
  'seLinuxOptions',
  'seccompProfile',
  'appArmorProfile',
  'windowsOptions',
] as const;

/**
 * The effective value of a container securityContext field: the container's own, else the pod's for inherited
 * fields. Undefined when neither sets it.
 */
export function effectiveSecurityField(
  template: PodTemplate,
  entry: ContainerEntry,
  field: string,
): Sourced<NonNullable<JsonObject[string]>> | undefined {
  const own = asObject(entry.container['securityContext'])?.[field];
  if (own !== undefined && own !== null) return { value: own, path: [...entry.path, 'securityContext', field] };
  if (!(INHERITED_SECURITY_CONTEXT_FIELDS as readonly string[]).includes(field)) return undefined;
  const inherited = asObject(template.spec['securityContext'])?.[field];
  if (inherited !== undefined && inherited !== null) {
    return { value: inherited, path: [...template.specPath, 'securityContext', field] };
  }
  return undefined;
}
