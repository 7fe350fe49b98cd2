import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from '../../core/model.ts';
import { ApiConnectionError, ApiStatusError, type ApiClient, type ApiResponse, type RequestOptions } from './api-client.ts';
import { discover, type ServedResource } from './discovery.ts';

// ---- an in-memory API server -------------------------------------------------------------------------------

type Route = ApiResponse | ((path: string) => ApiResponse);

function json(status: number, body: JsonValue): ApiResponse {
  return { status, body: Buffer.from(JSON.stringify(body)), warnings: [] };
}

function statusBody(code: number, reason: string, message: string): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

class FakeApiServer implements ApiClient {
  readonly server = 'https://fake.example.test:6443';
  readonly requests: { path: string; accept: string | undefined }[] = [];
  readonly #routes: ReadonlyMap<string, Route>;

  constructor(routes: Record<string, Route>) {
    this.#routes = new Map(Object.entries(routes));
  }

  async get(path: string, options: RequestOptions): Promise<ApiResponse> {
    if (options.signal.aborted) throw new ApiConnectionError(`request to ${this.server}${path} aborted`);
    this.requests.push({ path, accept: options.accept });
    const route = this.#routes.get(path);
    if (route === undefined) return json(404, statusBody(404, 'NotFound', 'the server could not find the requested resource'));
    return typeof route === 'function' ? route(path) : route;
  }
}

const signal = new AbortController().signal;

// ---- aggregated discovery (apidiscovery.k8s.io/v2), shaped as kube-apiserver 1.3x sends it ------------------

interface AggregatedResource {
  readonly resource: string;
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly verbs: readonly string[];
  readonly subresources?: readonly string[];
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function resource(name: string, kind: string, scope: 'Namespaced' | 'Cluster', extra: Partial<AggregatedResource> = {}): AggregatedResource {
  return { resource: name, kind, scope, verbs: ALL_VERBS, ...extra };
}

function aggregatedResource(entry: AggregatedResource): JsonObject {
  return {
    resource: entry.resource,
    responseKind: { group: '', version: '', kind: entry.kind },
    scope: entry.scope,
    singularResource: entry.resource.replace(/s$/, ''),
    verbs: [...entry.verbs],
    ...(entry.subresources
      ? {
          subresources: entry.subresources.map((name) => ({
            subresource: name,
            responseKind: { group: '', version: '', kind: entry.kind },
            verbs: ['get', 'patch', 'update'],
          })),
        }
      : {}),
  };
}

interface AggregatedVersion {
  readonly version: string;
  readonly freshness?: 'Current' | 'Stale';
  readonly resources: readonly AggregatedResource[];
}

function aggregatedGroup(name: string | undefined, versions: readonly AggregatedVersion[]): JsonObject {
  return {
    // The core group's entry has empty metadata.
    metadata: name === undefined ? {} : { name },
    versions: versions.map((version) => ({
      version: version.version,
      resources: version.resources.map(aggregatedResource),
      freshness: version.freshness ?? 'Current',
    })),
  };
}

function aggregatedList(items: readonly JsonObject[]): JsonObject {
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: [...items] };
}

const aggregatedCore = aggregatedList([
  aggregatedGroup(undefined, [
    {
      version: 'v1',
      resources: [
        resource('bindings', 'Binding', 'Namespaced', { verbs: ['create'] }),
        resource('componentstatuses', 'ComponentStatus', 'Cluster', { verbs: ['get', 'list'] }),
        resource('configmaps', 'ConfigMap', 'Namespaced'),
        resource('endpoints', 'Endpoints', 'Namespaced'),
        resource('events', 'Event', 'Namespaced'),
        resource('namespaces', 'Namespace', 'Cluster', { subresources: ['finalize', 'status'] }),
        resource('pods', 'Pod', 'Namespaced', { subresources: ['attach', 'exec', 'log', 'status'] }),
        resource('secrets', 'Secret', 'Namespaced'),
        resource('serviceaccounts', 'ServiceAccount', 'Namespaced', { subresources: ['token'] }),
      ],
    },
  ]),
]);

