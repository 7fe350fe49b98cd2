// Reads a live cluster into inventory objects: version, discovery, every listable resource (paginated, a few at a
// time), an unauthenticated probe, and one ClusterInfo object with those facts. Missing permissions on some
// resources are warnings; the rest is read.
import { CLUSTER_INFO_API_VERSION, CLUSTER_INFO_KIND, type AnonymousProbe, type ServerVersion } from '../../core/cluster-info.ts';
import { deepFreeze, NO_POSITION_LOCATOR, refOf, type InventoryObject } from '../../core/inventory.ts';
import { asObject, asString, clusterLabel, type ClusterRef, type JsonObject } from '../../core/model.ts';
import type { InputError } from '../../core/report.ts';
import { ApiConnectionError, ApiStatusError, parseJson, statusMessage, type ApiClient } from './api-client.ts';
import { discover, type ServedResource } from './discovery.ts';
import { listPages } from './list.ts';
import { normaliseLiveObject } from './normalise.ts';

export interface ClusterScanOptions {
  readonly cluster: ClusterRef;
  readonly client: ApiClient;
  /** Undefined: ask nothing without credentials. */
  readonly anonymousClient?: ApiClient;
  /** Namespaces to read; undefined for all namespaces (and cluster-scoped resources). */
  readonly namespaces?: readonly string[];
  readonly pageSize: number;
  readonly concurrency: number;
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: ClusterScanProgress) => void;
}

export interface ClusterScanProgress {
  readonly resourcesDone: number;
  readonly resourcesTotal: number;
  readonly objects: number;
  readonly current?: string;
}

export interface ClusterScanStats {
  readonly resources: number;
  readonly forbidden: number;
  readonly failed: number;
  readonly objects: number;
}

export interface CollectedCluster {
  readonly cluster: ClusterRef;
  readonly serverVersion?: ServerVersion;
  readonly objects: readonly InventoryObject[];
  /** Resources that could not be read for other reasons than permissions. */
  readonly errors: readonly InputError[];
  /** Resources the identity may not list, discovery gaps, deprecation warnings from the server. */
  readonly warnings: readonly InputError[];
  readonly stats: ClusterScanStats;
}

/** The cluster cannot be read at all: unreachable, credentials rejected, timed out. */
export class ClusterScanError extends Error {}

/** What an unauthenticated client is asked: public discovery, then resource lists that must never answer. */
export const ANONYMOUS_PROBE_PATHS = [
  '/version',
  '/api',
  '/api/v1/namespaces?limit=1',
  '/api/v1/pods?limit=1',
  '/api/v1/secrets?limit=1',
  '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?limit=1',
] as const;

function resourceLabel(resource: ServedResource): string {
  return resource.group === '' ? resource.resource : `${resource.resource}.${resource.group}`;
}

function rethrowFatal(error: unknown, options: ClusterScanOptions, stage: string): never {
  if (options.signal.aborted) throw new ClusterScanError(`${stage}: ${reasonText(options.signal.reason)}`);
  if (error instanceof ApiStatusError && error.status === 401) {
    throw new ClusterScanError(`${stage}: the API server rejected the credentials of context ${options.cluster.context} (401 Unauthorized)`);
  }
  if (error instanceof ApiStatusError || error instanceof ApiConnectionError) throw new ClusterScanError(`${stage}: ${error.message}`);
  throw error;
}

function reasonText(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}

async function readVersion(options: ClusterScanOptions): Promise<ServerVersion> {
  const response = await options.client.get('/version', { signal: options.signal });
  if (response.status !== 200) throw new ApiStatusError(response.status, `GET /version: HTTP ${response.status}: ${statusMessage(response)}`);
  const body = asObject(parseJson(response, 'GET /version')) ?? {};
  return { major: asString(body['major']) ?? '', minor: asString(body['minor']) ?? '', gitVersion: asString(body['gitVersion']) ?? '' };
}

