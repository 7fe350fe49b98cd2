// The RBAC authorizer against its oracle: the real API server's SubjectAccessReview. The policy of
// test/fixtures/rbac-oracle/policy.yaml (wildcards, `*/scale` and `*/*`, resourceNames, non-resource URLs, aggregated
// and chained aggregated ClusterRoles, RoleBindings to ClusterRoles, dangling bindings, subjects of every kind and the
// implicit groups) is created in the control plane; then thousands of (identity, request, namespace) tuples are put to
// Palisade's authorize() over two models and to the API server, and every answer must agree:
// - the manifest model: parseManifests of the fixture (aggregated roles without rules, computed offline) plus the
//   cluster's other RBAC objects (the bootstrap policy) exported as YAML, aggregated rules stripped;
// - the live model: what `palisade scan --cluster` reads (resolveKubeconfig, createApiClient, collectCluster).
// SubjectAccessReview adds no groups, so every identity carries the groups its authenticator would add (see
// /work/shared/notes/rbac.md, "Oracle behaviour").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import yaml from 'js-yaml';
import { authorize, serviceAccountUser, userForSubject, whoCan, type Decision, type Grant, type UserInfo } from '../src/analysers/rbac/authorizer.ts';
import { describeBinding, describeRule, describeSubject } from '../src/analysers/rbac/evidence.ts';
import { buildRbacModel, buildRbacModels, type RbacModel } from '../src/analysers/rbac/model.ts';
import { parsePolicyRule, ruleKey, type RequestAttributes } from '../src/analysers/rbac/policy-rule.ts';
import type { InventoryObject } from '../src/core/inventory.ts';
import type { JsonObject } from '../src/core/model.ts';
import { createApiClient } from '../src/inputs/cluster/api-client.ts';
import { collectCluster } from '../src/inputs/cluster/collect-cluster.ts';
import { resolveKubeconfig } from '../src/inputs/cluster/kubeconfig.ts';
import { parseManifests } from '../src/source/index.ts';
import { REPO } from './cli-helpers.ts';
import { KubeApi, startControlPlane, type ControlPlane } from './control-plane.ts';

const started = startControlPlane();
const skip = 'skip' in started ? started.skip : false;
const plane = started as ControlPlane;

// The control plane is shared with other runs and sessions: every name this run creates carries its suffix.
const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
const RUN_LABEL = 'oracle.palisade.dev/run';
const NS_A = `oracle-a-${run}`;
const NS_B = `oracle-b-${run}`;
const FIXTURE = join(REPO, 'test', 'fixtures', 'rbac-oracle', 'policy.yaml');
const policyText = readFileSync(FIXTURE, 'utf8').replaceAll('RUNID', run);
const policyObjects = yaml.loadAll(policyText) as KubeObject[];
const RBAC_API = '/apis/rbac.authorization.k8s.io/v1';
const RBAC_KINDS = [
  ['ClusterRole', 'clusterroles'],
  ['ClusterRoleBinding', 'clusterrolebindings'],
  ['Role', 'roles'],
  ['RoleBinding', 'rolebindings'],
] as const;

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [key: string]: unknown;
}

// ---------------------------------------------------------------- identities, as their authenticators report them

const AUTHENTICATED = 'system:authenticated';
function user(name: string, ...groups: string[]): UserInfo {
  return { name, groups: [...groups, AUTHENTICATED] };
}
/** The ServiceAccount token authenticator's user: name and the three groups it always adds. */
function serviceAccount(namespace: string, name: string): UserInfo {
  return { name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, AUTHENTICATED] };
}
const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };

