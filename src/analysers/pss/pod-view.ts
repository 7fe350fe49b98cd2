// The parts of a pod template the checks read, with the absolute path of each, read the way PSA's Go types decode
// them: an absent or null field is "not set" (a nil pointer), anything else is set.

import { asArray, asObject, type JsonObject, type JsonValue, type Path } from '../../core/model.ts';
import type { ContainerEntry, PodTemplate } from '../../core/pod-templates.ts';

export interface ContainerView {
  readonly entry: ContainerEntry;
  /** `container "web"`, `init container "migrate"` or `ephemeral container "debugger"`. */
  readonly subject: string;
  /** The container's name as written (empty when it has none). */
  readonly name: string;
  readonly securityContext: JsonObject | undefined;
  readonly securityContextPath: Path;
}

export interface PodView {
  readonly spec: JsonObject;
  readonly specPath: Path;
  readonly annotations: JsonObject;
  readonly annotationsPath: Path;
  readonly securityContext: JsonObject | undefined;
  readonly securityContextPath: Path;
  /** initContainers, containers, then ephemeralContainers: PSA's visiting order. */
  readonly containers: readonly ContainerView[];
  readonly volumes: readonly { readonly volume: JsonObject; readonly index: number; readonly name: string }[];
  readonly volumesPath: Path;
  /** `spec.os.name: windows`. */
  readonly windows: boolean;
  /** `spec.hostUsers: false`: the pod runs in a user namespace. */
  readonly userNamespace: boolean;
}

const CONTAINER_SUBJECT = {
  initContainers: 'init container',
  containers: 'container',
  ephemeralContainers: 'ephemeral container',
} as const;

export function isSet(object: JsonObject | undefined, key: string): boolean {
  const value = object?.[key];
  return value !== undefined && value !== null;
}

/** The field's value when set, else undefined (null counts as unset, like a nil pointer in Go). */
export function field(object: JsonObject | undefined, key: string): JsonValue | undefined {
  const value = object?.[key];
  return value === null ? undefined : value;
}

/** A string field as Go reads it: unset is the empty string. */
export function stringField(object: JsonObject | undefined, key: string): string {
  const value = field(object, key);
  if (value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function podView(template: PodTemplate): PodView {
  const spec = template.spec;
  const securityContextPath = [...template.specPath, 'securityContext'];
  const containers = template.containers.map((entry): ContainerView => {
    const name = typeof entry.container['name'] === 'string' ? entry.container['name'] : '';
    return {
      entry,
      subject: `${CONTAINER_SUBJECT[entry.type]} ${JSON.stringify(entry.name)}`,
      name,
      securityContext: asObject(entry.container['securityContext']),
      securityContextPath: [...entry.path, 'securityContext'],
    };
  });
  const volumes = asArray(spec['volumes']).flatMap((value, index) => {
    const volume = asObject(value);
    if (!volume) return [];
    const name = typeof volume['name'] === 'string' ? volume['name'] : `#${index}`;
    return [{ volume, index, name }];
  });
  return {
    spec,
    specPath: template.specPath,
    annotations: asObject(template.metadata['annotations']) ?? {},
    annotationsPath: [...template.metadataPath, 'annotations'],
    securityContext: asObject(spec['securityContext']),
    securityContextPath,
    containers,
    volumes,
    volumesPath: [...template.specPath, 'volumes'],
    windows: asObject(spec['os'])?.['name'] === 'windows',
    userNamespace: spec['hostUsers'] === false,
  };
}
