// IP addresses and CIDRs as interval sets: IPv4 as numbers (0 … 2^32-1), IPv6 as bigints (0 … 2^128-1), the two
// families kept apart (an IPv4-mapped IPv6 address such as ::ffff:10.0.0.1 is an IPv6 address, as Go's net package
// and the API server's validation treat it in a CIDR).
//
// Exported API:
//   parseIp(text): ParsedIp | undefined                   one address, no prefix
//   parseCidr(text): ParsedCidr | undefined               `a.b.c.d/n`, `x::y/n`; a bare address is a /32 or /128
//   AddressSet: { v4, v6 } and its operations (addressUnion, addressIntersect, addressSubtract, addressesEmpty,
//     addressesEqual), NO_ADDRESSES, ANYWHERE (0.0.0.0/0 and ::/0), ANYWHERE_V4, ANYWHERE_V6
//   cidrAddresses(cidr), ipBlockAddresses(cidr, except): what an ipBlock peer matches (`cidr` minus every `except`)
//   isAnywhere(set), coversFamily(set): 0.0.0.0/0 and ::/0 recognition
//   formatAddresses(set): the set as the fewest CIDRs (`10.0.0.0/8, 192.168.1.0/24, ::/0`)
//
// Parsing follows Go's net.ParseCIDR, which the API server's ipBlock validation uses: IPv4 octets are decimal
// without leading zeros, IPv6 allows `::` once and a trailing dotted IPv4 part, no zone. Host bits set below the
// prefix (`10.1.2.3/8`) are masked off, as ParseCIDR's network does; `hostBits` says so for a note.
import { IntervalSet } from './interval-set.ts';

export type IpFamily = 4 | 6;

export interface ParsedIp {
  readonly family: IpFamily;
  /** number for IPv4, bigint for IPv6. */
  readonly value: number | bigint;
}

export interface ParsedCidr {
  readonly family: IpFamily;
  readonly prefix: number;
  /** First and last address of the network. */
  readonly first: number | bigint;
  readonly last: number | bigint;
  /** The address had bits set below the prefix (they are ignored). */
  readonly hostBits: boolean;
}

export interface AddressSet {
  readonly v4: IntervalSet<number>;
  readonly v6: IntervalSet<bigint>;
}

const V4_MAX = 2 ** 32 - 1;
const V6_MAX = (1n << 128n) - 1n;

export const NO_ADDRESSES: AddressSet = Object.freeze({ v4: IntervalSet.empty<number>(), v6: IntervalSet.empty<bigint>() });
export const ANYWHERE_V4: AddressSet = Object.freeze({ v4: IntervalSet.range(0, V4_MAX), v6: IntervalSet.empty<bigint>() });
export const ANYWHERE_V6: AddressSet = Object.freeze({ v4: IntervalSet.empty<number>(), v6: IntervalSet.range(0n, V6_MAX) });
/** 0.0.0.0/0 and ::/0: every address outside the cluster (and inside: see reachability.ts on ipBlocks and pods). */
export const ANYWHERE: AddressSet = Object.freeze({ v4: ANYWHERE_V4.v4, v6: ANYWHERE_V6.v6 });

function parseV4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

function parseV6(text: string): bigint | undefined {
  if (text.includes('%')) return undefined;
  let head = text;
  let tailV4: number | undefined;
  const lastColon = text.lastIndexOf(':');
  if (lastColon !== -1 && text.slice(lastColon + 1).includes('.')) {
    tailV4 = parseV4(text.slice(lastColon + 1));
    if (tailV4 === undefined) return undefined;
    head = text.slice(0, lastColon + 1);
    // `::1.2.3.4` leaves `::`; `a:b::c:1.2.3.4` leaves `a:b::c:`: restore a group boundary.
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const groupsWanted = tailV4 === undefined ? 8 : 6;
  const double = head.indexOf('::');
  if (double !== -1 && head.indexOf('::', double + 1) !== -1) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      groups.push(parseInt(group, 16));
    }
    return groups;
  };
  let groups: number[];
  if (double === -1) {
    const all = parseGroups(head);
    if (!all || all.length !== groupsWanted) return undefined;
    groups = all;
  } else {
    const left = parseGroups(head.slice(0, double));
    const right = parseGroups(head.slice(double + 2));
    if (!left || !right || left.length + right.length >= groupsWanted) return undefined;
    groups = [...left, ...new Array<number>(groupsWanted - left.length - right.length).fill(0), ...right];
  }
  let value = 0n;
  for (const group of groups) value = (value << 16n) | BigInt(group);
  if (tailV4 !== undefined) value = (value << 32n) | BigInt(tailV4);
  return value;
}

