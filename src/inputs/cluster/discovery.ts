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
  /** Resources to list: the preferred version of each group, `list` verb, no subresources, sorted. */
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

function fromAggregated(list: JsonObject, served: Set<string>, resources: ServedResource[], problems: string[]): void {
  for (const item of asArray(list['items'])) {
    const group = asString(asObject(asObject(item)?.['metadata'])?.['name']) ?? '';
    const versions = asArray(asObject(item)?.['versions']).map((v) => asObject(v)).filter((v): v is JsonObject => v !== undefined);
    let preferredDone = false;
    for (const entry of versions) {
      const version = asString(entry['version']);
      if (!version) continue;
      served.add(groupVersion(group, version));
      if (entry['freshness'] === 'Stale') {
        problems.push(`${groupVersion(group, version)}: discovery is stale (its aggregated API server may be unavailable)`);
        continue;
      }
      // Versions come in preference order: list each group once, at the first version that answers.
      if (preferredDone) continue;
      preferredDone = true;
      for (const resource of asArray(entry['resources'])) {
        const object = asObject(resource);
        const name = asString(object?.['resource']);
        const kind = asString(asObject(object?.['responseKind'])?.['kind']);
        if (!object || !name || !kind || name.includes('/')) continue;
        if (!asArray(object['verbs']).includes('list') || skipped(group, name)) continue;
        resources.push({ group, version, resource: name, kind, namespaced: object['scope'] === 'Namespaced' });
      }
    }
  }
}

async function getJson(client: ApiClient, path: string, signal: AbortSignal, accept?: string): Promise<JsonObject> {
  const response = await client.get(path, accept === undefined ? { signal } : { signal, accept });
  if (response.status !== 200) throw new ApiStatusError(response.status, `GET ${path}: HTTP ${response.status}: ${statusMessage(response)}`);
  return asObject(parseJson(response, `GET ${path}`)) ?? {};
}

async function legacyGroupVersion(
  client: ApiClient,
  group: string,
  version: string,
  signal: AbortSignal,
  resources: ServedResource[],
  problems: string[],
): Promise<void> {
  const path = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  let list: JsonObject;
  try {
    list = await getJson(client, path, signal);
  } catch (error) {
    if (!(error instanceof ApiStatusError)) throw error;
    problems.push(`${groupVersion(group, version)}: ${error.message}`);
    return;
  }
  for (const resource of asArray(list['resources'])) {
    const object = asObject(resource);
    const name = asString(object?.['name']);
    const kind = asString(object?.['kind']);
    if (!object || !name || !kind || name.includes('/')) continue;
    if (!asArray(object['verbs']).includes('list') || skipped(group, name)) continue;
    resources.push({ group, version, resource: name, kind, namespaced: object['namespaced'] === true });
  }
}

export async function discover(client: ApiClient, signal: AbortSignal): Promise<Discovery> {
  const served = new Set<string>();
  const resources: ServedResource[] = [];
  const problems: string[] = [];
  const core = await getJson(client, '/api', signal, AGGREGATED_ACCEPT);
  const groups = await getJson(client, '/apis', signal, AGGREGATED_ACCEPT);
  if (core['kind'] === 'APIGroupDiscoveryList' && groups['kind'] === 'APIGroupDiscoveryList') {
    fromAggregated(core, served, resources, problems);
    fromAggregated(groups, served, resources, problems);
  } else {
    const pending: Promise<void>[] = [];
    for (const version of asArray(core['versions'])) {
      if (typeof version !== 'string') continue;
      served.add(version);
      if (version === 'v1') pending.push(legacyGroupVersion(client, '', version, signal, resources, problems));
    }
    for (const item of asArray(groups['groups'])) {
      const group = asObject(item);
      const name = asString(group?.['name']);
      if (!group || !name) continue;
      for (const version of asArray(group['versions'])) {
        const gv = asString(asObject(version)?.['groupVersion']);
        if (gv) served.add(gv);
      }
      const preferred = asString(asObject(group['preferredVersion'])?.['version']);
      if (preferred) pending.push(legacyGroupVersion(client, name, preferred, signal, resources, problems));
    }
    await Promise.all(pending);
  }
  resources.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  return { servedAPIVersions: [...served].sort(), resources, problems };
}
