// `palisade netpol diff OLD NEW`: the connections a change opens and closes (workload pairs and ports) and how
// access to and from outside the cluster changes, with workloads matched by identity across the two inputs. The
// pull-request gate: --fail-on-open exits 1 when the change opens anything.
import { formatPorts, intersectPorts, portsEmpty, reach, type NetworkModel, type PairResult, type ProtocolPorts, type SideResult } from '../../analysers/netpol/index.ts';
import { diffNetworks, type ExternalChange, type NetworkDiff, type PairChange } from '../../analysers/netpol/diff.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import { INPUT_OPTION } from './load-inventory.ts';
import { addressesText, listNames, readNetpolInputs, resultJson, ruleJson, ruleName, whereText, type NetpolInputs } from './netpol-common.ts';
import { compareStrings, json, parseFormat } from './rbac-common.ts';

const DIFF_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'fail-on-open', type: 'boolean', description: 'exit 1 when the change opens a connection or outside access' },
  { name: 'ipblock-pods', type: 'string', value: 'MODE', description: 'whether ipBlock peers may match pod IPs: no-match (default) or unknown' },
  { name: 'config', short: 'c', type: 'string', value: 'FILE', description: 'config file, for podTemplates (default .palisade.yaml if present)' },
  INPUT_OPTION.values,
  INPUT_OPTION.set,
  INPUT_OPTION['release-name'],
  { name: 'release-namespace', type: 'string', value: 'NS', description: 'Helm release namespace for charts (default default)' },
  INPUT_OPTION['max-file-size'],
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

/** Lines per section in the table output; JSON lists everything. */
const SHOWN = 100;

export const DIFF_HELP = `Usage: palisade netpol diff [--fail-on-open] [--format table|json] [options] OLD NEW

What changing OLD into NEW does to reachability: the connections between workloads it opens and closes, with
the ports, and what each workload can reach outside the cluster or be reached from there. OLD and NEW are
each a file, a directory, a Helm chart, a kustomization or a snapshot (\`palisade scan --cluster
--save-snapshot FILE\`). Workloads are matched by identity (namespace, kind, name), so files may move, split or
merge; a workload only in NEW opens all its connections, one only in OLD closes them.

A port opens when its verdict rises (denied → unknown → allowed) and closes when it falls. The pull-request
gate, e.g. in CI:

  git worktree add /tmp/base origin/main
  palisade netpol diff --fail-on-open /tmp/base/deploy deploy/

Input errors are printed on stderr, one line each, and so are policy parts of NEW the API server would reject.

Options:
${formatOptions(DIFF_OPTIONS)}

Exit codes:
  0  compared (and, with --fail-on-open, nothing opened)
  1  --fail-on-open and the change opens a connection or outside access
  2  usage, config or input error (OLD or NEW could not be read at all)
`;

interface SideEvidence {
  readonly direction: 'egress' | 'ingress';
  readonly status: SideResult['status'];
  /** The rules that allow some of the ports in question. */
  readonly rules: SideResult['allowedBy'];
}

/** Why a pair gets (some of) `ports` in `model`: per side, its status and the rules allowing those ports. */
function evidence(model: NetworkModel, from: string, to: string, ports: ProtocolPorts): SideEvidence[] {
  const source = model.endpointById.get(from);
  const destination = model.endpointById.get(to);
  if (!source || !destination) return [];
  const result = reach(model, source, destination);
  return [result.egress, result.ingress].map((side) => ({
    direction: side.direction,
    status: side.status,
    rules: side.allowedBy.filter((match) => !portsEmpty(intersectPorts(match.ports, ports))),
  }));
}

function evidenceLines(sides: readonly SideEvidence[], indent: string): string[] {
  return sides.map((side) => {
    const what =
      side.status === 'isolated'
        ? side.rules.map((match) => `${ruleName(match.rule)} (${whereText(match.rule.policy.object, match.rule.path)})`).join(', ') || 'no rule'
        : side.status === 'not-isolated'
          ? 'not isolated'
          : side.status === 'host-network'
            ? 'host network'
            : side.status;
    return `${indent}${side.direction}: ${what}`;
  });
}

function evidenceJson(sides: readonly SideEvidence[]): Record<string, unknown>[] {
  return sides.map((side) => ({ direction: side.direction, status: side.status, rules: side.rules.map((match) => ruleJson(match.rule)) }));
}

