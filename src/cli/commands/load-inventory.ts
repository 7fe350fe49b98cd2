// Reading the inputs of a command: PATH arguments (files, directories, `-`, Helm charts, kustomizations) or a live
// cluster. Shared by `palisade scan` and the `palisade rbac` commands, so both take the same inputs and say the
// same things about them.
import type { InventoryObject } from '../../core/inventory.ts';
import type { ClusterTarget, InputError } from '../../core/report.ts';
import { collectInputs, DEFAULT_MAX_FILE_BYTES } from '../../inputs/collect.ts';
import { parseInputs, sortInputErrors } from '../../scan/run-scan.ts';
import type { SourceText } from '../../source/index.ts';
import type { CliIo } from '../io.ts';
import { UsageError, type OptionDefinition, type ParsedOptions } from '../options.ts';
import { parseDuration, readClusterForScan } from './scan-cluster.ts';

/** Which inputs a command reads: files and the like, or the live cluster. */
export type InputSelection =
  | { readonly mode: 'paths'; readonly paths: readonly string[] }
  | { readonly mode: 'cluster'; readonly kubeconfig?: string; readonly context?: string };

export interface HelmSettings {
  readonly values: readonly string[];
  readonly set: readonly string[];
  readonly releaseName: string;
  readonly namespace?: string;
}

