// What the `palisade rbac` subcommands share: their input options, reading the inputs into one RBAC model per
// source, citations of evidence in JSON, and plain-text tables.
import { podTemplateLocations } from '../../config/config.ts';
import { compareStrings } from '../../core/model.ts';
import { ConfigError, loadConfig } from '../../config/load.ts';
import { formatRef, originLabel, type InventoryObject } from '../../core/inventory.ts';
import type { Path } from '../../core/model.ts';
import type { PodTemplateLocation } from '../../core/pod-templates.ts';
import { describeBinding, describeRule } from '../../analysers/rbac/evidence.ts';
import { summariseRule } from '../../analysers/rbac/graph.ts';
import { buildRbacModel, type BindingEntry, type BindingSubject, type EffectiveRule, type RbacModel } from '../../analysers/rbac/model.ts';
import { ALL_RULES } from '../../rules/index.ts';
import type { CliIo } from '../io.ts';
import { UsageError, type OptionDefinition, type ParsedOptions } from '../options.ts';
import { ANALYSIS_INPUT_OPTIONS, formatInputProblem, helmSettingsOf, inventoryOf, loadInputs, parseInputSelection, parseMaxFileBytes, parseTimeout } from './load-inventory.ts';

/** Options for the inputs, after each subcommand's own. */
export const RBAC_INPUT_OPTIONS: readonly OptionDefinition[] = ANALYSIS_INPUT_OPTIONS;

export const RBAC_INPUTS_HELP = `Inputs are those of \`palisade scan\`: manifests, directories, Helm charts, kustomizations, - (stdin), or
--cluster to read the live cluster (all of it: RBAC is cluster-wide). Input errors are printed on stderr, one
line each, and the answer covers the rest; nothing readable at all is exit code 2.`;

export const RBAC_EXIT_CODES = `Exit codes:
  0  answered
  2  usage, config or input error (no input could be read at all; cluster unreachable)`;

/** The objects and RBAC model of one source: the files of the run together, or one cluster. */
export interface RbacSource {
  /** `files`, or `cluster:<context>`. */
  readonly source: string;
  readonly objects: readonly InventoryObject[];
  readonly model: RbacModel;
}

export interface RbacInputs {
  readonly sources: readonly RbacSource[];
  /** Every object of every source (CustomResourceDefinitions name resources). */
  readonly objects: readonly InventoryObject[];
  readonly podTemplateLocations: readonly PodTemplateLocation[];
}

