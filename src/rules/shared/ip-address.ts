// IP addresses as Go's net.ParseIP reads them (what pflag's IP flags and etcd's URL hosts go through), and the two
// questions the CIS rules ask of them: loopback only, or every interface.

/** Go's net.ParseIP: dotted IPv4 (no leading zeros) or IPv6 (with `::` and an IPv4 tail); 16 bytes, IPv4 mapped. */
export function parseIp(text: string): Uint8Array | undefined {
  const v4 = parseIpv4(text);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  return text.includes(':') ? parseIpv6(text) : undefined;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const words: number[] = [];
    const parts = half.split(':');
    for (const [index, part] of parts.entries()) {
      if (index === parts.length - 1 && part.includes('.')) {
        const v4 = parseIpv4(part);
        if (!v4) return undefined;
        words.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        words.push(parseInt(part, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...Array<number>(missing).fill(0), ...tail];
  return Uint8Array.from(words.flatMap((word) => [word >> 8, word & 0xff]));
}

function isIpv4Mapped(ip: Uint8Array): boolean {
  return ip.slice(0, 10).every((byte) => byte === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** net.IP.IsLoopback: 127.0.0.0/8 (also IPv4-mapped) or ::1. */
export function isLoopbackIp(ip: Uint8Array): boolean {
  if (isIpv4Mapped(ip)) return ip[12] === 127;
  return ip.slice(0, 15).every((byte) => byte === 0) && ip[15] === 1;
}

/** net.IP.IsUnspecified: 0.0.0.0 or ::, the addresses that listen on every interface. */
export function isUnspecifiedIp(ip: Uint8Array): boolean {
  if (isIpv4Mapped(ip)) return ip.slice(12).every((byte) => byte === 0);
  return ip.every((byte) => byte === 0);
}