const IDENTITIES: readonly UserInfo[] = [
  user(`alice-${run}`),
  user(`bob-${run}`, `devs-${run}`),
  user(`carol-${run}`, `ops-${run}`, `devs-${run}`),
  user(`dave-${run}`, `qa-${run}`),
  // Only the chained aggregated role (in oracle-b): it needs aggregation to a fixed point.
  user(`erin-${run}`, `qa-${run}`),
  user(`nobody-${run}`),
  // A user named like a group gets nothing of the group's.
  user(`devs-${run}`),
  serviceAccount(NS_A, 'sa-a'),
  serviceAccount(NS_A, 'sa-x'),
  serviceAccount(NS_A, 'unbound'),
  serviceAccount(NS_B, 'sa-b'),
  serviceAccount(NS_B, 'default'),
  // Same name as a bound ServiceAccount, another namespace: matches no ServiceAccount subject.
  serviceAccount(`oracle-c-${run}`, 'sa-a'),
  ANONYMOUS,
];

// ---------------------------------------------------------------- requests

const WIDGETS = `oracle-${run}.example.com`;
const STANDARD_VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', '*'];

/** [apiGroup, resource, subresource, name, extra verbs]: the matcher's edge cases and the resources the policy names. */
const TARGETS: readonly (readonly [string, string, string, string, (readonly string[])?])[] = [
  ['', 'pods', '', ''],
  ['', 'pods', '', 'web-0'],
  ['', 'pods', 'exec', ''],
  ['', 'pods', 'exec', 'web-0'],
  ['', 'pods', 'exec', 'other'],
  ['', 'pods', 'log', ''],
  ['', 'pods', 'portforward', ''],
  ['', 'pods', 'status', ''],
  ['', 'pods', 'scale', ''],
  ['', 'pods', '*', ''],
  ['', 'configmaps', '', ''],
  ['', 'configmaps', '', 'app-config'],
  ['', 'configmaps', '', 'other'],
  ['', 'secrets', '', ''],
  ['', 'secrets', '', 'db'],
  ['', 'secrets', '', 'other'],
  ['', 'services', '', ''],
  ['', 'services', 'proxy', ''],
  ['', 'events', '', ''],
  ['events.k8s.io', 'events', '', ''],
  ['', 'replicationcontrollers', 'scale', ''],
  ['apps', 'deployments', '', ''],
  ['apps', 'deployments', '', 'web'],
  ['apps', 'deployments', 'scale', ''],
  ['apps', 'deployments', 'scale', 'web'],
  ['apps', 'deployments', 'status', ''],
  ['apps', 'deployments', '*', ''],
  ['apps', 'replicasets', 'scale', 'rs-1'],
  ['apps', 'statefulsets', '', ''],
  ['extensions', 'deployments', '', ''],
  ['extensions', 'deployments', 'scale', ''],
  ['batch', 'jobs', '', ''],
  ['batch', 'jobs', 'status', ''],
  ['batch', 'cronjobs', '', ''],
  ['', 'nodes', '', ''],
  ['', 'nodes', '', 'node-1'],
  ['', 'nodes', 'proxy', 'node-1'],
  ['', 'persistentvolumes', '', ''],
  ['', 'namespaces', '', ''],
  ['', 'namespaces', '', NS_A],
  ['rbac.authorization.k8s.io', 'roles', '', '', ['bind', 'escalate']],
  ['rbac.authorization.k8s.io', 'clusterroles', '', 'cluster-admin', ['bind', 'escalate']],
  ['rbac.authorization.k8s.io', 'rolebindings', '', ''],
  ['', 'users', '', 'system:admin', ['impersonate']],
  ['', 'groups', '', 'system:masters', ['impersonate']],
  ['', 'serviceaccounts', '', 'sa-a', ['impersonate']],
  ['', 'serviceaccounts', '', 'sa-b', ['impersonate']],
  ['', 'serviceaccounts', 'token', 'sa-a'],
  [WIDGETS, 'widgets', '', ''],
  [WIDGETS, 'widgets', '', 'w-1'],
  ['other.example.com', 'widgets', '', ''],
  ['', 'widgets', '', ''],
  // `kubectl auth can-i '*' '*'` asks with literal wildcards.
  ['', '*', '', ''],
  ['*', '*', '', ''],
  ['authorization.k8s.io', 'selfsubjectaccessreviews', '', ''],
];

