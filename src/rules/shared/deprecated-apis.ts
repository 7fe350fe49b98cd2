// The deprecated API table (src/data/deprecated-apis.json, from the Kubernetes Deprecated API Migration Guide) and
// the apiVersion an object was authored in. Loaded once at import; lookups are pure.
import apiData from '../../data/deprecated-apis.json' with { type: 'json' };
import type { InventoryObject } from '../../core/inventory.ts';
import { asObject, asString, LAST_APPLIED_ANNOTATION, type Path } from '../../core/model.ts';
import { compareMinor, formatMinor, parseMinorVersion, type KubeVersion } from './kubernetes-version.ts';

export interface ApiReplacement {
  readonly groupVersion: string;
  readonly availableIn: KubeVersion;
}

export interface DeprecatedApi {
  readonly groupVersion: string;
  readonly kind: string;
  /** The release whose API server first warned about this version. */
  readonly deprecatedIn: KubeVersion;
  /** The first release that no longer serves it. */
  readonly removedIn: KubeVersion;
  /** Versions to migrate to, preferred first; empty when the API has no successor. */
  readonly replacements: readonly ApiReplacement[];
  /** What to do instead when there is no successor. */
  readonly note?: string;
}

export interface DeprecatedApiTable {
  readonly source: readonly string[];
  readonly sourceDate: string;
  readonly apis: readonly DeprecatedApi[];
}

interface RawApi {
  readonly groupVersion: string;
  readonly kind: string;
  readonly deprecatedIn: string;
  readonly removedIn: string;
  readonly replacements: readonly { readonly groupVersion: string; readonly availableIn: string }[];
  readonly note?: string;
}

function minorOf(text: string, what: string): KubeVersion {
  const version = parseMinorVersion(text);
  if (!version) throw new Error(`deprecated-apis.json: bad version ${text} (${what})`);
  return version;
}

/** Checks and types the JSON table; a malformed table is a bug in the repository, so it throws. */
export function loadDeprecatedApiTable(raw: { source: readonly string[]; sourceDate: string; apis: readonly RawApi[] }): DeprecatedApiTable {
  const apis = raw.apis.map((entry): DeprecatedApi => {
    const what = `${entry.groupVersion} ${entry.kind}`;
    return {
      groupVersion: entry.groupVersion,
      kind: entry.kind,
      deprecatedIn: minorOf(entry.deprecatedIn, what),
      removedIn: minorOf(entry.removedIn, what),
      replacements: entry.replacements.map((r) => ({ groupVersion: r.groupVersion, availableIn: minorOf(r.availableIn, what) })),
      ...(entry.note !== undefined ? { note: entry.note } : {}),
    };
  });
  return { source: raw.source, sourceDate: raw.sourceDate, apis };
}

export const DEPRECATED_APIS: DeprecatedApiTable = loadDeprecatedApiTable(apiData);

const indexes = new WeakMap<DeprecatedApiTable, ReadonlyMap<string, DeprecatedApi>>();

function keyOf(groupVersion: string, kind: string): string {
  return `${groupVersion}\u0000${kind}`;
}

/** The table's entry for this group version and kind, if it is a deprecated one. */
export function deprecatedApiOf(table: DeprecatedApiTable, groupVersion: string, kind: string): DeprecatedApi | undefined {
  let index = indexes.get(table);
  if (!index) {
    index = new Map(table.apis.map((api) => [keyOf(api.groupVersion, api.kind), api]));
    indexes.set(table, index);
  }
  return index.get(keyOf(groupVersion, kind));
}

type Migration = { readonly kind: 'migrate'; readonly to: ApiReplacement } | { readonly kind: 'none'; readonly note?: string };

function migrationAt(table: DeprecatedApiTable, api: DeprecatedApi, target: KubeVersion, depth: number): Migration {
  let terminal: Migration = { kind: 'none', ...(api.note !== undefined ? { note: api.note } : {}) };
  if (depth > 8) return terminal;
  // A replacement that the target no longer serves either is followed through its own entry.
  for (const replacement of api.replacements) {
    const next = deprecatedApiOf(table, replacement.groupVersion, api.kind);
    if (next && compareMinor(next.removedIn, target) <= 0) {
      const deeper = migrationAt(table, next, target, depth + 1);
      if (deeper.kind === 'migrate') return deeper;
      terminal = deeper;
      continue;
    }
    if (compareMinor(replacement.availableIn, target) <= 0) return { kind: 'migrate', to: replacement };
  }
  // Nothing served at the target yet (an old target): the first replacement that is not gone by then.
  const later = api.replacements.find((replacement) => {
    const next = deprecatedApiOf(table, replacement.groupVersion, api.kind);
    return !next || compareMinor(next.removedIn, target) > 0;
  });
  return later ? { kind: 'migrate', to: later } : terminal;
}

/** What to do about a deprecated API at the target version: `migrate to apps/v1`, or the advice when none exists. */
export function migrationAdvice(table: DeprecatedApiTable, api: DeprecatedApi, target: KubeVersion): string {
  const migration = migrationAt(table, api, target, 0);
  if (migration.kind === 'none') return `there is no successor API: ${migration.note ?? 'remove the object'}`;
  const { groupVersion, availableIn } = migration.to;
  return compareMinor(availableIn, target) <= 0
    ? `migrate to ${groupVersion}`
    : `migrate to ${groupVersion} (served from Kubernetes ${formatMinor(availableIn)})`;
}

export { LAST_APPLIED_ANNOTATION };

/** The apiVersion and kind an object was written in, and where that shows. */
export interface AuthoredApi {
  readonly apiVersion: string;
  readonly kind: string;
  readonly path: Path;
  /** Read from the last-applied-configuration annotation of a live object. */
  readonly lastApplied: boolean;
}

const authored = new WeakMap<InventoryObject, AuthoredApi | null>();

/**
 * The apiVersion an object was authored in. A manifest: its own apiVersion. An object read from a cluster (live, or
 * saved in a snapshot, `readFromCluster`): the API server answers in its preferred version, so what the user still
 * applies shows only in the `kubectl.kubernetes.io/last-applied-configuration` annotation (as kubent and pluto read
 * it); undefined without one, or when it is not JSON naming an apiVersion.
 */
export function authoredApiOf(object: InventoryObject, readFromCluster: boolean): AuthoredApi | undefined {
  if (!readFromCluster) {
    return { apiVersion: object.ref.apiVersion, kind: object.ref.kind, path: ['apiVersion'], lastApplied: false };
  }
  const known = authored.get(object);
  if (known !== undefined) return known ?? undefined;
  const text = asString(asObject(asObject(object.object['metadata'])?.['annotations'])?.[LAST_APPLIED_ANNOTATION]);
  let result: AuthoredApi | null = null;
  if (text !== undefined) {
    let applied: unknown;
    try {
      applied = JSON.parse(text);
    } catch {
      applied = undefined;
    }
    const apiVersion = asString(asObject(applied)?.['apiVersion']);
    if (apiVersion) {
      result = {
        apiVersion,
        kind: asString(asObject(applied)?.['kind']) || object.ref.kind,
        path: ['metadata', 'annotations', LAST_APPLIED_ANNOTATION],
        lastApplied: true,
      };
    }
  }
  authored.set(object, result);
  return result ?? undefined;
}
