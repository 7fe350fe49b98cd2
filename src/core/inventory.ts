import { clusterLabel, type ClusterRef, type JsonObject, type ObjectRef, type Path } from './model.ts';

/** A 1-based position in a source text. */
export interface Position {
  readonly line: number;
  readonly column: number;
}

/** Turns a path inside one object into a source position; resolves to the deepest existing node. */
export interface Locator {
  locate(path: Path): Position;
}

export interface FileOrigin {
  readonly type: 'file';
  /** Display path of the input file (relative to the working directory when possible, `<stdin>` for stdin). */
  readonly file: string;
  /** 0-based index of the YAML document in the file. */
  readonly documentIndex: number;
  /** Where the object sits inside its document: `[]`, or `['items', 3]` for an item of a `kind: List`. */
  readonly pathInDocument: Path;
  /** The chart template a rendered object came from (helm's `# Source:` comment). */
  readonly template?: string;
}

/** An object read from a cluster's API. */
export interface ClusterOrigin {
  readonly type: 'cluster';
  readonly cluster: ClusterRef;
  readonly uid?: string;
}

export type Origin = FileOrigin | ClusterOrigin;

/** The file, or `cluster:<context>`: how errors and skipped entries name where an object came from. */
export function originLabel(origin: Origin): string {
  return origin.type === 'file' ? origin.file : clusterLabel(origin.cluster);
}

/** Live objects have no text to point into. */
export const NO_POSITION_LOCATOR: Locator = { locate: () => ({ line: 0, column: 0 }) };

/** One Kubernetes object of the input with where it came from. The object is deeply frozen. */
export interface InventoryObject {
  readonly ref: ObjectRef;
  readonly object: JsonObject;
  readonly origin: Origin;
  readonly locator: Locator;
}

export interface Inventory {
  readonly objects: readonly InventoryObject[];
}

export function refOf(object: JsonObject): ObjectRef | undefined {
  const apiVersion = object['apiVersion'];
  const kind = object['kind'];
  const metadata = object['metadata'];
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || apiVersion === '' || kind === '') {
    return undefined;
  }
  const meta = typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as JsonObject) : {};
  const name = typeof meta['name'] === 'string' ? meta['name'] : typeof meta['generateName'] === 'string' ? `${meta['generateName']}*` : '';
  const namespace = meta['namespace'];
  return typeof namespace === 'string' && namespace !== ''
    ? { apiVersion, kind, namespace, name }
    : { apiVersion, kind, name };
}

export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Whether an object is of a built-in kind of the core API group (`v1` Secret, ConfigMap, Namespace, …). */
export function isCoreKind(object: InventoryObject, kind: string): boolean {
  return object.ref.kind === kind && apiGroupOf(object.ref.apiVersion) === '';
}

export function formatRef(ref: ObjectRef): string {
  return `${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name || '<unnamed>'}`;
}

export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
