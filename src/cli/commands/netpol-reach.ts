// `palisade netpol reach --from A --to B [--port P]`: can A open a connection to B, on which ports, and why: which
// policies isolate each side and which rule, peer and ports allow it (file:line for manifests, the object for a
// cluster).
import {
  OUTSIDE,
  externalTarget,
  findEndpoints,
  formatAddresses,
  formatPorts,
  isExternal,
  portsContain,
  portsEmpty,
  reach,
  type NetworkModel,
  type PortQuery,
  type ReachNote,
  type ReachResult,
  type RuleMatch,
  type SideResult,
  type Target,
} from '../../analysers/netpol/index.ts';
import { peerText } from '../../analysers/netpol/rules-support.ts';
import { formatPath } from '../../core/model.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import {
  endpointJson,
  exposureJson,
  exposureOf,
  exposureText,
  foreignJson,
  listNames,
  NETPOL_EXIT_CODES,
  NETPOL_INPUT_OPTIONS,
  NETPOL_INPUTS_HELP,
  parsePortOption,
  policyJson,
  portQueryText,
  readNetpolInputs,
  ruleJson,
  ruleName,
  whereText,
  type NetpolSource,
} from './netpol-common.ts';
import { citation, compareStrings, json, parseFormat, renderTable } from './rbac-common.ts';

const REACH_OPTIONS: readonly OptionDefinition[] = [
  { name: 'from', type: 'string', value: 'TARGET', description: 'the source: NS/WORKLOAD, NS/KIND/NAME, ip:ADDRESS[/PREFIX] or outside' },
  { name: 'to', type: 'string', value: 'TARGET', description: 'the destination, written the same way' },
  { name: 'port', short: 'p', type: 'string', value: 'PORT[/PROTO]', description: 'one destination port, e.g. 5432, 5432/tcp, 53/udp (default: any port)' },
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  ...NETPOL_INPUT_OPTIONS,
];

export const REACH_HELP = `Usage: palisade netpol reach --from TARGET --to TARGET [--port PORT[/PROTO]] [options] PATH...
       palisade netpol reach --from TARGET --to TARGET [--port PORT[/PROTO]] --cluster [--kubeconfig FILE]

Can TARGET --from open a connection to TARGET --to? The verdict (allowed, denied, or unknown when it depends
on something the manifests do not say), the ports allowed, and the reason on each side: which NetworkPolicies
isolate the source for egress and the destination for ingress, and which rule, peer and ports allow it
(file:line for manifests, the object for a cluster). A connection needs both sides to allow a common port.

TARGET is a workload, NS/NAME (any kind) or NS/KIND/NAME (shop/web, shop/Deployment/web); an address outside
the cluster, ip:203.0.113.7 or ip:10.0.0.0/8 (IPv6 too); or outside (anywhere outside the cluster). The same
workload twice asks about two of its pods (replicas); a single pod always reaches itself.

  palisade netpol reach --from shop/frontend --to data/db --port 5432 deploy/
  palisade netpol reach --from outside --to shop/frontend --cluster

Notes explain named ports (resolved against the destination's container ports), host-network pods
(policies do not apply to them), policies of other APIs (Cilium, Calico, AdminNetworkPolicy: unknown),
ipBlocks and pod addresses (--ipblock-pods), Services and Ingresses that expose the destination, and that
labels decide: whoever can create pods with those labels gets the same access.

${NETPOL_INPUTS_HELP}

Options:
${formatOptions(REACH_OPTIONS)}

${NETPOL_EXIT_CODES}
`;

type TargetSpec = { readonly kind: 'external'; readonly text: string } | { readonly kind: 'outside' } | { readonly kind: 'workload'; readonly ref: string };

