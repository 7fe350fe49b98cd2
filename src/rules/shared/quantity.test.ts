import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareQuantities, isPositive, parseQuantity, type Quantity } from './quantity.ts';

function q(value: unknown): Quantity {
  const parsed = parseQuantity(value);
  assert.ok(parsed, `expected ${String(value)} to parse`);
  return parsed;
}

function equal(a: unknown, b: unknown): void {
  assert.equal(compareQuantities(q(a), q(b)), 0, `${String(a)} should equal ${String(b)}`);
}

describe('parseQuantity', () => {
  test('decimal SI suffixes', () => {
    equal('1', '1000m');
    equal('0.5', '500m');
    equal('1k', '1000');
    equal('1M', '1000k');
    equal('1G', '1e9');
    equal('250u', '0.25m');
    equal('1n', '0.000000001');
  });

  test('binary SI suffixes', () => {
    equal('1Ki', '1024');
    equal('1Gi', '1073741824');
    equal('1Gi', '1024Mi');
    equal('1.5Ki', '1536');
    equal('1Ei', String(2n ** 60n));
  });

  test('decimal exponents', () => {
    equal('12e6', '12M');
    equal('1E3', '1k');
    equal('5e-3', '5m');
  });

  test('YAML numbers', () => {
    equal(2, '2');
    equal(0.5, '500m');
    equal(1e21, '1000E');
  });

  test('number forms the API accepts', () => {
    equal('.5', '500m');
    equal('1.', '1');
    equal('+1', '1');
    equal('007', '7');
    assert.ok(compareQuantities(q('-1'), q('0')) < 0);
  });

  test('ordering', () => {
    assert.ok(compareQuantities(q('100m'), q('0.2')) < 0);
    assert.ok(compareQuantities(q('1Gi'), q('1G')) > 0);
  });

  test('rejects what the API server rejects', () => {
    for (const bad of ['', 'abc', '1 Gi', '1gi', '1KiB', '1.2.3', 'Mi', '1e', '--1', '1mm', null, true, {}, Number.NaN]) {
      assert.equal(parseQuantity(bad), undefined, `${String(bad)} should not parse`);
    }
  });

  test('isPositive', () => {
    assert.equal(isPositive(parseQuantity('0')), false);
    assert.equal(isPositive(parseQuantity('0Mi')), false);
    assert.equal(isPositive(parseQuantity(undefined)), false);
    assert.equal(isPositive(parseQuantity('1m')), true);
  });
});
