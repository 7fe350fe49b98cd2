import { Buffer } from 'node:buffer';
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import type { Readable } from 'node:stream';

/**
 * Input layer of `palisade secrets scan --git`: the lines each commit added, file by file, read from one streamed
 * `git log -p -U0` (like gitleaks: a secret is reported in the commit that introduced it).
 *
 * - Commits come in `git log` order (newest first). Merge commits yield nothing: `git log -p` shows no diff for
 *   merges by default, so a line is reported in the ordinary commit that added it (and a line written only while
 *   resolving a conflict is not seen).
 * - Renames are detected (`-M`): a renamed file yields only the lines the rename changed, under its new path.
 * - Deletions, binary files, submodule (gitlink) changes, mode-only changes and pure renames yield nothing.
 * - Output is decoded as UTF-8; git is run with `LC_ALL=C` so its error messages can be classified, and with
 *   command-line settings that override user configuration which would change the patch format.
 */
export interface GitHistoryOptions {
  /** The repository: any directory inside a work tree (or a bare repository). */
  readonly cwd: string;
  /** A revision range (`main..HEAD`) or a commit; default: all history reachable from HEAD. */
  readonly range?: string;
  /** Every ref (`--all`), in addition to `range` if one is given. */
  readonly all?: boolean;
  /** Passed to `git log --since`. */
  readonly since?: string;
  /** At most this many commits (`--max-count`). */
  readonly maxCount?: number;
  /** Cap per added block in UTF-8 bytes (default 1 MiB); larger blocks are cut at the cap and marked `truncated`. */
  readonly maxHunkBytes?: number;
  /** The git executable (default `git` on PATH). */
  readonly gitBinary?: string;
  /** Environment for git, passed in by the CLI; default: this process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Called with each commit's sha as its patch starts, including commits that add nothing (for counting). */
  readonly onCommit?: (commit: string) => void;
}

/** Contiguous lines one commit added to one file. */
export interface AddedBlock {
  /** Full commit sha. */
  readonly commit: string;
  /** Author date, strict ISO 8601 (`%aI`). */
  readonly authorDate: string;
  readonly author: string;
  readonly authorEmail: string;
  /** Path in the repository at that commit (the new path of a rename), `/`-separated. */
  readonly path: string;
  /** 1-based line, in the file at that commit, of the first added line. */
  readonly startLine: number;
  /** The added lines joined with `\n`, without their leading `+` (and without a trailing `\r` of CRLF files). */
  readonly text: string;
  /** Present (true) when the block was larger than `maxHunkBytes` and `text` holds only its first bytes. */
  readonly truncated?: boolean;
}

export type GitHistoryErrorCode = 'git-missing' | 'not-a-repository' | 'bad-revision' | 'invalid-option' | 'git-failed';

export class GitHistoryError extends Error {
  readonly code: GitHistoryErrorCode;
  constructor(code: GitHistoryErrorCode, message: string) {
    super(message);
    this.name = 'GitHistoryError';
    this.code = code;
  }
}

export const DEFAULT_MAX_HUNK_BYTES = 1024 * 1024;

const COMMIT_TAG = '\0palisade-commit\0';
const FORMAT = '--format=%x00palisade-commit%x00%H%x00%aI%x00%an%x00%ae';
const MAX_STDERR_CHARS = 64 * 1024;
/** Slack over maxHunkBytes for the longest line kept whole (header lines carry paths). */
const LINE_SLACK_CHARS = 64 * 1024;
const KILL_GRACE_MS = 2000;

/** Settings that would change the patch format if a user's configuration set them. */
const CONFIG_OVERRIDES = [
  'core.quotePath=false',
  'diff.noprefix=false',
  'diff.mnemonicPrefix=false',
  'diff.suppressBlankEmpty=false',
  'log.showRoot=true',
  'color.ui=never',
];

/** The `git` argument list for {@link readGitHistory} (exported for tests and `--verbose` output). */
export function gitLogArguments(options: GitHistoryOptions): string[] {
  const args: string[] = [];
  for (const setting of CONFIG_OVERRIDES) args.push('-c', setting);
  args.push(
    'log', '-p', '-U0', '--inter-hunk-context=0', '--no-color', '--no-ext-diff', '--no-textconv', '-M', '--root',
    '--no-relative', '--no-show-signature', '--submodule=short', '--src-prefix=a/', '--dst-prefix=b/',
    '--encoding=UTF-8', FORMAT,
  );
  if (options.all === true) args.push('--all');
  if (options.since !== undefined) args.push(`--since=${options.since}`);
  if (options.maxCount !== undefined) args.push(`--max-count=${options.maxCount}`);
  if (options.range !== undefined) args.push(options.range);
  args.push('--');
  return args;
}

