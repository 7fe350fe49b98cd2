// `palisade scan --cluster`: resolve the kubeconfig, read the cluster with a progress line on a terminal, and
// optionally save what was read as a snapshot file.
import { closeSync, openSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InventoryObject } from '../../core/inventory.ts';
import type { ClusterTarget, InputError } from '../../core/report.ts';
import { createAnonymousClient, createApiClient } from '../../inputs/cluster/api-client.ts';
import { ClusterScanError, collectCluster, type ClusterScanProgress } from '../../inputs/cluster/collect-cluster.ts';
import { KubeconfigError, resolveKubeconfig } from '../../inputs/cluster/kubeconfig.ts';
import { snapshotChunks } from '../../inputs/cluster/snapshot.ts';
import type { CliIo } from '../io.ts';
import { UsageError } from '../options.ts';

export interface ClusterScanRequest {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly timeoutMs?: number;
  readonly snapshotFile?: string;
}

export interface ClusterScanInput {
  readonly objects: readonly InventoryObject[];
  readonly errors: readonly InputError[];
  readonly warnings: readonly InputError[];
  readonly cluster: ClusterTarget;
}

/** `30s`, `5m`, `1h30m`, `500ms` or plain seconds, as kubectl's --request-timeout takes them. */
export function parseDuration(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)/.exec(rest);
    if (!match) return undefined;
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return text === '' ? undefined : total;
}

function progressWriter(io: CliIo): ((progress: ClusterScanProgress) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (now - last < 100 && progress.resourcesDone < progress.resourcesTotal) return;
    last = now;
    const current = progress.current !== undefined ? ` · ${progress.current}` : '';
    io.stderr(`\r\x1b[2Klisting ${progress.resourcesDone}/${progress.resourcesTotal} resource lists · ${progress.objects.toLocaleString('en-US')} objects${current}`);
  };
}

function writeSnapshot(file: string, objects: readonly InventoryObject[], io: CliIo): void {
  let fd: number;
  try {
    fd = openSync(resolve(io.cwd, file), 'w', 0o600);
  } catch (error) {
    throw new UsageError(`--save-snapshot ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    let batch: string[] = [];
    let size = 0;
    const flush = (): void => {
      const bytes = Buffer.from(batch.join(''));
      for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
      batch = [];
      size = 0;
    };
    for (const chunk of snapshotChunks(objects.map((object) => object.object))) {
      batch.push(chunk);
      size += chunk.length;
      if (size >= 1 << 20) flush();
    }
    flush();
  } finally {
    closeSync(fd);
  }
}

export async function readClusterForScan(request: ClusterScanRequest, io: CliIo): Promise<ClusterScanInput> {
  let resolved;
  try {
    resolved = await resolveKubeconfig({
      ...(request.kubeconfig !== undefined ? { kubeconfig: request.kubeconfig } : {}),
      ...(request.context !== undefined ? { context: request.context } : {}),
      env: io.env,
      cwd: io.cwd,
    });
  } catch (error) {
    if (error instanceof KubeconfigError) throw new UsageError(error.message);
    throw error;
  }
  const cluster = { context: resolved.context, server: resolved.server };
  const controller = new AbortController();
  const timer =
    request.timeoutMs === undefined
      ? undefined
      : setTimeout(() => controller.abort(new Error(`timed out after ${request.timeoutMs! / 1000} s (--timeout)`)), request.timeoutMs);
  const onProgress = progressWriter(io);
  try {
    const collected = await collectCluster({
      cluster,
      client: createApiClient(resolved.config, resolved.server),
      anonymousClient: await createAnonymousClient(resolved.config, resolved.server),
      ...(request.namespace !== undefined ? { namespaces: [request.namespace] } : {}),
      pageSize: 500,
      concurrency: 4,
      signal: controller.signal,
      ...(onProgress ? { onProgress } : {}),
    });
    if (request.snapshotFile !== undefined) writeSnapshot(request.snapshotFile, collected.objects, io);
    return {
      objects: collected.objects,
      errors: collected.errors,
      warnings: collected.warnings,
      cluster: {
        context: cluster.context,
        server: cluster.server,
        serverVersion: collected.serverVersion?.gitVersion ?? '',
        ...(request.namespace !== undefined ? { namespaces: [request.namespace] } : {}),
        resources: collected.stats.resources,
        forbidden: collected.stats.forbidden,
        failed: collected.stats.failed,
      },
    };
  } catch (error) {
    if (error instanceof ClusterScanError) throw new UsageError(`cluster ${cluster.context}: ${error.message}`);
    throw error;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    if (onProgress) io.stderr('\r\x1b[2K');
  }
}