const aggregatedGroups = aggregatedList([
  aggregatedGroup('apps', [{ version: 'v1', resources: [resource('deployments', 'Deployment', 'Namespaced', { subresources: ['scale', 'status'] })] }]),
  aggregatedGroup('events.k8s.io', [{ version: 'v1', resources: [resource('events', 'Event', 'Namespaced')] }]),
  aggregatedGroup('authorization.k8s.io', [
    { version: 'v1', resources: [resource('subjectaccessreviews', 'SubjectAccessReview', 'Cluster', { verbs: ['create'] })] },
  ]),
  aggregatedGroup('rbac.authorization.k8s.io', [
    { version: 'v1', resources: [resource('clusterroles', 'ClusterRole', 'Cluster'), resource('roles', 'Role', 'Namespaced')] },
  ]),
  // A CRD served in two versions: each resource at the most preferred version serving it (gadgets only in v1).
  aggregatedGroup('widgets.example.com', [
    { version: 'v2', resources: [resource('widgets', 'Widget', 'Namespaced'), resource('widgets/status', 'Widget', 'Namespaced')] },
    { version: 'v1', resources: [resource('widgets', 'Widget', 'Namespaced'), resource('gadgets', 'Gadget', 'Cluster')] },
  ]),
  // An aggregated API server that is down: its discovery is stale.
  aggregatedGroup('metrics.k8s.io', [
    { version: 'v1beta1', freshness: 'Stale', resources: [resource('pods', 'PodMetrics', 'Namespaced', { verbs: ['get', 'list'] })] },
  ]),
  // A stale preferred version with a current older one.
  aggregatedGroup('backup.example.com', [
    { version: 'v2', freshness: 'Stale', resources: [resource('schedules', 'Schedule', 'Namespaced')] },
    { version: 'v1', resources: [resource('backups', 'Backup', 'Namespaced')] },
  ]),
]);

function served(group: string, version: string, name: string, kind: string, namespaced: boolean): ServedResource {
  return { group, version, resource: name, kind, namespaced };
}

test('aggregated discovery: two requests that ask for APIGroupDiscoveryList, falling back to plain JSON', async () => {
  const api = new FakeApiServer({ '/api': json(200, aggregatedCore), '/apis': json(200, aggregatedGroups) });
  await discover(api, signal);
  assert.deepEqual(api.requests.map((request) => request.path), ['/api', '/apis']);
  for (const { accept } of api.requests) {
    assert.ok(accept !== undefined);
    const types = accept.split(',');
    assert.ok(types[0]?.includes('g=apidiscovery.k8s.io') && types[0].includes('as=APIGroupDiscoveryList'), accept);
    assert.equal(types.at(-1), 'application/json');
  }
});

