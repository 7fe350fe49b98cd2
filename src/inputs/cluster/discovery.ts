// Which resources the API server serves: aggregated discovery (two requests, Kubernetes 1.26+) with the classic
// per-group-version discovery as fallback. CRDs and aggregated APIs appear like built-in ones.
import { asArray, asObject, asString, type JsonObject } from '../../core/model.ts';
import { ApiStatusError, parseJson, statusMessage, type ApiClient } from './api-client.ts';

export interface ServedResource {
  readonly group: string;
  readonly version: string;
  /** Plural resource name used in URLs, e.g. `deployments`. */
  readonly resource: string;
  readonly kind: string;
  readonly namespaced: boolean;
}

export interface Discovery {
  /** Every served group version (`v1`, `apps/v1`, …), sorted. */
  readonly servedAPIVersions: readonly string[];
  /**
   * Resources to list, each once, at the most preferred version of its group that serves it (as kubectl's
   * preferred resources: a resource only an older version serves is listed there); `list` verb, no
   * subresources, sorted.
   */
  readonly resources: readonly ServedResource[];
  /** Groups or versions whose discovery failed (an aggregated API that is down, say). */
  readonly problems: readonly string[];
}

/**
 * Resources not worth listing: events are a high-volume, short-lived log rather than configuration (and the
 * audit log is the record of activity); v1 Endpoints are derived by a controller, duplicated by the
 * EndpointSlices that are listed, and deprecated since 1.33; componentstatuses is a deprecated read-through.
 */
const SKIPPED_RESOURCES = new Set(['events', 'events.k8s.io/events', 'endpoints', 'componentstatuses']);

const AGGREGATED_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

function groupVersion(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function skipped(group: string, resource: string): boolean {
  return SKIPPED_RESOURCES.has(group === '' ? resource : `${group}/${resource}`);
}

/** Adds a version's resources that no more preferred version of the group already gave. */
function addResources(group: string, entries: readonly ServedResource[], seen: Set<string>, resources: ServedResource[]): void {
  for (const entry of entries) {
    const key = `${group}/${entry.resource}`;
    if (seen.has(key)) continue;
    seen.add(key);
    resources.push(entry);
  }
}

function fromAggregated(list: JsonObject, served: Set<string>, seen: Set<string>, resources: ServedResource[], problems: string[]): void {
  for (const item of asArray(list['items'])) {
    const group = asString(asObject(asObject(item)?.['metadata'])?.['name']) ?? '';
    const versions = asArray(asObject(item)?.['versions']).map((v) => asObject(v)).filter((v): v is JsonObject => v !== undefined);
    // Versions come in preference order.
    for (const entry of versions) {
      const version = asString(entry['version']);
      if (!version) continue;
      served.add(groupVersion(group, version));
      if (entry['freshness'] === 'Stale') {
        problems.push(`${groupVersion(group, version)}: discovery is stale (its aggregated API server may be unavailable)`);
        continue;
      }
      const listable: ServedResource[] = [];
      for (const resource of asArray(entry['resources'])) {
        const object = asObject(resource);
        const name = asString(object?.['resource']);
        const kind = asString(asObject(object?.['responseKind'])?.['kind']);
        if (!object || !name || !kind || name.includes('/')) continue;
        if (!asArray(object['verbs']).includes('list') || skipped(group, name)) continue;
        listable.push({ group, version, resource: name, kind, namespaced: object['scope'] === 'Namespaced' });
      }
      addResources(group, listable, seen, resources);
    }
  }
}

async function getJson(client: ApiClient, path: string, signal: AbortSignal, accept?: string): Promise<JsonObject> {
  const response = await client.get(path, accept === undefined ? { signal } : { signal, accept });
  if (response.status !== 200) throw new ApiStatusError(response.status, `GET ${path}: HTTP ${response.status}: ${statusMessage(response)}`);
  return asObject(parseJson(response, `GET ${path}`)) ?? {};
}

async function legacyGroupVersion(client: ApiClient, group: string, version: string, signal: AbortSignal, problems: string[]): Promise<ServedResource[]> {
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  let list: JsonObject;
  try {
    list = await getJson(client, path, signal);
  } catch (error) {
    if (!(error instanceof ApiStatusError)) throw error;
    problems.push(`${groupVersion(group, version)}: ${error.message}`);
    return [];
  }
  const listable: ServedResource[] = [];
  for (const resource of asArray(list['resources'])) {
    const object = asObject(resource);
    const name = asString(object?.['name']);
    const kind = asString(object?.['kind']);
    if (!object || !name || !kind || name.includes('/')) continue;
    if (!asArray(object['verbs']).includes('list') || skipped(group, name)) continue;
    listable.push({ group, version, resource: name, kind, namespaced: object['namespaced'] === true });
  }
  return listable;
}

export async function discover(client: ApiClient, signal: AbortSignal): Promise<Discovery> {
  const served = new Set<string>();
  const seen = new Set<string>();
  const resources: ServedResource[] = [];
  const problems: string[] = [];
  const core = await getJson(client, '/api', signal, AGGREGATED_ACCEPT);
  const groups = await getJson(client, '/apis', signal, AGGREGATED_ACCEPT);
  if (core['kind'] === 'APIGroupDiscoveryList' && groups['kind'] === 'APIGroupDiscoveryList') {
    fromAggregated(core, served, seen, resources, problems);
    fromAggregated(groups, served, seen, resources, problems);
  } else {
    // Each group's versions, the preferred one first, then in the server's order.
    const plan: { group: string; versions: string[] }[] = [];
    const coreVersions = asArray(core['versions']).filter((v): v is string => typeof v === 'string');
    for (const version of coreVersions) served.add(version);
    plan.push({ group: '', versions: coreVersions });
    for (const item of asArray(groups['groups'])) {
      const group = asObject(item);
      const name = asString(group?.['name']);
      if (!group || !name) continue;
      const versions = asArray(group['versions']).map((v) => asString(asObject(v)?.['version'])).filter((v): v is string => v !== undefined);
      for (const version of versions) served.add(groupVersion(name, version));
      const preferred = asString(asObject(group['preferredVersion'])?.['version']);
      plan.push({ group: name, versions: preferred === undefined ? versions : [preferred, ...versions.filter((v) => v !== preferred)] });
    }
    const fetched = await Promise.all(
      plan.map(async ({ group, versions }) => ({ group, lists: await Promise.all(versions.map(async (version) => ({ version, entries: await legacyGroupVersion(client, group, version, signal, problems) }))) })),
    );
    for (const { group, lists } of fetched) {
      for (const { entries } of lists) addResources(group, entries, seen, resources);
    }
  }
  resources.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  problems.sort();
  return { servedAPIVersions: [...served].sort(), resources, problems };
}
