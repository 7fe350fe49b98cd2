// Benchmark: scan a live cluster. Starts the real control plane (scripts/control-plane: etcd and kube-apiserver on
// loopback), loads a realistic mix of N objects into namespaces bench-000 … bench-099 once, then times the real
// `bin/palisade scan --cluster` (process start included), printing objects per second and the scanning process's
// peak RSS (measure.ts, as bench/run.ts does).
//
//   node bench/cluster.ts                          # 20,000 objects, 3 timed runs
//   node bench/cluster.ts --objects 50000 --runs 1
//   node bench/cluster.ts --stop                   # stop the control plane afterwards if this run started it
//
// Loading is idempotent: the ConfigMap bench-meta/loaded records how many bench objects the cluster holds; a larger
// --objects adds the missing ones, a smaller one deletes the extra ones (object i is the same whatever N is). The
// objects stay in the cluster afterwards, so later runs only scan. Other sessions may share the control plane: only
// namespaces named bench-* are written, and the control plane is left running unless --stop is given and this
// run started it.
//
// Counted in N: 100 Namespaces, their `default` ServiceAccounts (no controller-manager runs to create them, and a Pod
// needs one) and N - 200 namespaced objects: Deployments, StatefulSets, DaemonSets, Jobs, CronJobs, bare Pods
// (no controllers run, so workloads create no pods), Services, ConfigMaps, Secrets, ServiceAccounts, Roles,
// RoleBindings and NetworkPolicies, a third of the workloads hardened. The service CIDR is a /24, so only 60
// Services get a cluster IP (ClusterIP, NodePort, LoadBalancer); the rest are headless or ExternalName.
// The scan also reads whatever else the cluster holds (built-in RBAC, flow control, other sessions' test objects).

import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { prng } from './generate.ts';

const root = resolve(import.meta.dirname, '..');
const CONTROL_PLANE = join(root, 'scripts', 'control-plane');
const NAMESPACES = 100;
const FIXED = 2 * NAMESPACES;
const MARKER = { namespace: 'bench-meta', name: 'loaded' } as const;
/** Bump when the builders change: a cluster loaded by another version is not reused object by object. */
const GENERATOR = '1';

const { values } = parseArgs({
  options: {
    objects: { type: 'string', default: '20000' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    stop: { type: 'boolean', default: false },
  },
});
const total = Number(values.objects);
const runs = Math.max(1, Number(values.runs));
const concurrency = Math.max(1, Number(values.concurrency));
if (!Number.isInteger(total) || total < FIXED) {
  console.error(`--objects must be a whole number of at least ${FIXED} (the namespaces and their default service accounts)`);
  process.exit(2);
}

// ---------- deterministic object builders ----------

type Json = Record<string, unknown>;
interface BenchObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** Object i's own random stream: the same whatever N is. */
const randomFor = (index: number): (() => number) => prng(Math.imul(index + 1, 0x9e3779b1) ^ 42);
const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const namespaceName = (n: number): string => `bench-${String(n).padStart(3, '0')}`;
const token = (random: () => number): string => Math.floor(random() * 2 ** 48).toString(36);

const MIX = [
  ['Deployment', 18],
  ['StatefulSet', 4],
  ['DaemonSet', 2],
  ['Job', 2],
  ['CronJob', 4],
  ['Pod', 10],
  ['Service', 10],
  ['ConfigMap', 20],
  ['Secret', 3],
  ['ServiceAccount', 8],
  ['Role', 6],
  ['RoleBinding', 7],
  ['NetworkPolicy', 6],
] as const;
type MixKind = (typeof MIX)[number][0];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);

function kindOf(index: number): MixKind {
  let roll = randomFor(index)() * MIX_TOTAL;
  for (const [kind, weight] of MIX) {
    if (roll < weight) return kind;
    roll -= weight;
  }
  return 'ConfigMap';
}

const IMAGES = ['nginx:1.27', 'registry.example.com/shop/api:2.3.1', 'redis', 'postgres:16', 'ghcr.io/acme/worker:latest', 'busybox:1.36', 'quay.io/prometheus/node-exporter:v1.8.2'];