/** The Helm options (--values, --set, --release-name) with the release namespace the command takes. */
export function helmSettingsOf(values: ParsedOptions, namespace: string | undefined): HelmSettings {
  return {
    values: (values['values'] as string[] | undefined) ?? [],
    set: (values['set'] as string[] | undefined) ?? [],
    releaseName: (values['release-name'] as string | undefined) ?? 'release',
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

export interface LoadRequest {
  readonly selection: InputSelection;
  readonly maxFileBytes: number;
  readonly helm: HelmSettings;
  /** With --cluster: stop reading after this long (see parseTimeout). */
  readonly timeoutMs?: number;
  /** With --cluster: read only this namespace (scan -n). */
  readonly clusterNamespace?: string;
  /** With --cluster: also write the objects read to this file (scan --save-snapshot). */
  readonly snapshotFile?: string;
}

/** What was read: texts still to parse (files) or objects already in inventory form (a cluster). */
export interface LoadedInputs {
  readonly sources: readonly SourceText[];
  readonly liveObjects?: readonly InventoryObject[];
  readonly cluster?: ClusterTarget;
  readonly warnings?: readonly InputError[];
  readonly errors: readonly InputError[];
  /** Files, charts and kustomizations read (0 for a cluster). */
  readonly inputs: number;
}

/** Options every input-reading command takes the same way (scan and rbac), by name; commands order them. */
export const INPUT_OPTION: Readonly<Record<'values' | 'set' | 'release-name' | 'cluster' | 'kubeconfig' | 'context' | 'timeout' | 'max-file-size', OptionDefinition>> = {
  values: { name: 'values', type: 'string', multiple: true, value: 'FILE', description: 'Helm values file for charts' },
  set: { name: 'set', type: 'string', multiple: true, value: 'KEY=VALUE', description: 'Helm value override for charts' },
  'release-name': { name: 'release-name', type: 'string', value: 'NAME', description: 'Helm release name (default release)' },
  cluster: { name: 'cluster', type: 'boolean', description: 'scan the live cluster of the current kubeconfig context instead of files' },
  kubeconfig: { name: 'kubeconfig', type: 'string', value: 'FILE', description: 'with --cluster: kubeconfig file (default $KUBECONFIG, ~/.kube/config, in-cluster)' },
  context: { name: 'context', type: 'string', value: 'NAME', description: 'with --cluster: kubeconfig context (default the current one)' },
  timeout: { name: 'timeout', type: 'string', value: 'DURATION', description: 'with --cluster: stop reading after this long, e.g. 30s, 5m (default no limit)' },
  'max-file-size': { name: 'max-file-size', type: 'string', value: 'MIB', description: `skip files larger than this (default ${DEFAULT_MAX_FILE_BYTES / 1048576})` },
};

/** The input options of the analysis commands (rbac, netpol), after each subcommand's own. */
export const ANALYSIS_INPUT_OPTIONS: readonly OptionDefinition[] = [
  { name: 'config', short: 'c', type: 'string', value: 'FILE', description: 'config file, for podTemplates (default .palisade.yaml if present)' },
  INPUT_OPTION.values,
  INPUT_OPTION.set,
  INPUT_OPTION['release-name'],
  { name: 'release-namespace', type: 'string', value: 'NS', description: 'Helm release namespace for charts (default default)' },
  { ...INPUT_OPTION.cluster, description: 'read the live cluster of the current kubeconfig context instead of files' },
  INPUT_OPTION.kubeconfig,
  INPUT_OPTION.context,
  INPUT_OPTION.timeout,
  INPUT_OPTION['max-file-size'],
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];


export interface SelectionMessages {
  /** When --cluster is given together with PATH arguments. */
  readonly clusterWithPaths: string;
  /** When neither PATH arguments nor --cluster are given. */
  readonly nothing: string;
}

/**
 * --cluster or PATH…, and the options that only apply with --cluster (`clusterOnly`, in the order they are
 * checked). Throws a UsageError naming the first problem. --timeout is parsed apart (parseTimeout).
 */
export function parseInputSelection(values: ParsedOptions, paths: readonly string[], clusterOnly: readonly string[], messages: SelectionMessages): InputSelection {
  const clusterMode = values['cluster'] === true;
  if (clusterMode && paths.length > 0) throw new UsageError(messages.clusterWithPaths);
  if (!clusterMode && paths.length === 0) throw new UsageError(messages.nothing);
  if (!clusterMode) {
    for (const option of clusterOnly) {
      if (values[option] !== undefined) throw new UsageError(`--${option} only applies with --cluster`);
    }
    return { mode: 'paths', paths };
  }
  return {
    mode: 'cluster',
    ...(values['kubeconfig'] !== undefined ? { kubeconfig: values['kubeconfig'] as string } : {}),
    ...(values['context'] !== undefined ? { context: values['context'] as string } : {}),
  };
}

/** --timeout: a positive duration, or undefined when not given. */
export function parseTimeout(text: string | undefined): number | undefined {
  const timeoutMs = text === undefined ? undefined : parseDuration(text);
  if (text !== undefined && (timeoutMs === undefined || timeoutMs <= 0)) throw new UsageError(`--timeout expects a duration such as 30s, 5m or 1h, got ${JSON.stringify(text)}`);
  return timeoutMs;
}

/** --max-file-size in bytes. */
export function parseMaxFileBytes(text: string | undefined): number {
  const maxMiB = text === undefined ? DEFAULT_MAX_FILE_BYTES / 1048576 : Number(text);
  if (!Number.isFinite(maxMiB) || maxMiB <= 0) throw new UsageError(`--max-file-size expects a size in MiB, got ${JSON.stringify(text)}`);
  return maxMiB * 1048576;
}

/** Reads the selected inputs. A cluster that cannot be read at all is a UsageError (one line, exit 2). */
export async function loadInputs(request: LoadRequest, io: CliIo): Promise<LoadedInputs> {
  const { selection } = request;
  if (selection.mode === 'cluster') {
    const live = await readClusterForScan(
      {
        ...(selection.kubeconfig !== undefined ? { kubeconfig: selection.kubeconfig } : {}),
        ...(selection.context !== undefined ? { context: selection.context } : {}),
        ...(request.clusterNamespace !== undefined ? { namespace: request.clusterNamespace } : {}),
        ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
        ...(request.snapshotFile !== undefined ? { snapshotFile: request.snapshotFile } : {}),
      },
      io,
    );
    return { sources: [], liveObjects: live.objects, cluster: live.cluster, warnings: live.warnings, errors: live.errors, inputs: 0 };
  }
  return collectInputs(selection.paths, {
    cwd: io.cwd,
    maxFileBytes: request.maxFileBytes,
    readStdin: io.readStdin,
    helm: {
      values: request.helm.values,
      set: request.helm.set,
      releaseName: request.helm.releaseName,
      ...(request.helm.namespace !== undefined ? { namespace: request.helm.namespace } : {}),
      binary: io.env['PALISADE_HELM'] ?? 'helm',
      timeoutMs: 120_000,
    },
    ...(io.env['PALISADE_KUSTOMIZE'] !== undefined ? { kustomizeBinary: io.env['PALISADE_KUSTOMIZE'] } : {}),
  });
}

export interface LoadedInventory {
  readonly objects: readonly InventoryObject[];
  /** Input errors, sorted by file and line; `no-input` when nothing at all was found. */
  readonly errors: readonly InputError[];
  readonly warnings: readonly InputError[];
}

/** Parses what was read into inventory objects (for commands that do not run the rules; scan parses in runScan). */
export function inventoryOf(loaded: LoadedInputs): LoadedInventory {
  const { objects, errors } = parseInputs(loaded.sources, loaded.liveObjects, loaded.errors, loaded.cluster !== undefined);
  sortInputErrors(errors);
  return { objects, errors, warnings: loaded.warnings ?? [] };
}

/** One line per problem, as `palisade: FILE:LINE: message (code)`. */
export function formatInputProblem(problem: InputError, kind: 'error' | 'warning'): string {
  const where = problem.line !== undefined ? `${problem.file}:${problem.line}${problem.column !== undefined ? `:${problem.column}` : ''}` : problem.file;
  return `palisade: ${kind === 'warning' ? 'warning: ' : ''}${where}: ${problem.message.replace(/\s*\n\s*/g, ' ')} (${problem.code})\n`;
}
