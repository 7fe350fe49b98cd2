import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { isAbsolute } from 'node:path';

// A node's filesystem seen through a root directory, the way a chroot sees it: `/` is the root (the node itself, or
// the host filesystem mounted into a pod with hostPath), absolute symlink targets start again at the root, `..`
// stops at the root. Nothing outside the root is ever opened, listed or stat'ed. Every failure is a value.

export type HostFsErrorCode =
  /** The root passed to openHostFs is not a readable directory. */
  | 'invalid-root'
  /** Not an absolute path, or it contains a NUL byte. */
  | 'invalid-path'
  | 'not-found'
  | 'permission-denied'
  /** A path component before the last is not a directory, or a directory was asked for. */
  | 'not-a-directory'
  /** Content was asked of something that is not a regular file (directory, device, FIFO, socket). */
  | 'not-a-file'
  /** Following symlinks came back to a link already being followed with the same remaining path. */
  | 'symlink-loop'
  /** More symlinks to follow than the limit (40, like Linux). */
  | 'too-many-symlinks'
  /** Contains NUL bytes: not a text file. */
  | 'binary'
  | 'too-large'
  /** The file was replaced (a symlink swapped in) between resolving its path and opening it. */
  | 'changed-while-reading'
  /** More entries than a directory walk allows. */
  | 'limit-exceeded'
  /** A private key: palisade reads only its metadata. */
  | 'private-key'
  | 'io-error';

/** Why a path could not be used. `path` is the host path as it was asked for (never the path under the root). */
export interface HostFsError {
  readonly code: HostFsErrorCode;
  readonly path: string;
  readonly message: string;
}

export type FileType = 'file' | 'directory' | 'symlink' | 'fifo' | 'socket' | 'block-device' | 'character-device' | 'unknown';

/** One symlink followed while resolving a path: where the link is (host path) and what it says (raw target). */
export interface SymlinkHop {
  readonly path: string;
  readonly target: string;
}

export interface FileInfo {
  /** The host path as asked for. */
  readonly path: string;
  /** The host path after following symlinks inside the root: what was stat'ed. */
  readonly resolvedPath: string;
  readonly type: FileType;
  /** Symlinks followed to get there, in order; empty when the path has none. */
  readonly symlinks: readonly SymlinkHop[];
  /** The link's raw target, when stat was asked not to follow a final symlink and the path is one. */
  readonly linkTarget?: string;
  /** Permission bits with setuid/setgid/sticky: 0o644 is rw-r--r--. */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** User name from `<root>/etc/passwd`; the uid in decimal when it has none. */
  readonly owner: string;
  /** Group name from `<root>/etc/group`; the gid in decimal when it has none. */
  readonly group: string;
  readonly size: number;
}

export type StatResult = ({ readonly exists: true } & FileInfo) | { readonly exists: false; readonly path: string; readonly error: HostFsError };

export type BytesResult = { readonly ok: true; readonly bytes: Buffer; readonly info: FileInfo } | { readonly ok: false; readonly error: HostFsError };
export type TextResult = { readonly ok: true; readonly text: string; readonly info: FileInfo } | { readonly ok: false; readonly error: HostFsError };

export interface DirEntry {
  readonly name: string;
  /** Host path of the entry (inside the resolved directory). */
  readonly path: string;
  /** The entry itself, not followed: a symlink is 'symlink'. */
  readonly type: FileType;
}

export type ListResult = { readonly ok: true; readonly info: FileInfo; readonly entries: readonly DirEntry[] } | { readonly ok: false; readonly error: HostFsError };

export interface StatOptions {
  /** Follow a symlink in the last component (default true). Symlinks before it are always followed. */
  readonly followSymlinks?: boolean;
}

