import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hash128Hex } from './hash.ts';

test('hash128Hex is stable, 32 hex digits, and has no collisions over a large family of similar inputs', () => {
  assert.equal(hash128Hex('pss-privileged\u0000apps\u0000Deployment'), hash128Hex('pss-privileged\u0000apps\u0000Deployment'));
  assert.match(hash128Hex(''), /^[0-9a-f]{32}$/);
  const seen = new Map<string, string>();
  for (let i = 0; i < 200_000; i++) {
    const input = `rule-${i % 40}\u0000apps\u0000Deployment\u0000ns-${i % 97}\u0000app-${i}\u0000.spec.containers[name=c${i % 3}]`;
    const hash = hash128Hex(input);
    assert.equal(seen.get(hash), undefined, `collision: ${input}`);
    seen.set(hash, input);
  }
  // One changed character anywhere changes about half of the bits.
  const base = hash128Hex('a'.repeat(64));
  for (let i = 0; i < 64; i++) {
    const other = hash128Hex(`${'a'.repeat(i)}b${'a'.repeat(63 - i)}`);
    const differing = [...base].filter((digit, k) => digit !== other[k]).length;
    assert.ok(differing > 16, `position ${i}: only ${differing} of 32 digits differ`);
  }
});