function container(name: string, random: () => number, secure: boolean): Json {
  const image = secure ? `registry.example.com/team/${name}:1.${Math.floor(random() * 20)}.0@sha256:${'cd'.repeat(32)}` : pick(random, IMAGES);
  const port: Json = { name: 'http', containerPort: 8000 + Math.floor(random() * 100) };
  if (!secure && random() < 0.2) port['hostPort'] = 30000 + Math.floor(random() * 1000);
  const env: Json[] = [{ name: 'LOG_LEVEL', value: pick(random, ['info', 'debug', 'warn']) }];
  if (!secure && random() < 0.2) env.push({ name: 'API_TOKEN', value: `tok-${token(random)}` });
  else env.push({ name: 'API_TOKEN', valueFrom: { secretKeyRef: { name: 'api', key: 'token' } } });
  const spec: Json = { name, image, ports: [port], env, volumeMounts: [{ name: 'data', mountPath: '/data' }] };
  if (random() < 0.6) {
    spec['readinessProbe'] = { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 };
    spec['livenessProbe'] = { httpGet: { path: '/livez', port: 'http' }, initialDelaySeconds: 15 };
  }
  if (secure) {
    spec['imagePullPolicy'] = 'Always';
    spec['securityContext'] = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
    spec['resources'] = { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } };
  } else {
    const roll = random();
    if (roll < 0.1) spec['securityContext'] = { privileged: true };
    else if (roll < 0.25) spec['securityContext'] = { capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } };
    else if (roll < 0.45) spec['securityContext'] = { runAsUser: 0, allowPrivilegeEscalation: true };
    if (random() < 0.5) spec['resources'] = { limits: { memory: '512Mi' } };
  }
  return spec;
}

/** A pod spec; a bare Pod runs as its namespace's `default` account (admission requires the account to exist). */
function podSpec(name: string, random: () => number, secure: boolean, barePod: boolean): Json {
  const spec: Json = {};
  if (secure) {
    spec['serviceAccountName'] = barePod ? 'default' : name;
    spec['automountServiceAccountToken'] = false;
    spec['securityContext'] = { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: 'RuntimeDefault' } };
  } else {
    if (random() < 0.12) spec['hostNetwork'] = true;
    if (random() < 0.08) spec['hostPID'] = true;
    if (random() < 0.03) spec['hostIPC'] = true;
  }
  const containers = [container(name, random, secure)];
  if (random() < 0.3) containers.push(container(`${name}-sidecar`, random, secure));
  // On the host network a declared host port must equal the container port.
  if (spec['hostNetwork'] === true) for (const each of containers) for (const port of each['ports'] as Json[]) if ('hostPort' in port) port['hostPort'] = port['containerPort'];
  spec['containers'] = containers;
  if (random() < 0.1) spec['initContainers'] = [{ ...container(`${name}-init`, random, secure), ports: [], readinessProbe: undefined, livenessProbe: undefined }];
  const volumes: Json[] = [{ name: 'data', ...(!secure && random() < 0.12 ? { hostPath: { path: pick(random, ['/var/run/docker.sock', '/', '/etc', '/var/log']) } } : { emptyDir: {} }) }];
  if (random() < 0.3) volumes.push({ name: 'config', configMap: { name: `${name}-config` } });
  if (random() < 0.2) volumes.push({ name: 'certs', secret: { secretName: `${name}-tls` } });
  spec['volumes'] = volumes;
  return JSON.parse(JSON.stringify(spec)) as Json; // drops the undefined probes of init containers
}

function workload(kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'Pod', name: string, namespace: string, random: () => number): BenchObject {
  const secure = random() < 0.35;
  const labels = { app: name, tier: pick(random, ['web', 'api', 'batch', 'data']), team: `team-${Math.floor(random() * 12)}` };
  const metadata = { name, namespace, labels };
  const batch = kind === 'Job' || kind === 'CronJob';
  const spec = podSpec(name, random, secure, kind === 'Pod');
  if (batch) spec['restartPolicy'] = 'OnFailure';
  if (kind === 'Pod') return { apiVersion: 'v1', kind, metadata, spec };
  const template = { metadata: { labels: { app: name } }, spec };
  if (kind === 'Job') return { apiVersion: 'batch/v1', kind, metadata, spec: { backoffLimit: 3, template } };
  if (kind === 'CronJob') return { apiVersion: 'batch/v1', kind, metadata, spec: { schedule: `${Math.floor(random() * 60)} * * * *`, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template } } } };
  const selector = { matchLabels: { app: name } };
  if (kind === 'DaemonSet') return { apiVersion: 'apps/v1', kind, metadata, spec: { selector, template } };
  const replicas = 1 + Math.floor(random() * 5);
  if (kind === 'Deployment') return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas, selector, template, strategy: { type: 'RollingUpdate' } } };
  const claims = random() < 0.5 ? [{ metadata: { name: 'state' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: `${1 + Math.floor(random() * 20)}Gi` } } } }] : [];
  return { apiVersion: 'apps/v1', kind, metadata, spec: { replicas, serviceName: name, selector, template, volumeClaimTemplates: claims } };
}

