// Which cluster and identity to use, resolved as kubectl does: --kubeconfig, else $KUBECONFIG (a list of files,
// the first to set a value wins), else ~/.kube/config, else the in-cluster service account when run as a pod.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';

export interface KubeconfigRequest {
  /** --kubeconfig: one file, as in kubectl. */
  readonly kubeconfig?: string;
  /** --context */
  readonly context?: string;
  /** The process environment, passed in by the CLI (only the CLI reads the real one). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export interface ResolvedKubeconfig {
  readonly config: KubeConfig;
  readonly context: string;
  readonly server: string;
  /** Where it came from, for messages: a file path or `in-cluster service account`. */
  readonly source: string;
}

/** A kubeconfig that cannot be used: no file, a bad file, an unknown context. One clean line for the user. */
export class KubeconfigError extends Error {}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

type KubeConfigClass = new () => KubeConfig;

async function kubeConfigClass(): Promise<KubeConfigClass> {
  // Loaded on demand: the client library takes most of a second to import, and file scans never need it.
  const module = await import('@kubernetes/client-node');
  return module.KubeConfig;
}

function absolute(file: string, cwd: string): string {
  return file.startsWith('/') ? file : join(cwd, file);
}

function loadFile(KubeConfigCtor: KubeConfigClass, file: string): KubeConfig {
  const config = new KubeConfigCtor();
  try {
    config.loadFromFile(file);
  } catch (error) {
    throw new KubeconfigError(`cannot load kubeconfig ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return config;
}

/** kubectl's merge of $KUBECONFIG files: clusters, users and contexts by name, first definition wins. */
function mergeFiles(KubeConfigCtor: KubeConfigClass, files: readonly string[]): KubeConfig {
  const merged = new KubeConfigCtor();
  const seen = { clusters: new Set<string>(), users: new Set<string>(), contexts: new Set<string>() };
  let currentContext = '';
  for (const file of files) {
    const config = loadFile(KubeConfigCtor, file);
    for (const cluster of config.getClusters()) {
      if (seen.clusters.has(cluster.name)) continue;
      seen.clusters.add(cluster.name);
      merged.addCluster(cluster);
    }
    for (const user of config.getUsers()) {
      if (seen.users.has(user.name)) continue;
      seen.users.add(user.name);
      merged.addUser(user);
    }
    for (const context of config.getContexts()) {
      if (seen.contexts.has(context.name)) continue;
      seen.contexts.add(context.name);
      merged.addContext(context);
    }
    if (currentContext === '' && config.getCurrentContext()) currentContext = config.getCurrentContext();
  }
  if (currentContext !== '') merged.setCurrentContext(currentContext);
  return merged;
}

export async function resolveKubeconfig(request: KubeconfigRequest): Promise<ResolvedKubeconfig> {
  const KubeConfigCtor = await kubeConfigClass();
  let config: KubeConfig;
  let source: string;
  const envList = (request.env['KUBECONFIG'] ?? '').split(delimiter).filter((file) => file !== '');
  const home = request.env['HOME'] ?? request.env['USERPROFILE'];
  const defaultFile = home !== undefined && home !== '' ? join(home, '.kube', 'config') : undefined;
  if (request.kubeconfig !== undefined) {
    const file = absolute(request.kubeconfig, request.cwd);
    if (!existsSync(file)) throw new KubeconfigError(`--kubeconfig ${request.kubeconfig}: no such file`);
    config = loadFile(KubeConfigCtor, file);
    source = request.kubeconfig;
  } else if (envList.length > 0) {
    const files = envList.map((file) => absolute(file, request.cwd)).filter((file) => existsSync(file));
    if (files.length === 0) throw new KubeconfigError(`KUBECONFIG names no existing file (${envList.join(delimiter)})`);
    config = mergeFiles(KubeConfigCtor, files);
    source = files.join(delimiter);
  } else if (defaultFile !== undefined && existsSync(defaultFile)) {
    config = loadFile(KubeConfigCtor, defaultFile);
    source = defaultFile;
  } else if (request.env['KUBERNETES_SERVICE_HOST'] && existsSync(join(SERVICE_ACCOUNT_DIR, 'token'))) {
    config = new KubeConfigCtor();
    try {
      config.loadFromCluster();
    } catch (error) {
      throw new KubeconfigError(`cannot use the in-cluster service account: ${error instanceof Error ? error.message : String(error)}`);
    }
    source = 'in-cluster service account';
  } else {
    throw new KubeconfigError('no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~/.kube/config');
  }

  if (request.context !== undefined) {
    if (!config.getContextObject(request.context)) {
      const known = config.getContexts().map((context) => context.name);
      throw new KubeconfigError(`context ${JSON.stringify(request.context)} not found in ${source}${known.length > 0 ? ` (contexts: ${known.join(', ')})` : ''}`);
    }
    config.setCurrentContext(request.context);
  }
  const context = config.getCurrentContext();
  if (!context) throw new KubeconfigError(`${source} sets no current context; pass --context NAME`);
  const contextObject = config.getContextObject(context);
  if (!contextObject) throw new KubeconfigError(`current context ${JSON.stringify(context)} is not defined in ${source}`);
  const cluster = config.getCurrentCluster();
  if (!cluster) throw new KubeconfigError(`context ${JSON.stringify(context)} names cluster ${JSON.stringify(contextObject.cluster)}, which ${source} does not define`);
  if (contextObject.user && !config.getCurrentUser()) {
    throw new KubeconfigError(`context ${JSON.stringify(context)} names user ${JSON.stringify(contextObject.user)}, which ${source} does not define`);
  }
  return { config, context, server: cluster.server, source };
}
