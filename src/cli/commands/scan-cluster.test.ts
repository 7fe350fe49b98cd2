import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from './scan-cluster.ts';

test('parseDuration reads kubectl-style durations as milliseconds', () => {
  const cases: readonly [string, number][] = [
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1s500ms', 1_500],
    ['2', 2_000],
    ['1.5s', 1_500],
    ['0.5', 500],
    ['0s', 0],
  ];
  for (const [text, expected] of cases) assert.equal(parseDuration(text), expected, text);
});

test('parseDuration rejects what is not a duration', () => {
  for (const text of ['', '5x', 'm5', '-1s', 's', '1.s', '.5s', '1 s', ' 30s', '30s ', '1h30', '5sm', '1d', '1e3', '0x10', 'Infinity']) {
    assert.equal(parseDuration(text), undefined, JSON.stringify(text));
  }
});
