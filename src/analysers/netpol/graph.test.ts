// networkGraph against the matrix: on random clusters the edges between nodes are exactly the class pairs that are
// not denied (with the results' ports), less the pair of a lone one-pod workload with itself; the edges to and from
// outside follow matrix.external; nodes and edges come out in a stable order.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { networkGraph, OUTSIDE_NODE } from './graph.ts';
import { matrix } from './matrix.ts';
import { formatPorts } from './ports.ts';
import { modelOf, randomCluster } from './random-cluster.testing.ts';

describe('networkGraph', () => {
  test('edges are the pairs of classes that can connect, and outside access (300 random clusters)', () => {
    let edges = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const m = matrix(modelOf(randomCluster(seed)));
      const graph = networkGraph(m);
      const expected: string[] = [];
      for (const from of m.classes) {
        const row = m.row(from);
        const id = from.endpoints[0]!.id;
        for (const to of m.classes) {
          const result = row[to.index]!;
          if (result.verdict === 'denied') continue;
          if (from === to && from.endpoints.length === 1 && from.endpoints[0]!.singlePod) continue;
          expected.push(`${id} -> ${to.endpoints[0]!.id} ${result.verdict} ${formatPorts(result.ports)} ? ${formatPorts(result.unknownPorts)}`);
        }
        for (const direction of ['egress', 'ingress'] as const) {
          const access = m.external(from, direction);
          if (access.verdict === 'denied') continue;
          expected.push(direction === 'egress' ? `${id} -> ${OUTSIDE_NODE} ${access.verdict}` : `${OUTSIDE_NODE} -> ${id} ${access.verdict}`);
        }
      }
      const actual = graph.edges.map((e) =>
        e.from === OUTSIDE_NODE || e.to === OUTSIDE_NODE ? `${e.from} -> ${e.to} ${e.verdict}` : `${e.from} -> ${e.to} ${e.verdict} ${formatPorts(e.ports)} ? ${formatPorts(e.unknownPorts)}`,
      );
      assert.deepEqual([...actual].sort(), [...expected].sort(), `seed ${seed}`);
      const order = graph.edges.map((e) => `${e.from}\u0000${e.to}`);
      assert.deepEqual(order, [...order].sort(), `seed ${seed}: edges sorted`);
      assert.equal(graph.nodes.length, m.classes.length + 1);
      assert.deepEqual(networkGraph(m), graph, 'deterministic');
      edges += graph.edges.length;
    }
    assert.ok(edges > 2000, `${edges} edges`);
  });
});