export function parseIp(text: string): ParsedIp | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const value = parseV6(trimmed);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseV4(trimmed);
  return value === undefined ? undefined : { family: 4, value };
}

/** `a.b.c.d/n` or `x::y/n`; a bare address stands for itself (/32, /128). */
export function parseCidr(text: string): ParsedCidr | undefined {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const ip = parseIp(slash === -1 ? trimmed : trimmed.slice(0, slash));
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > bits) return undefined;
  }
  if (ip.family === 4) {
    const size = 2 ** (32 - prefix);
    const value = ip.value as number;
    const first = Math.floor(value / size) * size;
    return { family: 4, prefix, first, last: first + size - 1, hostBits: first !== value };
  }
  const hostBitCount = BigInt(128 - prefix);
  const value = ip.value as bigint;
  const first = (value >> hostBitCount) << hostBitCount;
  return { family: 6, prefix, first, last: first + (1n << hostBitCount) - 1n, hostBits: first !== value };
}

export function cidrSet(cidr: ParsedCidr): AddressSet {
  return cidr.family === 4
    ? { v4: IntervalSet.range(cidr.first as number, cidr.last as number), v6: NO_ADDRESSES.v6 }
    : { v4: NO_ADDRESSES.v4, v6: IntervalSet.range(cidr.first as bigint, cidr.last as bigint) };
}

/** The addresses of a CIDR (or bare address); undefined when it does not parse. */
export function cidrAddresses(text: string): AddressSet | undefined {
  const cidr = parseCidr(text);
  return cidr ? cidrSet(cidr) : undefined;
}

/** An ipBlock's addresses: `cidr` minus each `except` that parses (the caller reports those that do not). */
export function ipBlockAddresses(cidr: string, except: readonly string[]): AddressSet | undefined {
  let set = cidrAddresses(cidr);
  if (!set) return undefined;
  for (const text of except) {
    const excluded = cidrAddresses(text);
    if (excluded) set = addressSubtract(set, excluded);
  }
  return set;
}

export function addressUnion(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: a.v4.union(b.v4), v6: a.v6.union(b.v6) };
}

export function addressIntersect(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: a.v4.intersect(b.v4), v6: a.v6.intersect(b.v6) };
}

export function addressSubtract(a: AddressSet, b: AddressSet): AddressSet {
  return { v4: a.v4.subtract(b.v4), v6: a.v6.subtract(b.v6) };
}

export function addressesEmpty(set: AddressSet): boolean {
  return set.v4.isEmpty && set.v6.isEmpty;
}

export function addressesEqual(a: AddressSet, b: AddressSet): boolean {
  return a.v4.equals(b.v4) && a.v6.equals(b.v6);
}

/** Every IPv4 and every IPv6 address (0.0.0.0/0 and ::/0 together). */
export function isAnywhere(set: AddressSet): boolean {
  return addressesEqual(set, ANYWHERE);
}

/** Whether the set holds every address of one family at least (0.0.0.0/0 or ::/0). */
export function coversFamily(set: AddressSet): boolean {
  return set.v4.equals(ANYWHERE.v4) || set.v6.equals(ANYWHERE.v6);
}

export function formatIp(family: IpFamily, value: number | bigint): string {
  if (family === 4) {
    const v = value as number;
    return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
  }
  const v = value as bigint;
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((v >> shift) & 0xffffn));
  // RFC 5952: the longest run of two or more zero groups becomes `::` (the first such run on a tie).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The fewest CIDRs covering [first, last] exactly. */
function rangeToCidrs(family: IpFamily, first: bigint, last: bigint): string[] {
  const bits = family === 4 ? 32n : 128n;
  const out: string[] = [];
  let start = first;
  while (start <= last) {
    // The largest aligned block starting at `start` that fits.
    let size = 0n;
    while (size < bits && (start & ((1n << (size + 1n)) - 1n)) === 0n && start + (1n << (size + 1n)) - 1n <= last) size++;
    out.push(`${formatIp(family, family === 4 ? Number(start) : start)}/${bits - size}`);
    start += 1n << size;
  }
  return out;
}

/** `10.0.0.0/8, 192.168.1.0/24, ::/0`; `''` when empty. */
export function formatAddresses(set: AddressSet): string {
  const parts: string[] = [];
  for (const [lo, hi] of set.v4.ranges()) parts.push(...rangeToCidrs(4, BigInt(lo), BigInt(hi)));
  for (const [lo, hi] of set.v6.ranges()) parts.push(...rangeToCidrs(6, lo, hi));
  return parts.join(', ');
}

/** A key equal for equal sets. */
export function addressesKey(set: AddressSet): string {
  return `${set.v4.key}|${set.v6.key}`;
}
