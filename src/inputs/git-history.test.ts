import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readGitHistory, type AddedBlock, type GitHistoryOptions, GitHistoryError } from './git-history.ts';

const posix = process.platform !== 'win32';
const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-git-'));
  temps.push(dir);
  return dir;
}

/** A clean git environment: no user or system configuration, no inherited GIT_* variables, no repository above. */
function gitEnv(dir: string, date = '2024-01-01T10:00:00+02:00'): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GIT_')) env[key] = value;
  }
  return {
    ...env,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CEILING_DIRECTORIES: dirname(dir),
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
  };
}

class Repo {
  readonly dir: string;
  constructor(dir = tempDir()) {
    this.dir = dir;
    this.git(['init', '-q', '-b', 'main']);
    this.git(['config', 'user.name', 'Default User']);
    this.git(['config', 'user.email', 'default@example.com']);
    this.git(['config', 'commit.gpgsign', 'false']);
  }

  git(args: readonly string[], date?: string, input?: string): string {
    return execFileSync('git', args, { cwd: this.dir, env: gitEnv(this.dir, date), encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  }

  /** Writes (string/Buffer) or deletes (null) files, commits everything, returns the full sha. */
  commit(files: Readonly<Record<string, string | Buffer | null>>, options: { readonly date: string; readonly message?: string; readonly author?: string }): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) unlinkSync(full);
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    this.git(['add', '-A']);
    const args = ['commit', '-q', '--allow-empty', '--allow-empty-message', '-m', options.message ?? ''];
    if (options.author !== undefined) args.push(`--author=${options.author}`);
    this.git(args, options.date);
    return this.head();
  }

  head(): string {
    return this.git(['rev-parse', 'HEAD']).trim();
  }

  options(extra: Partial<GitHistoryOptions> = {}): GitHistoryOptions {
    return { cwd: this.dir, env: gitEnv(this.dir), ...extra };
  }
}

async function collect(options: GitHistoryOptions): Promise<AddedBlock[]> {
  const blocks: AddedBlock[] = [];
  for await (const block of readGitHistory(options)) blocks.push(block);
  return blocks;
}