async function probeAnonymous(client: ApiClient, signal: AbortSignal): Promise<AnonymousProbe[]> {
  const probes: AnonymousProbe[] = [];
  for (const path of ANONYMOUS_PROBE_PATHS) {
    try {
      // Only the status is kept: whatever an anonymous request returns is dropped here.
      probes.push({ path, status: (await client.get(path, { signal })).status });
    } catch (error) {
      if (signal.aborted) throw error;
      probes.push({ path, status: 0 });
    }
  }
  return probes;
}

function clusterInfoObject(options: ClusterScanOptions, version: ServerVersion, servedAPIVersions: readonly string[], probes: readonly AnonymousProbe[] | undefined): JsonObject {
  return {
    apiVersion: CLUSTER_INFO_API_VERSION,
    kind: CLUSTER_INFO_KIND,
    metadata: { name: options.cluster.context },
    spec: {
      server: options.cluster.server,
      serverVersion: { major: version.major, minor: version.minor, gitVersion: version.gitVersion },
      ...(probes ? { anonymousAccess: { probes: probes.map((probe) => ({ path: probe.path, status: probe.status })) } } : {}),
      servedAPIVersions: [...servedAPIVersions],
    },
  };
}

export function liveInventoryObject(object: JsonObject, cluster: ClusterRef): InventoryObject | undefined {
  const ref = refOf(object);
  if (!ref) return undefined;
  const uid = asString(asObject(object['metadata'])?.['uid']);
  return {
    ref,
    object: deepFreeze(object),
    origin: uid === undefined ? { type: 'cluster', cluster } : { type: 'cluster', cluster, uid },
    locator: NO_POSITION_LOCATOR,
  };
}

/** Runs `work` over `items` with at most `limit` at a time; results keep the items' order. */
async function mapPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

interface ResourceResult {
  readonly objects: InventoryObject[];
  readonly error?: InputError;
  readonly warning?: InputError;
  readonly deprecations: readonly string[];
}