test('aggregated discovery: each listable resource once, at its most preferred version, sorted, without noise', async () => {
  const api = new FakeApiServer({ '/api': json(200, aggregatedCore), '/apis': json(200, aggregatedGroups) });
  const discovery = await discover(api, signal);
  assert.deepEqual(discovery.resources, [
    served('', 'v1', 'configmaps', 'ConfigMap', true),
    served('', 'v1', 'namespaces', 'Namespace', false),
    served('', 'v1', 'pods', 'Pod', true),
    served('', 'v1', 'secrets', 'Secret', true),
    served('', 'v1', 'serviceaccounts', 'ServiceAccount', true),
    served('apps', 'v1', 'deployments', 'Deployment', true),
    // backup.example.com: v2 is stale, so the group is listed at v1 (see the next test).
    served('backup.example.com', 'v1', 'backups', 'Backup', true),
    served('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
    served('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
    // Only the older v1 serves gadgets: listed there, as kubectl's preferred resources would.
    served('widgets.example.com', 'v1', 'gadgets', 'Gadget', false),
    served('widgets.example.com', 'v2', 'widgets', 'Widget', true),
  ]);
  // Not listed: bindings and subjectaccessreviews (no `list`), events (both groups), endpoints, componentstatuses,
  // widgets/status (a subresource), widgets at v1 (v2 is preferred), metrics (stale).
});

test('aggregated discovery: a stale version is a problem, and the group falls through to the next current version', async () => {
  const api = new FakeApiServer({ '/api': json(200, aggregatedCore), '/apis': json(200, aggregatedGroups) });
  const discovery = await discover(api, signal);
  assert.deepEqual(discovery.problems, [
    'backup.example.com/v2: discovery is stale (its aggregated API server may be unavailable)',
    'metrics.k8s.io/v1beta1: discovery is stale (its aggregated API server may be unavailable)',
  ]);
  assert.equal(discovery.resources.some((entry) => entry.group === 'metrics.k8s.io'), false);
  assert.deepEqual(
    discovery.resources.filter((entry) => entry.group === 'backup.example.com').map((entry) => `${entry.version}/${entry.resource}`),
    ['v1/backups'],
  );
});

test('aggregated discovery: servedAPIVersions has every version of every group, stale ones included, sorted', async () => {
  const api = new FakeApiServer({ '/api': json(200, aggregatedCore), '/apis': json(200, aggregatedGroups) });
  const discovery = await discover(api, signal);
  assert.deepEqual(discovery.servedAPIVersions, [
    'apps/v1',
    'authorization.k8s.io/v1',
    'backup.example.com/v1',
    'backup.example.com/v2',
    'events.k8s.io/v1',
    'metrics.k8s.io/v1beta1',
    'rbac.authorization.k8s.io/v1',
    'v1',
    'widgets.example.com/v1',
    'widgets.example.com/v2',
  ]);
});

// ---- legacy discovery (APIVersions, APIGroupList, APIResourceList), as kubectl get --raw shows it ------------

function resourceList(groupVersion: string, resources: readonly { name: string; kind: string; namespaced: boolean; verbs?: readonly string[] }[]): JsonObject {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion,
    resources: resources.map((entry) => ({
      name: entry.name,
      singularName: entry.name.includes('/') ? '' : entry.name.replace(/s$/, ''),
      namespaced: entry.namespaced,
      kind: entry.kind,
      verbs: [...(entry.verbs ?? ALL_VERBS)],
    })),
  };
}

function groupEntry(name: string, versions: readonly string[]): JsonObject {
  const preferred = versions[0]!;
  return {
    name,
    versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
    preferredVersion: { groupVersion: `${name}/${preferred}`, version: preferred },
  };
}

function legacyRoutes(overrides: Record<string, Route> = {}): Record<string, Route> {
  return {
    '/api': json(200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }] }),
    '/apis': json(200, {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [groupEntry('apps', ['v1']), groupEntry('autoscaling', ['v2', 'v1']), groupEntry('batch', ['v1']), groupEntry('events.k8s.io', ['v1'])],
    }),
    '/api/v1': json(
      200,
      resourceList('v1', [
        { name: 'bindings', kind: 'Binding', namespaced: true, verbs: ['create'] },
        { name: 'configmaps', kind: 'ConfigMap', namespaced: true },
        { name: 'endpoints', kind: 'Endpoints', namespaced: true },
        { name: 'events', kind: 'Event', namespaced: true },
        { name: 'namespaces', kind: 'Namespace', namespaced: false },
        { name: 'pods', kind: 'Pod', namespaced: true },
        { name: 'pods/log', kind: 'Pod', namespaced: true, verbs: ['get'] },
        { name: 'pods/status', kind: 'Pod', namespaced: true, verbs: ['get', 'list'] },
      ]),
    ),
    '/apis/apps/v1': json(
      200,
      resourceList('apps/v1', [
        { name: 'deployments', kind: 'Deployment', namespaced: true },
        { name: 'deployments/scale', kind: 'Scale', namespaced: true, verbs: ['get', 'patch', 'update'] },
      ]),
    ),
    '/apis/autoscaling/v2': json(200, resourceList('autoscaling/v2', [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true }])),
    '/apis/autoscaling/v1': json(200, resourceList('autoscaling/v1', [{ name: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true }])),
    '/apis/batch/v1': json(200, resourceList('batch/v1', [{ name: 'cronjobs', kind: 'CronJob', namespaced: true }])),
    '/apis/events.k8s.io/v1': json(200, resourceList('events.k8s.io/v1', [{ name: 'events', kind: 'Event', namespaced: true }])),
    ...overrides,
  };
}

