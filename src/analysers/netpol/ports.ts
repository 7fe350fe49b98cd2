// Ports per protocol (TCP, UDP, SCTP: the protocols a NetworkPolicyPort can name) as interval sets over 1–65535, and
// port matchers: what a rule's `ports` list allows before named ports are resolved against a destination pod.
//
// Exported API:
//   PROTOCOLS, Protocol, ProtocolPorts (frozen { TCP, UDP, SCTP } interval sets)
//   ALL_PORTS, NO_PORTS, portsOf(protocol, lo, hi?), unionPorts, intersectPorts, subtractPorts, portsEmpty,
//   portsEqual, portsContain(ports, protocol, port), portsKey, formatPorts (`tcp/80,443 udp/53`)
//   PortQuery, parsePortQuery('tcp/80' | 'udp/53' | 'sctp/9000' | 'any')
//   PortMatcher ({ numeric, named }), resolvePorts(matcher, namedPorts) and the container port type they resolve to
//
// Port 0 is never a member: Kubernetes ports are 1–65535.
import { IntervalSet } from './interval-set.ts';

export const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

export interface ProtocolPorts {
  readonly TCP: IntervalSet<number>;
  readonly UDP: IntervalSet<number>;
  readonly SCTP: IntervalSet<number>;
}

const EMPTY = IntervalSet.empty<number>();
const FULL = IntervalSet.range(MIN_PORT, MAX_PORT);

export const NO_PORTS: ProtocolPorts = Object.freeze({ TCP: EMPTY, UDP: EMPTY, SCTP: EMPTY });
export const ALL_PORTS: ProtocolPorts = Object.freeze({ TCP: FULL, UDP: FULL, SCTP: FULL });

export function isProtocol(value: unknown): value is Protocol {
  return typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value);
}

/** `protocol` ports lo…hi (hi defaults to lo), clamped to 1–65535; every port of the protocol when lo is omitted. */
export function portsOf(protocol: Protocol, lo?: number, hi?: number): ProtocolPorts {
  const set = lo === undefined ? FULL : IntervalSet.range(Math.max(lo, MIN_PORT), Math.min(hi ?? lo, MAX_PORT));
  return Object.freeze({ ...NO_PORTS, [protocol]: set });
}

function combine(a: ProtocolPorts, b: ProtocolPorts, op: 'union' | 'intersect' | 'subtract'): ProtocolPorts {
  const TCP = a.TCP[op](b.TCP);
  const UDP = a.UDP[op](b.UDP);
  const SCTP = a.SCTP[op](b.SCTP);
  if (TCP === a.TCP && UDP === a.UDP && SCTP === a.SCTP) return a;
  if (TCP === b.TCP && UDP === b.UDP && SCTP === b.SCTP) return b;
  return Object.freeze({ TCP, UDP, SCTP });
}

export function unionPorts(a: ProtocolPorts, b: ProtocolPorts): ProtocolPorts {
  return combine(a, b, 'union');
}

export function intersectPorts(a: ProtocolPorts, b: ProtocolPorts): ProtocolPorts {
  return combine(a, b, 'intersect');
}

export function subtractPorts(a: ProtocolPorts, b: ProtocolPorts): ProtocolPorts {
  return combine(a, b, 'subtract');
}

export function portsEmpty(ports: ProtocolPorts): boolean {
  return ports.TCP.isEmpty && ports.UDP.isEmpty && ports.SCTP.isEmpty;
}

export function portsEqual(a: ProtocolPorts, b: ProtocolPorts): boolean {
  return a === b || (a.TCP.equals(b.TCP) && a.UDP.equals(b.UDP) && a.SCTP.equals(b.SCTP));
}

export function portsContain(ports: ProtocolPorts, protocol: Protocol, port: number): boolean {
  return ports[protocol].contains(port);
}

/** Equal for equal port sets. */
export function portsKey(ports: ProtocolPorts): string {
  return `${ports.TCP.key}/${ports.UDP.key}/${ports.SCTP.key}`;
}

