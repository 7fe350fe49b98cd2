import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject, JsonValue } from '../../core/model.ts';
import { ApiConnectionError, ApiStatusError, type ApiClient, type ApiResponse, type RequestOptions } from './api-client.ts';
import type { ServedResource } from './discovery.ts';
import { listPages, resourcePath, type ListedPage } from './list.ts';

function json(status: number, body: JsonValue, warnings: readonly string[] = []): ApiResponse {
  return { status, body: Buffer.from(JSON.stringify(body)), warnings };
}

/** Answers GETs from a function of the full path (with query); records every request. */
class FakeApiServer implements ApiClient {
  readonly server = 'https://fake.example.test:6443';
  readonly requests: string[] = [];
  readonly #answer: (path: string) => ApiResponse;

  constructor(answer: (path: string) => ApiResponse) {
    this.#answer = answer;
  }

  async get(path: string, options: RequestOptions): Promise<ApiResponse> {
    if (options.signal.aborted) throw new ApiConnectionError(`request to ${this.server}${path} aborted`);
    this.requests.push(path);
    return this.#answer(path);
  }
}

const signal = new AbortController().signal;

const deployments: ServedResource = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true };
const namespaces: ServedResource = { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false };
const clusterRoles: ServedResource = { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false };
const pods: ServedResource = { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true };

function item(name: string): JsonObject {
  return { metadata: { name, namespace: 'shop', uid: `uid-${name}` }, spec: {} };
}

function list(items: readonly JsonValue[], continueToken?: string): JsonObject {
  return {
    kind: 'DeploymentList',
    apiVersion: 'apps/v1',
    metadata: { resourceVersion: '4711', ...(continueToken !== undefined ? { continue: continueToken, remainingItemCount: 1 } : {}) },
    items: [...items],
  };
}

async function collect(pages: AsyncGenerator<ListedPage>): Promise<ListedPage[]> {
  const result: ListedPage[] = [];
  for await (const page of pages) result.push(page);
  return result;
}

