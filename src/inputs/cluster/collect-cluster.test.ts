import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';
import { CLUSTER_INFO_API_VERSION, CLUSTER_INFO_KIND } from '../../core/cluster-info.ts';
import type { InventoryObject } from '../../core/inventory.ts';
import type { ClusterRef, JsonObject, JsonValue } from '../../core/model.ts';
import { ApiConnectionError, type ApiClient, type ApiResponse, type RequestOptions } from './api-client.ts';
import { ANONYMOUS_PROBE_PATHS, ClusterScanError, collectCluster, type ClusterScanOptions, type ClusterScanProgress } from './collect-cluster.ts';

// ---- an in-memory API server -------------------------------------------------------------------------------

type Answer = (path: string) => ApiResponse | Promise<ApiResponse>;

function json(status: number, body: JsonValue, warnings: readonly string[] = []): ApiResponse {
  return { status, body: Buffer.from(JSON.stringify(body)), warnings };
}

function statusBody(code: number, reason: string, message: string): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

class FakeApiServer implements ApiClient {
  readonly server = 'https://fake.example.test:6443';
  readonly requests: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  readonly #answer: Answer;

  constructor(answer: Answer) {
    this.#answer = answer;
  }

  async get(path: string, options: RequestOptions): Promise<ApiResponse> {
    // As node:http does with an aborted signal: no answer, a connection error.
    if (options.signal.aborted) throw new ApiConnectionError(`request to ${this.server}${path} aborted`);
    this.requests.push(path);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      return await this.#answer(path);
    } finally {
      this.inFlight--;
    }
  }
}

// ---- what the server serves ----------------------------------------------------------------------------------

const VERSION = { major: '1', minor: '34', gitVersion: 'v1.34.1', gitCommit: 'abc', platform: 'linux/amd64' };

function aggregated(items: readonly JsonObject[]): JsonObject {
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items: [...items] };
}

function discoveryResource(resource: string, kind: string, scope: 'Namespaced' | 'Cluster'): JsonObject {
  return { resource, responseKind: { group: '', version: '', kind }, scope, singularResource: resource.replace(/s$/, ''), verbs: ['get', 'list', 'watch'] };
}

function discoveryGroup(name: string | undefined, version: string, resources: readonly JsonObject[]): JsonObject {
  return { metadata: name === undefined ? {} : { name }, versions: [{ version, resources: [...resources], freshness: 'Current' }] };
}

const CORE = aggregated([
  discoveryGroup(undefined, 'v1', [
    discoveryResource('endpoints', 'Endpoints', 'Namespaced'),
    discoveryResource('namespaces', 'Namespace', 'Cluster'),
    discoveryResource('pods', 'Pod', 'Namespaced'),
    discoveryResource('secrets', 'Secret', 'Namespaced'),
  ]),
]);

const GROUPS = aggregated([
  discoveryGroup('apps', 'v1', [discoveryResource('deployments', 'Deployment', 'Namespaced')]),
  discoveryGroup('rbac.authorization.k8s.io', 'v1', [discoveryResource('clusterroles', 'ClusterRole', 'Cluster'), discoveryResource('roles', 'Role', 'Namespaced')]),
]);

function liveItem(name: string, namespace: string | undefined): JsonObject {
  return {
    metadata: {
      name,
      ...(namespace !== undefined ? { namespace } : {}),
      uid: `uid-${namespace ?? '-'}-${name}`,
      resourceVersion: '42',
      managedFields: [{ manager: 'kubectl', operation: 'Update' }],
    },
    spec: { marker: name },
    status: { phase: 'Running' },
  };
}

function listOf(kind: string, apiVersion: string, items: readonly JsonObject[], continueToken?: string): JsonObject {
  return { kind: `${kind}List`, apiVersion, metadata: { resourceVersion: '42', ...(continueToken ? { continue: continueToken } : {}) }, items: [...items] };
}

const DEPRECATION = '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"';
const OTHER_WARNING = '299 - "apps/v1 Deployment: spec.template.spec.containers[0].resources is ignored"';