/** Same grouping as buildRbacModels: files together, each cluster on its own; sources in name order. */
function groupBySource(objects: readonly InventoryObject[]): Map<string, InventoryObject[]> {
  const bySource = new Map<string, InventoryObject[]>();
  for (const object of objects) {
    const source = object.origin.type === 'cluster' ? originLabel(object.origin) : 'files';
    const list = bySource.get(source);
    if (list) list.push(object);
    else bySource.set(source, [object]);
  }
  return new Map([...bySource].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Reads the inputs of an rbac subcommand (PATH… or --cluster). Problems go to stderr; undefined when nothing could
 * be read at all (the caller exits 2).
 */
export async function readRbacInputs(values: ParsedOptions, paths: readonly string[], io: CliIo, command: string): Promise<RbacInputs | undefined> {
  const selection = parseInputSelection(values, paths, ['kubeconfig', 'context', 'timeout'], {
    clusterWithPaths: `--cluster reads the live cluster and takes no PATH; give files in a separate run`,
    nothing: `palisade rbac ${command} needs at least one PATH (a file, a directory, or - for stdin), or --cluster; see \`palisade rbac ${command} --help\``,
  });
  const timeoutMs = parseTimeout(values['timeout'] as string | undefined);
  const maxFileBytes = parseMaxFileBytes(values['max-file-size'] as string | undefined);
  let config;
  try {
    config = loadConfig(values['config'] as string | undefined, io.cwd, ALL_RULES).config;
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const releaseNamespace = values['release-namespace'] as string | undefined;
  const loaded = await loadInputs(
    {
      selection,
      maxFileBytes,
      helm: helmSettingsOf(values, releaseNamespace),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    },
    io,
  );
  const inventory = inventoryOf(loaded);
  for (const error of inventory.errors) io.stderr(formatInputProblem(error, 'error'));
  for (const warning of inventory.warnings) io.stderr(formatInputProblem(warning, 'warning'));
  if (inventory.objects.length === 0 && inventory.errors.length > 0) return undefined;
  const sources = [...groupBySource(inventory.objects)].map(([source, objects]) => ({ source, objects, model: buildRbacModel(objects) }));
  return { sources, objects: inventory.objects, podTemplateLocations: podTemplateLocations(config) };
}

/** `--format`: one of the allowed values, the first being the default. */
export { compareStrings };

export function parseFormat<T extends string>(values: ParsedOptions, allowed: readonly T[]): T {
  const format = (values['format'] as string | undefined) ?? allowed[0]!;
  if (!(allowed as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${allowed.join(', ')}, got ${JSON.stringify(format)}`);
  return format as T;
}

/** Where evidence is written: a file and line, or the object in a cluster. */
export type Citation =
  | { readonly file: string; readonly line: number }
  | { readonly cluster: { readonly context: string; readonly server: string }; readonly object: { readonly apiVersion: string; readonly kind: string; readonly namespace?: string; readonly name: string } };

export function citation(object: InventoryObject, path: Path): Citation {
  if (object.origin.type === 'cluster') return { cluster: object.origin.cluster, object: object.ref };
  return { file: object.origin.file, line: object.locator.locate(path).line };
}

export function citationText(object: InventoryObject, path: Path): string {
  return object.origin.type === 'file' ? `${object.origin.file}:${object.locator.locate(path).line}` : formatRef(object.ref);
}

export interface SubjectJson {
  readonly kind: BindingSubject['kind'];
  readonly name: string;
  readonly namespace?: string;
}

export function subjectJson(subject: Pick<BindingSubject, 'kind' | 'name' | 'namespace'>): SubjectJson {
  return { kind: subject.kind, name: subject.name, ...(subject.kind === 'ServiceAccount' && subject.namespace !== undefined ? { namespace: subject.namespace } : {}) };
}

export function bindingJson(binding: BindingEntry): Record<string, unknown> {
  return {
    kind: binding.kind,
    ...(binding.namespace !== undefined ? { namespace: binding.namespace } : {}),
    name: binding.name,
    roleRef: binding.roleRef,
    evidence: describeBinding(binding),
    at: citation(binding.object, ['roleRef']),
  };
}

export function ruleJson(rule: EffectiveRule): Record<string, unknown> {
  const ref = rule.role.ref;
  return {
    role: { kind: ref.kind, ...(ref.namespace !== undefined ? { namespace: ref.namespace } : {}), name: ref.name },
    index: rule.index,
    verbs: rule.rule.verbs,
    apiGroups: rule.rule.apiGroups,
    resources: rule.rule.resources,
    resourceNames: rule.rule.resourceNames,
    nonResourceURLs: rule.rule.nonResourceURLs,
    summary: summariseRule(rule.rule),
    evidence: describeRule(rule),
    at: citation(rule.role, ['rules', rule.index]),
  };
}


const SUBJECT_ORDER = { User: 0, Group: 1, ServiceAccount: 2 } as const;

export function compareSubjects(a: Pick<BindingSubject, 'kind' | 'name' | 'namespace'>, b: Pick<BindingSubject, 'kind' | 'name' | 'namespace'>): number {
  return SUBJECT_ORDER[a.kind] - SUBJECT_ORDER[b.kind] || compareStrings(a.namespace ?? '', b.namespace ?? '') || compareStrings(a.name, b.name);
}

/** ClusterRoleBindings first, then RoleBindings by namespace, each by name. */
export function compareBindings(a: BindingEntry, b: BindingEntry): number {
  return compareStrings(a.kind, b.kind) || compareStrings(a.namespace ?? '', b.namespace ?? '') || compareStrings(a.name, b.name);
}

/** Columns padded to their widest cell; the last column is not padded. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]): string =>
    `${indent}${row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** The heading of a source's section when a run has several (files and clusters never mix in practice). */
export function sourceHeading(source: RbacSource, count: number): string[] {
  return count > 1 ? [`== ${source.source} ==`, ''] : [];
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