function transition(before: PairResult | undefined, after: PairResult | undefined): string {
  if (!before) return 'new workload';
  if (!after) return 'workload removed';
  // Same verdict: the ports moved (`allowed: tcp/80 → tcp/80,443`); else the verdicts (`denied → allowed`).
  if (before.verdict === after.verdict) return `${before.verdict}: ${formatPorts(before.ports)} → ${formatPorts(after.ports)}`;
  return `${before.verdict} → ${after.verdict}`;
}

interface Group {
  /** The workload the changes share (their source, or their destination with `by: 'to'`). */
  readonly at: string;
  readonly by: 'from' | 'to';
  readonly ports: string;
  readonly why: string;
  /** The other ends. */
  readonly others: string[];
  readonly change: PairChange;
}

/**
 * Changes with the same ports and transition from one workload (or to one) share a line: grouped by source or by
 * destination, whichever gives fewer lines (a change to one destination's policy opens it to many sources).
 */
function groupChanges(changes: readonly PairChange[], side: 'opened' | 'closed'): Group[] {
  const groupBy = (by: 'from' | 'to'): Group[] => {
    const sorted = by === 'from' ? changes : [...changes].sort((a, b) => compareStrings(a.to, b.to) || compareStrings(a.from, b.from));
    const groups = new Map<string, Group>();
    for (const change of sorted) {
      const ports = formatPorts(change[side]);
      const why = transition(change.before, change.after);
      const at = change[by];
      const key = `${at}\u0000${ports}\u0000${why}`;
      const other = by === 'from' ? change.to : change.from;
      const group = groups.get(key);
      if (group) group.others.push(other);
      else groups.set(key, { at, by, ports, why, others: [other], change });
    }
    return [...groups.values()];
  };
  const bySource = groupBy('from');
  const byDestination = groupBy('to');
  return byDestination.length < bySource.length ? byDestination : bySource;
}

/** Groups with the rules behind them: for opened ports those of `model` (NEW), for closed ones (OLD). */
function groupLines(groups: readonly Group[], sign: '+' | '-', model: NetworkModel): string[] {
  const lines = groups.slice(0, SHOWN).flatMap((group) => {
    const others = listNames(group.others, 3);
    const target =
      group.others.length === 1 && group.others[0] === group.at ? `${group.at} (between its pods)` : group.by === 'from' ? `${group.at} → ${others}` : `${others} → ${group.at}`;
    const ports = sign === '+' ? group.change.opened : group.change.closed;
    const sides = evidence(model, group.change.from, group.change.to, ports);
    return [`  ${sign} ${target}  ${group.ports}  (${group.why})`, ...evidenceLines(sides, `      ${sign === '+' ? 'now ' : 'was '}`)];
  });
  if (groups.length > SHOWN) lines.push(`  … and ${groups.length - SHOWN} more (--format json lists them all)`);
  return lines;
}

function externalLine(change: ExternalChange, side: 'opened' | 'closed'): string {
  const entries = change[side].map((entry) => `${formatPorts(entry.ports)} ${change.direction === 'egress' ? 'to' : 'from'} ${addressesText(entry.addresses)}`).join('; ');
  const WHAT = {
    egress: { opened: 'can now reach outside', closed: 'can no longer reach outside' },
    ingress: { opened: 'now reachable from outside', closed: 'no longer reachable from outside' },
  } as const;
  const what = WHAT[change.direction][side];
  const note = !change.before ? ' (new workload)' : !change.after ? ' (workload removed)' : '';
  return `  ${side === 'opened' ? '+' : '-'} ${change.workload} ${what}: ${entries}${note}`;
}