/** The first Service slot of a namespace, if it is one of the 60 that get a cluster IP (the service CIDR is a /24). */
function allocatesClusterIp(slot: number, namespace: number): boolean {
  if (namespace >= 60) return false;
  for (let first = namespace; ; first += NAMESPACES) if (kindOf(FIXED + first) === 'Service') return first === slot;
}

function service(slot: number, namespace: number, name: string, random: () => number): BenchObject {
  const metadata = { name, namespace: namespaceName(namespace), labels: { app: name } };
  const ports = [{ name: 'http', port: 80, targetPort: 'http' }];
  if (allocatesClusterIp(slot, namespace)) {
    const type = namespace % 6 === 0 ? 'LoadBalancer' : namespace % 6 === 1 ? 'NodePort' : 'ClusterIP';
    const spec: Json = { type, selector: { app: `app-${slot}` }, ports };
    if (type === 'LoadBalancer' && namespace % 12 === 0) spec['loadBalancerSourceRanges'] = ['10.0.0.0/8'];
    const internal = type === 'LoadBalancer' && namespace % 18 === 0 ? { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' } } : {};
    return { apiVersion: 'v1', kind: 'Service', metadata: { ...metadata, ...internal }, spec };
  }
  if (random() < 0.15) return { apiVersion: 'v1', kind: 'Service', metadata, spec: { type: 'ExternalName', externalName: `db-${slot}.example.com` } };
  return { apiVersion: 'v1', kind: 'Service', metadata, spec: { clusterIP: 'None', selector: { app: `app-${slot}` }, ports } };
}

function configMap(name: string, namespace: string, random: () => number): BenchObject {
  const lines = Array.from({ length: 3 + Math.floor(random() * 30) }, (_, i) => `setting.${i}=${token(random)}`);
  const data: Record<string, string> = { 'app.properties': lines.join('\n'), 'settings.json': JSON.stringify({ feature: random() < 0.5, replicas: Math.floor(random() * 10) }) };
  if (random() < 0.08) data['DB_PASSWORD'] = `pw-${token(random)}`;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { app: name } }, data };
}

function secret(name: string, namespace: string, random: () => number): BenchObject {
  const b64 = (text: string): string => Buffer.from(text).toString('base64');
  const roll = random();
  if (roll < 0.2) return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(`cert-${token(random)}`), 'tls.key': b64(`key-${token(random)}`) } };
  if (roll < 0.3) {
    const auth = JSON.stringify({ auths: { 'registry.example.com': { auth: b64(`bot:${token(random)}`) } } });
    return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(auth) } };
  }
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: { username: b64('app'), password: b64(token(random)), token: b64(token(random)) } };
}

function role(name: string, namespace: string, random: () => number): BenchObject {
  const roll = random();
  const rules =
    roll < 0.1
      ? [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]
      : roll < 0.25
        ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }]
        : roll < 0.35
          ? [{ apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create'] }, { apiGroups: [''], resources: ['pods'], verbs: ['get'] }]
          : [{ apiGroups: ['', 'apps'], resources: ['pods', 'configmaps', 'deployments'], verbs: ['get', 'list', 'watch'] }];
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules };
}

