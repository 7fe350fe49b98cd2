// factorMatrix against matrix.row(): on random clusters (namespaces with and without labels, workloads with random
// labels, named ports, hostNetwork and replicas, policies with every kind of selector, peer, port and policyTypes
// form, foreign policies now and then) every class pair read through the factors (defaults and exceptions) must be
// the very PairResult that matrix.row() gives, with every peer small, with every peer big and in between.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { factorMatrix } from './factored.ts';
import { matrix } from './matrix.ts';
import { modelOf, randomCluster } from './random-cluster.testing.ts';

describe('factorMatrix', () => {
  for (const bigPeerThreshold of [undefined, 0, 2] as const) {
    test(`every class pair through the factors is what matrix.row() gives (500 random clusters, threshold ${bigPeerThreshold ?? 'default'})`, () => {
      let cells = 0;
      let defaults = 0;
      let exceptions = 0;
      for (let seed = 1; seed <= 500; seed++) {
        const m = matrix(modelOf(randomCluster(seed)));
        const factored = factorMatrix(m, bigPeerThreshold === undefined ? {} : { bigPeerThreshold });
        for (const from of m.classes) {
          const row = m.row(from);
          const singled = factored.exceptions(from);
          for (const to of m.classes) {
            const where = `seed ${seed}: class ${from.index} -> ${to.index}`;
            assert.equal(factored.classResult(from, to), row[to.index], where);
            if (singled.has(to.index)) {
              assert.equal(singled.get(to.index), row[to.index], where);
              exceptions++;
            } else {
              assert.equal(factored.defaultResult(factored.rowKeyOf[from.index]!, factored.columnKeyOf[to.index]!), row[to.index], `${where} (default)`);
              defaults++;
            }
            cells++;
          }
        }
      }
      assert.ok(cells > 20_000, `${cells} cells`);
      assert.ok(defaults > 1000, `${defaults} cells through the defaults`);
      if (bigPeerThreshold !== 0) assert.ok(exceptions > 1000, `${exceptions} exceptions`);
    });
  }
});
