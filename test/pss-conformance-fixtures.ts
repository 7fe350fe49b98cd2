// The upstream Pod Security Admission conformance fixtures (/work/shared/conformance/pod-security) and their
// contract, shared by the evaluator-level test and any test that runs them through the full rules path.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PssLevel } from '../src/analysers/pss/index.ts';

export const CONFORMANCE_ROOT = path.resolve(import.meta.dirname, '../../shared/conformance/pod-security');

export interface ConformanceFixture {
  readonly level: PssLevel;
  readonly minor: number;
  readonly expectation: 'pass' | 'fail';
  /** Absolute path of the fixture file. */
  readonly file: string;
  /** `<level>/v1.<minor>/<pass|fail>/<name>.yaml`, for messages. */
  readonly id: string;
  readonly text: string;
}

/** Every fixture, sorted by level, minor version, expectation and name. Throws when the folder is missing. */
export function loadConformanceFixtures(root: string = CONFORMANCE_ROOT): ConformanceFixture[] {
  if (!existsSync(root)) throw new Error(`Pod Security conformance fixtures not found at ${root}`);
  const fixtures: ConformanceFixture[] = [];
  for (const level of ['baseline', 'restricted'] as const) {
    const levelDir = path.join(root, level);
    if (!existsSync(levelDir)) throw new Error(`conformance fixtures: missing ${levelDir}`);
    for (const versionDir of readdirSync(levelDir)) {
      const match = /^v1\.(\d+)$/.exec(versionDir);
      if (!match) continue;
      const minor = Number(match[1]);
      for (const expectation of ['pass', 'fail'] as const) {
        const dir = path.join(levelDir, versionDir, expectation);
        if (!existsSync(dir)) continue;
        for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml'))) {
          const file = path.join(dir, name);
          fixtures.push({ level, minor, expectation, file, id: `${level}/${versionDir}/${expectation}/${name}`, text: readFileSync(file, 'utf8') });
        }
      }
    }
  }
  const order = (f: ConformanceFixture): string => `${f.level}/${String(f.minor).padStart(3, '0')}/${f.expectation}/${path.basename(f.file)}`;
  return fixtures.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/**
 * The README's contract, given the levels of the Pod Security findings produced for the fixture:
 * pass — none at the fixture's level (restricted: none at baseline or restricted);
 * fail — at least one at the fixture's level (restricted: a baseline one also counts).
 * Returns a description of the mismatch, or undefined when the fixture conforms.
 */
export function conformanceMismatch(fixture: ConformanceFixture, findingLevels: readonly PssLevel[]): string | undefined {
  const relevant = fixture.level === 'restricted' ? findingLevels : findingLevels.filter((level) => level === 'baseline');
  if (fixture.expectation === 'pass' && relevant.length > 0) return `${fixture.id}: expected no finding, got ${relevant.length}`;
  if (fixture.expectation === 'fail' && relevant.length === 0) return `${fixture.id}: expected a finding, got none`;
  return undefined;
}