async function failure(options: GitHistoryOptions): Promise<GitHistoryError> {
  try {
    await collect(options);
  } catch (error) {
    assert.ok(error instanceof GitHistoryError, `expected a GitHistoryError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the iteration to reject');
}

/** Block fields that identify it, in one string, for compact exact comparisons. */
function brief(block: AddedBlock): string {
  return `${block.commit.slice(0, 7)} ${block.path}:${block.startLine}${block.truncated === true ? ' (truncated)' : ''} ${JSON.stringify(block.text)}`;
}

describe('readGitHistory', () => {
  // One history shared by the read-only tests below.
  const repo = new Repo();
  const c1 = repo.commit(
    { 'app.yaml': 'a\nb\nc\nd\n', 'gone.txt': 'token: old\n', 'logo.bin': Buffer.from([0x89, 0x50, 0x00, 0x01, 0x02, 0x0a]) },
    { date: '2024-01-01T10:00:00+02:00', author: 'Zoë Ölz <zoe@example.com>' }, // the root commit, empty message
  );
  const c2 = repo.commit(
    { 'app.yaml': 'a\nX1\nX2\nb\nc\nY\nd\n', 'tricky.txt': '-- removed\nkeep\n' },
    { date: '2024-01-02T11:30:00-05:00', message: 'two blocks in one file' },
  );
  const c3 = repo.commit(
    { 'app.yaml': 'a\nX1\nX2\nc\nY\nd\n', 'gone.txt': null, 'logo.bin': Buffer.from([0x89, 0x50, 0x00, 0x03]), 'tricky.txt': '++ added\nkeep\n' },
    { date: '2024-01-03T09:00:00Z', message: 'deletions, binary change, a line that looks like a header' },
  );
  const c4 = repo.commit(
    { 'app.yaml': null, 'dir with space/ünï cødé.yaml': 'a\nX1\nX2\nc\nY\nd\nZ: secret\n' },
    { date: '2024-01-04T09:00:00Z', message: 'rename with one added line' },
  );
  chmodSync(join(repo.dir, 'dir with space/ünï cødé.yaml'), 0o755);
  const c5 = repo.commit({ 'crlf.txt': 'k: v\r\nx: y\r\n', 'no-eol.txt': 'first\nlast' }, { date: '2024-01-05T09:00:00Z', message: 'mode change, CRLF, no final newline' });

  it('yields every added block, newest commit first, with exact sha, author, date, path and line', async () => {
    const blocks = await collect(repo.options());
    assert.deepEqual(blocks.map(brief), [
      `${c5.slice(0, 7)} crlf.txt:1 "k: v\\nx: y"`,
      `${c5.slice(0, 7)} no-eol.txt:1 "first\\nlast"`,
      `${c4.slice(0, 7)} dir with space/ünï cødé.yaml:7 "Z: secret"`,
      `${c3.slice(0, 7)} tricky.txt:1 "++ added"`,
      `${c2.slice(0, 7)} app.yaml:2 "X1\\nX2"`,
      `${c2.slice(0, 7)} app.yaml:6 "Y"`,
      `${c2.slice(0, 7)} tricky.txt:1 "-- removed\\nkeep"`,
      `${c1.slice(0, 7)} app.yaml:1 "a\\nb\\nc\\nd"`,
      `${c1.slice(0, 7)} gone.txt:1 "token: old"`,
    ]);
    assert.deepEqual(blocks[7], {
      commit: c1,
      authorDate: '2024-01-01T10:00:00+02:00',
      author: 'Zoë Ölz',
      authorEmail: 'zoe@example.com',
      path: 'app.yaml',
      startLine: 1,
      text: 'a\nb\nc\nd',
    });
    assert.deepEqual(blocks[4], {
      commit: c2,
      authorDate: '2024-01-02T11:30:00-05:00',
      author: 'Default User',
      authorEmail: 'default@example.com',
      path: 'app.yaml',
      startLine: 2,
      text: 'X1\nX2',
    });
    assert.equal(blocks[0]?.commit, repo.head());
    assert.equal(blocks[0]?.commit.length, 40);
  });

  it('limits commits with a range A..B, a single commit, maxCount and since', async () => {
    assert.deepEqual((await collect(repo.options({ range: `${c1}..${c3}` }))).map(brief), [
      `${c3.slice(0, 7)} tricky.txt:1 "++ added"`,
      `${c2.slice(0, 7)} app.yaml:2 "X1\\nX2"`,
      `${c2.slice(0, 7)} app.yaml:6 "Y"`,
      `${c2.slice(0, 7)} tricky.txt:1 "-- removed\\nkeep"`,
    ]);
    assert.deepEqual((await collect(repo.options({ range: c1 }))).map((block) => block.commit), [c1, c1]);
    assert.deepEqual((await collect(repo.options({ maxCount: 1 }))).map((block) => block.path), ['crlf.txt', 'no-eol.txt']);
    assert.deepEqual((await collect(repo.options({ range: `${c2}..HEAD`, maxCount: 2 }))).map((block) => block.commit), [c5, c5, c4]);
    assert.deepEqual((await collect(repo.options({ maxCount: 0 }))), []);
    assert.deepEqual((await collect(repo.options({ since: '2024-01-03T12:00:00Z' }))).map((block) => block.commit), [c5, c5, c4]);
  });

  it('can be iterated twice (each iteration runs git again)', async () => {
    const history = readGitHistory(repo.options({ maxCount: 1 }));
    const first: AddedBlock[] = [];
    for await (const block of history) first.push(block);
    const second: AddedBlock[] = [];
    for await (const block of history) second.push(block);
    assert.equal(first.length, 2);
    assert.deepEqual(second, first);
  });

  it('cuts blocks larger than maxHunkBytes at a character boundary and marks them truncated', async () => {
    const r = new Repo();
    const sha = r.commit({ 'big.txt': 'abcdef\nghij\nkl\n', 'small.txt': 'ab\n', 'utf.txt': 'ééé\n', 'exact.txt': 'abc\ndefg\n' }, { date: '2024-02-01T00:00:00Z' });
    const blocks = await collect(r.options({ maxHunkBytes: 8 }));
    assert.deepEqual(blocks.map(brief), [
      `${sha.slice(0, 7)} big.txt:1 (truncated) "abcdef\\ng"`,
      `${sha.slice(0, 7)} exact.txt:1 "abc\\ndefg"`,
      `${sha.slice(0, 7)} small.txt:1 "ab"`,
      `${sha.slice(0, 7)} utf.txt:1 "ééé"`,
    ]);
    assert.equal(blocks[0]?.truncated, true);
    assert.equal(Object.hasOwn(blocks[1] ?? {}, 'truncated'), false);
    const utf = await collect(r.options({ maxHunkBytes: 5 }));
    assert.deepEqual(utf.find((block) => block.path === 'utf.txt'), {
      commit: sha, authorDate: '2024-02-01T00:00:00+00:00', author: 'Default User', authorEmail: 'default@example.com',
      path: 'utf.txt', startLine: 1, text: 'éé', truncated: true,
    });
    assert.deepEqual(utf.find((block) => block.path === 'exact.txt')?.text, 'abc\nd');
  });

  it('reads a line far longer than the cap without keeping it whole', async () => {
    const r = new Repo();
    r.commit({ 'min.js': `${'x'.repeat(300_000)}\nafter\n`, 'next.txt': 'ok\n' }, { date: '2024-02-01T00:00:00Z' });
    const blocks = await collect(r.options({ maxHunkBytes: 10 }));
    assert.deepEqual(blocks.map((block) => [block.path, block.startLine, block.text, block.truncated]), [
      ['min.js', 1, 'xxxxxxxxxx', true],
      ['next.txt', 1, 'ok', undefined],
    ]);
  });

  it('decodes quoted paths (tab, quote, newline, backslash) and keeps non-ASCII paths as UTF-8', { skip: !posix }, async () => {
    const r = new Repo();
    const sha = r.commit({ 'tab\t"q".txt': 'one\n', 'new\nline\\x.txt': 'two\n', '日本 語.yaml': 'three\n' }, { date: '2024-02-01T00:00:00Z' });
    assert.deepEqual((await collect(r.options())).map(brief), [
      `${sha.slice(0, 7)} new\nline\\x.txt:1 "two"`,
      `${sha.slice(0, 7)} tab\t"q".txt:1 "one"`,
      `${sha.slice(0, 7)} 日本 語.yaml:1 "three"`,
    ]);
  });

  it('ignores submodule (gitlink) changes', async () => {
    const r = new Repo();
    const first = r.commit({ 'a.txt': 'a\n' }, { date: '2024-02-01T00:00:00Z' });
    r.git(['update-index', '--add', '--cacheinfo', `160000,${first},vendor/sub`]);
    r.commit({ 'b.txt': 'b\n' }, { date: '2024-02-02T00:00:00Z' });
    const blocks = await collect(r.options());
    assert.deepEqual(blocks.map((block) => block.path), ['b.txt', 'a.txt']);
  });

  it('yields nothing for merge commits and sees branch commits once; all: true adds other refs', async () => {
    const r = new Repo();
    r.commit({ 'base.txt': 'base\n' }, { date: '2024-03-01T00:00:00Z' });
    r.git(['checkout', '-q', '-b', 'feature']);
    const feature = r.commit({ 'feature.txt': 'feature\n' }, { date: '2024-03-02T00:00:00Z' });
    r.git(['checkout', '-q', 'main']);
    const main = r.commit({ 'main.txt': 'main\n' }, { date: '2024-03-03T00:00:00Z' });
    r.git(['merge', '-q', '--no-ff', '-m', 'merge', 'feature'], '2024-03-04T00:00:00Z');
    const merge = r.head();
    r.git(['checkout', '-q', '-b', 'side', main]);
    const side = r.commit({ 'side.txt': 'side\n' }, { date: '2024-03-05T00:00:00Z' });
    r.git(['checkout', '-q', 'main']);
    const fromHead = await collect(r.options());
    assert.equal(fromHead.some((block) => block.commit === merge), false);
    assert.deepEqual(fromHead.map((block) => block.path), ['main.txt', 'feature.txt', 'base.txt']);
    assert.equal(fromHead[1]?.commit, feature);
    const everything = await collect(r.options({ all: true }));
    assert.deepEqual(everything.map((block) => block.path), ['side.txt', 'main.txt', 'feature.txt', 'base.txt']);
    assert.equal(everything[0]?.commit, side);
  });

  it('yields nothing for a repository without commits', async () => {
    const r = new Repo();
    assert.deepEqual(await collect(r.options()), []);
    assert.deepEqual(await collect(r.options({ all: true })), []);
  });

  it('does not run git until iteration starts', () => {
    const history = readGitHistory({ cwd: tempDir(), gitBinary: join(tempDir(), 'no-such-git') });
    assert.equal(typeof history[Symbol.asyncIterator], 'function');
  });

  describe('errors', () => {
    it('git-missing when the git binary does not exist', async () => {
      const error = await failure(repo.options({ gitBinary: join(tempDir(), 'no-such-git') }));
      assert.equal(error.code, 'git-missing');
      assert.match(error.message, /^git is not installed or cannot be run \(.*no-such-git\): install git/);
    });

    it('not-a-repository for an empty directory and for a missing one', async () => {
      const empty = tempDir();
      const error = await failure({ cwd: empty, env: gitEnv(empty) });
      assert.equal(error.code, 'not-a-repository');
      assert.equal(error.message, `${empty} is not inside a git repository: run the scan in a clone, or give its path`);
      const missing = join(empty, 'missing');
      const gone = await failure({ cwd: missing, env: gitEnv(empty) });
      assert.equal(gone.code, 'not-a-repository');
      assert.equal(gone.message, `${missing} is not a directory: give the path of a git repository`);
    });

    it('bad-revision for an unknown revision, an unknown range end and an option-like range', async () => {
      const nope = await failure(repo.options({ range: 'nope' }));
      assert.equal(nope.code, 'bad-revision');
      assert.equal(nope.message, `git does not know the revision "nope": fatal: bad revision 'nope'`);
      assert.equal((await failure(repo.options({ range: `${c1}..nope` }))).code, 'bad-revision');
      const option = await failure(repo.options({ range: '--output=/tmp/x' }));
      assert.equal(option.code, 'bad-revision');
      assert.match(option.message, /is not a revision range/);
    });

    it('invalid-option for a negative maxCount or a zero maxHunkBytes', async () => {
      assert.equal((await failure(repo.options({ maxCount: -1 }))).code, 'invalid-option');
      assert.equal((await failure(repo.options({ maxCount: 1.5 }))).code, 'invalid-option');
      assert.equal((await failure(repo.options({ maxHunkBytes: 0 }))).code, 'invalid-option');
    });

    it('git-failed with the first line of git stderr when history is corrupt, after the blocks read so far', async () => {
      const r = new Repo();
      r.commit({ 'old.txt': 'old\n' }, { date: '2024-04-01T00:00:00Z' });
      const newest = r.commit({ 'new.txt': 'new\n' }, { date: '2024-04-02T00:00:00Z' });
      const blob = r.git(['rev-parse', `${newest}~1:old.txt`]).trim();
      unlinkSync(join(r.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      const seen: string[] = [];
      let caught: unknown;
      try {
        for await (const block of readGitHistory(r.options())) seen.push(block.path);
      } catch (error) {
        caught = error;
      }
      assert.deepEqual(seen, ['new.txt']);
      assert.ok(caught instanceof GitHistoryError);
      assert.equal(caught.code, 'git-failed');
      assert.equal(caught.message, `git log failed: fatal: unable to read ${blob}`);
    });

    it('git-failed for any other non-zero exit', { skip: !posix }, async () => {
      const dir = tempDir();
      const script = join(dir, 'fake-git');
      writeFileSync(script, '#!/bin/sh\necho "warning: first" >&2\necho "fatal: second" >&2\nexit 3\n', { mode: 0o755 });
      const error = await failure({ cwd: dir, gitBinary: script, env: gitEnv(dir) });
      assert.equal(error.code, 'git-failed');
      assert.equal(error.message, 'git log failed: warning: first');
    });
  });

  describe('stopping early', () => {
    it('kills git when the consumer breaks, even if git would run for a long time', { skip: !posix, timeout: 10_000 }, async () => {
      const dir = tempDir();
      const patch = join(dir, 'patch.txt');
      writeFileSync(patch, '\0palisade-commit\0' + 'a'.repeat(40) + '\0' + '2024-01-01T00:00:00Z\0N\0e@x\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+hello\n');
      const pidFile = join(dir, 'pid');
      const script = join(dir, 'slow-git');
      writeFileSync(script, `#!/bin/sh\necho $$ > '${pidFile}'\ncat '${patch}'\nexec sleep 60\n`, { mode: 0o755 });
      const started = Date.now();
      const seen: AddedBlock[] = [];
      for await (const block of readGitHistory({ cwd: dir, gitBinary: script, env: gitEnv(dir) })) {
        seen.push(block);
        break;
      }
      assert.deepEqual(seen.map((block) => [block.path, block.startLine, block.text]), [['f', 1, 'hello']]);
      assert.ok(Date.now() - started < 1500, 'the iteration should end promptly (SIGTERM, not the SIGKILL fallback)');
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    });

    it('falls back to SIGKILL when git ignores SIGTERM', { skip: !posix, timeout: 10_000 }, async () => {
      const dir = tempDir();
      const patch = join(dir, 'patch.txt');
      writeFileSync(patch, '\0palisade-commit\0' + 'b'.repeat(40) + '\0' + '2024-01-01T00:00:00Z\0N\0e@x\n\ndiff --git a/f b/f\n--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+hi\n');
      const pidFile = join(dir, 'pid');
      const script = join(dir, 'stubborn-git');
      writeFileSync(script, `#!/bin/sh\ntrap '' TERM\necho $$ > '${pidFile}'\ncat '${patch}'\nexec sleep 60\n`, { mode: 0o755 });
      const started = Date.now();
      let count = 0;
      for await (const block of readGitHistory({ cwd: dir, gitBinary: script, env: gitEnv(dir) })) {
        assert.equal(block.text, 'hi');
        count += 1;
        break;
      }
      assert.equal(count, 1);
      const elapsed = Date.now() - started;
      assert.ok(elapsed >= 1500 && elapsed < 6000, `SIGKILL after the grace period, took ${elapsed} ms`);
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
    });

    it('kills a real git log in the middle of a large history', { skip: !posix, timeout: 60_000 }, async () => {
      const r = new Repo();
      // 300 commits each adding a 20 KB file: about 6 MB of patch, far more than the pipe buffers.
      let stream = '';
      const line = `${'y'.repeat(99)}\n`.repeat(200);
      for (let i = 1; i <= 300; i += 1) {
        stream += `commit refs/heads/main\ncommitter C <c@x> ${1_700_000_000 + i} +0000\ndata 0\n`;
        stream += `M 100644 inline file-${i}.txt\ndata ${Buffer.byteLength(line)}\n${line}\n`;
      }
      r.git(['fast-import', '--quiet'], undefined, stream);
      const dir = tempDir();
      const pidFile = join(dir, 'pid');
      const wrapper = join(dir, 'git-wrapper');
      writeFileSync(wrapper, `#!/bin/sh\necho $$ > '${pidFile}'\nexec git "$@"\n`, { mode: 0o755 });
      let count = 0;
      for await (const block of readGitHistory(r.options({ gitBinary: wrapper }))) {
        assert.equal(block.path, 'file-300.txt');
        count += 1;
        break;
      }
      assert.equal(count, 1);
      const pid = Number(readFileSync(pidFile, 'utf8').trim());
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' });
      assert.equal(readdirSync(r.dir).length, 1); // only .git: nothing was checked out, nothing written
    });
  });
});
