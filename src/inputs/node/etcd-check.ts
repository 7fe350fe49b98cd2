// `palisade node --etcd-check`: is a Secret really encrypted in etcd? Reads one Secret's raw value with the API
// server's own etcd client certificate, through etcd's JSON gateway (POST /v3/kv/range), and looks at its prefix:
// `k8s:enc:<provider>:v1:<key name>:` when an encryption provider wrote it, the protobuf magic `k8s\0` when not.
// The value itself is never kept or printed: only its prefix is.
import { request } from 'node:https';
import type { HostFs } from './host-fs.ts';

export interface EtcdClientConfig {
  /** The first of the API server's --etcd-servers. */
  readonly server: string;
  /** The API server's --etcd-prefix (default /registry). */
  readonly prefix: string;
  /** Host paths of --etcd-cafile, --etcd-certfile and --etcd-keyfile. */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly timeoutMs: number;
}

export type EtcdCheckResult =
  | { readonly status: 'encrypted'; readonly key: string; readonly provider: string; readonly keyName: string }
  | { readonly status: 'plaintext'; readonly key: string }
  | { readonly status: 'no-secrets' }
  | { readonly status: 'error'; readonly message: string };

const MAX_CREDENTIAL_BYTES = 1024 * 1024;
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function readCredential(fs: HostFs, path: string | undefined, what: string): Buffer | string | undefined {
  if (path === undefined) return undefined;
  const read = fs.readBytes(path, MAX_CREDENTIAL_BYTES);
  return read.ok ? read.bytes : `cannot read the ${what} ${path}: ${read.error.message}`;
}

/** What a stored value says about how it was written, without keeping the value. */
export function classifyStoredValue(key: string, value: Buffer): EtcdCheckResult {
  const head = value.subarray(0, 256).toString('latin1');
  const encrypted = /^k8s:enc:([a-z0-9]{1,20}):v[0-9]{1,3}:([^:]{0,253}):/.exec(head);
  if (encrypted) return { status: 'encrypted', key, provider: encrypted[1]!, keyName: encrypted[2]! };
  return { status: 'plaintext', key };
}

function post(config: EtcdClientConfig, body: string, tls: { ca?: Buffer; cert?: Buffer; key?: Buffer }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL('/v3/kv/range', config.server);
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' }, timeout: config.timeoutMs, ...tls },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('etcd answered with more than 8 MiB'));
          else chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${config.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Reads the first Secret under the prefix (by key order) and classifies its stored form. Never throws. */
export async function checkEtcdEncryption(fs: HostFs, config: EtcdClientConfig): Promise<EtcdCheckResult> {
  if (!/^https?:\/\//.test(config.server)) return { status: 'error', message: `--etcd-servers ${config.server} is not an http(s) URL` };
  const credentials = { ca: readCredential(fs, config.caFile, 'etcd CA'), cert: readCredential(fs, config.certFile, 'etcd client certificate'), key: readCredential(fs, config.keyFile, 'etcd client key') };
  for (const value of Object.values(credentials)) if (typeof value === 'string') return { status: 'error', message: value };
  const tls = Object.fromEntries(Object.entries(credentials).filter(([, value]) => value !== undefined)) as { ca?: Buffer; cert?: Buffer; key?: Buffer };
  const prefix = config.prefix.replace(/\/+$/, '');
  const from = `${prefix}/secrets/`;
  const to = `${prefix}/secrets0`; // '/' + 1: every key under secrets/
  let answer: { status: number; text: string };
  try {
    answer = await post(config, JSON.stringify({ key: b64(from), range_end: b64(to), limit: 1 }), tls);
  } catch (error) {
    return { status: 'error', message: `etcd at ${config.server}: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (answer.status !== 200) return { status: 'error', message: `etcd at ${config.server} answered HTTP ${answer.status}: ${answer.text.slice(0, 200)}` };
  let parsed: { kvs?: { key?: string; value?: string }[] };
  try {
    parsed = JSON.parse(answer.text) as typeof parsed;
  } catch {
    return { status: 'error', message: `etcd at ${config.server} did not answer JSON` };
  }
  const first = parsed.kvs?.[0];
  if (!first?.key || first.value === undefined) return { status: 'no-secrets' };
  const key = Buffer.from(first.key, 'base64').toString('utf8');
  return classifyStoredValue(key, Buffer.from(first.value, 'base64'));
}
