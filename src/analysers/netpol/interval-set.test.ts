// Interval sets (numbers and bigints) and the port sets built on them: normalisation, the three set operations
// against a brute-force model, equality, formatting, and port queries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { IntervalSet, type Interval } from './interval-set.ts';
import {
  ALL_PORTS,
  NO_PORTS,
  formatPorts,
  intersectPorts,
  parsePortQuery,
  portsContain,
  portsEmpty,
  portsEqual,
  portsOf,
  resolvePorts,
  namedPortsOf,
  subtractPorts,
  unionPorts,
} from './ports.ts';

const set = (...ranges: Interval<number>[]): IntervalSet<number> => IntervalSet.of(ranges);

function members(s: IntervalSet<number>, max: number): number[] {
  const out: number[] = [];
  for (let i = 0; i <= max; i++) if (s.contains(i)) out.push(i);
  return out;
}

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('IntervalSet', () => {
  test('normalises: sorts, merges overlapping and adjacent ranges, drops reversed ones', () => {
    assert.deepEqual(set([10, 20], [1, 3], [4, 5], [15, 30], [40, 39]).ranges(), [[1, 5], [10, 30]]);
    assert.equal(set([8000, 8080], [443, 443], [80, 80]).format(), '80,443,8000-8080');
    assert.equal(set().format(), '');
    assert.ok(set().isEmpty);
    assert.ok(IntervalSet.range(5, 4).isEmpty);
  });

  test('union, intersect and subtract agree with a brute-force model', () => {
    const next = random(7);
    const randomSet = (): IntervalSet<number> => {
      const ranges: Interval<number>[] = [];
      const count = Math.floor(next() * 5);
      for (let i = 0; i < count; i++) {
        const lo = Math.floor(next() * 60);
        ranges.push([lo, lo + Math.floor(next() * 12)]);
      }
      return IntervalSet.of(ranges);
    };
    for (let round = 0; round < 500; round++) {
      const a = randomSet();
      const b = randomSet();
      const ma = new Set(members(a, 80));
      const mb = new Set(members(b, 80));
      assert.deepEqual(members(a.union(b), 80), [...new Set([...ma, ...mb])].sort((x, y) => x - y));
      assert.deepEqual(members(a.intersect(b), 80), [...ma].filter((x) => mb.has(x)));
      assert.deepEqual(members(a.subtract(b), 80), [...ma].filter((x) => !mb.has(x)));
      // Canonical: equal sets have equal boundaries and keys, whatever the operations that built them.
      assert.ok(a.union(b).equals(b.union(a)));
      assert.equal(a.intersect(b).key, b.intersect(a).key);
      assert.ok(a.subtract(b).union(a.intersect(b)).equals(a));
      assert.equal(a.covers(a.intersect(b)), true);
    }
  });

  test('operations return an operand when the answer is one, and the sets are frozen', () => {
    const a = set([1, 10]);
    const b = set([3, 4]);
    assert.equal(a.union(b), a);
    assert.equal(a.intersect(b), b);
    assert.equal(a.subtract(set()), a);
    assert.ok(Object.isFrozen(a));
  });

  test('contains: boundaries are inclusive', () => {
    const s = set([80, 80], [8000, 8080]);
    assert.deepEqual([79, 80, 81, 7999, 8000, 8080, 8081].map((p) => s.contains(p)), [false, true, false, false, true, true, false]);
    assert.equal(s.min, 80);
  });

  test('bigints: the whole IPv6 range and its pieces', () => {
    const max = (1n << 128n) - 1n;
    const all = IntervalSet.range(0n, max);
    const low = IntervalSet.range(0n, (1n << 127n) - 1n);
    const high = all.subtract(low);
    assert.deepEqual(high.ranges(), [[1n << 127n, max]]);
    assert.ok(low.union(high).equals(all));
    assert.ok(high.contains(max));
    assert.ok(!high.contains(0n));
  });
});

describe('port sets', () => {
  test('ports are 1-65535: port 0 is never a member; ranges are clamped', () => {
    assert.equal(ALL_PORTS.TCP.contains(0), false);
    assert.equal(ALL_PORTS.TCP.contains(65535), true);
    assert.equal(ALL_PORTS.TCP.contains(65536), false);
    assert.deepEqual(portsOf('UDP', 0, 70000).UDP.ranges(), [[1, 65535]]);
  });

  test('per protocol: TCP 80 and UDP 80 are different ports', () => {
    const tcp = portsOf('TCP', 80);
    const udp = portsOf('UDP', 80);
    assert.ok(portsEmpty(intersectPorts(tcp, udp)));
    assert.equal(formatPorts(unionPorts(tcp, udp)), 'tcp/80 udp/80');
    assert.equal(formatPorts(unionPorts(portsOf('TCP', 8000, 8080), portsOf('TCP', 443))), 'tcp/443,8000-8080');
    assert.equal(formatPorts(ALL_PORTS), 'all ports');
    assert.equal(formatPorts(NO_PORTS), 'none');
    assert.equal(formatPorts(portsOf('SCTP')), 'sctp/all');
    assert.ok(portsEqual(subtractPorts(ALL_PORTS, ALL_PORTS), NO_PORTS));
    assert.ok(portsContain(portsOf('SCTP', 9000), 'SCTP', 9000));
  });

  test('port queries', () => {
    assert.deepEqual(parsePortQuery('tcp/80'), { protocol: 'TCP', port: 80 });
    assert.deepEqual(parsePortQuery('SCTP/9000'), { protocol: 'SCTP', port: 9000 });
    assert.deepEqual(parsePortQuery('any'), { any: true });
    assert.equal(parsePortQuery('tcp/0'), undefined);
    assert.equal(parsePortQuery('tcp/65536'), undefined);
    assert.equal(parsePortQuery('icmp/1'), undefined);
    assert.equal(parsePortQuery('80'), undefined);
  });

  test('named ports resolve by name and protocol; unknown names match nothing', () => {
    const named = namedPortsOf([
      { port: 8080, protocol: 'TCP', name: 'http' },
      { port: 53, protocol: 'UDP', name: 'dns' },
      { port: 9090, protocol: 'TCP' },
    ]);
    const matcher = { numeric: portsOf('TCP', 443), named: [{ protocol: 'TCP' as const, name: 'http' }, { protocol: 'TCP' as const, name: 'dns' }, { protocol: 'TCP' as const, name: 'nope' }] };
    assert.equal(formatPorts(resolvePorts(matcher, named)), 'tcp/443,8080');
    assert.equal(formatPorts(resolvePorts(matcher, undefined)), 'tcp/443');
  });
});