const NON_RESOURCE_PATHS = [
  '/',
  '*',
  '/healthz',
  '/healthz/etcd',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
  '/api',
  '/api/v1',
  '/apis',
  '/openapi/v2',
  '/metrics',
  '/logs',
  '/logs/',
  '/logs/kube-apiserver.log',
  `/oracle-${run}/private`,
  `/oracle-${run}/private/x`,
  `/oracle-${run}/public/x`,
  `/oracle-${run}/post`,
  `/oracle-${run}/postbox/1`,
  `/oracle-${run}/pos`,
  `/oracle-${run}/agg`,
  `/oracle-${run}/agg/x`,
];
const NON_RESOURCE_VERBS = ['get', 'post', 'put', 'head', 'delete', '*'];

function resourceRequests(): RequestAttributes[] {
  const requests: RequestAttributes[] = [];
  for (const namespace of [NS_A, NS_B, '']) {
    for (const [apiGroup, resource, subresource, name, extra] of TARGETS) {
      for (const verb of [...STANDARD_VERBS, ...(extra ?? [])]) {
        requests.push({ kind: 'resource', verb, apiGroup, resource, subresource, name, namespace });
      }
    }
  }
  return requests;
}

function nonResourceRequests(): RequestAttributes[] {
  return NON_RESOURCE_PATHS.flatMap((path) => NON_RESOURCE_VERBS.map((verb): RequestAttributes => ({ kind: 'nonResource', verb, path })));
}

// ---------------------------------------------------------------- the oracle

interface Tuple {
  readonly user: UserInfo;
  readonly request: RequestAttributes;
}

interface OracleAnswer {
  readonly allowed: boolean;
  readonly reason: string;
}

/** An admin client for SubjectAccessReviews: its own keep-alive agent, 32 requests in flight. */
class SarClient {
  readonly #server: string;
  readonly #agent: https.Agent;

  constructor(kubeconfig: string) {
    const config = yaml.load(readFileSync(kubeconfig, 'utf8')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    };
    const cluster = config.clusters[0]!.cluster;
    const credentials = config.users[0]!.user;
    this.#server = cluster.server;
    this.#agent = new https.Agent({
      ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
      cert: Buffer.from(credentials['client-certificate-data'], 'base64'),
      key: Buffer.from(credentials['client-key-data'], 'base64'),
      keepAlive: true,
      maxSockets: 32,
    });
  }

  review(tuple: Tuple): Promise<OracleAnswer> {
    const { user: who, request } = tuple;
    const spec: Record<string, unknown> = { user: who.name, groups: who.groups };
    if (request.kind === 'resource') {
      spec['resourceAttributes'] = {
        verb: request.verb,
        group: request.apiGroup,
        resource: request.resource,
        subresource: request.subresource ?? '',
        name: request.name ?? '',
        namespace: request.namespace ?? '',
      };
    } else {
      spec['nonResourceAttributes'] = { verb: request.verb, path: request.path };
    }
    const body = JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
    return new Promise((resolve, reject) => {
      const post = https.request(
        new URL('/apis/authorization.k8s.io/v1/subjectaccessreviews', this.#server),
        { method: 'POST', agent: this.#agent, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (response.statusCode !== 201 && response.statusCode !== 200) {
              reject(new Error(`SubjectAccessReview: HTTP ${response.statusCode}: ${text.slice(0, 500)}`));
              return;
            }
            const status = ((JSON.parse(text) as { status?: { allowed?: boolean; reason?: string } }).status ?? {}) as { allowed?: boolean; reason?: string };
            resolve({ allowed: status.allowed === true, reason: status.reason ?? '' });
          });
        },
      );
      post.on('error', reject);
      post.end(body);
    });
  }

  async reviewAll(tuples: readonly Tuple[], inFlight = 32): Promise<OracleAnswer[]> {
    const answers = new Array<OracleAnswer>(tuples.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        while (next < tuples.length) {
          const index = next++;
          answers[index] = await this.review(tuples[index]!);
        }
      }),
    );
    return answers;
  }

  close(): void {
    this.#agent.destroy();
  }
}

// ---------------------------------------------------------------- reading the policy back