/** A cluster whose admin may do anything; `overrides` replace answers by path (without the query). */
function clusterAnswer(overrides: Record<string, ApiResponse> = {}): Answer {
  return (path) => {
    const [bare = '', query = ''] = path.split('?');
    const override = overrides[bare];
    if (override) return override;
    switch (bare) {
      case '/version':
        return json(200, VERSION);
      case '/api':
        return json(200, CORE);
      case '/apis':
        return json(200, GROUPS);
      case '/api/v1/namespaces':
        return json(200, listOf('Namespace', 'v1', [liveItem('default', undefined), liveItem('shop', undefined)]));
      case '/api/v1/pods':
        // Two pages, both warning the same.
        return query.includes('continue=')
          ? json(200, listOf('Pod', 'v1', [liveItem('web-2', 'shop')]), [DEPRECATION])
          : json(200, listOf('Pod', 'v1', [liveItem('web-1', 'shop')], 'page-2'), [DEPRECATION]);
      case '/api/v1/secrets':
        return json(200, listOf('Secret', 'v1', [liveItem('db', 'shop')]));
      case '/apis/apps/v1/deployments':
        return json(200, listOf('Deployment', 'apps/v1', [liveItem('web', 'shop')]), [DEPRECATION, OTHER_WARNING]);
      case '/apis/rbac.authorization.k8s.io/v1/clusterroles':
        return json(200, listOf('ClusterRole', 'rbac.authorization.k8s.io/v1', [liveItem('admin', undefined)]));
      case '/apis/rbac.authorization.k8s.io/v1/roles':
        return json(200, listOf('Role', 'rbac.authorization.k8s.io/v1', [liveItem('reader', 'shop')]));
      case '/api/v1/namespaces/x/pods':
        return json(200, listOf('Pod', 'v1', [liveItem('p', 'x')]));
      case '/api/v1/namespaces/x/secrets':
        return json(200, listOf('Secret', 'v1', []));
      case '/apis/apps/v1/namespaces/x/deployments':
        return json(200, listOf('Deployment', 'apps/v1', [liveItem('d', 'x')]));
      case '/apis/rbac.authorization.k8s.io/v1/namespaces/x/roles':
        return json(200, listOf('Role', 'rbac.authorization.k8s.io/v1', []));
      case '/api/v1/namespaces/x':
        return json(200, { kind: 'Namespace', apiVersion: 'v1', ...liveItem('x', undefined) });
      default:
        return json(404, statusBody(404, 'NotFound', `the server could not find the requested resource (${path})`));
    }
  };
}

const cluster: ClusterRef = { context: 'kind-test', server: 'https://fake.example.test:6443' };

function options(client: ApiClient, extra: Partial<ClusterScanOptions> = {}): ClusterScanOptions {
  return { cluster, client, pageSize: 1, concurrency: 2, signal: new AbortController().signal, ...extra };
}

function names(objects: readonly InventoryObject[]): string[] {
  return objects.map((object) => `${object.ref.kind} ${object.ref.namespace ? `${object.ref.namespace}/` : ''}${object.ref.name}`);
}

const forbidden = (resource: string, group: string, scope: string): ApiResponse =>
  json(403, statusBody(403, 'Forbidden', `${resource} is forbidden: User "jane" cannot list resource "${resource.split('.')[0]}" in API group "${group}" ${scope}`));

// ---- tests -------------------------------------------------------------------------------------------------

test('every listable resource is read: normalised objects with a cluster origin, then one ClusterInfo', async () => {
  const client = new FakeApiServer(clusterAnswer());
  const collected = await collectCluster(options(client));
  assert.deepEqual(names(collected.objects), [
    // Discovery order (group, then resource), whatever order the lists finished in.
    'Namespace default',
    'Namespace shop',
    'Pod shop/web-1',
    'Pod shop/web-2',
    'Secret shop/db',
    'Deployment shop/web',
    'ClusterRole admin',
    'Role shop/reader',
    'ClusterInfo kind-test',
  ]);
  assert.deepEqual(collected.errors, []);
  assert.equal(client.requests.some((path) => path.includes('endpoints')), false);
  const deployment = collected.objects.find((object) => object.ref.kind === 'Deployment')!;
  assert.deepEqual(deployment.object, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'uid-shop-web', resourceVersion: '42' },
    spec: { marker: 'web' },
  });
  assert.ok(Object.isFrozen(deployment.object) && Object.isFrozen(deployment.object['metadata']));
  assert.deepEqual(deployment.origin, { type: 'cluster', cluster, uid: 'uid-shop-web' });
  assert.deepEqual(deployment.locator.locate(['spec']), { line: 0, column: 0 });
  assert.deepEqual(collected.stats, { resources: 6, forbidden: 0, failed: 0, objects: 9 });
  assert.deepEqual(collected.serverVersion, { major: '1', minor: '34', gitVersion: 'v1.34.1' });
  assert.deepEqual(collected.cluster, cluster);
});