function roleBinding(slot: number, name: string, namespace: string, random: () => number): BenchObject {
  const roll = random();
  const roleRef =
    roll < 0.6
      ? { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `obj-${Math.max(0, slot - NAMESPACES * Math.floor(random() * 5))}` }
      : { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: pick(random, ['view', 'edit', 'admin', 'cluster-admin']) };
  const subjectRoll = random();
  const subjects =
    subjectRoll < 0.7
      ? [{ kind: 'ServiceAccount', name: pick(random, ['default', `obj-${slot}`]), namespace }]
      : subjectRoll < 0.9
        ? [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: pick(random, ['developers', 'oncall', 'system:authenticated']) }]
        : [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: `user-${token(random)}@example.com` }];
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name, namespace }, roleRef, subjects };
}

function networkPolicy(name: string, namespace: string, random: () => number): BenchObject {
  const roll = random();
  const metadata = { name, namespace };
  if (roll < 0.4) return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } };
  const from = roll < 0.6 ? [{ ipBlock: { cidr: '0.0.0.0/0' } }] : [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata,
    spec: { podSelector: { matchLabels: { app: `app-${Math.floor(random() * 1000)}` } }, policyTypes: ['Ingress'], ingress: [{ from, ports: [{ protocol: 'TCP', port: 8080 }] }] },
  };
}

/** Bench object `index` (0 ≤ index < N) and its load phase: namespaces, then service accounts, then the rest. */
function benchObject(index: number): { phase: 0 | 1 | 2; object: BenchObject } {
  if (index < NAMESPACES) {
    const labels: Record<string, string> = { 'palisade.dev/bench': 'true' };
    if (index % 4 === 1) Object.assign(labels, { 'pod-security.kubernetes.io/warn': 'baseline', 'pod-security.kubernetes.io/audit': 'restricted' });
    if (index % 4 === 2) labels['pod-security.kubernetes.io/enforce'] = 'privileged';
    return { phase: 0, object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName(index), labels } } };
  }
  if (index < FIXED) return { phase: 1, object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: namespaceName(index - NAMESPACES) } } };
  const slot = index - FIXED;
  const namespaceIndex = slot % NAMESPACES;
  const namespace = namespaceName(namespaceIndex);
  const kind = kindOf(index);
  const random = randomFor(index);
  random(); // the kind's draw
  const name = kind === 'Service' || kind === 'Deployment' || kind === 'StatefulSet' || kind === 'DaemonSet' || kind === 'Job' || kind === 'CronJob' || kind === 'Pod' ? `app-${slot}` : `obj-${slot}`;
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
    case 'CronJob':
    case 'Pod':
      return { phase: 2, object: workload(kind, name, namespace, random) };
    case 'Service':
      return { phase: 2, object: service(slot, namespaceIndex, name, random) };
    case 'ConfigMap':
      return { phase: 2, object: configMap(name, namespace, random) };
    case 'Secret':
      return { phase: 2, object: secret(name, namespace, random) };
    case 'ServiceAccount': {
      const account: BenchObject = { apiVersion: 'v1', kind, metadata: { name, namespace } };
      return { phase: 1, object: random() < 0.4 ? { ...account, automountServiceAccountToken: false } : random() < 0.3 ? { ...account, imagePullSecrets: [{ name: 'registry' }] } : account };
    }
    case 'Role':
      return { phase: 2, object: role(name, namespace, random) };
    case 'RoleBinding':
      return { phase: 2, object: roleBinding(slot, name, namespace, random) };
    case 'NetworkPolicy':
      return { phase: 2, object: networkPolicy(name, namespace, random) };
  }
}

// ---------- a minimal admin client with many requests in flight ----------

const PLURALS: Readonly<Record<string, string>> = {
  Namespace: 'namespaces',
  Pod: 'pods',
  Service: 'services',
  ServiceAccount: 'serviceaccounts',
  ConfigMap: 'configmaps',
  Secret: 'secrets',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  NetworkPolicy: 'networkpolicies',
};

function collectionPath(object: BenchObject): string {
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const plural = PLURALS[object.kind]!;
  return object.metadata.namespace === undefined ? `${base}/${plural}` : `${base}/namespaces/${object.metadata.namespace}/${plural}`;
}

interface Answer {
  readonly status: number;
  readonly text: string;
}

class AdminClient {
  readonly #server: URL;
  readonly #agent: https.Agent;
  /** Answers 429 (and 5xx) that were retried, by status. */
  readonly retried = new Map<number, number>();