/** Every RBAC object in the cluster and a fingerprint of their versions, to notice writes by others mid-run. */
async function rbacSnapshot(admin: KubeApi): Promise<{ objects: KubeObject[]; fingerprint: string }> {
  const objects: KubeObject[] = [];
  const versions: string[] = [];
  for (const [kind, plural] of RBAC_KINDS) {
    const result = await admin.request('GET', `${RBAC_API}/${plural}`);
    assert.equal(result.status, 200, `list ${plural}: HTTP ${result.status}`);
    for (const item of result.body['items'] as KubeObject[]) {
      const metadata = item.metadata as KubeObject['metadata'] & { uid: string; resourceVersion: string };
      versions.push(`${kind}/${metadata.namespace ?? ''}/${metadata.name}@${metadata.uid}:${metadata.resourceVersion}`);
      objects.push({ ...item, apiVersion: 'rbac.authorization.k8s.io/v1', kind });
    }
  }
  return { objects, fingerprint: versions.sort().join('\n') };
}

/**
 * The cluster's other RBAC objects (bootstrap policy, other runs' objects) as manifests: what a repository of the
 * cluster's policy would hold, with aggregated ClusterRoles carrying no rules so that aggregation is computed offline.
 */
function foreignPolicyYaml(objects: readonly KubeObject[]): string {
  const documents: string[] = [];
  for (const object of objects) {
    if (object.metadata.labels?.[RUN_LABEL] === run) continue;
    const { name, namespace, labels, annotations } = object.metadata;
    const manifest: Record<string, unknown> = {
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
    };
    for (const key of ['aggregationRule', 'rules', 'roleRef', 'subjects']) {
      if (object[key] === undefined) continue;
      if (key === 'rules' && object['aggregationRule'] !== undefined) continue;
      manifest[key] = object[key];
    }
    documents.push(yaml.dump(manifest, { noRefs: true }));
  }
  return documents.join('---\n');
}

function manifestModel(foreign: string): RbacModel {
  const objects: InventoryObject[] = [];
  for (const source of [
    { file: 'test/fixtures/rbac-oracle/policy.yaml', text: policyText },
    { file: 'cluster-policy.yaml', text: foreign },
  ]) {
    const parsed = parseManifests(source);
    assert.deepEqual(parsed.errors, [], `parse errors in ${source.file}`);
    objects.push(...parsed.objects);
  }
  const models = buildRbacModels(objects);
  assert.equal(models.size, 1);
  return [...models.values()][0]!;
}

async function liveModel(): Promise<RbacModel> {
  const resolved = await resolveKubeconfig({ kubeconfig: plane.adminKubeconfig, env: {}, cwd: REPO });
  const collected = await collectCluster({
    cluster: { context: resolved.context, server: resolved.server },
    client: createApiClient(resolved.config, resolved.server),
    pageSize: 500,
    concurrency: 4,
    signal: AbortSignal.timeout(120_000),
  });
  // Others may delete a custom resource definition between discovery and listing; RBAC must be read whole.
  assert.deepEqual(collected.errors.filter((error) => /rbac\.authorization|serviceaccounts|namespaces/.test(error.message)), []);
  const models = buildRbacModels(collected.objects);
  assert.equal(models.size, 1, 'one cluster, one model');
  return [...models.values()][0]!;
}

// ---------------------------------------------------------------- comparing

function describeTuple({ user: who, request }: Tuple): string {
  const identity = `${who.name || '<no name>'} [${who.groups.join(', ')}]`;
  if (request.kind === 'nonResource') return `${identity}: ${request.verb} ${request.path}`;
  const resource = `${request.resource}${request.subresource ? `/${request.subresource}` : ''}${request.apiGroup ? `.${request.apiGroup}` : ''}`;
  return `${identity}: ${request.verb} ${resource}${request.name ? ` name=${request.name}` : ''} namespace=${request.namespace || '<cluster>'}`;
}

