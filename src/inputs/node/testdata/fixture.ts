import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Builds node filesystem fixtures at test time: real files with real modes, symlinks, /etc/passwd and /etc/group.

export const isRoot = process.getuid?.() === 0;
const uid = process.getuid?.() ?? 0;
const gid = process.getgid?.() ?? 0;

/** The test process's ids and the names the fixture's /etc/passwd and /etc/group give them. */
export const me = { uid, gid, user: uid === 0 ? 'root' : 'tester', group: gid === 0 ? 'root' : 'testers' } as const;

/** Ids with names in the fixture accounts (used when the tests run as root and can chown). */
export const ETCD_ID = 1234;
/** Ids no account names. */
export const NAMELESS_ID = 4321;

export interface Fixture {
  /** A temporary directory holding the root and things outside it. */
  readonly base: string;
  /** The node root: `<base>/root`. */
  readonly root: string;
  cleanup(): void;
}

export function makeFixture(prefix: string): Fixture {
  const base = mkdtempSync(join(tmpdir(), `palisade-${prefix}-`));
  chmodSync(base, 0o755); // another user (permission tests) must reach the root
  const root = join(base, 'root');
  mkdirSync(root);
  chmodSync(root, 0o755);
  return { base, root, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

/** Writes `<top>/<path>` with exactly this mode (parents created 0755). */
export function writeFile(top: string, path: string, content: string | Uint8Array, mode = 0o644): string {
  const full = join(top, path);
  ensureDir(dirname(full));
  writeFileSync(full, content);
  chmodSync(full, mode);
  return full;
}

/** Creates `<top>/<path>` with exactly this mode. */
export function makeDir(top: string, path: string, mode = 0o755): string {
  const full = join(top, path);
  ensureDir(full);
  chmodSync(full, mode);
  return full;
}

/** A symlink at `<top>/<path>` whose target is stored verbatim. */
export function makeLink(top: string, path: string, target: string): string {
  const full = join(top, path);
  ensureDir(dirname(full));
  symlinkSync(target, full);
  return full;
}

/** /etc/passwd and /etc/group naming root, etcd (1234) and the test user when it is not root. */
export function writeAccounts(root: string): void {
  const passwd = [
    '# fixture accounts',
    'root:x:0:0:root:/root:/bin/bash',
    '+nisuser::::::',
    'broken-line',
    `etcd:x:${ETCD_ID}:${ETCD_ID}:etcd user:/var/lib/etcd:/sbin/nologin`,
    'shadow-etcd:x:1234:1234::/:/sbin/nologin',
    ...(uid === 0 ? [] : [`tester:x:${uid}:${gid}::/home/tester:/bin/sh`]),
    '',
  ].join('\n');
  const group = ['root:x:0:', `etcd:x:${ETCD_ID}:`, ...(gid === 0 ? [] : [`testers:x:${gid}:tester`]), ''].join('\r\n');
  writeFile(root, 'etc/passwd', passwd, 0o644);
  writeFile(root, 'etc/group', group, 0o644);
}

const hostFsModule = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'host-fs.ts')).href;
const discoverModule = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', 'discover.ts')).href;

/**
 * Runs `body` (an async function body with `openHostFs`, `discoverNodeFiles` and `root` in scope, returning JSON) in
 * a child process that cannot read root-only files: as nobody (65534) when the tests run as root, else as the test
 * user (whose files the caller made unreadable).
 */
export function runUnprivileged(root: string, body: string): unknown {
  const script = [
    `import { openHostFs } from ${JSON.stringify(hostFsModule)};`,
    `import { discoverNodeFiles } from ${JSON.stringify(discoverModule)};`,
    `const root = ${JSON.stringify(root)};`,
    `const result = await (async () => { ${body} })();`,
    'process.stdout.write(JSON.stringify(result));',
  ].join('\n');
  const options = isRoot ? { uid: 65534, gid: 65534 } : {};
  const child = spawnSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], { encoding: 'utf8', cwd: '/', ...options });
  if (child.status !== 0) throw new Error(`child failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout) as unknown;
}