function statusBody(code: number, reason: string, message: string): JsonObject {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

test('resourcePath: core and named groups, namespaced and cluster-scoped, namespace encoded', () => {
  assert.equal(resourcePath(pods, undefined), '/api/v1/pods');
  assert.equal(resourcePath(pods, 'shop'), '/api/v1/namespaces/shop/pods');
  assert.equal(resourcePath(deployments, undefined), '/apis/apps/v1/deployments');
  assert.equal(resourcePath(deployments, 'shop'), '/apis/apps/v1/namespaces/shop/deployments');
  // A cluster-scoped resource ignores the namespace.
  assert.equal(resourcePath(namespaces, 'shop'), '/api/v1/namespaces');
  assert.equal(resourcePath(clusterRoles, 'shop'), '/apis/rbac.authorization.k8s.io/v1/clusterroles');
  assert.equal(resourcePath(pods, 'a/b?c'), '/api/v1/namespaces/a%2Fb%3Fc/pods');
});

test('listPages follows metadata.continue with the page size, encoding the token, until it is empty', async () => {
  // Continue tokens are base64 and may hold +, / and =.
  const tokens = ['eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDcxMX0+/=', 'second&token=2'];
  const api = new FakeApiServer((path) => {
    if (path === '/apis/apps/v1/namespaces/shop/deployments?limit=2') return json(200, list([item('a'), item('b')], tokens[0]));
    if (path === `/apis/apps/v1/namespaces/shop/deployments?limit=2&continue=${encodeURIComponent(tokens[0]!)}`) {
      return json(200, list([item('c'), item('d')], tokens[1]));
    }
    if (path === `/apis/apps/v1/namespaces/shop/deployments?limit=2&continue=${encodeURIComponent(tokens[1]!)}`) {
      // The last page: an empty continue, as the API server sends it.
      return json(200, list([item('e')], ''), ['299 - "a warning"']);
    }
    return json(404, statusBody(404, 'NotFound', `unexpected request ${path}`));
  });
  const pages = await collect(listPages(api, deployments, 'shop', { pageSize: 2, signal }));
  assert.deepEqual(api.requests, [
    '/apis/apps/v1/namespaces/shop/deployments?limit=2',
    '/apis/apps/v1/namespaces/shop/deployments?limit=2&continue=eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDcxMX0%2B%2F%3D',
    '/apis/apps/v1/namespaces/shop/deployments?limit=2&continue=second%26token%3D2',
  ]);
  assert.deepEqual(
    pages.map((page) => page.items.map((entry) => (entry['metadata'] as JsonObject)['name'])),
    [['a', 'b'], ['c', 'd'], ['e']],
  );
  // Items come back as the server sent them (normalising is the caller's job).
  assert.deepEqual(pages[0]?.items[0], item('a'));
  assert.deepEqual(pages.map((page) => page.warnings), [[], [], ['299 - "a warning"']]);
});

test('listPages: one request when there is no continue token; cluster-wide path without a namespace', async () => {
  const api = new FakeApiServer(() => json(200, { kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [item('default')] }));
  const pages = await collect(listPages(api, namespaces, undefined, { pageSize: 500, signal }));
  assert.deepEqual(api.requests, ['/api/v1/namespaces?limit=500']);
  assert.equal(pages.length, 1);
  const all = new FakeApiServer(() => json(200, list([])));
  assert.deepEqual(await collect(listPages(all, deployments, undefined, { pageSize: 50, signal })), [{ items: [], warnings: [] }]);
  assert.deepEqual(all.requests, ['/apis/apps/v1/deployments?limit=50']);
});

test('listPages drops list entries that are not objects', async () => {
  const api = new FakeApiServer(() => json(200, list([item('a'), null, 'junk', 3, [], item('b')])));
  const [page] = await collect(listPages(api, deployments, undefined, { pageSize: 10, signal }));
  assert.deepEqual(page?.items.map((entry) => (entry['metadata'] as JsonObject)['name']), ['a', 'b']);
});

test('a 403 is an ApiStatusError with status 403 and the Status message', async () => {
  const message = 'deployments.apps is forbidden: User "jane" cannot list resource "deployments" in API group "apps" at the cluster scope';
  const api = new FakeApiServer(() => json(403, statusBody(403, 'Forbidden', message)));
  await assert.rejects(collect(listPages(api, deployments, undefined, { pageSize: 10, signal })), (error: unknown) => {
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 403);
    assert.equal(error.message, message);
    return true;
  });
});

test('a 410 on a later page keeps the pages already read and says to run the scan again', async () => {
  const expired =
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
  const api = new FakeApiServer((path) => (path.includes('continue=') ? json(410, statusBody(410, 'Expired', expired)) : json(200, list([item('a')], 'tok'))));
  const seen: ListedPage[] = [];
  await assert.rejects(
    (async () => {
      for await (const page of listPages(api, deployments, undefined, { pageSize: 1, signal })) seen.push(page);
    })(),
    (error: unknown) => {
      assert.ok(error instanceof ApiStatusError);
      assert.equal(error.status, 410);
      assert.ok(error.message.startsWith(expired), error.message);
      assert.match(error.message, /run the scan again/);
      return true;
    },
  );
  assert.equal(seen.length, 1);
});

test('an error body that is not a Status gives its first line as the message; other errors do not mention rerunning', async () => {
  const api = new FakeApiServer(() => ({ status: 500, body: Buffer.from('upstream connect error\nmore detail\n'), warnings: [] }));
  await assert.rejects(collect(listPages(api, pods, undefined, { pageSize: 10, signal })), (error: unknown) => {
    assert.ok(error instanceof ApiStatusError);
    assert.equal(error.status, 500);
    assert.equal(error.message, 'upstream connect error');
    return true;
  });
});
