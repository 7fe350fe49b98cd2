// GET requests to a Kubernetes API server with the kubeconfig's credentials (client certificates, bearer tokens,
// exec credential plugins: all applied by @kubernetes/client-node), and the same server without credentials.
import http from 'node:http';
import https from 'node:https';
import { gunzipSync } from 'node:zlib';
import type { KubeConfig } from '@kubernetes/client-node';
import { asObject, asString } from '../../core/model.ts';

export interface ApiResponse {
  readonly status: number;
  readonly body: Buffer;
  /** `Warning` headers (deprecated APIs announce themselves this way). */
  readonly warnings: readonly string[];
}

export interface RequestOptions {
  readonly signal: AbortSignal;
  readonly accept?: string;
}

export interface ApiClient {
  readonly server: string;
  get(path: string, options: RequestOptions): Promise<ApiResponse>;
}

/** The request never got an HTTP answer: refused, TLS failure, credential plugin failure, abort. */
export class ApiConnectionError extends Error {}

/** An HTTP error answer, with the API's own `Status.message` when it sent one. */
export class ApiStatusError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const MAX_RESPONSE_BYTES = 512 * 1024 * 1024;

function isLoopback(server: string): boolean {
  try {
    const host = new URL(server).hostname;
    return host === 'localhost' || host.startsWith('127.') || host === '[::1]';
  } catch {
    return false;
  }
}

/** The `Status` message of an error body, else the start of the body. */
export function statusMessage(response: ApiResponse): string {
  const text = response.body.toString('utf8', 0, Math.min(response.body.length, 4096));
  try {
    const message = asString(asObject(JSON.parse(text))?.['message']);
    if (message) return message;
  } catch {
    // not JSON
  }
  return text.trim().split('\n')[0] ?? '';
}

export function parseJson(response: ApiResponse, what: string): unknown {
  try {
    return JSON.parse(response.body.toString('utf8'));
  } catch (error) {
    throw new ApiStatusError(response.status, `${what}: the API server sent a body that is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function describeNetworkError(error: unknown, server: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot connect to ${server}: connection refused (is the API server running and the kubeconfig's server right?)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve the API server host of ${server}`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'CERT_HAS_EXPIRED':
      return `TLS verification of ${server} failed (${code}): ${message}; check certificate-authority in the kubeconfig`;
    default:
      return `request to ${server} failed: ${message}`;
  }
}

type ApplyOptions = (options: https.RequestOptions) => Promise<void>;

function makeClient(server: string, apply: ApplyOptions): ApiClient {
  const base = new URL(server);
  const prefix = base.pathname.replace(/\/+$/, '');
  const secure = base.protocol === 'https:';
  // Over a network, gzip saves far more than it costs; on loopback it only costs CPU on both ends.
  const gzip = !isLoopback(server);
  return {
    server,
    async get(path, { signal, accept }) {
      const options: https.RequestOptions = {};
      try {
        await apply(options);
      } catch (error) {
        throw new ApiConnectionError(`cannot get credentials for ${server}: ${error instanceof Error ? error.message : String(error)}`);
      }
      const url = new URL(prefix + path, base);
      const headers: Record<string, string> = {
        ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([key, value]) => [key, String(value)])),
        Accept: accept ?? 'application/json',
        'User-Agent': 'palisade',
      };
      if (gzip) headers['Accept-Encoding'] = 'gzip';
      return await new Promise<ApiResponse>((resolvePromise, reject) => {
        const request = (secure ? https : http).request(url, { ...options, method: 'GET', headers, signal }, (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) {
              response.destroy(new Error(`response larger than ${MAX_RESPONSE_BYTES / 1048576} MiB`));
              return;
            }
            chunks.push(chunk);
          });
          response.on('error', (error) => reject(new ApiConnectionError(describeNetworkError(error, server))));
          response.on('end', () => {
            let body = Buffer.concat(chunks);
            if (response.headers['content-encoding'] === 'gzip') {
              try {
                body = gunzipSync(body);
              } catch (error) {
                reject(new ApiConnectionError(`bad gzip body from ${server}: ${error instanceof Error ? error.message : String(error)}`));
                return;
              }
            }
            const warning = response.headers['warning'];
            const warnings = warning === undefined ? [] : Array.isArray(warning) ? warning : [warning];
            resolvePromise({ status: response.statusCode ?? 0, body, warnings });
          });
        });
        request.on('error', (error) => {
          if (signal.aborted) reject(new ApiConnectionError(`request to ${server}${path} aborted: ${String(signal.reason instanceof Error ? signal.reason.message : signal.reason)}`));
          else reject(new ApiConnectionError(describeNetworkError(error, server)));
        });
        request.end();
      });
    },
  };
}

/** A client that authenticates as the kubeconfig's current context does (fresh credentials per request). */
export function createApiClient(config: KubeConfig, server: string): ApiClient {
  return makeClient(server, (options) => config.applyToHTTPSOptions(options));
}

/** The same server and trust settings, no credentials: what any unauthenticated client on the network gets. */
export async function createAnonymousClient(config: KubeConfig, server: string): Promise<ApiClient> {
  const cluster = config.getCurrentCluster();
  const { KubeConfig: KubeConfigCtor } = await import('@kubernetes/client-node');
  const anonymous = new KubeConfigCtor();
  if (cluster) anonymous.loadFromClusterAndUser(cluster, { name: 'anonymous' });
  return makeClient(server, (options) => anonymous.applyToHTTPSOptions(options));
}