test('legacy discovery: one request per group version, preferred versions first, the same filtering', async () => {
  const api = new FakeApiServer(legacyRoutes());
  const discovery = await discover(api, signal);
  assert.deepEqual(
    api.requests.map((request) => request.path).sort(),
    ['/api', '/api/v1', '/apis', '/apis/apps/v1', '/apis/autoscaling/v1', '/apis/autoscaling/v2', '/apis/batch/v1', '/apis/events.k8s.io/v1'],
  );
  // The per-group-version requests are plain JSON.
  for (const request of api.requests.slice(2)) assert.equal(request.accept, undefined);
  assert.deepEqual(discovery.resources, [
    served('', 'v1', 'configmaps', 'ConfigMap', true),
    served('', 'v1', 'namespaces', 'Namespace', false),
    served('', 'v1', 'pods', 'Pod', true),
    served('apps', 'v1', 'deployments', 'Deployment', true),
    served('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true),
    served('batch', 'v1', 'cronjobs', 'CronJob', true),
  ]);
  assert.deepEqual(discovery.servedAPIVersions, ['apps/v1', 'autoscaling/v1', 'autoscaling/v2', 'batch/v1', 'events.k8s.io/v1', 'v1']);
  assert.deepEqual(discovery.problems, []);
});

test('legacy discovery: a group version that fails is a problem; the others are still listed', async () => {
  const api = new FakeApiServer(
    legacyRoutes({ '/apis/batch/v1': json(503, statusBody(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')) }),
  );
  const discovery = await discover(api, signal);
  assert.deepEqual(discovery.problems, ['batch/v1: GET /apis/batch/v1: HTTP 503: the server is currently unable to handle the request']);
  assert.equal(discovery.resources.some((entry) => entry.group === 'batch'), false);
  assert.deepEqual(
    discovery.resources.map((entry) => `${entry.group}/${entry.resource}`),
    ['/configmaps', '/namespaces', '/pods', 'apps/deployments', 'autoscaling/horizontalpodautoscalers'],
  );
  // Served versions come from /apis and do not depend on the group version answering.
  assert.ok(discovery.servedAPIVersions.includes('batch/v1'));
});

test('discovery itself failing (/api or /apis) is an ApiStatusError, not an empty result', async () => {
  const forbidden = json(403, statusBody(403, 'Forbidden', 'forbidden: User "system:anonymous" cannot get path "/api"'));
  await assert.rejects(discover(new FakeApiServer({ '/api': forbidden }), signal), (error: unknown) => {
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 403);
    assert.match(error.message, /^GET \/api: HTTP 403: forbidden: User "system:anonymous" cannot get path "\/api"$/);
    return true;
  });
  const notJson: ApiResponse = { status: 200, body: Buffer.from('<html>proxy login</html>'), warnings: [] };
  await assert.rejects(discover(new FakeApiServer({ '/api': json(200, aggregatedCore), '/apis': notJson }), signal), (error: unknown) => {
    assert.ok(error instanceof ApiStatusError);
    assert.match(error.message, /^GET \/apis: the API server sent a body that is not JSON/);
    return true;
  });
});