function describeDecision(decision: Decision): string {
  if (!decision.allowed) return 'denied';
  if (decision.via === 'system:masters') return 'allowed via system:masters';
  const grant = decision.via;
  return `allowed via ${describeBinding(grant.binding)} subject ${describeSubject(grant.subject)} rule ${describeRule(grant.rule)} ${JSON.stringify(grant.rule.rule)}`;
}

/** Whether a binding subject names this identity, as the API server's RBAC authorizer decides (appliesToUser). */
function subjectNames(subject: Grant['subject'], who: UserInfo): boolean {
  if (subject.kind === 'User') return subject.name === who.name;
  if (subject.kind === 'Group') return who.groups.includes(subject.name);
  return subject.namespace !== undefined && who.name === `system:serviceaccount:${subject.namespace}:${subject.name}`;
}

/**
 * authorize() must give the API server's answer; so must whoCan(): some subject it lists names the identity exactly
 * when the API server allows the request (system:masters aside, which RBAC also grants through cluster-admin).
 */
function compare(t: TestContext, label: string, model: RbacModel, tuples: readonly Tuple[], answers: readonly OracleAnswer[]): string[] {
  const disagreements: string[] = [];
  const whoCanCache = new Map<RequestAttributes, Grant[]>();
  let allowed = 0;
  tuples.forEach((tuple, index) => {
    const decision = authorize(model, tuple.user, tuple.request);
    const oracle = answers[index]!;
    if (oracle.allowed) allowed++;
    if (decision.allowed !== oracle.allowed) {
      disagreements.push(`${label}: ${describeTuple(tuple)}\n  API server: ${oracle.allowed ? 'allowed' : 'denied'} (${oracle.reason || 'no reason'})\n  Palisade:   ${describeDecision(decision)}`);
    }
    let grants = whoCanCache.get(tuple.request);
    if (!grants) whoCanCache.set(tuple.request, (grants = whoCan(model, tuple.request)));
    const named = grants.find((grant) => subjectNames(grant.subject, tuple.user));
    if ((named !== undefined) !== oracle.allowed) {
      disagreements.push(
        `${label} (whoCan): ${describeTuple(tuple)}\n  API server: ${oracle.allowed ? 'allowed' : 'denied'} (${oracle.reason || 'no reason'})\n  whoCan:     ${named ? `names it via ${describeBinding(named.binding)} subject ${describeSubject(named.subject)}` : 'names no subject of it'}`,
      );
    }
  });
  t.diagnostic(`${label}: ${disagreements.length} disagreements (authorize and whoCan) over ${tuples.length} tuples (${allowed} allowed by the API server)`);
  return disagreements;
}

function sameRuleSets(a: readonly string[], b: readonly string[]): boolean {
  return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
}