/**
 * Streams the lines each commit added. git is spawned when iteration starts and killed if the consumer stops early;
 * failures reject the iteration with a {@link GitHistoryError}.
 */
export function readGitHistory(options: GitHistoryOptions): AsyncIterable<AddedBlock> {
  return { [Symbol.asyncIterator]: () => iterateHistory(options) };
}

function validate(options: GitHistoryOptions): GitHistoryError | undefined {
  if (options.range !== undefined && (options.range.trim() === '' || options.range.startsWith('-'))) {
    return new GitHistoryError('bad-revision', `"${options.range}" is not a revision range: give a commit or a range such as main..HEAD`);
  }
  if (options.maxCount !== undefined && !(Number.isSafeInteger(options.maxCount) && options.maxCount >= 0)) {
    return new GitHistoryError('invalid-option', `max count must be a whole number of commits, got ${options.maxCount}`);
  }
  if (options.maxHunkBytes !== undefined && !(Number.isSafeInteger(options.maxHunkBytes) && options.maxHunkBytes > 0)) {
    return new GitHistoryError('invalid-option', `max hunk bytes must be a positive whole number, got ${options.maxHunkBytes}`);
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(options.cwd).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) return new GitHistoryError('not-a-repository', `${options.cwd} is not a directory: give the path of a git repository`);
  return undefined;
}

type Outcome =
  | { readonly kind: 'spawn-error'; readonly error: NodeJS.ErrnoException }
  | { readonly kind: 'exit'; readonly code: number | null; readonly signal: NodeJS.Signals | null };

async function* iterateHistory(options: GitHistoryOptions): AsyncGenerator<AddedBlock, void, undefined> {
  const invalid = validate(options);
  if (invalid) throw invalid;
  const gitBinary = options.gitBinary ?? 'git';
  const maxHunkBytes = options.maxHunkBytes ?? DEFAULT_MAX_HUNK_BYTES;
  const child = spawn(gitBinary, gitLogArguments(options), {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), LC_ALL: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
  });
  // Listeners first, before any await, so a spawn failure can never become an unhandled 'error' event.
  // `closed` also waits for stderr to be read to its end; `exited` only for the process.
  let exited = false;
  let spawnFailure: NodeJS.ErrnoException | undefined;
  const closed = new Promise<Outcome>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) => { spawnFailure = error; resolve({ kind: 'spawn-error', error }); });
    child.once('close', (code, signal) => resolve(spawnFailure ? { kind: 'spawn-error', error: spawnFailure } : { kind: 'exit', code, signal }));
  });
  const exitedOrFailed = new Promise<void>((resolve) => {
    child.once('error', () => { exited = true; resolve(); });
    child.once('exit', () => { exited = true; resolve(); });
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (stderr.length < MAX_STDERR_CHARS) stderr += chunk;
  });
  child.stderr.on('error', () => { /* reported through the exit status */ });
  let finished = false;
  try {
    const parser = new PatchParser(maxHunkBytes, options.onCommit);
    for await (const line of splitLines(child.stdout, maxHunkBytes + LINE_SLACK_CHARS)) {
      const block = parser.push(line);
      if (block) yield block;
    }
    const result = await closed;
    if (result.kind === 'spawn-error') throw spawnError(gitBinary, result.error);
    if (result.code !== 0) {
      const error = exitError(stderr, result, options);
      if (error) throw error;
      return;
    }
    const last = parser.end();
    if (last) yield last;
    finished = true;
  } finally {
    if (!finished && !exited) await stop(child, exitedOrFailed);
  }
}

/** Stops git when the consumer ends the iteration early: SIGTERM, then SIGKILL if it lingers. */
async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

function spawnError(gitBinary: string, error: NodeJS.ErrnoException): GitHistoryError {
  if (error.code === 'ENOENT' || error.code === 'EACCES') {
    return new GitHistoryError('git-missing', `git is not installed or cannot be run (${gitBinary}): install git (https://git-scm.com/downloads) or put it on PATH`);
  }
  return new GitHistoryError('git-failed', `could not run ${gitBinary}: ${error.message}`);
}