export interface HostFs {
  /** The root directory on this machine's filesystem (real path). */
  readonly root: string;
  stat(path: string, options?: StatOptions): StatResult;
  /** The raw content of a regular file, at most maxBytes (procfs files, which report size 0, are read to the end). */
  readBytes(path: string, maxBytes: number): BytesResult;
  /** A regular file's text (UTF-8, else Latin-1); refuses binary files and files above maxBytes. */
  readText(path: string, maxBytes: number): TextResult;
  /** The entries of a directory, sorted by name. */
  list(path: string): ListResult;
  /** User name for a uid, from `<root>/etc/passwd`; undefined when it has none. */
  userName(uid: number): string | undefined;
  /** Group name for a gid, from `<root>/etc/group`; undefined when it has none. */
  groupName(gid: number): string | undefined;
}

export interface HostFsOptions {
  /** Symlinks followed for one path before giving up (Linux: 40). */
  readonly maxSymlinks?: number;
}

export type OpenHostFsResult = { readonly ok: true; readonly fs: HostFs } | { readonly ok: false; readonly error: HostFsError };

const DEFAULT_MAX_SYMLINKS = 40;
const ACCOUNTS_MAX_BYTES = 8 * 1024 * 1024;

/** Opens a node filesystem at `root` (absolute; `/` for the node itself). */
export function openHostFs(root: string, options: HostFsOptions = {}): OpenHostFsResult {
  if (typeof root !== 'string' || root === '' || root.includes('\0') || !isAbsolute(root)) {
    return { ok: false, error: { code: 'invalid-root', path: String(root), message: 'the root must be an absolute directory path (e.g. / or /host)' } };
  }
  let realRoot: string;
  let rootStats: Stats;
  try {
    realRoot = realpathSync(root);
    rootStats = statSync(realRoot);
  } catch (error) {
    const failure = errnoError(error, root);
    return { ok: false, error: { code: 'invalid-root', path: root, message: `cannot use ${root} as the root: ${failure.message}` } };
  }
  if (!rootStats.isDirectory()) {
    return { ok: false, error: { code: 'invalid-root', path: root, message: `cannot use ${root} as the root: not a directory` } };
  }
  return { ok: true, fs: new ChrootFs(realRoot, rootStats, options.maxSymlinks ?? DEFAULT_MAX_SYMLINKS) };
}

/** Parses `/etc/passwd` or `/etc/group` text into id → name (the first entry for an id wins, as getpwuid does). */
export function parseAccounts(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(':');
    const name = fields[0] ?? '';
    const id = fields[2] ?? '';
    // NIS compat lines (+name, -name) name no local account.
    if (name === '' || name.startsWith('+') || name.startsWith('-') || !/^\d{1,10}$/.test(id)) continue;
    const numeric = Number(id);
    if (!names.has(numeric)) names.set(numeric, name);
  }
  return names;
}