test('the ClusterInfo object is last, with the served API versions, the server version and no probes without an anonymous client', async () => {
  const collected = await collectCluster(options(new FakeApiServer(clusterAnswer())));
  const info = collected.objects.at(-1)!;
  assert.deepEqual(info.object, {
    apiVersion: CLUSTER_INFO_API_VERSION,
    kind: CLUSTER_INFO_KIND,
    metadata: { name: 'kind-test' },
    spec: {
      server: 'https://fake.example.test:6443',
      serverVersion: { major: '1', minor: '34', gitVersion: 'v1.34.1' },
      servedAPIVersions: ['apps/v1', 'rbac.authorization.k8s.io/v1', 'v1'],
    },
  });
  assert.deepEqual(info.origin, { type: 'cluster', cluster });
});

test('with an anonymous client, each probe path is asked without credentials and its status recorded', async () => {
  const anonymous = new FakeApiServer((path) => {
    if (path === '/version') return json(200, VERSION);
    if (path === '/api') return json(200, CORE);
    if (path.startsWith('/api/v1/secrets')) throw new ApiConnectionError('connection reset');
    return json(401, statusBody(401, 'Unauthorized', 'Unauthorized'));
  });
  const authenticated = new FakeApiServer(clusterAnswer());
  const collected = await collectCluster(options(authenticated, { anonymousClient: anonymous, pageSize: 500 }));
  assert.deepEqual(anonymous.requests, [...ANONYMOUS_PROBE_PATHS]);
  // The probes went to the anonymous client only.
  assert.equal(authenticated.requests.some((path) => path.endsWith('?limit=1')), false);
  const spec = collected.objects.at(-1)!.object['spec'] as JsonObject;
  assert.deepEqual(spec['anonymousAccess'], {
    probes: [
      { path: '/version', status: 200 },
      { path: '/api', status: 200 },
      { path: '/api/v1/namespaces?limit=1', status: 401 },
      { path: '/api/v1/pods?limit=1', status: 401 },
      { path: '/api/v1/secrets?limit=1', status: 0 },
      { path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings?limit=1', status: 401 },
    ],
  });
  assert.deepEqual(Object.keys(spec), ['server', 'serverVersion', 'anonymousAccess', 'servedAPIVersions']);
});

test('a 403 on one resource is a cluster-forbidden warning naming it; a 500 is a cluster-list-failed error; the rest is read', async () => {
  const client = new FakeApiServer(
    clusterAnswer({
      '/api/v1/secrets': forbidden('secrets', '', 'at the cluster scope'),
      '/apis/rbac.authorization.k8s.io/v1/clusterroles': forbidden('clusterroles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', 'at the cluster scope'),
      '/apis/apps/v1/deployments': json(500, statusBody(500, 'InternalError', 'etcdserver: request timed out')),
    }),
  );
  const collected = await collectCluster(options(client));
  assert.deepEqual(names(collected.objects), ['Namespace default', 'Namespace shop', 'Pod shop/web-1', 'Pod shop/web-2', 'Role shop/reader', 'ClusterInfo kind-test']);
  const forbiddenWarnings = collected.warnings.filter((warning) => warning.code === 'cluster-forbidden');
  assert.deepEqual(forbiddenWarnings, [
    {
      code: 'cluster-forbidden',
      file: 'cluster:kind-test',
      message:
        'cannot list secrets (v1 Secret) in all namespaces: secrets is forbidden: User "jane" cannot list resource "secrets" in API group "" at the cluster scope',
    },
    {
      code: 'cluster-forbidden',
      file: 'cluster:kind-test',
      message:
        'cannot list clusterroles.rbac.authorization.k8s.io (rbac.authorization.k8s.io/v1 ClusterRole) cluster-wide: clusterroles.rbac.authorization.k8s.io is forbidden: User "jane" cannot list resource "clusterroles" in API group "rbac.authorization.k8s.io" at the cluster scope',
    },
  ]);
  assert.deepEqual(collected.errors, [
    {
      code: 'cluster-list-failed',
      file: 'cluster:kind-test',
      message: 'cannot list deployments.apps (apps/v1 Deployment) in all namespaces: etcdserver: request timed out',
    },
  ]);
  assert.deepEqual(collected.stats, { resources: 6, forbidden: 2, failed: 1, objects: 6 });
});

test('a connection error on one resource is a cluster-list-failed error too', async () => {
  const base = clusterAnswer();
  const client = new FakeApiServer((path) => {
    if (path.startsWith('/apis/rbac.authorization.k8s.io/v1/roles')) throw new ApiConnectionError('request to https://fake.example.test:6443 failed: socket hang up');
    return base(path);
  });
  const collected = await collectCluster(options(client));
  assert.deepEqual(collected.errors.map((error) => [error.code, error.message]), [
    ['cluster-list-failed', 'cannot list roles.rbac.authorization.k8s.io (rbac.authorization.k8s.io/v1 Role) in all namespaces: request to https://fake.example.test:6443 failed: socket hang up'],
  ]);
  assert.equal(collected.stats.failed, 1);
});

test('Warning headers become cluster-api-warning entries, one per distinct warning, sorted', async () => {
  const collected = await collectCluster(options(new FakeApiServer(clusterAnswer())));
  assert.deepEqual(
    collected.warnings.filter((warning) => warning.code === 'cluster-api-warning'),
    [
      { code: 'cluster-api-warning', file: 'cluster:kind-test', message: 'the API server warned: apps/v1 Deployment: spec.template.spec.containers[0].resources is ignored' },
      { code: 'cluster-api-warning', file: 'cluster:kind-test', message: 'the API server warned: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice' },
    ],
  );
});

test('discovery problems are cluster-discovery warnings', async () => {
  const stale = aggregated([
    ...((GROUPS['items'] as readonly JsonObject[]) ?? []),
    { metadata: { name: 'metrics.k8s.io' }, versions: [{ version: 'v1beta1', resources: [discoveryResource('pods', 'PodMetrics', 'Namespaced')], freshness: 'Stale' }] },
  ]);
  const collected = await collectCluster(options(new FakeApiServer(clusterAnswer({ '/apis': json(200, stale) }))));
  assert.deepEqual(
    collected.warnings.filter((warning) => warning.code === 'cluster-discovery'),
    [{ code: 'cluster-discovery', file: 'cluster:kind-test', message: 'metrics.k8s.io/v1beta1: discovery is stale (its aggregated API server may be unavailable)' }],
  );
  assert.ok((collected.objects.at(-1)!.object['spec'] as JsonObject)['servedAPIVersions']!.toString().includes('metrics.k8s.io/v1beta1'));
});

test('a 401 on /version is a ClusterScanError about the credentials of the context', async () => {
  const client = new FakeApiServer(clusterAnswer({ '/version': json(401, statusBody(401, 'Unauthorized', 'Unauthorized')) }));
  await assert.rejects(collectCluster(options(client)), (error: unknown) => {
    assert.ok(error instanceof ClusterScanError);
    assert.match(error.message, /rejected the credentials of context kind-test \(401 Unauthorized\)/);
    assert.match(error.message, /server version of https:\/\/fake\.example\.test:6443/);
    return true;
  });
  assert.deepEqual(client.requests, ['/version']);
});

test('a 401 while listing stops the scan with a ClusterScanError', async () => {
  const client = new FakeApiServer(clusterAnswer({ '/api/v1/pods': json(401, statusBody(401, 'Unauthorized', 'Unauthorized')) }));
  await assert.rejects(collectCluster(options(client)), (error: unknown) => {
    assert.ok(error instanceof ClusterScanError);
    assert.match(error.message, /^listing pods: .*credentials of context kind-test/);
    return true;
  });
});

test('an unreachable server or failing discovery is a ClusterScanError', async () => {
  const refused = new FakeApiServer(() => {
    throw new ApiConnectionError('cannot connect to https://fake.example.test:6443: connection refused');
  });
  await assert.rejects(collectCluster(options(refused)), (error: unknown) => error instanceof ClusterScanError && /connection refused/.test(error.message));
  const noDiscovery = new FakeApiServer(clusterAnswer({ '/apis': json(503, statusBody(503, 'ServiceUnavailable', 'the server is currently unable to handle the request')) }));
  await assert.rejects(collectCluster(options(noDiscovery)), (error: unknown) => {
    assert.ok(error instanceof ClusterScanError);
    assert.match(error.message, /^API discovery on https:\/\/fake\.example\.test:6443 failed: GET \/apis: HTTP 503/);
    return true;
  });
});

test('an already aborted signal is a ClusterScanError with the reason, before any request', async () => {
  const controller = new AbortController();
  controller.abort(new Error('timed out after 5 s (--timeout)'));
  const client = new FakeApiServer(clusterAnswer());
  await assert.rejects(collectCluster(options(client, { signal: controller.signal })), (error: unknown) => {
    assert.ok(error instanceof ClusterScanError);
    assert.match(error.message, /timed out after 5 s \(--timeout\)/);
    return true;
  });
  assert.deepEqual(client.requests, []);
});

test('an abort while listing is a ClusterScanError saying how far the scan got', async () => {
  const controller = new AbortController();
  const base = clusterAnswer();
  const client = new FakeApiServer((path) => {
    if (path.startsWith('/api/v1/pods')) controller.abort(new Error('timed out after 1 s (--timeout)'));
    return base(path);
  });
  await assert.rejects(collectCluster(options(client, { signal: controller.signal, concurrency: 1 })), (error: unknown) => {
    assert.ok(error instanceof ClusterScanError);
    assert.match(error.message, /^timed out after 1 s \(--timeout\) while listing pods in all namespaces \(1 of 6 resource lists done, 3 objects read\)$/);
    return true;
  });
});

test('namespaces: only namespaced resources, under /namespaces/NAME/, plus the namespace object itself', async () => {
  const client = new FakeApiServer(clusterAnswer());
  const collected = await collectCluster(options(client, { namespaces: ['x'] }));
  const lists = client.requests.filter((path) => path.includes('?limit='));
  assert.deepEqual(lists.sort(), [
    '/api/v1/namespaces/x/pods?limit=1',
    '/api/v1/namespaces/x/secrets?limit=1',
    '/apis/apps/v1/namespaces/x/deployments?limit=1',
    '/apis/rbac.authorization.k8s.io/v1/namespaces/x/roles?limit=1',
  ]);
  assert.ok(client.requests.includes('/api/v1/namespaces/x'));
  assert.equal(client.requests.some((path) => path.startsWith('/api/v1/namespaces?') || path.includes('clusterroles')), false);
  assert.deepEqual(names(collected.objects), ['Pod x/p', 'Deployment x/d', 'Namespace x', 'ClusterInfo kind-test']);
  const namespace = collected.objects.find((object) => object.ref.kind === 'Namespace')!;
  assert.deepEqual(namespace.object, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x', uid: 'uid---x', resourceVersion: '42' }, spec: { marker: 'x' } });
  assert.deepEqual(collected.stats, { resources: 4, forbidden: 0, failed: 0, objects: 4 });
  assert.deepEqual(collected.errors, []);
});

test('namespaces: a missing namespace is an error, a forbidden one a warning', async () => {
  const missing = await collectCluster(options(new FakeApiServer(clusterAnswer({ '/api/v1/namespaces/x': json(404, statusBody(404, 'NotFound', 'namespaces "x" not found')) })), { namespaces: ['x'] }));
  assert.deepEqual(missing.errors, [{ code: 'cluster-list-failed', file: 'cluster:kind-test', message: 'namespace x does not exist' }]);
  const denied = await collectCluster(
    options(new FakeApiServer(clusterAnswer({ '/api/v1/namespaces/x': json(403, statusBody(403, 'Forbidden', 'namespaces "x" is forbidden: User "jane" cannot get resource "namespaces"')) })), {
      namespaces: ['x'],
    }),
  );
  assert.deepEqual(denied.warnings.filter((warning) => warning.code === 'cluster-forbidden'), [
    { code: 'cluster-forbidden', file: 'cluster:kind-test', message: 'cannot get namespace x: namespaces "x" is forbidden: User "jane" cannot get resource "namespaces"' },
  ]);
  assert.equal(denied.stats.forbidden, 1);
});

test('at most `concurrency` lists run at once, and progress ends with every list done', async () => {
  const base = clusterAnswer();
  const client = new FakeApiServer(async (path) => {
    if (path.includes('?limit=')) await delay(path.includes('pods') ? 15 : 2);
    return base(path);
  });
  const progress: ClusterScanProgress[] = [];
  const collected = await collectCluster(options(client, { concurrency: 3, onProgress: (entry) => progress.push(entry) }));
  assert.equal(client.maxInFlight, 3);
  assert.equal(collected.stats.resources, 6);
  assert.ok(progress.length > 0);
  assert.ok(progress.every((entry) => entry.resourcesTotal === 6));
  assert.deepEqual(progress.at(-1), { resourcesDone: 6, resourcesTotal: 6, objects: 8 });
  // Order follows discovery even though pods finished last.
  assert.deepEqual(names(collected.objects).slice(0, 4), ['Namespace default', 'Namespace shop', 'Pod shop/web-1', 'Pod shop/web-2']);
});