export async function collectCluster(options: ClusterScanOptions): Promise<CollectedCluster> {
  const file = clusterLabel(options.cluster);
  const warnings: InputError[] = [];
  const errors: InputError[] = [];

  let version: ServerVersion;
  try {
    version = await readVersion(options);
  } catch (error) {
    rethrowFatal(error, options, `cannot read the server version of ${options.cluster.server}`);
  }
  let discovery;
  try {
    discovery = await discover(options.client, options.signal);
  } catch (error) {
    rethrowFatal(error, options, `API discovery on ${options.cluster.server} failed`);
  }
  for (const problem of discovery.problems) warnings.push({ code: 'cluster-discovery', file, message: problem });

  const namespaces = options.namespaces;
  const targets = namespaces === undefined ? discovery.resources : discovery.resources.filter((resource) => resource.namespaced);
  const units: { resource: ServedResource; namespace: string | undefined }[] =
    namespaces === undefined ? targets.map((resource) => ({ resource, namespace: undefined })) : targets.flatMap((resource) => namespaces.map((namespace) => ({ resource, namespace })));

  let done = 0;
  let objectCount = 0;
  const report = (current?: string): void =>
    options.onProgress?.({ resourcesDone: done, resourcesTotal: units.length, objects: objectCount, ...(current !== undefined ? { current } : {}) });

  // A fatal answer on one list (credentials rejected) stops the lists still running, not only the scan's result.
  const stopOthers = new AbortController();
  const listSignal = AbortSignal.any([options.signal, stopOthers.signal]);
  const results = await mapPool(units, options.concurrency, async ({ resource, namespace }): Promise<ResourceResult> => {
    if (stopOthers.signal.aborted) return { objects: [], deprecations: [] };
    const label = resourceLabel(resource);
    const where = namespace === undefined ? (resource.namespaced ? 'in all namespaces' : 'cluster-wide') : `in namespace ${namespace}`;
    const apiVersion = resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
    const objects: InventoryObject[] = [];
    const deprecations = new Set<string>();
    report(label);
    try {
      for await (const page of listPages(options.client, resource, namespace, { pageSize: options.pageSize, signal: listSignal })) {
        for (const warning of page.warnings) deprecations.add(warning);
        for (const item of page.items) {
          const object = liveInventoryObject(normaliseLiveObject(item, apiVersion, resource.kind), options.cluster);
          if (object) objects.push(object);
        }
        objectCount += page.items.length;
        report(label);
      }
    } catch (error) {
      if (options.signal.aborted) throw new ClusterScanError(`${reasonText(options.signal.reason)} while listing ${label} ${where} (${done} of ${units.length} resource lists done, ${objectCount} objects read)`);
      done++;
      if (error instanceof ApiStatusError && error.status === 403) {
        return { objects, deprecations: [], warning: { code: 'cluster-forbidden', file, message: `cannot list ${label} (${apiVersion} ${resource.kind}) ${where}: ${error.message}` } };
      }
      if (stopOthers.signal.aborted) return { objects: [], deprecations: [] };
      if (error instanceof ApiStatusError && error.status === 401) {
        stopOthers.abort();
        rethrowFatal(error, options, `listing ${label}`);
      }
      if (error instanceof ApiStatusError || error instanceof ApiConnectionError) {
        return { objects, deprecations: [], error: { code: 'cluster-list-failed', file, message: `cannot list ${label} (${apiVersion} ${resource.kind}) ${where}: ${error.message}` } };
      }
      throw error;
    }
    done++;
    report();
    return { objects, deprecations: [...deprecations] };
  });

  const objects: InventoryObject[] = [];
  const deprecationWarnings = new Set<string>();
  let forbidden = 0;
  let failed = 0;
  for (const result of results) {
    for (const object of result.objects) objects.push(object);
    for (const warning of result.deprecations) deprecationWarnings.add(warning);
    if (result.warning) {
      forbidden++;
      warnings.push(result.warning);
    }
    if (result.error) {
      failed++;
      errors.push(result.error);
    }
  }
  for (const warning of [...deprecationWarnings].sort()) warnings.push({ code: 'cluster-api-warning', file, message: `the API server warned: ${warning.replace(/^299 - /, '').replace(/^"|"$/g, '')}` });

  if (namespaces !== undefined) {
    for (const namespace of namespaces) {
      try {
        const response = await options.client.get(`/api/v1/namespaces/${encodeURIComponent(namespace)}`, { signal: options.signal });
        if (response.status === 200) {
          const object = liveInventoryObject(normaliseLiveObject(asObject(parseJson(response, 'GET namespace')) ?? {}, 'v1', 'Namespace'), options.cluster);
          if (object) objects.push(object);
        } else if (response.status === 404) {
          errors.push({ code: 'cluster-list-failed', file, message: `namespace ${namespace} does not exist` });
        } else if (response.status === 403) {
          forbidden++;
          warnings.push({ code: 'cluster-forbidden', file, message: `cannot get namespace ${namespace}: ${statusMessage(response)}` });
        } else {
          errors.push({ code: 'cluster-list-failed', file, message: `cannot get namespace ${namespace}: HTTP ${response.status}: ${statusMessage(response)}` });
        }
      } catch (error) {
        rethrowFatal(error, options, `reading namespace ${namespace}`);
      }
    }
  }

  let probes: AnonymousProbe[] | undefined;
  if (options.anonymousClient) {
    try {
      probes = await probeAnonymous(options.anonymousClient, options.signal);
    } catch (error) {
      rethrowFatal(error, options, 'probing anonymous access');
    }
  }
  const info = liveInventoryObject(clusterInfoObject(options, version, discovery.servedAPIVersions, probes), options.cluster);
  if (info) objects.push(info);

  return {
    cluster: options.cluster,
    serverVersion: version,
    objects,
    errors,
    warnings,
    stats: { resources: units.length, forbidden, failed, objects: objects.length },
  };
}
