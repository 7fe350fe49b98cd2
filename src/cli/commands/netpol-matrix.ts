// `palisade netpol matrix`: workload × workload reachability (table, JSON, CSV), what each workload can reach
// outside the cluster and what outside can reach it; `--by class` prints the matrix of endpoint classes factored
// into defaults and exceptions (the form that stays small for 100,000 pods).
import {
  formatPorts,
  matrix as buildMatrix,
  portsEmpty,
  SELF_RESULT,
  unionPorts,
  verdictOf,
  ALL_PORTS,
  NO_PORTS,
  type Endpoint,
  type EndpointClass,
  type ExternalAccess,
  type Matrix,
  type NetworkModel,
  type PairResult,
  type PortQuery,
  type Verdict,
} from '../../analysers/netpol/index.ts';
import { factorMatrix, type FactoredMatrix } from '../../analysers/netpol/factored.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import {
  checkNamespaces,
  endpointJson,
  exposureJson,
  exposureOf,
  exposureText,
  externalJson,
  externalText,
  NETPOL_EXIT_CODES,
  NETPOL_INPUT_OPTIONS,
  NETPOL_INPUTS_HELP,
  OutputBuffer,
  parseNamespaces,
  parsePortOption,
  portQueryText,
  readNetpolInputs,
  type NetpolSource,
} from './netpol-common.ts';
import { compareStrings, parseFormat, renderTable } from './rbac-common.ts';

const MATRIX_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default), json or csv' },
  { name: 'port', short: 'p', type: 'string', value: 'PORT[/PROTO]', description: 'verdicts for one destination port, e.g. 443 or 53/udp (default: any port)' },
  { name: 'namespace', short: 'n', type: 'string', multiple: true, value: 'NS', description: 'only workloads of this namespace, as sources and destinations' },
  { name: 'by', type: 'string', value: 'UNIT', description: 'json: workload (default; one row per workload) or class (factored, for big clusters)' },
  { name: 'stats', type: 'boolean', description: 'print a line of counts on stderr (workloads, classes, pairs, verdicts)' },
  ...NETPOL_INPUT_OPTIONS,
];

/** Beyond this many workloads the table is unreadable; beyond this many pairs a row per workload is too big. */
const TABLE_LIMIT = 250;
const PAIR_LIMIT = 400_000_000;
const CONNECTIONS_SHOWN = 200;

export const MATRIX_HELP = `Usage: palisade netpol matrix [--format table|json|csv] [--port PORT[/PROTO]] [-n NS] [options] PATH...
       palisade netpol matrix [--format table|json|csv] [--port PORT[/PROTO]] --cluster [--kubeconfig FILE]

Which workload can connect to which: rows are sources, columns destinations, cells ✓ allowed, ✗ denied,
? unknown (for --port, or for some port), then the connections with their ports, and for every workload what
it can reach outside the cluster, what outside can reach it, and the Services and Ingresses that expose it.
The diagonal is traffic between two pods of a workload (its replicas); a single pod reaches itself (·).

  palisade netpol matrix -n shop deploy/
  palisade netpol matrix --format csv --port 5432 deploy/ > reach.csv
  palisade netpol matrix --cluster --format json --by class > matrix.json

--format json prints a row of result indices per workload (docs/netpol.md), --format csv one line per ordered
pair (from,to,verdict,ports,unknown_ports; "outside" for outside the cluster). For clusters of many thousand
workloads use --by class: the matrix of endpoint classes (workloads every policy treats alike), factored into
a default per (row key, column key) and the pairs that differ; its size grows with the classes, not their
square. -n (repeatable) keeps the workloads of those namespaces, as sources and destinations.

${NETPOL_INPUTS_HELP}

Options:
${formatOptions(MATRIX_OPTIONS)}

${NETPOL_EXIT_CODES}
`;

const SYMBOL: Readonly<Record<Verdict, string>> = { allowed: '✓', denied: '✗', unknown: '?' };

