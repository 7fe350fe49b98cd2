// Golden-file comparison for the reporter tests. `UPDATE_GOLDEN=1 node --test src/reporters/` rewrites the files.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

export function goldenPath(name: string): string {
  return `${GOLDEN_DIR}${name}`;
}

/** Compares `actual` with `testdata/golden/<name>` byte for byte. */
export function assertGolden(name: string, actual: string): void {
  const path = goldenPath(name);
  if (process.env['UPDATE_GOLDEN'] === '1') {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `golden file ${path} is missing: run the tests with UPDATE_GOLDEN=1 to create it`);
  const expected = readFileSync(path, 'utf8');
  assert.equal(actual, expected, `output differs from ${path}; if the change is intended, rerun with UPDATE_GOLDEN=1`);
}