/** Syntax only (before any input is read). */
function parseTarget(option: 'from' | 'to', text: string | undefined): TargetSpec {
  if (text === undefined || text.trim() === '') throw new UsageError(`netpol reach needs --${option} (NS/WORKLOAD, NS/KIND/NAME, ip:ADDRESS or outside); see \`palisade netpol reach --help\``);
  const value = text.trim();
  if (value === 'outside') return { kind: 'outside' };
  if (value.startsWith('ip:') || externalTarget(value)) {
    if (!externalTarget(value)) throw new UsageError(`--${option} ${value}: not an IP address or CIDR (e.g. ip:203.0.113.7, ip:10.0.0.0/8, ip:2001:db8::/32)`);
    return { kind: 'external', text: value };
  }
  const parts = value.split('/');
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((part) => part === '')) {
    throw new UsageError(`--${option} ${value}: expected NS/WORKLOAD or NS/KIND/NAME (e.g. shop/web, shop/Deployment/web), ip:ADDRESS or outside`);
  }
  return { kind: 'workload', ref: value };
}

function resolve(option: 'from' | 'to', spec: TargetSpec, model: NetworkModel): Target {
  if (spec.kind === 'outside') return OUTSIDE;
  if (spec.kind === 'external') return externalTarget(spec.text)!;
  const found = findEndpoints(model, spec.ref);
  if (found.length === 1) return found[0]!;
  if (found.length > 1) {
    throw new UsageError(`--${option} ${spec.ref} names ${found.length} workloads: ${found.map((e) => e.id).join(', ')}; give NS/KIND/NAME`);
  }
  const namespace = spec.ref.split('/')[0]!;
  const inNamespace = model.endpoints.filter((e) => e.namespace === namespace).map((e) => e.id);
  if (inNamespace.length > 0) throw new UsageError(`--${option} ${spec.ref}: no such workload; workloads in ${namespace}: ${listNames(inNamespace)}`);
  const namespaces = [...new Set(model.endpoints.map((e) => e.namespace))].sort(compareStrings);
  throw new UsageError(`--${option} ${spec.ref}: no workload in namespace ${namespace}; namespaces with workloads: ${listNames(namespaces)}`);
}

function targetText(target: Target): string {
  if (target === OUTSIDE) return 'outside';
  return isExternal(target) ? `ip:${target.text}` : target.id;
}

function targetJson(target: Target): Record<string, unknown> {
  if (target === OUTSIDE) return { outside: true, addresses: '0.0.0.0/0, ::/0' };
  return isExternal(target) ? { address: target.text } : endpointJson(target);
}

// ---------------------------------------------------------------------------------------------------------------
// Notes beyond the analyser's

interface Note {
  readonly code: string;
  readonly message: string;
  readonly at?: ReturnType<typeof citation>;
}

