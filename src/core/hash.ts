// A fast 128-bit non-cryptographic string hash for finding fingerprints (four 32-bit multiply-xor lanes, then an
// avalanche). Fingerprints identify findings across runs; they need few collisions and speed — a scan computes
// one per finding — not resistance to attackers, and core stays free of node:* imports.

function avalanche(h: number): number {
  let x = h;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

function hex32(word: number): string {
  return HEX[word >>> 24]! + HEX[(word >>> 16) & 0xff]! + HEX[(word >>> 8) & 0xff]! + HEX[word & 0xff]!;
}

export function hash128Hex(text: string): string {
  let h1 = 0x1b873593 ^ text.length;
  let h2 = 0x9e3779b9;
  let h3 = 0x7f4a7c15;
  let h4 = 0x94d049bb;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 0x5bd1e995);
    h2 = Math.imul(h2 ^ code, 0xcc9e2d51) ^ (h1 >>> 15);
    h3 = Math.imul(h3 ^ code, 0x1b873593) ^ (h2 >>> 13);
    h4 = Math.imul(h4 ^ code, 0xe6546b64) ^ (h3 >>> 17);
    h1 ^= h4 >>> 11;
  }
  const a = avalanche(h1 ^ h3);
  const b = avalanche(h2 ^ h4 ^ a);
  const c = avalanche(h3 ^ h1 ^ b);
  const d = avalanche(h4 ^ h2 ^ c);
  return [hex32(a), hex32(b), hex32(c), hex32(d)].join('');
}