/** `0 added`, `2 added (a, b)`. */
function countedList(ids: readonly string[], word: string): string {
  return ids.length === 0 ? `0 ${word}` : `${ids.length} ${word} (${listNames(ids, 5)})`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

async function readSide(values: Record<string, unknown>, path: string, io: CliIo, quiet: boolean): Promise<NetpolInputs | undefined> {
  return readNetpolInputs(values as Parameters<typeof readNetpolInputs>[0], [path], io, 'diff', { quiet });
}

function modelOf(inputs: NetpolInputs, path: string): NetpolInputs['sources'][number]['model'] {
  const source = inputs.sources.find((s) => s.source === 'files') ?? inputs.sources[0];
  if (!source) throw new UsageError(`${path}: no Kubernetes objects found`);
  return source.model;
}

function externalJson(change: ExternalChange, side: 'opened' | 'closed'): Record<string, unknown> {
  return {
    workload: change.workload,
    direction: change.direction,
    entries: change[side].map((entry) => ({ ports: formatPorts(entry.ports), addresses: addressesText(entry.addresses) })),
    before: change.before ? change.before.verdict : null,
    after: change.after ? change.after.verdict : null,
  };
}

function changeJson(change: PairChange, side: 'opened' | 'closed', model: NetworkModel): Record<string, unknown> {
  return {
    from: change.from,
    to: change.to,
    ports: formatPorts(change[side]),
    before: change.before ? resultJson(change.before) : null,
    after: change.after ? resultJson(change.after) : null,
    allowedBy: evidenceJson(evidence(model, change.from, change.to, change[side])),
  };
}

export async function diffCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, DIFF_OPTIONS, 'netpol diff');
  if (values['help']) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  const format = parseFormat(values, ['table', 'json'] as const);
  if (positionals.length !== 2) {
    const got = plural(positionals.length, 'argument');
    throw new UsageError(`netpol diff needs OLD and NEW (each a file, directory or snapshot), got ${got}; see \`palisade netpol diff --help\``);
  }
  const [oldPath, newPath] = positionals as [string, string];
  const before = await readSide(values, oldPath, io, true);
  const after = await readSide(values, newPath, io, false);
  if (!before || !after) return 2;
  const diff: NetworkDiff = diffNetworks(modelOf(before, oldPath), modelOf(after, newPath), { ipBlockPods: after.ipBlockPods });
  const opened = diff.changes.filter((change) => formatPorts(change.opened) !== 'none');
  const closed = diff.changes.filter((change) => formatPorts(change.closed) !== 'none');
  const externalOpened = diff.external.filter((change) => change.opened.length > 0);
  const externalClosed = diff.external.filter((change) => change.closed.length > 0);
  const opens = opened.length > 0 || externalOpened.length > 0;
  const failOnOpen = values['fail-on-open'] === true;
  const code = failOnOpen && opens ? 1 : 0;
  const summary = {
    opened: opened.length,
    closed: closed.length,
    externalOpened: externalOpened.length,
    externalClosed: externalClosed.length,
    added: diff.added.length,
    removed: diff.removed.length,
    common: diff.common,
  };

  if (format === 'json') {
    io.stdout(
      json({
        old: { input: oldPath, workloads: diff.before.endpoints.length },
        new: { input: newPath, workloads: diff.after.endpoints.length },
        workloads: { common: diff.common, added: diff.added.map((e) => e.id), removed: diff.removed.map((e) => e.id) },
        opened: opened.map((change) => changeJson(change, 'opened', diff.after)),
        closed: closed.map((change) => changeJson(change, 'closed', diff.before)),
        external: { opened: externalOpened.map((change) => externalJson(change, 'opened')), closed: externalClosed.map((change) => externalJson(change, 'closed')) },
        summary,
        failOnOpen,
        exitCode: code,
      }),
    );
    return code;
  }

  const lines: string[] = [
    `NetworkPolicy diff: ${oldPath} → ${newPath}`,
    `${plural(diff.common, 'workload')} in both; ${countedList(diff.added.map((e) => e.id), 'added')}; ${countedList(diff.removed.map((e) => e.id), 'removed')}`,
    '',
  ];
  if (opened.length > 0) lines.push(`Opened (${plural(opened.length, 'connection')}):`, ...groupLines(groupChanges(opened, 'opened'), '+', diff.after), '');
  if (closed.length > 0) lines.push(`Closed (${plural(closed.length, 'connection')}):`, ...groupLines(groupChanges(closed, 'closed'), '-', diff.before), '');
  if (externalOpened.length + externalClosed.length > 0) {
    const external = [...externalOpened.map((change) => externalLine(change, 'opened')), ...externalClosed.map((change) => externalLine(change, 'closed'))];
    lines.push('Outside the cluster:', ...external.slice(0, SHOWN), ...(external.length > SHOWN ? [`  … and ${external.length - SHOWN} more (--format json lists them all)`] : []), '');
  }
  if (!opens && closed.length === 0 && externalClosed.length === 0) lines.push('No change in reachability.');
  else {
    const parts = [
      `opens ${plural(opened.length, 'connection')}${externalOpened.length > 0 ? ` and outside access of ${plural(new Set(externalOpened.map((c) => c.workload)).size, 'workload')}` : ''}`,
      `closes ${plural(closed.length, 'connection')}${externalClosed.length > 0 ? ` and outside access of ${plural(new Set(externalClosed.map((c) => c.workload)).size, 'workload')}` : ''}`,
    ];
    lines.push(`Result: the change ${parts.join('; ')}.${failOnOpen ? (opens ? ' Failing (--fail-on-open).' : ' Nothing opened (--fail-on-open passes).') : ''}`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return code;
}