/** The error for a non-zero exit, or undefined when the history is simply empty. */
function exitError(stderr: string, result: { readonly code: number | null; readonly signal: NodeJS.Signals | null }, options: GitHistoryOptions): GitHistoryError | undefined {
  const lines = stderr.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const first = lines[0] ?? (result.signal ? `killed by ${result.signal}` : `exit status ${result.code}`);
  const all = lines.join('\n');
  if (/not a git repository/i.test(all)) {
    return new GitHistoryError('not-a-repository', `${options.cwd} is not inside a git repository: run the scan in a clone, or give its path`);
  }
  // A repository without commits has no history to scan when no revision was asked for.
  if (options.range === undefined && /does not have any commits yet/i.test(all)) return undefined;
  if (/unknown revision|bad revision|ambiguous argument|invalid revision range|bad object|no such ref/i.test(all)) {
    return new GitHistoryError('bad-revision', `git does not know the revision "${options.range ?? 'HEAD'}": ${first}`);
  }
  return new GitHistoryError('git-failed', `git log failed: ${first}`);
}

/**
 * Splits a stream into lines on `\n` only (a lone `\r` inside a line is content; readline would split there) and
 * drops a trailing `\r`. A line longer than `maxChars` is cut, so one giant line cannot exhaust memory.
 */
async function* splitLines(stream: Readable, maxChars: number): AsyncGenerator<string, void, undefined> {
  stream.setEncoding('utf8');
  let pending = '';
  let skipping = false; // inside the cut-off rest of an over-long line
  for await (const chunk of stream as AsyncIterable<string>) {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf('\n', start);
      if (newline === -1) break;
      const piece = chunk.slice(start, newline);
      start = newline + 1;
      if (skipping) {
        skipping = false;
        const line = pending;
        pending = '';
        yield line;
        continue;
      }
      const line = pending === '' ? piece : pending + piece;
      pending = '';
      yield line.length > maxChars ? line.slice(0, maxChars) : dropCarriageReturn(line);
    }
    if (start < chunk.length && !skipping) {
      pending += chunk.slice(start);
      if (pending.length > maxChars) {
        pending = pending.slice(0, maxChars);
        skipping = true;
      }
    }
  }
  if (pending !== '') yield skipping ? pending : dropCarriageReturn(pending);
}

function dropCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

interface CommitInfo {
  readonly commit: string;
  readonly authorDate: string;
  readonly author: string;
  readonly authorEmail: string;
}

interface OpenBlock {
  readonly startLine: number;
  readonly parts: string[];
  bytes: number;
  truncated: boolean;
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const SUBMODULE_MODE = /(?:^(?:new file mode|deleted file mode|old mode|new mode) 160000$)|(?:^index \S+ 160000$)/;

/**
 * Incremental parser of `git log -p -U0` output in {@link FORMAT}: feed it lines, it returns each finished block.
 * States: between files / in a file header (until the first `@@`) / in a hunk (while its line counts last, so an
 * added `++ x` line, shown as `+++ x`, is not mistaken for a header).
 */
class PatchParser {
  private readonly maxBytes: number;
  private commit: CommitInfo | undefined;
  private path: string | undefined;
  private ignoreFile = false;
  private oldLeft = 0;
  private newLeft = 0;
  private newLine = 0;
  private block: OpenBlock | undefined;
  private readonly onCommit: ((commit: string) => void) | undefined;

  constructor(maxBytes: number, onCommit?: (commit: string) => void) {
    this.maxBytes = maxBytes;
    this.onCommit = onCommit;
  }

  push(line: string): AddedBlock | undefined {
    if (this.oldLeft > 0 || this.newLeft > 0) return this.hunkLine(line);
    const done = this.flush();
    if (line.startsWith(COMMIT_TAG)) {
      const [, , commit = '', authorDate = '', author = '', authorEmail = ''] = line.split('\0');
      this.commit = { commit, authorDate, author, authorEmail };
      this.onCommit?.(commit);
      this.startFile(true);
    } else if (line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      this.startFile(!line.startsWith('diff --git '));
    } else if (line.startsWith('@@')) {
      const match = HUNK_HEADER.exec(line);
      if (match && !this.ignoreFile && this.path !== undefined) {
        this.oldLeft = Number(match[1] ?? '1');
        this.newLine = Number(match[2]);
        this.newLeft = Number(match[3] ?? '1');
      }
    } else if (line.startsWith('+++ ')) {
      const path = parseDiffPath(line.slice(4));
      this.path = path?.startsWith('b/') ? path.slice(2) : undefined;
    } else if (line.startsWith('Binary files ') || line === 'GIT binary patch' || SUBMODULE_MODE.test(line)) {
      this.ignoreFile = true;
    }
    return done;
  }

