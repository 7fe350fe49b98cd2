// What the `palisade netpol` subcommands share: their input options, reading the inputs into one network model per
// source, --port and workload arguments, and the JSON and text forms of ports, policies, rules and outside access.
import { podTemplateLocations } from '../../config/config.ts';
import { ConfigError, loadConfig } from '../../config/load.ts';
import { formatRef, type InventoryObject } from '../../core/inventory.ts';
import { formatPath, type Path } from '../../core/model.ts';
import { findPodTemplate, type PodTemplate } from '../../core/pod-templates.ts';
import {
  buildNetworkModels,
  formatAddresses,
  formatPorts,
  isAnywhere,
  verdictOf,
  type Endpoint,
  type ExternalAccess,
  type ExternalEntry,
  type ForeignPolicy,
  type ModelProblem,
  type NetworkModel,
  type NetworkPolicyEntry,
  type PairResult,
  type PolicyRule,
  type PortQuery,
  type Protocol,
} from '../../analysers/netpol/index.ts';
import { exposureOf, exposureText, type Exposure } from '../../analysers/netpol/exposure.ts';
import { peerText } from '../../analysers/netpol/rules-support.ts';
import { ALL_RULES } from '../../rules/index.ts';
import type { CliIo } from '../io.ts';
import { UsageError, type OptionDefinition, type ParsedOptions } from '../options.ts';
import { ANALYSIS_INPUT_OPTIONS, formatInputProblem, helmSettingsOf, inventoryOf, loadInputs, parseInputSelection, parseMaxFileBytes, parseTimeout } from './load-inventory.ts';
import { citation, compareStrings } from './rbac-common.ts';

/** Options for the inputs, after each subcommand's own. */
export const NETPOL_INPUT_OPTIONS: readonly OptionDefinition[] = [
  { name: 'ipblock-pods', type: 'string', value: 'MODE', description: 'whether ipBlock peers may match pod IPs: no-match (default) or unknown' },
  ...ANALYSIS_INPUT_OPTIONS,
];

export const NETPOL_INPUTS_HELP = `Inputs are those of \`palisade scan\`: manifests, directories, Helm charts, kustomizations, - (stdin), or
--cluster to read the live cluster (all of it). Workloads are the objects with a pod template (Deployments,
StatefulSets, DaemonSets, Jobs, CronJobs, bare Pods, … and the podTemplates of the config); a Pod or
ReplicaSet whose controller is in the input counts as that controller. Input errors, and policy parts the
API server would reject, are printed on stderr, one line each; the answer covers the rest.`;

export const NETPOL_EXIT_CODES = `Exit codes:
  0  answered (whatever the verdicts)
  2  usage, config or input error (no input could be read at all, cluster unreachable, unknown workload)`;

export interface NetpolSource {
  /** `files`, or `cluster:<context>`. */
  readonly source: string;
  readonly model: NetworkModel;
  /** Every object of the run (Services and Ingresses, for exposure). */
  readonly objects: readonly InventoryObject[];
}

export interface NetpolInputs {
  readonly sources: readonly NetpolSource[];
  readonly ipBlockPods: 'no-match' | 'unknown';
}

function parseIpBlockPods(values: ParsedOptions): 'no-match' | 'unknown' {
  const mode = (values['ipblock-pods'] as string | undefined) ?? 'no-match';
  if (mode !== 'no-match' && mode !== 'unknown') throw new UsageError(`--ipblock-pods must be no-match or unknown, got ${JSON.stringify(mode)}`);
  return mode;
}

/** Model problems (what the API server would reject, ignored by the analysis): one warning line each. */
function printModelProblems(problems: readonly ModelProblem[], io: CliIo): void {
  for (const problem of problems) {
    const { object } = problem;
    const where = object.origin.type === 'file' ? `${object.origin.file}:${object.locator.locate(problem.path).line}` : `${formatRef(object.ref)} ${formatPath(problem.path)}`;
    io.stderr(`palisade: warning: ${where}: ${problem.message.replace(/\s*\n\s*/g, ' ')} (${problem.code})\n`);
  }
}

