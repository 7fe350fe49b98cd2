import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, lchownSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { formatBytes, formatMode, openHostFs, parseAccounts, type HostFs, type StatResult } from './host-fs.ts';
import { ETCD_ID, isRoot, makeDir, makeFixture, makeLink, me, NAMELESS_ID, runUnprivileged, writeAccounts, writeFile } from './testdata/fixture.ts';

const fixture = makeFixture('host-fs');
after(() => fixture.cleanup());
const { root, base } = fixture;

// Outside the root: what a naive path join or symlink follow would reach.
writeFile(base, 'outside/secret.txt', 'OUTSIDE SECRET\n', 0o644);
writeFile(base, 'decoy/file.txt', 'OUTSIDE DECOY\n', 0o644);

writeAccounts(root);
writeFile(root, 'etc/kubernetes/admin.conf', 'apiVersion: v1\nkind: Config\n', 0o600);
writeFile(root, 'etc/kubernetes/scheduler.conf', 'kind: Config\n', 0o644);
writeFile(root, 'etc/kubernetes/pki/ca.crt', 'CERT\n', 0o644);
chmodSync(join(root, 'etc/kubernetes/pki'), 0o700);
makeDir(root, 'var/lib/etcd', 0o700);
makeDir(root, 'tmp', 0o1777);
writeFile(root, 'usr/bin/setuid-tool', '#!/bin/sh\n', 0o4755);
writeFile(root, 'usr/bin/setgid-tool', '#!/bin/sh\n', 0o2750);
writeFile(root, 'decoy/file.txt', 'INSIDE DECOY\n', 0o644);
writeFile(root, 'data/binary.bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]), 0o644);
writeFile(root, 'data/latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]), 0o644); // "café\n" in Latin-1
writeFile(root, 'data/utf8.txt', 'café ✓\n', 0o644);
writeFile(root, 'data/ten.txt', '0123456789', 0o644);
writeFile(root, 'data/empty.txt', '', 0o644);

makeLink(root, 'etc/kubernetes/rel-link', 'admin.conf');
makeLink(root, 'etc/abs-link', '/etc/kubernetes/admin.conf');
makeLink(root, 'etc/host-passwd', '/etc/passwd'); // absolute: the fixture's /etc/passwd, never this machine's
makeLink(root, 'etc/kubernetes/escape-rel', '../../../outside/secret.txt'); // naively <base>/outside/secret.txt
makeLink(root, 'etc/escape-decoy', '../../decoy/file.txt'); // naively <base>/decoy/file.txt
makeLink(root, 'etc/escape-abs', join(base, 'outside/secret.txt')); // a real absolute path outside the root
makeLink(root, 'etc/escape-dir', '../../outside'); // naively <base>/outside
makeLink(root, 'etc/pki-link', 'kubernetes/pki'); // a directory link; `pki-link/..` is /etc/kubernetes, not /etc
makeLink(root, 'etc/chain-1', 'chain-2');
makeLink(root, 'etc/chain-2', '/etc/chain-3');
makeLink(root, 'etc/chain-3', 'kubernetes/admin.conf');
makeLink(root, 'loop/a', 'b');
makeLink(root, 'loop/b', '/loop/a');
makeLink(root, 'loop/self', 'self');
makeLink(root, 'loop/grow', 'grow/x');
makeLink(root, 'loop/dangling', '/etc/kubernetes/nothing-here');
makeLink(root, 'usr-lib-link', 'etc/kubernetes');

const opened = openHostFs(root);
if (!opened.ok) throw new Error(opened.error.message);
const fs: HostFs = opened.fs;

function errorOf(result: StatResult): { code: string; message: string } {
  assert.equal(result.exists, false, `expected an error, got ${JSON.stringify(result)}`);
  return { code: result.error.code, message: result.error.message };
}

describe('openHostFs', () => {
  test('refuses roots that are not absolute directories, as values', () => {
    assert.deepEqual(openHostFs('relative/root'), {
      ok: false,
      error: { code: 'invalid-root', path: 'relative/root', message: 'the root must be an absolute directory path (e.g. / or /host)' },
    });
    assert.deepEqual(openHostFs(join(base, 'missing')), {
      ok: false,
      error: { code: 'invalid-root', path: join(base, 'missing'), message: `cannot use ${join(base, 'missing')} as the root: no such file or directory` },
    });
    const file = join(root, 'etc/kubernetes/admin.conf');
    assert.deepEqual(openHostFs(file), { ok: false, error: { code: 'invalid-root', path: file, message: `cannot use ${file} as the root: not a directory` } });
    assert.equal(openHostFs(undefined as unknown as string).ok, false);
    assert.equal(openHostFs('/tmp\0x').ok, false);
  });

  test('a root reached through a symlink is used by its real path', () => {
    const viaLink = makeLink(base, 'root-link', 'root');
    const result = openHostFs(viaLink);
    assert.ok(result.ok);
    assert.equal(result.fs.root, root);
    const stat = result.fs.stat('/etc/kubernetes/admin.conf');
    assert.equal(stat.exists && stat.resolvedPath, '/etc/kubernetes/admin.conf');
  });
});

describe('stat', () => {
  test('a regular file: exact type, mode, ids, names and size', () => {
    assert.deepEqual(fs.stat('/etc/kubernetes/admin.conf'), {
      exists: true,
      path: '/etc/kubernetes/admin.conf',
      resolvedPath: '/etc/kubernetes/admin.conf',
      type: 'file',
      symlinks: [],
      mode: 0o600,
      uid: me.uid,
      gid: me.gid,
      owner: me.user,
      group: me.group,
      size: 28,
    });
  });

  test('permission bits, including setuid, setgid and sticky', () => {
    const modes = ['/etc/kubernetes/scheduler.conf', '/etc/kubernetes/pki', '/var/lib/etcd', '/tmp', '/usr/bin/setuid-tool', '/usr/bin/setgid-tool', '/'].map((path) => {
      const stat = fs.stat(path);
      assert.ok(stat.exists, path);
      return [path, stat.type, formatMode(stat.mode)];
    });
    assert.deepEqual(modes, [
      ['/etc/kubernetes/scheduler.conf', 'file', '0644'],
      ['/etc/kubernetes/pki', 'directory', '0700'],
      ['/var/lib/etcd', 'directory', '0700'],
      ['/tmp', 'directory', '1777'],
      ['/usr/bin/setuid-tool', 'file', '4755'],
      ['/usr/bin/setgid-tool', 'file', '2750'],
      ['/', 'directory', '0755'],
    ]);
  });

  test('a relative symlink resolves next to the link', () => {
    const stat = fs.stat('/etc/kubernetes/rel-link');
    assert.ok(stat.exists);
    assert.deepEqual([stat.resolvedPath, stat.type, stat.mode, stat.symlinks], ['/etc/kubernetes/admin.conf', 'file', 0o600, [{ path: '/etc/kubernetes/rel-link', target: 'admin.conf' }]]);
  });

  test('an absolute symlink starts again at the root, not at this machine’s /', () => {
    const stat = fs.stat('/etc/abs-link');
    assert.ok(stat.exists);
    assert.equal(stat.resolvedPath, '/etc/kubernetes/admin.conf');
    const passwd = fs.readText('/etc/host-passwd', 65536);
    assert.ok(passwd.ok);
    assert.equal(passwd.text, readFileSync(join(root, 'etc/passwd'), 'utf8'));
    assert.notEqual(passwd.text, readFileSync('/etc/passwd', 'utf8'));
  });

  test('a chain of links, relative and absolute, is followed in order', () => {
    const stat = fs.stat('/etc/chain-1');
    assert.ok(stat.exists);
    assert.equal(stat.resolvedPath, '/etc/kubernetes/admin.conf');
    assert.deepEqual(stat.symlinks, [
      { path: '/etc/chain-1', target: 'chain-2' },
      { path: '/etc/chain-2', target: '/etc/chain-3' },
      { path: '/etc/chain-3', target: 'kubernetes/admin.conf' },
    ]);
  });

  test('links that climb out of the root stop at the root, as in a chroot', () => {
    assert.deepEqual(errorOf(fs.stat('/etc/kubernetes/escape-rel')), {
      code: 'not-found',
      message: 'no such file or directory: /outside does not exist (following /etc/kubernetes/escape-rel -> ../../../outside/secret.txt)',
    });
    assert.equal(fs.readText('/etc/kubernetes/escape-rel', 1000).ok, false);
    // The same climb lands on the decoy inside the root, never the file of the same name outside it.
    const decoy = fs.readText('/etc/escape-decoy', 1000);
    assert.ok(decoy.ok);
    assert.equal(decoy.text, 'INSIDE DECOY\n');
    assert.equal(decoy.info.resolvedPath, '/decoy/file.txt');
    // An absolute target naming the real outside path is taken inside the root too.
    assert.equal(errorOf(fs.stat('/etc/escape-abs')).code, 'not-found');
    const listing = fs.list('/etc/escape-dir');
    assert.equal(listing.ok, false);
    assert.equal(!listing.ok && listing.error.code, 'not-found');
  });

  test('.. applies to the directory a link led to, and never climbs above /', () => {
    const physical = fs.stat('/etc/pki-link/../admin.conf');
    assert.ok(physical.exists);
    assert.equal(physical.resolvedPath, '/etc/kubernetes/admin.conf');
    const above = fs.stat('/../../etc/./kubernetes//admin.conf');
    assert.ok(above.exists);
    assert.equal(above.resolvedPath, '/etc/kubernetes/admin.conf');
    assert.equal(above.path, '/../../etc/./kubernetes//admin.conf');
    const top = fs.stat('/usr-lib-link/pki/ca.crt');
    assert.ok(top.exists);
    assert.equal(top.resolvedPath, '/etc/kubernetes/pki/ca.crt');
  });

  test('symlink loops and endless chains are errors, not hangs', () => {
    assert.deepEqual(errorOf(fs.stat('/loop/a')), { code: 'symlink-loop', message: 'symbolic link loop (following /loop/a -> b, /loop/b -> /loop/a, /loop/a -> b)' });
    assert.deepEqual(errorOf(fs.stat('/loop/self')), { code: 'symlink-loop', message: 'symbolic link loop (following /loop/self -> self, /loop/self -> self)' });
    const grow = errorOf(fs.stat('/loop/grow'));
    assert.equal(grow.code, 'too-many-symlinks');
    assert.match(grow.message, /^more than 40 symbolic links to follow \(a loop\?\) \(following \/loop\/grow -> grow\/x, /);
    assert.equal(fs.readText('/loop/a', 100).ok, false);
    assert.equal(fs.list('/loop/self').ok, false);
  });

  test('the symlink limit is the option given', () => {
    const small = openHostFs(root, { maxSymlinks: 3 });
    assert.ok(small.ok);
    assert.ok(small.fs.stat('/etc/chain-1').exists); // exactly 3 links
    const tight = openHostFs(root, { maxSymlinks: 2 });
    assert.ok(tight.ok);
    assert.deepEqual(errorOf(tight.fs.stat('/etc/chain-1')), {
      code: 'too-many-symlinks',
      message: 'more than 2 symbolic links to follow (a loop?) (following /etc/chain-1 -> chain-2, /etc/chain-2 -> /etc/chain-3)',
    });
  });

  test('a dangling link is not found, and says which link', () => {
    assert.deepEqual(errorOf(fs.stat('/loop/dangling')), {
      code: 'not-found',
      message: 'no such file or directory: /etc/kubernetes/nothing-here does not exist (following /loop/dangling -> /etc/kubernetes/nothing-here)',
    });
  });

  test('followSymlinks: false stats the link itself', () => {
    const link = fs.stat('/etc/abs-link', { followSymlinks: false });
    assert.ok(link.exists);
    assert.deepEqual([link.type, link.linkTarget, link.resolvedPath, link.symlinks], ['symlink', '/etc/kubernetes/admin.conf', '/etc/abs-link', []]);
    const dangling = fs.stat('/loop/dangling', { followSymlinks: false });
    assert.ok(dangling.exists);
    assert.equal(dangling.linkTarget, '/etc/kubernetes/nothing-here');
    // Links before the last component are still followed.
    const through = fs.stat('/etc/pki-link/ca.crt', { followSymlinks: false });
    assert.ok(through.exists);
    assert.deepEqual([through.type, through.resolvedPath], ['file', '/etc/kubernetes/pki/ca.crt']);
  });

  test('missing files, files used as directories and bad paths are values', () => {
    assert.deepEqual(fs.stat('/etc/kubernetes/nope.conf'), {
      exists: false,
      path: '/etc/kubernetes/nope.conf',
      error: { code: 'not-found', path: '/etc/kubernetes/nope.conf', message: 'no such file or directory' },
    });
    assert.deepEqual(errorOf(fs.stat('/etc/missing-dir/x.conf')), { code: 'not-found', message: 'no such file or directory: /etc/missing-dir does not exist' });
    assert.deepEqual(errorOf(fs.stat('/etc/passwd/x')), { code: 'not-a-directory', message: '/etc/passwd is not a directory' });
    assert.deepEqual(errorOf(fs.stat('/etc/passwd/')), { code: 'not-a-directory', message: 'not a directory' });
    assert.deepEqual(errorOf(fs.stat('etc/passwd')), { code: 'invalid-path', message: 'not an absolute path' });
    assert.deepEqual(errorOf(fs.stat('')), { code: 'invalid-path', message: 'not an absolute path' });
    assert.deepEqual(errorOf(fs.stat('/etc/pass\0wd')), { code: 'invalid-path', message: 'the path contains a NUL byte' });
    assert.deepEqual(errorOf(fs.stat(42 as unknown as string)), { code: 'invalid-path', message: 'not an absolute path' });
    assert.equal(fs.readText(null as unknown as string, 10).ok, false);
    assert.equal(fs.list(undefined as unknown as string).ok, false);
  });

  test('a trailing slash follows a link to a directory', () => {
    const stat = fs.stat('/etc/pki-link/', { followSymlinks: false });
    assert.ok(stat.exists);
    assert.deepEqual([stat.type, stat.resolvedPath], ['directory', '/etc/kubernetes/pki']);
  });
});

describe('owner and group names', () => {
  test('come from the root’s /etc/passwd and /etc/group (first entry wins, CRLF and junk lines tolerated)', () => {
    assert.equal(fs.userName(0), 'root');
    assert.equal(fs.userName(ETCD_ID), 'etcd');
    assert.equal(fs.groupName(ETCD_ID), 'etcd');
    assert.equal(fs.userName(NAMELESS_ID), undefined);
    assert.equal(fs.groupName(me.gid), me.group);
  });

  test('without account files, names fall back to the numeric ids', () => {
    const bare = makeFixture('host-fs-bare');
    try {
      writeFile(bare.root, 'etc/kubernetes/admin.conf', 'x', 0o640);
      const result = openHostFs(bare.root);
      assert.ok(result.ok);
      const stat = result.fs.stat('/etc/kubernetes/admin.conf');
      assert.ok(stat.exists);
      assert.deepEqual([stat.owner, stat.group, stat.mode], [String(me.uid), String(me.gid), 0o640]);
    } finally {
      bare.cleanup();
    }
  });

  test('chown to other ids (only when running as root)', { skip: isRoot ? false : 'chown needs root' }, () => {
    const etcdDir = makeDir(root, 'var/lib/etcd-owned', 0o700);
    chownSync(etcdDir, ETCD_ID, ETCD_ID);
    const nameless = writeFile(root, 'etc/kubernetes/nameless.conf', 'x', 0o600);
    chownSync(nameless, NAMELESS_ID, NAMELESS_ID);
    const link = makeLink(root, 'etc/kubernetes/owned-link', 'nameless.conf');
    lchownSync(link, ETCD_ID, ETCD_ID); // the link's own owner is not the file's

    const dir = fs.stat('/var/lib/etcd-owned');
    assert.ok(dir.exists);
    assert.deepEqual([dir.uid, dir.gid, dir.owner, dir.group, dir.mode], [ETCD_ID, ETCD_ID, 'etcd', 'etcd', 0o700]);
    const file = fs.stat('/etc/kubernetes/owned-link');
    assert.ok(file.exists);
    assert.deepEqual([file.uid, file.gid, file.owner, file.group], [NAMELESS_ID, NAMELESS_ID, String(NAMELESS_ID), String(NAMELESS_ID)]);
    const linkItself = fs.stat('/etc/kubernetes/owned-link', { followSymlinks: false });
    assert.ok(linkItself.exists);
    assert.deepEqual([linkItself.owner, linkItself.group], ['etcd', 'etcd']);
  });

  test('parseAccounts', () => {
    const text = '# c\nroot:x:0:0::/:/bin/sh\r\n+nis:::\n-bad:x:5:5\nnoid:x::1\nneg:x:-1:1\ndup:x:0:0\n\nshort:x\nweb:x:33:33\n';
    assert.deepEqual([...parseAccounts(text)], [
      [0, 'root'],
      [33, 'web'],
    ]);
    assert.deepEqual([...parseAccounts('')], []);
  });
});

describe('readText and readBytes', () => {
  test('reads UTF-8, falls back to Latin-1, reads empty files', () => {
    const utf8 = fs.readText('/data/utf8.txt', 100);
    assert.ok(utf8.ok);
    assert.equal(utf8.text, 'café ✓\n');
    assert.equal(utf8.info.path, '/data/utf8.txt');
    const latin1 = fs.readText('/data/latin1.txt', 100);
    assert.ok(latin1.ok);
    assert.equal(latin1.text, 'café\n');
    const empty = fs.readText('/data/empty.txt', 0);
    assert.ok(empty.ok);
    assert.equal(empty.text, '');
  });

  test('refuses binary and oversized files with a reason', () => {
    assert.deepEqual(fs.readText('/data/binary.bin', 100), { ok: false, error: { code: 'binary', path: '/data/binary.bin', message: 'binary file (it contains NUL bytes), not text' } });
    const bytes = fs.readBytes('/data/binary.bin', 100);
    assert.ok(bytes.ok);
    assert.deepEqual([...bytes.bytes], [0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01]);
    assert.deepEqual(fs.readText('/data/ten.txt', 9), { ok: false, error: { code: 'too-large', path: '/data/ten.txt', message: 'larger than the 9 bytes limit (10 bytes)' } });
    // procfs reports size 0: the limit is found while reading.
    const host = openHostFs('/');
    assert.ok(host.ok);
    assert.deepEqual(host.fs.readBytes('/proc/self/cmdline', 4), { ok: false, error: { code: 'too-large', path: '/proc/self/cmdline', message: 'larger than the 4 bytes limit (more was there)' } });
    assert.deepEqual(
      [1, 900, 1024, 1536, 1048576, 5 * 1024 ** 3].map(formatBytes),
      ['1 byte', '900 bytes', '1 KiB', '1.5 KiB', '1 MiB', '5 GiB'],
    );
    const exact = fs.readText('/data/ten.txt', 10);
    assert.ok(exact.ok);
    assert.equal(exact.text, '0123456789');
    assert.equal(fs.readText('/data/ten.txt', Number.NaN).ok, false);
  });

  test('refuses directories and FIFOs (reading a FIFO would block)', () => {
    assert.deepEqual(fs.readText('/etc/kubernetes', 100), { ok: false, error: { code: 'not-a-file', path: '/etc/kubernetes', message: 'not a regular file (a directory)' } });
    const fifo = spawnSync('mkfifo', [join(root, 'data/pipe')]);
    if (fifo.status === 0) {
      assert.deepEqual(fs.readText('/data/pipe', 100), { ok: false, error: { code: 'not-a-file', path: '/data/pipe', message: 'not a regular file (a fifo)' } });
      const stat = fs.stat('/data/pipe');
      assert.equal(stat.exists && stat.type, 'fifo');
    }
  });

  test('follows links inside the root to read', () => {
    const text = fs.readText('/etc/chain-1', 100);
    assert.ok(text.ok);
    assert.equal(text.text, 'apiVersion: v1\nkind: Config\n');
    assert.equal(text.info.resolvedPath, '/etc/kubernetes/admin.conf');
  });

  test('procfs files, which report size 0, are read to the end (root /)', () => {
    const host = openHostFs('/');
    assert.ok(host.ok);
    const cmdline = host.fs.readBytes('/proc/self/cmdline', 1 << 20);
    assert.ok(cmdline.ok, JSON.stringify(cmdline));
    assert.equal(cmdline.info.size, 0);
    assert.ok(cmdline.bytes.length > 0);
    assert.ok(cmdline.bytes.toString('utf8').includes('node'));
    // With root /, host paths are this machine's paths.
    const passwd = host.fs.stat(join(root, 'etc/passwd'));
    assert.ok(passwd.exists);
    assert.equal(passwd.resolvedPath, join(root, 'etc/passwd'));
  });
});

describe('list', () => {
  test('entries sorted by name, with their own (unfollowed) types', () => {
    const listing = fs.list('/etc/kubernetes');
    assert.ok(listing.ok);
    assert.deepEqual(
      listing.entries.filter((entry) => !['nameless.conf', 'owned-link'].includes(entry.name)),
      [
        { name: 'admin.conf', path: '/etc/kubernetes/admin.conf', type: 'file' },
        { name: 'escape-rel', path: '/etc/kubernetes/escape-rel', type: 'symlink' },
        { name: 'pki', path: '/etc/kubernetes/pki', type: 'directory' },
        { name: 'rel-link', path: '/etc/kubernetes/rel-link', type: 'symlink' },
        { name: 'scheduler.conf', path: '/etc/kubernetes/scheduler.conf', type: 'file' },
      ],
    );
  });

  test('a directory reached through a link lists under its resolved path', () => {
    const listing = fs.list('/etc/pki-link');
    assert.ok(listing.ok);
    assert.equal(listing.info.resolvedPath, '/etc/kubernetes/pki');
    assert.deepEqual(listing.entries, [{ name: 'ca.crt', path: '/etc/kubernetes/pki/ca.crt', type: 'file' }]);
    const top = fs.list('/');
    assert.ok(top.ok);
    assert.ok(top.entries.some((entry) => entry.path === '/etc' && entry.type === 'directory'));
  });

  test('files and missing directories are errors', () => {
    assert.deepEqual(fs.list('/etc/passwd'), { ok: false, error: { code: 'not-a-directory', path: '/etc/passwd', message: 'not a directory (a regular file)' } });
    assert.deepEqual(fs.list('/nope'), { ok: false, error: { code: 'not-found', path: '/nope', message: 'no such file or directory' } });
  });
});

describe('permission denied', () => {
  test('is an error value with a next step, for stat, readText and list', () => {
    // Root-only files, read by a process that is not root (nobody when the tests run as root).
    const secretDir = makeDir(root, 'perm/secret-dir', 0o700);
    writeFile(root, 'perm/secret-dir/inner.conf', 'inner', 0o600);
    const privateFile = writeFile(root, 'perm/private.conf', 'private', 0o600);
    if (!isRoot) {
      chmodSync(secretDir, 0o000);
      chmodSync(privateFile, 0o000);
    }
    try {
      const result = runUnprivileged(
        root,
        `const opened = openHostFs(root);
         if (!opened.ok) return opened;
         const fs = opened.fs;
         const stat = fs.stat('/perm/private.conf');
         return {
           statInner: fs.stat('/perm/secret-dir/inner.conf'),
           statDeep: fs.stat('/perm/secret-dir/sub/x.conf'),
           readPrivate: fs.readText('/perm/private.conf', 100),
           privateMode: stat.exists ? stat.mode : null,
           listSecret: fs.list('/perm/secret-dir'),
         };`,
      );
      const hint = ' (run palisade node as root, or as a user that can read the node files)';
      assert.deepEqual(result, {
        statInner: { exists: false, path: '/perm/secret-dir/inner.conf', error: { code: 'permission-denied', path: '/perm/secret-dir/inner.conf', message: `permission denied${hint}` } },
        statDeep: { exists: false, path: '/perm/secret-dir/sub/x.conf', error: { code: 'permission-denied', path: '/perm/secret-dir/sub/x.conf', message: `permission denied at /perm/secret-dir/sub${hint}` } },
        readPrivate: { ok: false, error: { code: 'permission-denied', path: '/perm/private.conf', message: `permission denied${hint}` } },
        privateMode: isRoot ? 0o600 : 0o000,
        listSecret: { ok: false, error: { code: 'permission-denied', path: '/perm/secret-dir', message: `permission denied${hint}` } },
      });
    } finally {
      chmodSync(secretDir, 0o700);
      chmodSync(privateFile, 0o600);
    }
  });
});
