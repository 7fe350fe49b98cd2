// No output of any format, of any command, ever contains a secret: fixtures full of credentials (hand-written
// ones in Kubernetes objects, env files, Helm values and kubeconfigs, plus every positive example of the detector
// catalogue) go through `secrets scan` (files and --git) and `scan`, and every byte written is searched for them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DETECTORS } from '../src/analysers/secrets/detectors/index.ts';
import { catalogueMatcher } from '../src/analysers/secrets/catalogue.ts';
import { REPORT_FORMATS } from '../src/reporters/index.ts';
import { REPO, runCli } from './cli-helpers.ts';

const FIXTURES = join(REPO, 'test', 'fixtures', 'secrets');

/** The credentials written into test/fixtures/secrets, as they appear decoded. */
const HAND_WRITTEN = [
  'pR7x9Lq2sV4n',
  'Vn9qLx2tR7wK',
  'Gh7tq2LmV9xz',
  'tK4vB8nT2wLpZ7q9',
  '9fK2mQ7xLp4vR8tZ3wN6',
  'Zq7xL2mP9vR4tK8w',
  'Rg5tY8uJ2kL9pQ3w',
  'Hv3nB7mK1qW9xE5r',
  'Qz8mWp3xLr5t',
  'Br0k3nYamlPw9x',
  'Hr9eL3aS7eP2wQ',
  'kc8Tq2Vn7Lx4Mw9Zp3Rb',
  'La5tAp9lIeD3xQ',
  'Cm4pPr0pS8wX',
  'Sd4tAv9aLu3eQ7',
  'Sg8dAt4aPw2xK6',
  'MHcCAQEEIJXMuQEhRt1iyGTM/QhWyqPLRspWRMhJgzo/yjfmUJ2SoAoGCCqGSM49AwEHoUQDQgAEO8QT218W8fQ3kV9gDmIo3C1nQoMLrloqiNGrvzGKilxJFx0yaN8K',
];

/** Every secret the catalogue's own positive examples hold, as the detectors cut them out. */
function catalogueSecrets(): string[] {
  const secrets = new Set<string>();
  for (const spec of DETECTORS) {
    for (const example of spec.examples.positive) {
      for (const match of catalogueMatcher().scan(example)) if (match.detector.id === spec.id) secrets.add(match.secret);
    }
  }
  return [...secrets];
}

/** What must never appear: each secret, and its base64 form (how Secret data and auth entries carry it). */
function forbiddenStrings(secrets: readonly string[]): string[] {
  const forbidden = new Set<string>();
  for (const secret of secrets) {
    // Long secrets by 16-character windows of their middle and end too: a printed excerpt of a key or token is a
    // leak as well. (Not the start: fixed public prefixes such as `pypi-AgEIcHlwaS5` are named in descriptions.)
    const windows = secret.length > 24 ? [secret, secret.slice(-16), secret.slice(Math.floor(secret.length / 2) - 8, Math.floor(secret.length / 2) + 8)] : [secret];
    for (const text of windows) if (text.length >= 8) forbidden.add(text);
    if (secret.length >= 8) forbidden.add(Buffer.from(secret).toString('base64').replace(/=+$/, ''));
  }
  return [...forbidden];
}

function leaksIn(output: string, forbidden: readonly string[]): string[] {
  return forbidden.filter((text) => output.includes(text));
}

function hashOf(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 12)}`;
}

describe('no output contains a secret', () => {
  let dir: string;
  let repo: string;
  const catalogue = catalogueSecrets();
  const forbidden = forbiddenStrings([...HAND_WRITTEN, ...catalogue]);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-leak-'));
    cpSync(FIXTURES, join(dir, 'fixtures'), { recursive: true });
    // One text file per detector, holding its positive examples as a user would have them in config.
    for (const spec of DETECTORS) writeFileSync(join(dir, 'fixtures', `example-${spec.id}.txt`), `${spec.examples.positive.join('\n\n')}\n`);
    repo = join(dir, 'fixtures');
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=Leak Test', '-c', 'user.email=leak@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'add configuration');
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('has fixtures to look for: hand-written secrets and one or more per detector', () => {
    assert.ok(catalogue.length >= DETECTORS.length, `${catalogue.length} catalogue secrets for ${DETECTORS.length} detectors`);
    assert.ok(forbidden.length > 200);
  });

  for (const format of ['table', 'json', 'sarif', 'junit']) {
    it(`secrets scan --format ${format}`, () => {
      const result = runCli(['secrets', 'scan', '--format', format, '.'], { cwd: repo });
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual(leaksIn(result.stdout + result.stderr, forbidden), []);
      if (format === 'json') {
        // The scan did find them: each hand-written secret is reported, by its hash.
        const missing = HAND_WRITTEN.filter((secret) => secret.length < 40 && !result.stdout.includes(hashOf(secret)));
        assert.deepEqual(missing, []);
      }
    });

    it(`secrets scan --git --format ${format}`, () => {
      const result = runCli(['secrets', 'scan', '--git', '--format', format], { cwd: repo });
      assert.equal(result.code, 1, result.stderr);
      assert.deepEqual(leaksIn(result.stdout + result.stderr, forbidden), []);
    });
  }

  for (const format of REPORT_FORMATS) {
    it(`scan --format ${format} --framework all`, () => {
      const result = runCli(['scan', '--format', format, '--framework', 'all', '.'], { cwd: repo });
      assert.ok(result.code === 1 || result.code === 2, `exit ${result.code}: ${result.stderr}`);
      assert.deepEqual(leaksIn(result.stdout + result.stderr, forbidden), []);
    });
  }

  it('report files written with --output hold no secret either', () => {
    const out = join(dir, 'out');
    const result = runCli(['secrets', 'scan', '.', '--format', 'table', '--output', `json=${out}.json`, '--output', `sarif=${out}.sarif`, '--output', `junit=${out}.xml`], { cwd: repo });
    assert.equal(result.code, 1, result.stderr);
    for (const extension of ['json', 'sarif', 'xml']) {
      const text = execFileSync('cat', [`${out}.${extension}`], { encoding: 'utf8' });
      assert.ok(text.length > 1000);
      assert.deepEqual(leaksIn(text, forbidden), [], extension);
    }
  });
});