  constructor(kubeconfig: string, sockets: number) {
    interface Kubeconfig {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      users: { user: { 'client-certificate-data': string; 'client-key-data': string } }[];
    }
    const config = yaml.load(readFileSync(kubeconfig, 'utf8')) as Kubeconfig;
    const { cluster } = config.clusters[0]!;
    const { user } = config.users[0]!;
    const decode = (value: string): Buffer => Buffer.from(value, 'base64');
    this.#server = new URL(cluster.server);
    this.#agent = new https.Agent({
      ca: decode(cluster['certificate-authority-data']),
      cert: decode(user['client-certificate-data']),
      key: decode(user['client-key-data']),
      keepAlive: true,
      maxSockets: sockets,
    });
  }

  #once(method: string, path: string, body: string | undefined): Promise<Answer & { retryAfter: number }> {
    return new Promise((resolvePromise, reject) => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      // An explicit length: Node sends a DELETE body neither chunked nor sized otherwise.
      if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
      const request = https.request(new URL(path, this.#server), { method, agent: this.#agent, headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolvePromise({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: Number(response.headers['retry-after'] ?? 1) || 1 }),
        );
      });
      request.on('error', reject);
      request.end(body);
    });
  }

  /** One request; 429 and 5xx answers are retried (after Retry-After, at most 8 times) and counted. */
  async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const text = body === undefined ? undefined : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const answer = await this.#once(method, path, text);
      if ((answer.status !== 429 && answer.status < 500) || attempt === 8) return answer;
      this.retried.set(answer.status, (this.retried.get(answer.status) ?? 0) + 1);
      await new Promise((wake) => setTimeout(wake, Math.min(answer.retryAfter, 5) * 1000));
    }
  }

  close(): void {
    this.#agent.destroy();
  }
}

async function mapPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

// ---------- loading ----------

interface Marker {
  readonly objects: number;
  readonly generator: string;
}