/** `0o640` → `'0640'`, as `stat -c %a` would show it with a leading zero. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

interface Resolved {
  readonly hostPath: string;
  readonly realPath: string;
  readonly stats: Stats;
  readonly symlinks: readonly SymlinkHop[];
}

type Resolution = { readonly ok: true; readonly value: Resolved } | { readonly ok: false; readonly error: HostFsError };

class ChrootFs implements HostFs {
  readonly root: string;
  readonly #rootStats: Stats;
  readonly #maxSymlinks: number;
  #users: Map<number, string> | undefined;
  #groups: Map<number, string> | undefined;

  constructor(root: string, rootStats: Stats, maxSymlinks: number) {
    this.root = root;
    this.#rootStats = rootStats;
    this.#maxSymlinks = maxSymlinks;
  }

  stat(path: string, options: StatOptions = {}): StatResult {
    const resolution = this.#resolve(path, options.followSymlinks ?? true);
    if (!resolution.ok) return { exists: false, path: String(path), error: resolution.error };
    const info = this.#info(path, resolution.value);
    return { exists: true, ...info };
  }

  readBytes(path: string, maxBytes: number): BytesResult {
    const resolution = this.#resolve(path, true);
    if (!resolution.ok) return resolution;
    const resolved = resolution.value;
    const info = this.#info(path, resolved);
    if (info.type !== 'file') return { ok: false, error: { code: 'not-a-file', path, message: `not a regular file (${describeType(info.type)})` } };
    const limit = Number.isFinite(maxBytes) && maxBytes >= 0 ? Math.floor(maxBytes) : 0;
    if (info.size > limit) return { ok: false, error: tooLarge(path, info.size, limit) };

    let fd: number;
    try {
      fd = openSync(resolved.realPath, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'ENOENT') return { ok: false, error: changed(path) };
      return { ok: false, error: errnoError(error, path) };
    }
    try {
      // The path was resolved one component at a time; a component swapped for a symlink since then would lead
      // somewhere else, so the file opened must be the file resolved.
      const opened = fstatSync(fd);
      if (opened.dev !== resolved.stats.dev || opened.ino !== resolved.stats.ino || !opened.isFile()) return { ok: false, error: changed(path) };
      const chunks: Buffer[] = [];
      let total = 0;
      for (;;) {
        const chunk = Buffer.allocUnsafe(Math.min(Math.max(limit + 1 - total, 1), 1 << 20));
        const read = readSync(fd, chunk, 0, chunk.length, null);
        if (read === 0) break;
        chunks.push(chunk.subarray(0, read));
        total += read;
        if (total > limit) return { ok: false, error: tooLarge(path, undefined, limit) };
      }
      return { ok: true, bytes: Buffer.concat(chunks, total), info };
    } catch (error) {
      return { ok: false, error: errnoError(error, path) };
    } finally {
      closeSync(fd);
    }
  }

  readText(path: string, maxBytes: number): TextResult {
    const read = this.readBytes(path, maxBytes);
    if (!read.ok) return read;
    if (read.bytes.includes(0)) return { ok: false, error: { code: 'binary', path, message: 'binary file (it contains NUL bytes), not text' } };
    return { ok: true, text: decodeText(read.bytes), info: read.info };
  }

  list(path: string): ListResult {
    const resolution = this.#resolve(path, true);
    if (!resolution.ok) return resolution;
    const resolved = resolution.value;
    const info = this.#info(path, resolved);
    if (info.type !== 'directory') return { ok: false, error: { code: 'not-a-directory', path, message: `not a directory (${describeType(info.type)})` } };
    let dirents: Dirent[];
    try {
      dirents = readdirSync(resolved.realPath, { withFileTypes: true });
      // Same guard as readBytes: the directory listed must be the one resolved.
      const now = lstatSync(resolved.realPath);
      if (now.dev !== resolved.stats.dev || now.ino !== resolved.stats.ino) return { ok: false, error: changed(path) };
    } catch (error) {
      return { ok: false, error: errnoError(error, path) };
    }
    const base = resolved.hostPath === '/' ? '' : resolved.hostPath;
    const entries = dirents
      .map((dirent): DirEntry => ({ name: dirent.name, path: `${base}/${dirent.name}`, type: direntType(dirent) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { ok: true, info, entries };
  }

  userName(uid: number): string | undefined {
    if (this.#users === undefined) {
      this.#users = new Map(); // reading /etc/passwd stats it, which asks for names: no recursion
      this.#users = this.#loadAccounts('/etc/passwd');
    }
    return this.#users.get(uid);
  }

  groupName(gid: number): string | undefined {
    if (this.#groups === undefined) {
      this.#groups = new Map();
      this.#groups = this.#loadAccounts('/etc/group');
    }
    return this.#groups.get(gid);
  }

  #loadAccounts(path: string): Map<number, string> {
    const read = this.readText(path, ACCOUNTS_MAX_BYTES);
    return read.ok ? parseAccounts(read.text) : new Map();
  }

  #info(path: string, resolved: Resolved): FileInfo {
    const { stats } = resolved;
    const type = statsType(stats);
    const info: FileInfo = {
      path,
      resolvedPath: resolved.hostPath,
      type,
      symlinks: resolved.symlinks,
      mode: stats.mode & 0o7777,
      uid: stats.uid,
      gid: stats.gid,
      owner: this.userName(stats.uid) ?? String(stats.uid),
      group: this.groupName(stats.gid) ?? String(stats.gid),
      size: stats.size,
    };
    if (type !== 'symlink') return info;
    try {
      return { ...info, linkTarget: readlinkSync(resolved.realPath) };
    } catch {
      return info;
    }
  }

  #real(components: readonly string[]): string {
    const tail = components.join('/');
    if (tail === '') return this.root;
    return this.root === '/' ? `/${tail}` : `${this.root}/${tail}`;
  }

  /** Walks the path one component at a time under the root, following symlinks as a chroot would. */
  #resolve(path: string, followLast: boolean): Resolution {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      return { ok: false, error: { code: 'invalid-path', path: String(path), message: 'not an absolute path' } };
    }
    if (path.includes('\0')) return { ok: false, error: { code: 'invalid-path', path, message: 'the path contains a NUL byte' } };
    // A trailing slash asks for a directory, and follows a final symlink to get to it.
    const wantDirectory = path.length > 1 && path.endsWith('/');
    const followFinal = followLast || wantDirectory;

    let pending = components(path);
    const resolved: string[] = [];
    const stack: Stats[] = [this.#rootStats];
    const symlinks: SymlinkHop[] = [];
    const seen = new Set<string>();
    const hostOf = (parts: readonly string[]): string => `/${parts.join('/')}`;

    while (pending.length > 0) {
      const [name, ...rest] = pending as [string, ...string[]];
      pending = rest;
      if (name === '..') {
        if (resolved.length > 0) {
          resolved.pop();
          stack.pop();
        }
        continue;
      }
      const candidate = [...resolved, name];
      const hostPath = hostOf(candidate);
      let stats: Stats | undefined;
      try {
        stats = lstatSync(this.#real(candidate), { throwIfNoEntry: false });
      } catch (error) {
        return { ok: false, error: withContext(error, hostPath, path, symlinks) };
      }
      if (stats === undefined) {
        const where = hostPath === path ? '' : `: ${hostPath} does not exist`;
        return { ok: false, error: { code: 'not-found', path, message: `no such file or directory${where}${viaLinks(symlinks)}` } };
      }
      const isLast = pending.length === 0;
      if (stats.isSymbolicLink() && (!isLast || followFinal)) {
        if (symlinks.length >= this.#maxSymlinks) {
          return { ok: false, error: { code: 'too-many-symlinks', path, message: `more than ${this.#maxSymlinks} symbolic links to follow (a loop?)${viaLinks(symlinks)}` } };
        }
        const key = `${hostPath}\0${pending.join('/')}`;
        let target: string;
        try {
          target = readlinkSync(this.#real(candidate));
        } catch (error) {
          return { ok: false, error: withContext(error, hostPath, path, symlinks) };
        }
        symlinks.push({ path: hostPath, target });
        if (seen.has(key)) {
          return { ok: false, error: { code: 'symlink-loop', path, message: `symbolic link loop${viaLinks(symlinks)}` } };
        }
        seen.add(key);
        if (target.startsWith('/')) {
          resolved.length = 0;
          stack.length = 1;
        }
        pending = [...components(target), ...pending];
        continue;
      }
      if (!isLast && !stats.isDirectory()) {
        return { ok: false, error: { code: 'not-a-directory', path, message: `${hostPath} is not a directory${viaLinks(symlinks)}` } };
      }
      resolved.push(name);
      stack.push(stats);
    }
    const stats = stack[stack.length - 1]!;
    if (wantDirectory && !stats.isDirectory()) {
      return { ok: false, error: { code: 'not-a-directory', path, message: `not a directory${viaLinks(symlinks)}` } };
    }
    return { ok: true, value: { hostPath: hostOf(resolved), realPath: this.#real(resolved), stats, symlinks } };
  }
}

/** Path components without empty and `.` parts; `..` is kept, to be applied after symlinks before it. */
function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '' && part !== '.');
}

function viaLinks(symlinks: readonly SymlinkHop[]): string {
  if (symlinks.length === 0) return '';
  return ` (following ${symlinks.map((hop) => `${hop.path} -> ${hop.target}`).join(', ')})`;
}

/** An errno failure met at `component` while resolving `path`: says where, and through which links. */
function withContext(error: unknown, component: string, path: string, symlinks: readonly SymlinkHop[]): HostFsError {
  const { code, reason, hint } = describeErrno(error);
  const where = component === path ? '' : ` at ${component}`;
  return { code, path, message: `${reason}${where}${viaLinks(symlinks)}${hint}` };
}

/** `size` is the stat'ed size, or undefined when the file (procfs, or growing) turned out longer than its stat said. */
function tooLarge(path: string, size: number | undefined, limit: number): HostFsError {
  const actual = size === undefined ? 'more was there' : formatBytes(size);
  return { code: 'too-large', path, message: `larger than the ${formatBytes(limit)} limit (${actual})` };
}

/** 900 → '900 bytes', 1536 → '1.5 KiB', 1048576 → '1 MiB'. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? '' : 's'}`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, 'KiB'] : bytes < 1024 ** 3 ? [bytes / 1024 ** 2, 'MiB'] : [bytes / 1024 ** 3, 'GiB'];
  return `${Number(value.toFixed(1))} ${unit}`;
}

function changed(path: string): HostFsError {
  return { code: 'changed-while-reading', path, message: 'the file was replaced while it was being opened (a symlink swapped in?); run again' };
}

/** An errno failure as a value, in the words a user needs. */
export function errnoError(error: unknown, path: string): HostFsError {
  const { code, reason, hint } = describeErrno(error);
  return { code, path, message: `${reason}${hint}` };
}

const PERMISSION_HINT = ' (run palisade node as root, or as a user that can read the node files)';

function describeErrno(error: unknown): { code: HostFsErrorCode; reason: string; hint: string } {
  switch ((error as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return { code: 'not-found', reason: 'no such file or directory', hint: '' };
    case 'EACCES':
    case 'EPERM':
      return { code: 'permission-denied', reason: 'permission denied', hint: PERMISSION_HINT };
    case 'ENOTDIR':
      return { code: 'not-a-directory', reason: 'a path component is not a directory', hint: '' };
    case 'ELOOP':
      return { code: 'symlink-loop', reason: 'too many levels of symbolic links', hint: '' };
    case 'EISDIR':
      return { code: 'not-a-file', reason: 'is a directory', hint: '' };
    case 'ENAMETOOLONG':
      return { code: 'invalid-path', reason: 'the path is too long', hint: '' };
    default:
      return { code: 'io-error', reason: error instanceof Error ? error.message : String(error), hint: '' };
  }
}

function statsType(stats: Stats): FileType {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'directory';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  if (stats.isBlockDevice()) return 'block-device';
  if (stats.isCharacterDevice()) return 'character-device';
  return 'unknown';
}

function direntType(dirent: Dirent): FileType {
  if (dirent.isFile()) return 'file';
  if (dirent.isDirectory()) return 'directory';
  if (dirent.isSymbolicLink()) return 'symlink';
  if (dirent.isFIFO()) return 'fifo';
  if (dirent.isSocket()) return 'socket';
  if (dirent.isBlockDevice()) return 'block-device';
  if (dirent.isCharacterDevice()) return 'character-device';
  return 'unknown';
}

function describeType(type: FileType): string {
  return type === 'file' ? 'a regular file' : type === 'directory' ? 'a directory' : `a ${type.replace('-', ' ')}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1.decode(bytes);
  }
}