  end(): AddedBlock | undefined {
    return this.flush();
  }

  private startFile(ignore: boolean): void {
    this.path = undefined;
    this.ignoreFile = ignore;
    this.oldLeft = 0;
    this.newLeft = 0;
  }

  private hunkLine(line: string): AddedBlock | undefined {
    const marker = line[0];
    if (marker === '+') {
      this.newLeft -= 1;
      this.append(line.slice(1));
      this.newLine += 1;
      return this.newLeft > 0 || this.oldLeft > 0 ? undefined : this.flush();
    }
    if (marker === '\\') return undefined; // "\ No newline at end of file"
    if (marker === '-') this.oldLeft -= 1;
    else if (marker === ' ' || line === '') {
      this.oldLeft -= 1;
      this.newLeft -= 1;
      this.newLine += 1;
    } else {
      // Not a hunk line: the counts were wrong. Leave the hunk and read the line as a header.
      this.oldLeft = 0;
      this.newLeft = 0;
      return this.push(line) ?? this.flush();
    }
    return this.flush();
  }

  private append(text: string): void {
    const block = this.block ?? (this.block = { startLine: this.newLine, parts: [], bytes: 0, truncated: false });
    if (block.truncated) return;
    const separator = block.parts.length > 0 ? 1 : 0;
    const bytes = Buffer.byteLength(text, 'utf8');
    if (block.bytes + separator + bytes <= this.maxBytes) {
      block.parts.push(text);
      block.bytes += separator + bytes;
      return;
    }
    const room = this.maxBytes - block.bytes - separator;
    if (room > 0) {
      const cut = cutUtf8(text, room);
      block.parts.push(cut);
      block.bytes += separator + Buffer.byteLength(cut, 'utf8');
    }
    block.truncated = true;
  }

  private flush(): AddedBlock | undefined {
    const block = this.block;
    if (!block) return undefined;
    this.block = undefined;
    const commit = this.commit;
    if (!commit || this.path === undefined) return undefined;
    const text = block.parts.join('\n');
    return block.truncated
      ? { ...commit, path: this.path, startLine: block.startLine, text, truncated: true }
      : { ...commit, path: this.path, startLine: block.startLine, text };
  }
}

/** The longest prefix of `text` that fits in `maxBytes` UTF-8 bytes without splitting a character. */
function cutUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  let end = Math.min(maxBytes, bytes.length);
  while (end > 0 && end < bytes.length && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return bytes.subarray(0, end).toString('utf8');
}

/**
 * A path from a `---`/`+++` line: `b/some path` (git appends a tab when the name has a space) or git's C-quoted
 * form `"b/tab\there"` with `\t \n \" \\` and octal byte escapes. `/dev/null` gives undefined.
 */
function parseDiffPath(raw: string): string | undefined {
  if (raw.startsWith('"')) return unquoteCPath(raw);
  const path = raw.endsWith('\t') ? raw.slice(0, -1) : raw;
  return path === '/dev/null' ? undefined : path;
}

const SIMPLE_ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

function unquoteCPath(quoted: string): string | undefined {
  const bytes: number[] = [];
  let i = 1;
  while (i < quoted.length) {
    const char = quoted[i] ?? '';
    if (char === '"') return Buffer.from(bytes).toString('utf8');
    if (char !== '\\') {
      const codePoint = quoted.codePointAt(i) ?? 0;
      const encoded = String.fromCodePoint(codePoint);
      for (const byte of Buffer.from(encoded, 'utf8')) bytes.push(byte);
      i += encoded.length;
      continue;
    }
    const next = quoted[i + 1] ?? '';
    const octal = /^[0-3][0-7]{2}/.exec(quoted.slice(i + 1, i + 4));
    if (octal) {
      bytes.push(Number.parseInt(octal[0], 8));
      i += 4;
    } else if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next] ?? 0);
      i += 2;
    } else {
      return undefined;
    }
  }
  return undefined; // no closing quote
}