function configLocations(values: ParsedOptions, io: CliIo): ReturnType<typeof podTemplateLocations> {
  try {
    return podTemplateLocations(loadConfig(values['config'] as string | undefined, io.cwd, ALL_RULES).config);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * Reads PATH… (or the cluster with --cluster) into network models, one per source. Problems go to stderr; undefined
 * when nothing could be read at all (the caller exits 2). `quiet` leaves out the warnings on policy parts the API
 * server would reject (diff prints those of NEW only).
 */
export async function readNetpolInputs(
  values: ParsedOptions,
  paths: readonly string[],
  io: CliIo,
  command: string,
  options: { readonly quiet?: boolean } = {},
): Promise<NetpolInputs | undefined> {
  const selection = parseInputSelection(values, paths, ['kubeconfig', 'context', 'timeout'], {
    clusterWithPaths: `--cluster reads the live cluster and takes no PATH; give files in a separate run`,
    nothing: `netpol ${command} needs at least one PATH (a file, a directory, or - for stdin), or --cluster; see \`palisade netpol ${command} --help\``,
  });
  const ipBlockPods = parseIpBlockPods(values);
  const timeoutMs = parseTimeout(values['timeout'] as string | undefined);
  const maxFileBytes = parseMaxFileBytes(values['max-file-size'] as string | undefined);
  const locations = configLocations(values, io);
  const loaded = await loadInputs(
    {
      selection,
      maxFileBytes,
      helm: helmSettingsOf(values, values['release-namespace'] as string | undefined),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    },
    io,
  );
  const inventory = inventoryOf(loaded);
  for (const error of inventory.errors) io.stderr(formatInputProblem(error, 'error'));
  for (const warning of inventory.warnings) io.stderr(formatInputProblem(warning, 'warning'));
  if (inventory.objects.length === 0 && inventory.errors.length > 0) return undefined;
  const templates: PodTemplate[] = [];
  for (const object of inventory.objects) {
    const template = findPodTemplate(object, locations);
    if (template) templates.push(template);
  }
  const models = buildNetworkModels(inventory.objects, templates);
  const sources = [...models].map(([source, model]) => ({ source, model, objects: inventory.objects }));
  if (!options.quiet) for (const { model } of sources) printModelProblems(model.problems, io);
  return { sources, ipBlockPods };
}

/** `--port`: `80`, `80/tcp`, `tcp/80`, `53/UDP`, `any`; undefined when not given or `any`. */
export function parsePortOption(text: string | undefined): PortQuery | undefined {
  if (text === undefined) return undefined;
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'any') return undefined;
  const match = /^(?:(\d{1,5})(?:\/(tcp|udp|sctp))?|(tcp|udp|sctp)\/(\d{1,5}))$/i.exec(trimmed);
  const number = Number(match?.[1] ?? match?.[4]);
  if (!match || !Number.isInteger(number) || number < 1 || number > 65535) {
    throw new UsageError(`--port expects PORT[/PROTOCOL] such as 443, 5432/tcp or 53/udp (1-65535; tcp, udp or sctp), got ${JSON.stringify(text)}`);
  }
  return { protocol: (match[2] ?? match[3] ?? 'tcp').toUpperCase() as Protocol, port: number };
}

export function portQueryText(port: PortQuery | undefined): string {
  return port ? `${port.protocol.toLowerCase()}/${port.port}` : 'any port';
}

/** `-n NS` (repeatable): a set of namespaces, or undefined for all. */
export function parseNamespaces(values: ParsedOptions): ReadonlySet<string> | undefined {
  const list = values['namespace'] as string[] | undefined;
  if (list === undefined) return undefined;
  if (list.some((ns) => ns === '')) throw new UsageError('-n/--namespace must not be empty');
  return new Set(list);
}

/** Namespaces asked for with -n that hold no workload: a usage error naming the ones that do. */
export function checkNamespaces(namespaces: ReadonlySet<string> | undefined, model: NetworkModel): void {
  if (!namespaces) return;
  const known = new Set(model.endpoints.map((endpoint) => endpoint.namespace));
  const missing = [...namespaces].filter((ns) => !known.has(ns)).sort(compareStrings);
  if (missing.length > 0) {
    throw new UsageError(`no workload in namespace ${missing.join(', ')}; namespaces with workloads: ${listNames([...known].sort(compareStrings))}`);
  }
}

export function listNames(names: readonly string[], shown = 12): string {
  if (names.length === 0) return '(none)';
  return names.length <= shown ? names.join(', ') : `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** Where a policy part is written: `netpol.yaml:12`, or `NetworkPolicy shop/deny` for a cluster object. */
export function whereText(object: InventoryObject, path: Path): string {
  return object.origin.type === 'file' ? `${object.origin.file}:${object.locator.locate(path).line}` : formatRef(object.ref);
}

/** `NetworkPolicy shop/api spec.ingress[0]`. */
export function ruleName(rule: PolicyRule): string {
  return `NetworkPolicy ${rule.policy.id} ${formatPath(rule.path)}`;
}

/** Outside access entries as text: `tcp/443 to 0.0.0.0/0 except 10.0.0.0/8 …`. */
export function entriesText(entries: readonly ExternalEntry[], direction: 'egress' | 'ingress'): string {
  return entries.map((entry) => `${formatPorts(entry.ports)} ${direction === 'egress' ? 'to' : 'from'} ${addressesText(entry.addresses)}`).join('; ');
}

export function addressesText(addresses: ExternalEntry['addresses']): string {
  return isAnywhere(addresses) ? 'anywhere' : formatAddresses(addresses);
}

/** One cell of the outside columns: `all (not isolated)`, `denied`, `tcp/443 to 203.0.113.0/24`. */
export function externalText(access: ExternalAccess): string {
  const foreign = access.foreign.length > 0 ? ` (unknown: ${access.foreign.map((f) => f.id).join(', ')})` : '';
  if (access.status === 'host-network') return `everything (host network)${foreign}`;
  if (access.status === 'not-isolated') return `everything (not isolated)${foreign}`;
  if (access.entries.length === 0) return `denied${foreign}`;
  return `${entriesText(access.entries, access.direction)}${foreign}`;
}

// ---------------------------------------------------------------------------------------------------------------
// JSON

export function resultJson(result: PairResult, port?: PortQuery): { verdict: string; ports: string; unknownPorts: string } {
  return { verdict: port ? verdictOf(result.ports, result.unknownPorts, port) : result.verdict, ports: formatPorts(result.ports), unknownPorts: formatPorts(result.unknownPorts) };
}

export function policyJson(policy: NetworkPolicyEntry): Record<string, unknown> {
  return {
    namespace: policy.namespace,
    name: policy.name,
    policyTypes: policy.policyTypes.map((t) => (t === 'ingress' ? 'Ingress' : 'Egress')),
    at: citation(policy.object, ['spec', 'podSelector']),
  };
}

/** A rule's `ports` as written: `tcp/80 udp/53`, `tcp/http` for a named port, `all ports`. */
function rulePortsText(rule: PolicyRule): string {
  if (rule.allPorts) return 'all ports';
  const parts = [formatPorts(rule.ports.numeric), ...rule.ports.named.map((n) => `${n.protocol.toLowerCase()}/${n.name}`)].filter((p) => p !== 'none');
  return parts.join(' ') || 'none';
}

export function ruleJson(rule: PolicyRule): Record<string, unknown> {
  return {
    policy: { namespace: rule.policy.namespace, name: rule.policy.name },
    direction: rule.direction,
    index: rule.index,
    path: formatPath(rule.path),
    peers: rule.peers === undefined ? 'all' : rule.peers.map((peer) => peerText(peer)),
    ports: rulePortsText(rule),
    at: citation(rule.policy.object, rule.path),
  };
}

export function foreignJson(foreign: ForeignPolicy): Record<string, unknown> {
  return {
    kind: foreign.kind,
    group: foreign.group,
    ...(foreign.namespace !== undefined ? { namespace: foreign.namespace } : {}),
    name: foreign.name,
    scope: foreign.scope,
    at: citation(foreign.object, []),
  };
}

export function externalJson(access: ExternalAccess): Record<string, unknown> {
  return {
    status: access.status,
    verdict: access.verdict,
    entries: access.entries.map((entry) => ({ ports: formatPorts(entry.ports), addresses: formatAddresses(entry.addresses) })),
    allowedBy: access.allowedBy.map(ruleJson),
    foreign: access.foreign.map((f) => f.id),
  };
}

export function exposureJson(exposure: Exposure): Record<string, unknown> {
  return {
    kind: exposure.kind,
    namespace: exposure.namespace,
    name: exposure.name,
    ...(exposure.type !== undefined ? { type: exposure.type } : {}),
    ...(exposure.service !== undefined ? { service: exposure.service } : {}),
    ...(exposure.host !== undefined ? { host: exposure.host } : {}),
    text: exposureText(exposure),
    at: citation(exposure.object, exposure.path),
  };
}

export function endpointJson(endpoint: Endpoint): Record<string, unknown> {
  return { id: endpoint.id, namespace: endpoint.namespace, kind: endpoint.kind, name: endpoint.name, at: citation(endpoint.object, []) };
}

export { exposureOf, exposureText };

/** Chunked writing of large outputs: lines are buffered and flushed about every megabyte. */
export class OutputBuffer {
  readonly #io: CliIo;
  #parts: string[] = [];
  #size = 0;
  /** UTF-8 bytes written so far. */
  bytes = 0;
  constructor(io: CliIo) {
    this.#io = io;
  }
  write(text: string): void {
    this.#parts.push(text);
    this.#size += text.length;
    if (this.#size >= 1 << 20) this.flush();
  }
  flush(): void {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join('');
    this.bytes += Buffer.byteLength(text);
    this.#io.stdout(text);
    this.#parts = [];
    this.#size = 0;
  }
}