async function readMarker(client: AdminClient): Promise<Marker | undefined> {
  const answer = await client.request('GET', `/api/v1/namespaces/${MARKER.namespace}/configmaps/${MARKER.name}`);
  if (answer.status === 404) return undefined;
  if (answer.status !== 200) throw new Error(`reading the bench marker: HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
  const data = (JSON.parse(answer.text) as { data?: Record<string, string> }).data ?? {};
  return { objects: Number(data['objects'] ?? 0), generator: data['generator'] ?? '' };
}

async function writeMarker(client: AdminClient, marker: Marker): Promise<void> {
  const namespace = await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: MARKER.namespace } });
  if (namespace.status !== 201 && namespace.status !== 409) throw new Error(`creating namespace ${MARKER.namespace}: HTTP ${namespace.status}: ${namespace.text.slice(0, 300)}`);
  const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: MARKER.name, namespace: MARKER.namespace }, data: { objects: String(marker.objects), generator: marker.generator } };
  const answer = await client.request('PUT', `/api/v1/namespaces/${MARKER.namespace}/configmaps/${MARKER.name}`, body);
  if (answer.status === 404) {
    const created = await client.request('POST', `/api/v1/namespaces/${MARKER.namespace}/configmaps`, body);
    if (created.status !== 201) throw new Error(`writing the bench marker: HTTP ${created.status}: ${created.text.slice(0, 300)}`);
  } else if (answer.status !== 200) {
    throw new Error(`writing the bench marker: HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
}

/** Runs creates (409: already there) or deletes (404: already gone), printing the rate; failures end the run. */
async function apply(client: AdminClient, action: 'create' | 'delete', indexes: readonly number[]): Promise<void> {
  const phases: BenchObject[][] = [[], [], []];
  for (const index of indexes) {
    const { phase, object } = benchObject(index);
    phases[phase]!.push(object);
  }
  if (action === 'delete') phases.reverse();
  const started = performance.now();
  const failures: string[] = [];
  let done = 0;
  let existing = 0;
  let lastReport = started;
  for (const phase of phases) {
    await mapPool(phase, concurrency, async (object) => {
      const answer =
        action === 'create'
          ? await client.request('POST', collectionPath(object), object)
          : // Background: batch/v1 Jobs default to orphaning, whose finalizer only the garbage collector (not running) removes.
            await client.request('DELETE', `${collectionPath(object)}/${object.metadata.name}`, { apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background' });
      const ok = action === 'create' ? answer.status === 201 || answer.status === 200 : answer.status === 200 || answer.status === 202;
      const already = action === 'create' ? answer.status === 409 : answer.status === 404;
      if (already) existing++;
      else if (!ok) failures.push(`${action} ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: HTTP ${answer.status}: ${answer.text.slice(0, 300)}`);
      done++;
      const now = performance.now();
      if (now - lastReport > 5000) {
        lastReport = now;
        console.log(`  ${done.toLocaleString('en-US')} of ${indexes.length.toLocaleString('en-US')} (${Math.round(done / ((now - started) / 1000))}/s)`);
      }
    });
    if (failures.length > 0) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const verb = action === 'create' ? 'created' : 'deleted';
  const retries = [...client.retried].map(([status, count]) => `${count} × HTTP ${status}`).join(', ') || 'none';
  console.log(
    `${verb} ${(done - existing - failures.length).toLocaleString('en-US')} objects in ${seconds.toFixed(1)} s (${Math.round(done / seconds).toLocaleString('en-US')} requests/s, ${concurrency} in flight; ${existing} ${action === 'create' ? 'already existed' : 'already gone'}; retried: ${retries})`,
  );
  if (failures.length > 0) {
    for (const failure of failures.slice(0, 10)) console.error(failure);
    throw new Error(`${failures.length} ${action} requests failed`);
  }
}

async function load(kubeconfig: string): Promise<void> {
  const client = new AdminClient(kubeconfig, concurrency);
  try {
    const marker = await readMarker(client);
    if (marker && marker.generator !== GENERATOR) {
      throw new Error(
        `the cluster holds bench objects from generator version ${marker.generator} (this is ${GENERATOR}); restart the control plane when no other session uses it (scripts/control-plane down && scripts/control-plane up) to load afresh`,
      );
    }
    const loaded = marker?.objects ?? 0;
    if (loaded === total) {
      console.log(`${total.toLocaleString('en-US')} bench objects already loaded (ConfigMap ${MARKER.namespace}/${MARKER.name})`);
      return;
    }
    if (loaded < total) {
      console.log(`loading bench objects ${loaded.toLocaleString('en-US')} … ${(total - 1).toLocaleString('en-US')} into ${NAMESPACES} namespaces bench-NNN`);
      await apply(client, 'create', Array.from({ length: total - loaded }, (_, i) => loaded + i));
    } else {
      console.log(`deleting bench objects ${total.toLocaleString('en-US')} … ${(loaded - 1).toLocaleString('en-US')} (the cluster held ${loaded.toLocaleString('en-US')})`);
      await apply(client, 'delete', Array.from({ length: loaded - total }, (_, i) => total + i));
    }
    await writeMarker(client, { objects: total, generator: GENERATOR });
  } finally {
    client.close();
  }
}

// ---------- the control plane and the timed scans ----------

function cpuSeconds(pidFile: string): number | undefined {
  try {
    const pid = readFileSync(pidFile, 'utf8').trim();
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ (100 on Linux)
  } catch {
    return undefined;
  }
}

interface Run {
  readonly seconds: number;
  readonly rssMiB: number;
  readonly cpuSeconds: number;
  readonly apiserverCpu: number | undefined;
  readonly etcdCpu: number | undefined;
}

function scan(kubeconfig: string, stdout: number | 'ignore'): Run {
  const statsFile = join(tmpdir(), `palisade-bench-stats-${process.pid}.json`);
  const runDir = join(root, '.cache', 'control-plane', 'run');
  const serverBefore = [cpuSeconds(join(runDir, 'kube-apiserver.pid')), cpuSeconds(join(runDir, 'etcd.pid'))];
  const started = performance.now();
  const result = spawnSync(join(root, 'bin', 'palisade'), ['scan', '--cluster', '--kubeconfig', kubeconfig, '--format', 'json', '--fail-on', 'none'], {
    cwd: root,
    env: { ...process.env, BENCH_STATS_FILE: statsFile, NODE_OPTIONS: `--import=${join(root, 'bench', 'measure.ts')}` },
    stdio: ['ignore', stdout, 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  const serverAfter = [cpuSeconds(join(runDir, 'kube-apiserver.pid')), cpuSeconds(join(runDir, 'etcd.pid'))];
  if (result.status !== 0) throw new Error(`scan failed with exit code ${result.status}: ${result.stderr.toString().slice(0, 2000)}`);
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { maxRssKiB: number; userMs: number; systemMs: number };
  rmSync(statsFile, { force: true });
  const delta = (i: number): number | undefined => (serverBefore[i] === undefined || serverAfter[i] === undefined ? undefined : serverAfter[i]! - serverBefore[i]!);
  return { seconds, rssMiB: stats.maxRssKiB / 1024, cpuSeconds: (stats.userMs + stats.systemMs) / 1000, apiserverCpu: delta(0), etcdCpu: delta(1) };
}

const wasRunning = spawnSync(CONTROL_PLANE, ['status'], { stdio: 'ignore' }).status === 0;
const up = spawnSync(CONTROL_PLANE, ['up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (up.status !== 0) {
  console.error(`scripts/control-plane up failed (exit ${up.status})`);
  process.exit(1);
}
const kubeconfig = up.stdout.trim().split('\n').at(-1)!;
console.log(`control plane ${wasRunning ? 'already running' : 'started'}; admin kubeconfig ${kubeconfig}`);

try {
  await load(kubeconfig);

  // One untimed scan with the report kept, for the object count (and to warm the API server's caches).
  const reportFile = join(tmpdir(), `palisade-bench-report-${process.pid}.json`);
  const fd = openSync(reportFile, 'w', 0o600);
  let report: { summary: { objects: number; findings: number }; cluster?: { serverVersion?: string; resources?: number }; errors: unknown[]; warnings?: unknown[] };
  try {
    scan(kubeconfig, fd);
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as typeof report;
  } finally {
    closeSync(fd);
    rmSync(reportFile, { force: true });
  }
  const objects = report.summary.objects;
  const version = report.cluster?.serverVersion ?? '?';
  console.log(
    `report: ${objects.toLocaleString('en-US')} objects from ${report.cluster?.resources ?? '?'} resource lists, ${report.summary.findings.toLocaleString('en-US')} findings, ${report.errors.length} errors, ${report.warnings?.length ?? 0} warnings`,
  );

  console.log(`bin/palisade scan --cluster --format json on node ${process.version}, kube-apiserver ${version}, ${runs} timed run(s)`);
  console.log('run  seconds  objects/s  peak RSS MiB  scan CPU s  apiserver CPU s  etcd CPU s');
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) {
    const run = scan(kubeconfig, 'ignore');
    results.push(run);
    const optional = (value: number | undefined): string => (value === undefined ? '?' : value.toFixed(1));
    console.log(
      `${String(i + 1).padStart(3)}  ${run.seconds.toFixed(2).padStart(7)}  ${Math.round(objects / run.seconds).toString().padStart(9)}  ${run.rssMiB.toFixed(0).padStart(12)}  ${run.cpuSeconds.toFixed(1).padStart(10)}  ${optional(run.apiserverCpu).padStart(15)}  ${optional(run.etcdCpu).padStart(10)}`,
    );
  }
  const sorted = results.map((run) => run.seconds).sort((a, b) => a - b);
  const best = sorted[0]!;
  const median = sorted.length % 2 === 1 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  const peak = Math.max(...results.map((run) => run.rssMiB));
  console.log(`best ${best.toFixed(2)} s, median ${median.toFixed(2)} s, ${Math.round(objects / best).toLocaleString('en-US')} objects/s (best), peak RSS ${peak.toFixed(0)} MiB (highest of the runs)`);
  console.log(
    `cluster scan: ${objects.toLocaleString('en-US')} objects in ${best.toFixed(1)} s (best of ${runs}, median ${median.toFixed(1)} s; ${Math.round(objects / best).toLocaleString('en-US')} objects/s), peak RSS ${peak.toFixed(0)} MiB — kube-apiserver ${version} on loopback, ${availableParallelism()} cores`,
  );
} finally {
  if (values.stop && !wasRunning) spawnSync(CONTROL_PLANE, ['down'], { stdio: 'inherit' });
  else if (!wasRunning) console.log('the control plane this run started is left running with the bench objects; stop it with: scripts/control-plane down');
}