/** `tcp/80,443 udp/53`, `all ports`, `tcp/all`, `none`. */
export function formatPorts(ports: ProtocolPorts): string {
  if (portsEqual(ports, ALL_PORTS)) return 'all ports';
  const parts: string[] = [];
  for (const protocol of PROTOCOLS) {
    const set = ports[protocol];
    if (set.isEmpty) continue;
    parts.push(`${protocol.toLowerCase()}/${set.equals(FULL) ? 'all' : set.format()}`);
  }
  return parts.length === 0 ? 'none' : parts.join(' ');
}

/** One protocol and port, or undefined for "any port". */
export interface PortQuery {
  readonly protocol: Protocol;
  readonly port: number;
}

/** `tcp/80`, `UDP/53`, `sctp/9000`; `any` (or '') → { any: true }; undefined when malformed. */
export function parsePortQuery(text: string): { readonly any: true } | PortQuery | undefined {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'any') return { any: true };
  const match = /^(tcp|udp|sctp)\/(\d{1,5})$/i.exec(trimmed);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < MIN_PORT || port > MAX_PORT) return undefined;
  return { protocol: match[1]!.toUpperCase() as Protocol, port };
}

// ---------------------------------------------------------------------------------------------------------------
// Port matchers and named ports

/** A container port of a pod template (containerPort, protocol defaulting to TCP, optional name). */
export interface ContainerPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/** A named port a rule refers to, with the protocol it is asked for. */
export interface NamedPortRef {
  readonly protocol: Protocol;
  readonly name: string;
}

/**
 * What a rule's `ports` allow before named ports are resolved: numeric ports, plus names that resolve, per
 * destination pod, to that pod's container port with the same name and protocol.
 */
export interface PortMatcher {
  readonly numeric: ProtocolPorts;
  readonly named: readonly NamedPortRef[];
}

export const ALL_PORTS_MATCHER: PortMatcher = Object.freeze({ numeric: ALL_PORTS, named: Object.freeze([]) });
export const NO_PORTS_MATCHER: PortMatcher = Object.freeze({ numeric: NO_PORTS, named: Object.freeze([]) });

/** `name/protocol` → the port numbers of the container ports with that name and protocol. */
export type NamedPorts = ReadonlyMap<string, readonly number[]>;

export function namedPortKey(protocol: Protocol, name: string): string {
  return `${name}/${protocol}`;
}

export function namedPortsOf(ports: readonly ContainerPort[]): NamedPorts {
  const map = new Map<string, number[]>();
  for (const { name, protocol, port } of ports) {
    if (name === undefined) continue;
    const key = namedPortKey(protocol, name);
    const list = map.get(key);
    if (!list) map.set(key, [port]);
    else if (!list.includes(port)) list.push(port);
  }
  return map;
}

/** The ports a matcher allows towards a pod with these named ports; names the pod does not define match nothing. */
export function resolvePorts(matcher: PortMatcher, namedPorts: NamedPorts | undefined): ProtocolPorts {
  if (matcher.named.length === 0 || !namedPorts) return matcher.numeric;
  let ports = matcher.numeric;
  for (const { protocol, name } of matcher.named) {
    for (const port of namedPorts.get(namedPortKey(protocol, name)) ?? []) ports = unionPorts(ports, portsOf(protocol, port));
  }
  return ports;
}

export function unionMatchers(a: PortMatcher, b: PortMatcher): PortMatcher {
  if (a.named.length === 0 && b.named.length === 0) return { numeric: unionPorts(a.numeric, b.numeric), named: a.named };
  const named = [...a.named];
  for (const ref of b.named) if (!named.some((r) => r.name === ref.name && r.protocol === ref.protocol)) named.push(ref);
  named.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : x.protocol < y.protocol ? -1 : x.protocol > y.protocol ? 1 : 0));
  return { numeric: unionPorts(a.numeric, b.numeric), named };
}

export function matcherKey(matcher: PortMatcher): string {
  return `${portsKey(matcher.numeric)}|${matcher.named.map((r) => namedPortKey(r.protocol, r.name)).join(',')}`;
}