/** Results of one matrix, interned by content, in a stable order. */
class Results {
  readonly list: { readonly verdict: Verdict; readonly ports: string; readonly unknownPorts: string; readonly result: PairResult }[] = [];
  readonly #byObject = new Map<PairResult, number>();
  readonly #byKey = new Map<string, number>();
  readonly #port: PortQuery | undefined;
  constructor(port: PortQuery | undefined) {
    this.#port = port;
  }
  add(result: PairResult): void {
    if (this.#byObject.has(result)) return;
    const verdict = this.verdict(result);
    const ports = formatPorts(result.ports);
    const unknownPorts = formatPorts(result.unknownPorts);
    const key = `${verdict}\u0000${ports}\u0000${unknownPorts}`;
    let id = this.#byKey.get(key);
    if (id === undefined) {
      id = this.list.length;
      this.#byKey.set(key, id);
      this.list.push({ verdict, ports, unknownPorts, result });
    }
    this.#byObject.set(result, id);
  }
  /** Sorts by verdict (allowed, unknown, denied) and ports; call before reading ids. */
  seal(): void {
    const order: Readonly<Record<Verdict, number>> = { allowed: 0, unknown: 1, denied: 2 };
    const sorted = [...this.list].sort((a, b) => order[a.verdict] - order[b.verdict] || compareStrings(a.ports, b.ports) || compareStrings(a.unknownPorts, b.unknownPorts));
    const position = new Map(this.list.map((entry, index) => [entry, index]));
    const renumber = new Map(sorted.map((entry, index) => [position.get(entry)!, index]));
    this.list.splice(0, this.list.length, ...sorted);
    for (const [key, id] of this.#byKey) this.#byKey.set(key, renumber.get(id)!);
    for (const [result, id] of this.#byObject) this.#byObject.set(result, renumber.get(id)!);
  }
  id(result: PairResult): number {
    let id = this.#byObject.get(result);
    if (id === undefined) {
      this.add(result);
      id = this.#byObject.get(result)!;
    }
    return id;
  }
  verdict(result: PairResult): Verdict {
    return this.#port ? verdictOf(result.ports, result.unknownPorts, this.#port) : result.verdict;
  }
  /** The `results` array, one entry a line. */
  json(): string {
    if (this.list.length === 0) return '[]';
    return `[\n        ${this.list.map((r) => JSON.stringify({ verdict: r.verdict, ports: r.ports, unknownPorts: r.unknownPorts })).join(',\n        ')}\n      ]`;
  }
}

interface View {
  readonly source: NetpolSource;
  readonly matrix: Matrix;
  readonly factored: FactoredMatrix;
  /** Workloads shown (rows and columns), in id order. */
  readonly endpoints: readonly Endpoint[];
  /** Classes of the workloads shown, in class order. */
  readonly classes: readonly EndpointClass[];
  /** Shown workloads per class index. */
  readonly members: ReadonlyMap<number, readonly Endpoint[]>;
  /** Column keys of the shown classes → those classes. */
  readonly byColumnKey: ReadonlyMap<number, readonly EndpointClass[]>;
}

function viewOf(source: NetpolSource, namespaces: ReadonlySet<string> | undefined, ipBlockPods: 'no-match' | 'unknown'): View {
  const model: NetworkModel = source.model;
  checkNamespaces(namespaces, model);
  const m = buildMatrix(model, { ipBlockPods });
  const factored = factorMatrix(m);
  const endpoints = model.endpoints.filter((endpoint) => !namespaces || namespaces.has(endpoint.namespace));
  const members = new Map<number, Endpoint[]>();
  for (const endpoint of endpoints) {
    const index = m.classOf(endpoint).index;
    const list = members.get(index);
    if (list) list.push(endpoint);
    else members.set(index, [endpoint]);
  }
  const classes = m.classes.filter((cls) => members.has(cls.index));
  const byColumnKey = new Map<number, EndpointClass[]>();
  for (const cls of classes) {
    const key = factored.columnKeyOf[cls.index]!;
    const list = byColumnKey.get(key);
    if (list) list.push(cls);
    else byColumnKey.set(key, [cls]);
  }
  return { source, matrix: m, factored, endpoints, classes, members, byColumnKey };
}

/** Calls `cell` for every shown destination class of a source class, with its result. */
function forEachCell(view: View, from: EndpointClass, cell: (to: EndpointClass, result: PairResult) => void): void {
  const { factored } = view;
  const singled = factored.exceptions(from);
  const rowKey = factored.rowKeyOf[from.index]!;
  for (const [columnKey, targets] of view.byColumnKey) {
    const fallback = factored.defaultResult(rowKey, columnKey);
    for (const to of targets) {
      const result = singled.get(to.index) ?? fallback;
      cell(to, result ?? factored.classResult(from, to));
    }
  }
}

/**
 * Each endpoint's results towards every endpoint of the view, in view order. `row` is computed once per class and
 * shared by the endpoints of that class (`classChanged` says when it is new); a single pod's cell to itself is
 * not in it — `at` applies that.
 */
function* endpointRows(view: View): Generator<{ index: number; from: Endpoint; cls: EndpointClass; row: readonly PairResult[]; classChanged: boolean; at(j: number): PairResult }> {
  const { endpoints, matrix: m } = view;
  const classIndex = endpoints.map((endpoint) => m.classOf(endpoint).index);
  const column = new Map<number, PairResult>();
  let rowClass = -1;
  let row: PairResult[] = [];
  for (let i = 0; i < endpoints.length; i++) {
    const from = endpoints[i]!;
    const cls = m.classes[classIndex[i]!]!;
    const classChanged = cls.index !== rowClass;
    if (classChanged) {
      rowClass = cls.index;
      column.clear();
      forEachCell(view, cls, (to, result) => column.set(to.index, result));
      row = classIndex.map((index) => column.get(index)!);
    }
    const shared = row;
    yield { index: i, from, cls, row: shared, classChanged, at: (j) => (j === i && from.singlePod ? SELF_RESULT : shared[j]!) };
  }
}

interface Counts {
  workloads: number;
  classes: number;
  pairs: number;
  allowed: number;
  unknown: number;
  denied: number;
}

/** Verdict counts over ordered workload pairs (the diagonal included), computed class by class. */
function countPairs(view: View, results: Results): Counts {
  const counts: Counts = { workloads: view.endpoints.length, classes: view.classes.length, pairs: view.endpoints.length ** 2, allowed: 0, unknown: 0, denied: 0 };
  const { factored } = view;
  const columnWeight = new Map<number, number>();
  for (const [key, targets] of view.byColumnKey) columnWeight.set(key, targets.reduce((sum, cls) => sum + view.members.get(cls.index)!.length, 0));
  for (const from of view.classes) {
    const m = view.members.get(from.index)!.length;
    const singled = factored.exceptions(from);
    const rowKey = factored.rowKeyOf[from.index]!;
    const exceptionWeight = new Map<number, number>();
    for (const [to, result] of singled) {
      const shown = view.members.get(to);
      if (!shown) continue;
      counts[results.verdict(result)] += m * shown.length;
      const key = factored.columnKeyOf[to]!;
      exceptionWeight.set(key, (exceptionWeight.get(key) ?? 0) + shown.length);
    }
    for (const [columnKey, weight] of columnWeight) {
      const rest = weight - (exceptionWeight.get(columnKey) ?? 0);
      if (rest === 0) continue;
      const fallback = factored.defaultResult(rowKey, columnKey);
      if (fallback) counts[results.verdict(fallback)] += m * rest;
      else for (const to of view.byColumnKey.get(columnKey)!) if (!singled.has(to.index)) counts[results.verdict(factored.classResult(from, to))] += m * view.members.get(to.index)!.length;
    }
    // The diagonal: a single pod to itself is always allowed, whatever two pods of its class get.
    for (const endpoint of view.members.get(from.index)!) {
      if (!endpoint.singlePod) continue;
      counts[results.verdict(view.factored.classResult(from, from))]--;
      counts.allowed++;
    }
  }
  return counts;
}

function statsLine(view: View, counts: Counts): string {
  const f = view.factored.stats;
  const verdicts = `${counts.allowed} allowed, ${counts.unknown} unknown, ${counts.denied} denied`;
  const factors = `${f.rowKeys}×${f.columnKeys} keys, ${f.exceptions} exception pairs`;
  return `palisade: netpol matrix: ${view.source.source}: ${counts.workloads} workloads, ${counts.classes} classes, ${counts.pairs} pairs (${verdicts}), ${factors}\n`;
}

function outsideResult(access: ExternalAccess): PairResult {
  if (access.verdict === 'unknown') return { verdict: 'unknown', ports: NO_PORTS, unknownPorts: ALL_PORTS };
  let ports = NO_PORTS;
  for (const entry of access.entries) ports = unionPorts(ports, entry.ports);
  return { verdict: access.verdict, ports, unknownPorts: NO_PORTS };
}

// ---------------------------------------------------------------------------------------------------------------
// --format json (by workload and by class)

function externalCache(view: View): (target: EndpointClass, direction: 'egress' | 'ingress') => string {
  const cache = new Map<string, string>();
  return (cls, direction) => {
    const key = `${cls.index}/${direction}`;
    let text = cache.get(key);
    if (text === undefined) {
      text = JSON.stringify(externalJson(view.matrix.external(cls, direction)));
      cache.set(key, text);
    }
    return text;
  };
}

function writeWorkloadJson(out: OutputBuffer, view: View, port: PortQuery | undefined, last: boolean): Counts {
  const { endpoints, matrix: m } = view;
  const results = new Results(port);
  // Every result the shown rows use, interned before any row is written.
  for (const from of view.classes) forEachCell(view, from, (_to, result) => results.add(result));
  if (endpoints.some((endpoint) => endpoint.singlePod)) results.add(SELF_RESULT);
  results.seal();
  const counts = countPairs(view, results);
  const classIndex = endpoints.map((endpoint) => m.classOf(endpoint).index);
  out.write(`    {\n      "source": ${JSON.stringify(view.source.source)},\n      "workloads": [`);
  endpoints.forEach((endpoint, i) => out.write(`${i === 0 ? '\n' : ',\n'}        ${JSON.stringify({ ...endpointJson(endpoint), singlePod: endpoint.singlePod, class: classIndex[i] })}`));
  out.write(`${endpoints.length > 0 ? '\n      ' : ''}],\n      "results": ${results.json()},\n      "matrix": [`);
  const self = endpoints.some((endpoint) => endpoint.singlePod) ? results.id(SELF_RESULT) : -1;
  let cells: number[] = [];
  for (const { index: i, from, row, classChanged } of endpointRows(view)) {
    if (classChanged) cells = row.map((result) => results.id(result));
    if (from.singlePod) {
      const saved = cells[i]!;
      cells[i] = self;
      out.write(`${i === 0 ? '\n' : ',\n'}        [${cells.join(',')}]`);
      cells[i] = saved;
    } else {
      out.write(`${i === 0 ? '\n' : ',\n'}        [${cells.join(',')}]`);
    }
  }
  out.write(`${endpoints.length > 0 ? '\n      ' : ''}],\n      "external": [`);
  const external = externalCache(view);
  const exposure = exposureOf(view.source.model, view.source.objects);
  endpoints.forEach((endpoint, i) => {
    const cls = m.classes[classIndex[i]!]!;
    const exposedBy = JSON.stringify((exposure.get(endpoint.id) ?? []).map(exposureJson));
    out.write(`${i === 0 ? '\n' : ',\n'}        {"workload":${JSON.stringify(endpoint.id)},"egress":${external(cls, 'egress')},"ingress":${external(cls, 'ingress')},"exposedBy":${exposedBy}}`);
  });
  out.write(`${endpoints.length > 0 ? '\n      ' : ''}],\n      "summary": ${JSON.stringify(counts)}\n    }${last ? '' : ','}\n`);
  return counts;
}

function writeClassJson(out: OutputBuffer, view: View, port: PortQuery | undefined, last: boolean): Counts {
  const { factored, classes } = view;
  const results = new Results(port);
  const rowKeys = [...new Set(classes.map((cls) => factored.rowKeyOf[cls.index]!))].sort((a, b) => a - b);
  const columnKeys = [...view.byColumnKey.keys()].sort((a, b) => a - b);
  for (const rowKey of rowKeys) for (const columnKey of columnKeys) {
    const result = factored.defaultResult(rowKey, columnKey);
    if (result) results.add(result);
  }
  for (const from of classes) for (const [to, result] of factored.exceptions(from)) if (view.members.has(to)) results.add(result);
  results.seal();
  const counts = countPairs(view, results);
  // Keys renumbered densely over the shown classes.
  const rowKeyIndex = new Map(rowKeys.map((key, index) => [key, index]));
  const columnKeyIndex = new Map(columnKeys.map((key, index) => [key, index]));
  out.write(`    {\n      "source": ${JSON.stringify(view.source.source)},\n      "classes": [`);
  classes.forEach((cls, i) => {
    const entry = {
      index: cls.index,
      namespace: cls.namespace,
      labels: cls.labels,
      hostNetwork: cls.hostNetwork,
      foreign: cls.foreign.map((f) => f.id),
      rowKey: rowKeyIndex.get(factored.rowKeyOf[cls.index]!),
      columnKey: columnKeyIndex.get(factored.columnKeyOf[cls.index]!),
      workloads: view.members.get(cls.index)!.map((endpoint) => endpoint.id),
      singlePod: view.members.get(cls.index)!.filter((endpoint) => endpoint.singlePod).map((endpoint) => endpoint.id),
    };
    out.write(`${i === 0 ? '\n' : ',\n'}        ${JSON.stringify(entry)}`);
  });
  out.write(`${classes.length > 0 ? '\n      ' : ''}],\n      "results": ${results.json()},\n      "defaults": [`);
  rowKeys.forEach((rowKey, i) => {
    const row = columnKeys.map((columnKey) => {
      const result = factored.defaultResult(rowKey, columnKey);
      return result ? results.id(result) : null;
    });
    out.write(`${i === 0 ? '\n' : ',\n'}        ${JSON.stringify(row)}`);
  });
  out.write(`${rowKeys.length > 0 ? '\n      ' : ''}],\n      "exceptions": [`);
  let first = true;
  for (const from of classes) {
    const rowKey = factored.rowKeyOf[from.index]!;
    for (const [to, result] of factored.exceptions(from)) {
      if (!view.members.has(to)) continue;
      const fallback = factored.defaultResult(rowKey, factored.columnKeyOf[to]!);
      const id = results.id(result);
      if (fallback && results.id(fallback) === id) continue;
      out.write(`${first ? '\n        ' : ', '}[${from.index},${to},${id}]`);
      first = false;
    }
  }
  out.write(`${first ? '' : '\n      '}],\n      "external": [`);
  const external = externalCache(view);
  classes.forEach((cls, i) => out.write(`${i === 0 ? '\n' : ',\n'}        {"class":${cls.index},"egress":${external(cls, 'egress')},"ingress":${external(cls, 'ingress')}}`));
  out.write(`${classes.length > 0 ? '\n      ' : ''}],\n      "summary": ${JSON.stringify({ ...counts, rowKeys: rowKeys.length, columnKeys: columnKeys.length })}\n    }${last ? '' : ','}\n`);
  return counts;
}

// ---------------------------------------------------------------------------------------------------------------
// --format csv

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function writeCsv(out: OutputBuffer, view: View, results: Results): void {
  const { endpoints, matrix: m } = view;
  const classIndex = endpoints.map((endpoint) => m.classOf(endpoint).index);
  const line = (from: string, to: string, result: PairResult): void =>
    out.write(`${csvField(from)},${csvField(to)},${results.verdict(result)},${csvField(formatPorts(result.ports))},${csvField(formatPorts(result.unknownPorts))}\n`);
  for (const { from, cls, at } of endpointRows(view)) {
    for (let j = 0; j < endpoints.length; j++) line(from.id, endpoints[j]!.id, at(j));
    line(from.id, 'outside', outsideResult(m.external(cls, 'egress')));
  }
  endpoints.forEach((endpoint, i) => line('outside', endpoint.id, outsideResult(m.external(m.classes[classIndex[i]!]!, 'ingress'))));
}

// ---------------------------------------------------------------------------------------------------------------
// --format table

/** `tcp/80`, `unknown: all ports`, `tcp/80 (unknown: udp/53)`. */
function portsCell(result: PairResult): string {
  const unknown = portsEmpty(result.unknownPorts) ? '' : `unknown: ${formatPorts(result.unknownPorts)}`;
  if (portsEmpty(result.ports)) return unknown || 'none';
  return unknown ? `${formatPorts(result.ports)} (${unknown})` : formatPorts(result.ports);
}

function tableText(view: View, port: PortQuery | undefined, results: Results): string {
  const { endpoints, matrix: m } = view;
  const classIndex = endpoints.map((endpoint) => m.classOf(endpoint).index);
  const lines: string[] = [];
  if (endpoints.length === 0) return 'No workloads in the input.\n';
  lines.push(`Reachability, ${portQueryText(port)} (rows connect to columns): ✓ allowed  ✗ denied  ? unknown  · a pod to itself`, '');
  const numberWidth = String(endpoints.length).length;
  const nameWidth = Math.max(...endpoints.map((endpoint) => endpoint.id.length));
  const cellWidth = numberWidth + 1;
  const header = `${' '.repeat(numberWidth + 2 + nameWidth + 1)}${endpoints.map((_e, j) => String(j + 1).padStart(cellWidth)).join('')}`;
  lines.push(header);
  const connections: { from: string; to: string; result: PairResult }[] = [];
  for (const { index: i, from, at } of endpointRows(view)) {
    const cells: string[] = [];
    for (let j = 0; j < endpoints.length; j++) {
      if (i === j && from.singlePod) {
        cells.push('·'.padStart(cellWidth));
        continue;
      }
      const result = at(j);
      const verdict = results.verdict(result);
      cells.push(SYMBOL[verdict].padStart(cellWidth));
      if (verdict !== 'denied') connections.push({ from: from.id, to: endpoints[j]!.id, result });
    }
    lines.push(`${String(i + 1).padStart(numberWidth)}  ${from.id.padEnd(nameWidth)} ${cells.join('')}`.trimEnd());
  }
  lines.push('');
  if (connections.length === 0) lines.push(`No connections between different pods${port ? ` on ${portQueryText(port)}` : ''}.`);
  else {
    lines.push(`Connections${port ? ` on ${portQueryText(port)}` : ''} (${connections.length}):`, '');
    const rows = connections.slice(0, CONNECTIONS_SHOWN).map(({ from, to, result }) => [
      from === to ? `${from} (between its pods)` : `${from} → ${to}`,
      portsCell(result),
    ]);
    lines.push(...renderTable(['CONNECTION', 'PORTS'], rows, '  '));
    if (connections.length > CONNECTIONS_SHOWN) lines.push(`  … and ${connections.length - CONNECTIONS_SHOWN} more (--format json or csv lists them all)`);
  }
  lines.push('', 'Outside the cluster (NetworkPolicies; Services and Ingresses that expose the workload):', '');
  const exposure = exposureOf(view.source.model, view.source.objects);
  const outsideRows = endpoints.map((endpoint, i) => {
    const cls = m.classes[classIndex[i]!]!;
    const exposed = (exposure.get(endpoint.id) ?? []).map(exposureText);
    return [endpoint.id, externalText(m.external(cls, 'egress')), externalText(m.external(cls, 'ingress')), exposed.length > 0 ? exposed.join('; ') : '-'];
  });
  lines.push(...renderTable(['WORKLOAD', 'CAN REACH OUTSIDE', 'REACHABLE FROM OUTSIDE', 'EXPOSED BY'], outsideRows, '  '));
  return `${lines.join('\n')}\n`;
}

export async function matrixCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, MATRIX_OPTIONS, 'netpol matrix');
  if (values['help']) {
    io.stdout(MATRIX_HELP);
    return 0;
  }
  const format = parseFormat(values, ['table', 'json', 'csv'] as const);
  const by = (values['by'] as string | undefined) ?? 'workload';
  if (by !== 'workload' && by !== 'class') throw new UsageError(`--by must be workload or class, got ${JSON.stringify(by)}`);
  if (by === 'class' && format !== 'json') throw new UsageError('--by class is a JSON form: add --format json');
  const port = parsePortOption(values['port'] as string | undefined);
  const namespaces = parseNamespaces(values);
  const inputs = await readNetpolInputs(values, positionals, io, 'matrix');
  if (!inputs) return 2;
  const views = inputs.sources.map((source) => viewOf(source, namespaces, inputs.ipBlockPods));
  for (const view of views) {
    const n = view.endpoints.length;
    if (format === 'table' && n > TABLE_LIMIT) {
      throw new UsageError(`the table would have ${n} columns; restrict it with -n NAMESPACE or use --format json or csv`);
    }
    if (by === 'workload' && format !== 'table' && n * n > PAIR_LIMIT) {
      throw new UsageError(`${n} workloads make ${n * n} pairs, too many to list one by one; use --format json --by class (or -n NAMESPACE)`);
    }
  }
  const out = new OutputBuffer(io);
  const stats: string[] = [];
  if (format === 'json') {
    out.write(`{\n  "by": ${JSON.stringify(by)},\n  "port": ${port ? JSON.stringify(portQueryText(port)) : 'null'},\n  "sources": [\n`);
    views.forEach((view, i) => {
      const counts = by === 'class' ? writeClassJson(out, view, port, i === views.length - 1) : writeWorkloadJson(out, view, port, i === views.length - 1);
      stats.push(statsLine(view, counts));
    });
    out.write('  ]\n}\n');
  } else {
    if (format === 'csv') out.write('from,to,verdict,ports,unknown_ports\n');
    views.forEach((view) => {
      const results = new Results(port);
      if (format === 'csv') writeCsv(out, view, results);
      else {
        if (views.length > 1) out.write(`== ${view.source.source} ==\n\n`);
        out.write(tableText(view, port, results));
      }
      if (values['stats']) stats.push(statsLine(view, countPairs(view, results)));
    });
  }
  out.flush();
  if (values['stats']) io.stderr(`${stats.join('')}palisade: netpol matrix: ${out.bytes} bytes of output\n`);
  return 0;
}
