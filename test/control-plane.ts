// The real control plane (scripts/control-plane) for integration tests, and a minimal admin API client to set up
// what the tests scan. Test code: it reads kubeconfigs written by our own script (client certificates only).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { REPO } from './cli-helpers.ts';

const SCRIPT = join(REPO, 'scripts', 'control-plane');

export interface ControlPlane {
  readonly adminKubeconfig: string;
  kubeconfigFor(user: string, ...groups: string[]): string;
}

/** Starts (building first if needed) the control plane; undefined with a reason when it cannot run here. */
export function startControlPlane(): ControlPlane | { skip: string } {
  if (spawnSync('go', ['version']).status !== 0 && !process.env['CI']) return { skip: 'Go is not installed: cannot build kube-apiserver and etcd' };
  const up = spawnSync(SCRIPT, ['up'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 45 * 60_000 });
  if (up.status !== 0) throw new Error(`scripts/control-plane up failed (exit ${up.status})`);
  const adminKubeconfig = up.stdout.trim().split('\n').at(-1)!;
  return {
    adminKubeconfig,
    kubeconfigFor(user, ...groups) {
      const result = spawnSync(SCRIPT, ['kubeconfig', user, ...groups], { encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`scripts/control-plane kubeconfig failed: ${result.stderr}`);
      return result.stdout.trim();
    },
  };
}

export interface ApiResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

interface KubeconfigFile {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
}

/** Plural resource names of the kinds the tests create. */
const PLURALS: Readonly<Record<string, string>> = {
  Namespace: 'namespaces',
  Pod: 'pods',
  Deployment: 'deployments',
  DaemonSet: 'daemonsets',
  Service: 'services',
  ServiceAccount: 'serviceaccounts',
  Secret: 'secrets',
  ConfigMap: 'configmaps',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  CustomResourceDefinition: 'customresourcedefinitions',
};

export class KubeApi {
  readonly server: string;
  readonly #agent: https.Agent;

  constructor(kubeconfig: string) {
    const config = yaml.load(readFileSync(kubeconfig, 'utf8')) as KubeconfigFile;
    const cluster = config.clusters[0]!.cluster;
    const user = config.users[0]!.user;
    this.server = cluster.server;
    const decode = (value: string | undefined): Buffer | undefined => (value === undefined ? undefined : Buffer.from(value, 'base64'));
    const cert = decode(user['client-certificate-data']);
    const key = decode(user['client-key-data']);
    this.#agent = new https.Agent({ ca: decode(cluster['certificate-authority-data']), ...(cert ? { cert } : {}), ...(key ? { key } : {}), keepAlive: true, maxSockets: 8 });
  }

  request(method: string, path: string, body?: unknown): Promise<ApiResult> {
    return new Promise((resolve, reject) => {
      const request = https.request(
        new URL(path, this.server),
        { method, agent: this.#agent, headers: { 'Content-Type': 'application/json', Accept: 'application/json' } },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown> = {};
            try {
              parsed = JSON.parse(text) as Record<string, unknown>;
            } catch {
              parsed = { text };
            }
            resolve({ status: response.statusCode ?? 0, body: parsed });
          });
        },
      );
      request.on('error', reject);
      request.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  static collectionPath(object: { apiVersion: string; kind: string; metadata: { namespace?: string } }): string {
    const plural = PLURALS[object.kind];
    if (!plural) throw new Error(`test API client knows no plural for ${object.kind}`);
    const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    return object.metadata.namespace ? `${base}/namespaces/${object.metadata.namespace}/${plural}` : `${base}/${plural}`;
  }

  /** Creates an object (as kubectl create does); returns the created object. Fails the test on any error. */
  async create<T extends { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }>(object: T): Promise<Record<string, unknown>> {
    const result = await this.request('POST', KubeApi.collectionPath(object), object);
    if (result.status !== 201 && result.status !== 200) {
      throw new Error(`create ${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name}: HTTP ${result.status}: ${JSON.stringify(result.body).slice(0, 500)}`);
    }
    return result.body;
  }

  async delete(object: { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } }): Promise<void> {
    const result = await this.request('DELETE', `${KubeApi.collectionPath(object)}/${object.metadata.name}`);
    if (result.status !== 200 && result.status !== 202 && result.status !== 404) throw new Error(`delete ${object.kind} ${object.metadata.name}: HTTP ${result.status}`);
  }

  close(): void {
    this.#agent.destroy();
  }
}
