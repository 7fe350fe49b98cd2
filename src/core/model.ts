// The data model shared by every layer: plain JSON values, Kubernetes objects, paths and locations.
// No node:* imports here: core is reused in the browser.

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | JsonObject;
export interface JsonObject {
  readonly [key: string]: JsonValue;
}

export type PathSegment = string | number;
/** A path into a JSON value: keys are strings, sequence indices numbers. Rendered only at output edges. */
export type Path = readonly PathSegment[];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Lower is more severe. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** Code-unit order: the same everywhere, unlike `localeCompare`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Where `kubectl apply` keeps the last manifest it applied (API version, and Secret values, included). */
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

/** Set on each Secret of a `scan --save-snapshot` file: its values (also in last-applied) were blanked, keys kept. */
export const SNAPSHOT_REDACTED_ANNOTATION = 'palisade.dev/redacted';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

export function asArray(value: unknown): readonly JsonValue[] {
  return Array.isArray(value) ? (value as readonly JsonValue[]) : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Identity of a Kubernetes object as a user names it. */
export interface ObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** Where a finding points: a file position plus the dotted path of the field. Lines and columns are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path of the offending field, or of its nearest existing parent when the field is missing. */
  readonly path: string;
  /** For rendered Helm output: the chart template the object came from (`# Source:` comment). */
  readonly template?: string;
}

/** The cluster a live object was read from: the kubeconfig context and the API server URL. */
export interface ClusterRef {
  readonly context: string;
  readonly server: string;
}

/** Where a finding on a live object points: the cluster, the object (with its uid) and the dotted field path. */
export interface ClusterLocation {
  readonly cluster: ClusterRef;
  readonly object: {
    readonly apiVersion: string;
    readonly kind: string;
    readonly namespace?: string;
    readonly name: string;
    readonly uid?: string;
  };
  readonly path: string;
}

export type FindingLocation = SourceLocation | ClusterLocation;

export function isClusterLocation(location: FindingLocation): location is ClusterLocation {
  return 'cluster' in location;
}

/** How errors, skipped entries and groupings name a cluster where they would name a file. */
export function clusterLabel(cluster: ClusterRef): string {
  return `cluster:${cluster.context}`;
}

/** The file, or `cluster:<context>`: what a location is in, for grouping and sorting. */
export function locationSource(location: FindingLocation): string {
  return isClusterLocation(location) ? clusterLabel(location.cluster) : location.file;
}

/** Renders a path as `spec.containers[0].securityContext`; keys that are not identifiers are bracket-quoted. */
const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
// Keys repeat across every object of a scan; remember which need quoting (bounded, so odd inputs cannot grow it).
const identifierKeys = new Map<string, boolean>();

function isIdentifier(key: string): boolean {
  let known = identifierKeys.get(key);
  if (known === undefined) {
    known = IDENTIFIER.test(key);
    if (identifierKeys.size < 10_000) identifierKeys.set(key, known);
  }
  return known;
}

export function formatPath(path: Path): string {
  // Joined, not concatenated: `+=` leaves a rope of cons-strings that findings would keep alive.
  const parts: string[] = [];
  for (const segment of path) {
    if (typeof segment === 'number') parts.push(`[${segment}]`);
    else if (isIdentifier(segment)) parts.push(parts.length === 0 ? segment : `.${segment}`);
    else parts.push(`[${JSON.stringify(segment)}]`);
  }
  return parts.join('');
}

export function getAtPath(root: unknown, path: Path): JsonValue | undefined {
  let current: unknown = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (!isJsonObject(current)) return undefined;
      current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current as JsonValue;
}

/** The longest prefix of `path` that exists in `root`. */
export function deepestExistingPath(root: unknown, path: Path): Path {
  let current: unknown = root;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!;
    const next =
      typeof segment === 'number'
        ? Array.isArray(current)
          ? current[segment]
          : undefined
        : isJsonObject(current) && Object.hasOwn(current, segment)
          ? current[segment]
          : undefined;
    if (next === undefined) return path.slice(0, i);
    current = next;
  }
  return path;
}
