// diffNetworks against the brute force: for random pairs of clusters (the second one a variation of the first:
// objects dropped, objects of another random cluster added, some of them replacing the first's), every ordered pair
// of workloads of either cluster is compared with matrix.result() on each side, and every workload's outside access
// with matrix.external(); the diff must list exactly the pairs and sides whose ports change, with those ports.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import { addressesEqual, addressSubtract, addressUnion, NO_ADDRESSES, type AddressSet } from './cidr.ts';
import { diffNetworks, externalDelta, pairDelta } from './diff.ts';
import { matrix, type PairResult } from './matrix.ts';
import { DIRECTIONS } from './model.ts';
import { formatPorts, portsEmpty, PROTOCOLS, type Protocol, type ProtocolPorts } from './ports.ts';
import { modelOf, random, randomCluster } from './random-cluster.testing.ts';

function variation(objects: readonly JsonObject[], seed: number): JsonObject[] {
  const rnd = random(seed * 7919);
  const kept = objects.filter(() => rnd() < 0.8);
  const other = randomCluster(seed + 10_000).filter(() => rnd() < 0.4);
  // Same names replace (same identity, new content); the rest are new.
  const key = (o: JsonObject): string => JSON.stringify([o['kind'], (o['metadata'] as JsonObject)['namespace'], (o['metadata'] as JsonObject)['name']]);
  const replaced = new Set(other.map(key));
  return [...kept.filter((o) => !replaced.has(key(o))), ...other];
}

describe('diffNetworks', () => {
  test('lists exactly the pairs and outside accesses whose ports change (300 random changes)', () => {
    let changes = 0;
    let external = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const base = randomCluster(seed);
      const before = modelOf(base);
      const after = modelOf(variation(base, seed));
      const diff = diffNetworks(before, after);
      const mb = matrix(before);
      const ma = matrix(after);
      const expected = new Map<string, string>();
      const ids = [...new Set([...before.endpoints, ...after.endpoints].map((e) => e.id))].sort();
      for (const from of ids) {
        for (const to of ids) {
          const result = (side: typeof mb, model: typeof before): PairResult | undefined => {
            const a = model.endpointById.get(from);
            const b = model.endpointById.get(to);
            return a && b ? side.result(a, b) : undefined;
          };
          const { opened, closed } = pairDelta(result(mb, before), result(ma, after));
          if (!portsEmpty(opened) || !portsEmpty(closed)) expected.set(`${from} -> ${to}`, `+${formatPorts(opened)} -${formatPorts(closed)}`);
        }
      }
      const actual = new Map(diff.changes.map((c) => [`${c.from} -> ${c.to}`, `+${formatPorts(c.opened)} -${formatPorts(c.closed)}`]));
      assert.deepEqual(actual, expected, `seed ${seed}`);
      assert.equal(diff.changes.length, actual.size, `seed ${seed}: no pair twice`);
      changes += actual.size;
      for (const id of ids) {
        for (const direction of DIRECTIONS) {
          const b = before.endpointById.get(id);
          const a = after.endpointById.get(id);
          const delta = externalDelta(b ? mb.external(b, direction) : undefined, a ? ma.external(a, direction) : undefined);
          const listed = diff.external.find((c) => c.workload === id && c.direction === direction);
          assert.equal(listed !== undefined, delta.opened.length + delta.closed.length > 0, `seed ${seed}: ${id} ${direction}`);
          if (listed) external++;
        }
      }
    }
    assert.ok(changes > 1000, `${changes} changed pairs`);
    assert.ok(external > 100, `${external} outside changes`);
  });

  test('externalDelta: the (port, address) pairs newly allowed and no longer allowed', () => {
    const covered = (entries: readonly { ports: ProtocolPorts; addresses: AddressSet }[], protocol: Protocol, port: number): AddressSet =>
      entries.filter((e) => e.ports[protocol].contains(port)).reduce((acc, e) => addressUnion(acc, e.addresses), NO_ADDRESSES);
    for (let seed = 1; seed <= 50; seed++) {
      const before = matrix(modelOf(randomCluster(seed)));
      const after = matrix(modelOf(randomCluster(seed + 500)));
      for (const [b, a] of before.model.endpoints.flatMap((x) => after.model.endpoints.map((y) => [x, y] as const))) {
        for (const direction of DIRECTIONS) {
          const accessBefore = before.external(b, direction);
          const accessAfter = after.external(a, direction);
          const { opened, closed } = externalDelta(accessBefore, accessAfter);
          for (const protocol of PROTOCOLS) {
            for (const port of [1, 53, 80, 443, 8080, 9000, 65535]) {
              const was = covered(accessBefore.entries, protocol, port);
              const now = covered(accessAfter.entries, protocol, port);
              assert.ok(addressesEqual(covered(opened, protocol, port), addressSubtract(now, was)), `seed ${seed} ${b.id}/${a.id} ${direction} ${protocol}/${port} opened`);
              assert.ok(addressesEqual(covered(closed, protocol, port), addressSubtract(was, now)), `seed ${seed} ${b.id}/${a.id} ${direction} ${protocol}/${port} closed`);
            }
          }
        }
      }
      assert.deepEqual(externalDelta(undefined, undefined), { opened: [], closed: [] });
    }
  });
});