function notesOf(source: NetpolSource, result: ReachResult): Note[] {
  const notes: Note[] = result.notes.map((note: ReachNote) => ({
    code: note.code,
    message: note.message,
    ...(note.rule ? { at: citation(note.rule.policy.object, note.rule.path) } : {}),
  }));
  const { from, to } = result;
  if (!isExternal(to)) {
    const exposure = exposureOf(source.model, source.objects).get(to.id) ?? [];
    const ingresses = exposure.filter((e) => e.kind === 'Ingress');
    const services = exposure.filter((e) => e.kind === 'Service');
    if (isExternal(from) && ingresses.length > 0) {
      notes.push({
        code: 'exposed-by-ingress',
        message: `${to.id} is exposed by ${ingresses.map(exposureText).join(', ')}: that traffic reaches it from the ingress controller's pods, not from the client's address; ask about those pods (--from NS/CONTROLLER)`,
        at: citation(ingresses[0]!.object, ingresses[0]!.path),
      });
    }
    if (isExternal(from) && services.length > 0) {
      notes.push({
        code: 'exposed-by-service',
        message: `${to.id} is exposed by ${services.map(exposureText).join(', ')}: with externalTrafficPolicy Cluster the source address is a node's, not the client's`,
        at: citation(services[0]!.object, services[0]!.path),
      });
    }
  }
  // The destination lets the source in because of its labels (and its namespace's): anyone who can create pods so
  // labelled there is let in too.
  if (result.verdict === 'allowed' && !isExternal(from) && result.ingress.allowedBy.some((match) => match.peer?.kind === 'selector')) {
    notes.push({
      code: 'labels-decide',
      message: `allowed because of labels: whoever may create pods in ${from.namespace} with the same labels (or label that namespace) gets the same access; see \`palisade rbac who-can create pods -n ${from.namespace}\``,
    });
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------------------------
// Output

function matchJson(match: RuleMatch): Record<string, unknown> {
  return {
    rule: ruleJson(match.rule),
    peer: match.peer ? { index: match.peer.index, path: formatPath(match.peer.path), text: peerText(match.peer), at: citation(match.rule.policy.object, match.peer.path) } : null,
    certainty: match.certainty,
    ports: formatPorts(match.ports),
    ...(match.addresses ? { addresses: formatAddresses(match.addresses) } : {}),
  };
}

function sideJson(side: SideResult): Record<string, unknown> {
  return {
    endpoint: side.endpoint ? side.endpoint.id : null,
    status: side.status,
    isolatedBy: side.isolatedBy.map(policyJson),
    allowedBy: side.allowedBy.map(matchJson),
    ports: formatPorts(side.ports),
    possiblePorts: formatPorts(side.possiblePorts),
  };
}

function matchRow(match: RuleMatch, side: SideResult): string[] {
  const word = side.direction === 'egress' ? 'to' : 'from';
  const peer = match.peer ? `${word} ${peerText(match.peer)}` : `${word} anywhere (the rule has no ${word})`;
  const addresses = match.addresses ? ` (${formatAddresses(match.addresses)})` : '';
  return [
    `${formatPorts(match.ports)}${match.certainty === 'possible' ? ' (possibly)' : ''}`,
    `${ruleName(match.rule)} ${peer}${addresses}`,
    whereText(match.rule.policy.object, match.peer ? match.peer.path : match.rule.path),
  ];
}

function sideLines(side: SideResult, self: Target, other: Target): string[] {
  const heading = `${side.direction === 'egress' ? 'Egress from' : 'Ingress to'} ${targetText(self)}`;
  switch (side.status) {
    case 'self':
      return [`${heading}: the same pod (always allowed)`];
    case 'external':
      return [`${heading}: outside the cluster, where no NetworkPolicy applies`];
    case 'host-network':
      return [`${heading}: uses the host network; NetworkPolicies do not apply (every port)`];
    case 'not-isolated':
      return [`${heading}: not isolated (no NetworkPolicy selects it with ${side.direction === 'egress' ? 'Egress' : 'Ingress'} in its policyTypes): every port`];
    case 'isolated': {
      const lines = [`${heading}: isolated by`];
      lines.push(...renderTable(['POLICY', 'AT'], side.isolatedBy.map((policy) => [`NetworkPolicy ${policy.id}`, whereText(policy.object, ['spec', 'podSelector'])]), '    ').slice(1));
      if (side.allowedBy.length === 0) lines.push(`  no rule of them allows ${targetText(other)}`);
      else {
        lines.push('  allowed by');
        lines.push(...renderTable(['PORTS', 'RULE', 'AT'], side.allowedBy.map((match) => matchRow(match, side)), '    ').slice(1));
      }
      return lines;
    }
  }
}

/** Why a pair is denied (NetworkPolicies alone), in one line. */
function whyDenied(result: ReachResult, port: PortQuery | undefined): string | undefined {
  if (result.policyVerdict !== 'denied') return undefined;
  const egress = result.egress.possiblePorts;
  const ingress = result.ingress.possiblePorts;
  if (port) {
    const egressAllows = portsContain(egress, port.protocol, port.port);
    const ingressAllows = portsContain(ingress, port.protocol, port.port);
    const on = portQueryText(port);
    if (!egressAllows && !ingressAllows) return `Denied on ${on} by both sides (egress allows ${formatPorts(egress)}; ingress allows ${formatPorts(ingress)}).`;
    return egressAllows ? `Denied on ${on} by the ingress side (it allows ${formatPorts(ingress)}).` : `Denied on ${on} by the egress side (it allows ${formatPorts(egress)}).`;
  }
  if (portsEmpty(egress) && portsEmpty(ingress)) return 'Denied by both sides.';
  if (portsEmpty(egress)) return 'Denied by the egress side.';
  if (portsEmpty(ingress)) return 'Denied by the ingress side.';
  return `No port is allowed by both sides (egress: ${formatPorts(egress)}; ingress: ${formatPorts(ingress)}).`;
}

function pairText(result: ReachResult): string {
  const { from, to } = result;
  if (!isExternal(from) && !isExternal(to) && from.id === to.id) return from.singlePod ? `${from.id} → itself` : `${from.id} → ${to.id} (between two of its pods)`;
  return `${targetText(from)} → ${targetText(to)}`;
}

function verdictLine(result: ReachResult, port: PortQuery | undefined): string {
  const head = `${pairText(result)}, ${portQueryText(port)}: ${result.verdict}`;
  const details: string[] = [];
  if (!portsEmpty(result.ports) && result.verdict !== 'allowed') details.push(`allowed on: ${formatPorts(result.ports)}`);
  else if (!portsEmpty(result.ports)) details.push(`allowed: ${formatPorts(result.ports)}`);
  if (!portsEmpty(result.unknownPorts)) details.push(`unknown: ${formatPorts(result.unknownPorts)}`);
  if (result.verdict !== result.policyVerdict) details.push(`NetworkPolicies alone: ${result.policyVerdict}`);
  return details.length > 0 ? `${head} (${details.join('; ')})` : head;
}

export async function reachCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, REACH_OPTIONS, 'netpol reach');
  if (values['help']) {
    io.stdout(REACH_HELP);
    return 0;
  }
  const format = parseFormat(values, ['table', 'json'] as const);
  const fromSpec = parseTarget('from', values['from'] as string | undefined);
  const toSpec = parseTarget('to', values['to'] as string | undefined);
  const port = parsePortOption(values['port'] as string | undefined);
  const inputs = await readNetpolInputs(values, positionals, io, 'reach');
  if (!inputs) return 2;
  const answers = inputs.sources.map((source) => {
    const from = resolve('from', fromSpec, source.model);
    const to = resolve('to', toSpec, source.model);
    const result = reach(source.model, from, to, port, { ipBlockPods: inputs.ipBlockPods });
    return { source, result, notes: notesOf(source, result) };
  });
  if (answers.length === 0) throw new UsageError('the input holds no workload');

  if (format === 'json') {
    io.stdout(
      json({
        query: { from: values['from'], to: values['to'], port: port ? portQueryText(port) : null },
        sources: answers.map(({ source, result, notes }) => ({
          source: source.source,
          from: targetJson(result.from),
          to: targetJson(result.to),
          verdict: result.verdict,
          ports: formatPorts(result.ports),
          unknownPorts: formatPorts(result.unknownPorts),
          policyVerdict: result.policyVerdict,
          egress: sideJson(result.egress),
          ingress: sideJson(result.ingress),
          foreign: result.foreign.map(foreignJson),
          exposedBy: isExternal(result.to) ? [] : (exposureOf(source.model, source.objects).get(result.to.id) ?? []).map(exposureJson),
          notes,
        })),
      }),
    );
    return 0;
  }
  const lines: string[] = [];
  for (const { source, result, notes } of answers) {
    if (answers.length > 1) lines.push(`== ${source.source} ==`, '');
    lines.push(verdictLine(result, port), '');
    lines.push(...sideLines(result.egress, result.from, result.to), ...sideLines(result.ingress, result.to, result.from));
    const why = whyDenied(result, port);
    if (why) lines.push('', why);
    if (notes.length > 0) lines.push('', 'Notes:', ...notes.map((note) => `- ${note.message}`));
    lines.push('');
  }
  io.stdout(`${lines.join('\n')}`);
  return 0;
}