describe('RBAC authorizer against SubjectAccessReview on a real API server', { skip }, () => {
  let admin: KubeApi;
  let sar: SarClient;
  const created: KubeObject[] = [];

  before(async () => {
    admin = new KubeApi(plane.adminKubeconfig);
    sar = new SarClient(plane.adminKubeconfig);
    for (const object of policyObjects) {
      await admin.create(object);
      created.push(object);
    }
  });

  after(async () => {
    // Bindings first, namespaces last. No namespace controller runs: once a namespace is empty this run finalizes
    // it itself, as that controller would.
    for (const object of [...created].reverse()) {
      try {
        await admin.delete(object);
        if (object.kind === 'Namespace') {
          const name = object.metadata.name;
          await admin.request('PUT', `/api/v1/namespaces/${name}/finalize`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name }, spec: { finalizers: [] } });
        }
      } catch (error) {
        console.error(`cleanup: ${(error as Error).message}`);
      }
    }
    // The aggregation controller writes aggregated roles with server-side apply, which re-creates one it was still
    // syncing when it was deleted: give it a moment, then delete this run's ClusterRoles once more.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    for (const object of created) {
      if (object.kind !== 'ClusterRole') continue;
      await admin.delete(object).catch((error: unknown) => console.error(`cleanup: ${(error as Error).message}`));
    }
    sar?.close();
    admin?.close();
  });

  test('the controller aggregates ClusterRoles as Palisade computes offline (fixed point, chained, duplicates skipped)', async () => {
    const offline = buildRbacModel(parseManifests({ file: 'policy.yaml', text: policyText }).objects);
    for (const name of [`oracle-agg-${run}`, `oracle-aa-chained-${run}`]) {
      const expected = offline.roles.get(`ClusterRole/${name}`)!.rules.map((rule) => ruleKey(rule.rule));
      assert.ok(expected.length > 0);
      assert.equal(new Set(expected).size, expected.length, 'duplicate rules are skipped');
      let live: string[] = [];
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline) {
        const result = await admin.request('GET', `${RBAC_API}/clusterroles/${name}`);
        live = ((result.body['rules'] as unknown[] | undefined) ?? []).map((rule) => ruleKey(parsePolicyRule(rule as JsonObject)));
        if (sameRuleSets(live, expected)) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      assert.deepEqual([...live].sort(), [...expected].sort(), `rules of ClusterRole ${name}: live (controller) vs offline`);
    }
  });

  test('the implicit groups given to the oracle are the ones Palisade derives for binding subjects', () => {
    assert.deepEqual(serviceAccountUser(NS_A, 'sa-a'), serviceAccount(NS_A, 'sa-a'));
    assert.deepEqual(userForSubject('ServiceAccount', 'default', NS_B), serviceAccount(NS_B, 'default'));
    assert.deepEqual(userForSubject('User', 'alice'), user('alice'));
    assert.deepEqual(userForSubject('User', 'system:anonymous'), ANONYMOUS);
  });

  test('every (identity, request, namespace) tuple gets the API server answer from both models', async (t) => {
    const requests = [...resourceRequests(), ...nonResourceRequests()];
    const tuples: Tuple[] = IDENTITIES.flatMap((who) => requests.map((request) => ({ user: who, request })));
    // One identity in system:masters: allowed everything. (The bootstrap policy also binds system:masters to
    // cluster-admin, so RBAC alone agrees; authorizer.test.ts checks the bypass on a model without that binding.)
    const root = user(`root-${run}`, 'system:masters');
    tuples.push(
      { user: root, request: { kind: 'resource', verb: 'delete', apiGroup: '', resource: 'secrets', name: 'db', namespace: NS_A } },
      { user: root, request: { kind: 'resource', verb: 'escalate', apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', namespace: '' } },
      { user: root, request: { kind: 'nonResource', verb: 'get', path: '/logs/kube-apiserver.log' } },
    );

    for (let attempt = 1; ; attempt++) {
      const before = await rbacSnapshot(admin);
      const manifest = manifestModel(foreignPolicyYaml(before.objects));
      const live = await liveModel();
      const started = performance.now();
      const answers = await sar.reviewAll(tuples);
      const seconds = (performance.now() - started) / 1000;
      const afterwards = await rbacSnapshot(admin);
      if (afterwards.fingerprint !== before.fingerprint && attempt < 3) {
        // Another user of the shared control plane changed RBAC objects while the reviews ran: ask again.
        t.diagnostic(`attempt ${attempt}: RBAC objects changed during the reviews; retrying`);
        continue;
      }
      const masters = answers.slice(-3);
      assert.ok(masters.every((answer) => answer.allowed), 'system:masters is allowed everything by the API server');
      const disagreements = [...compare(t, 'manifest model', manifest, tuples, answers), ...compare(t, 'live model', live, tuples, answers)];
      const summary = `compared ${tuples.length} tuples (${IDENTITIES.length} identities × ${requests.length} requests + 3 system:masters) against SubjectAccessReview (${Math.round(tuples.length / seconds)}/s), for 2 models × (authorize, whoCan): ${4 * tuples.length - disagreements.length} of ${4 * tuples.length} answers agree`;
      console.log(summary);
      t.diagnostic(summary);
      if (disagreements.length > 0) {
        assert.fail(`${disagreements.length} disagreements with the API server; first ${Math.min(40, disagreements.length)}:\n${disagreements.slice(0, 40).join('\n')}`);
      }
      break;
    }
  });
});
