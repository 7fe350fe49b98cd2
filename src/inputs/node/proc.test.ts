import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { openHostFs, type HostFs } from './host-fs.ts';
import { listNodeProcesses, matchComponent, splitCmdline } from './proc.ts';
import { makeDir, makeFixture, makeLink, writeFile } from './testdata/fixture.ts';

const fixture = makeFixture('proc');
after(() => fixture.cleanup());
const { root, base } = fixture;

/** argv as the kernel stores it: each argument NUL-terminated. */
function cmdline(...argv: string[]): string {
  return argv.map((arg) => `${arg}\0`).join('');
}

writeFile(root, 'proc/1/cmdline', cmdline('/sbin/init', 'splash'));
writeFile(root, 'proc/20/cmdline', cmdline('/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '', '--v=2'));
writeFile(root, 'proc/100/cmdline', cmdline('kube-apiserver', '--advertise-address=10.0.0.1', '--authorization-mode=Node,RBAC'));
writeFile(root, 'proc/101/cmdline', cmdline('/usr/local/bin/etcd', '--data-dir=/var/lib/etcd'));
writeFile(root, 'proc/102/cmdline', cmdline('kube-controller-manager', '--profiling=false'));
writeFile(root, 'proc/103/cmdline', cmdline('kube-scheduler', '--bind-address=127.0.0.1'));
writeFile(root, 'proc/300/cmdline', cmdline('/hyperkube', 'apiserver', '--anonymous-auth=false'));
writeFile(root, 'proc/301/cmdline', cmdline('hyperkube', 'kube-proxy', '--config=/var/lib/kube-proxy/config.conf'));
writeFile(root, 'proc/302/cmdline', cmdline('hyperkube', 'constructor'));
writeFile(root, 'proc/303/cmdline', ''); // a kernel thread
makeDir(root, 'proc/304'); // gone between listing and reading: no cmdline
makeDir(root, 'proc/305/cmdline'); // not a file
writeFile(root, 'proc/306/cmdline', cmdline('/opt/bin/etcdctl', 'get', '/'));
writeFile(root, 'proc/307/cmdline', cmdline('/usr/bin/kube-apiserver-wrapper'));
writeFile(root, 'proc/308/cmdline', 'kube-apiserver\0--no-trailing-nul'); // a trailing NUL is not guaranteed
writeFile(root, 'proc/309/cmdline', cmdline('/usr/bin/python3', '/usr/local/bin/kubelet')); // a script runner is not the kubelet
writeFile(base, 'outside/cmdline', cmdline('kube-apiserver', '--from-outside'));
makeLink(root, 'proc/310', '../../outside'); // climbs out: resolved inside the root, where it does not exist
makeLink(root, 'proc/self', '100');
writeFile(root, 'proc/0123/cmdline', cmdline('kube-apiserver')); // not a pid
writeFile(root, 'proc/cpuinfo', 'processor : 0\n');

const opened = openHostFs(root);
if (!opened.ok) throw new Error(opened.error.message);
const fs: HostFs = opened.fs;

describe('listNodeProcesses', () => {
  test('finds the Kubernetes components by executable name, sorted by component and pid', () => {
    assert.deepEqual(listNodeProcesses(fs), {
      ok: true,
      processes: [
        { pid: 101, component: 'etcd', argv: ['/usr/local/bin/etcd', '--data-dir=/var/lib/etcd'], args: ['--data-dir=/var/lib/etcd'] },
        {
          pid: 100,
          component: 'kube-apiserver',
          argv: ['kube-apiserver', '--advertise-address=10.0.0.1', '--authorization-mode=Node,RBAC'],
          args: ['--advertise-address=10.0.0.1', '--authorization-mode=Node,RBAC'],
        },
        { pid: 300, component: 'kube-apiserver', argv: ['/hyperkube', 'apiserver', '--anonymous-auth=false'], args: ['--anonymous-auth=false'] },
        { pid: 308, component: 'kube-apiserver', argv: ['kube-apiserver', '--no-trailing-nul'], args: ['--no-trailing-nul'] },
        { pid: 102, component: 'kube-controller-manager', argv: ['kube-controller-manager', '--profiling=false'], args: ['--profiling=false'] },
        {
          pid: 301,
          component: 'kube-proxy',
          argv: ['hyperkube', 'kube-proxy', '--config=/var/lib/kube-proxy/config.conf'],
          args: ['--config=/var/lib/kube-proxy/config.conf'],
        },
        { pid: 103, component: 'kube-scheduler', argv: ['kube-scheduler', '--bind-address=127.0.0.1'], args: ['--bind-address=127.0.0.1'] },
        {
          pid: 20,
          component: 'kubelet',
          argv: ['/usr/bin/kubelet', '--config=/var/lib/kubelet/config.yaml', '', '--v=2'],
          args: ['--config=/var/lib/kubelet/config.yaml', '', '--v=2'],
        },
      ],
      // Numeric entries: 1 20 100-103 300-310 (0123 and self are not pids).
      scanned: 17,
      // 304 (no cmdline), 305 (a directory), 310 (escapes the root: not found inside it).
      unreadable: 3,
    });
  });

  test('a missing /proc is an error value with a next step', () => {
    const empty = makeFixture('proc-empty');
    try {
      const result = openHostFs(empty.root);
      assert.ok(result.ok);
      assert.deepEqual(listNodeProcesses(result.fs), {
        ok: false,
        error: {
          code: 'not-found',
          path: '/proc',
          message: 'cannot list processes in /proc: no such file or directory (mount the host /proc under the root, or leave --proc off)',
        },
      });
      writeFile(empty.root, 'proc', 'not a directory');
      assert.deepEqual(listNodeProcesses(result.fs), {
        ok: false,
        error: { code: 'not-a-directory', path: '/proc', message: 'cannot list processes in /proc: not a directory (a regular file)' },
      });
    } finally {
      empty.cleanup();
    }
  });

  test('an empty /proc (not the host’s) scans nothing', () => {
    const empty = makeFixture('proc-unmounted');
    try {
      makeDir(empty.root, 'proc');
      const result = openHostFs(empty.root);
      assert.ok(result.ok);
      assert.deepEqual(listNodeProcesses(result.fs), { ok: true, processes: [], scanned: 0, unreadable: 0 });
    } finally {
      empty.cleanup();
    }
  });

  test('procDir and maxCmdlineBytes options', () => {
    writeFile(root, 'host-proc/7/cmdline', cmdline('kubelet', '--anonymous-auth=false'));
    assert.deepEqual(listNodeProcesses(fs, { procDir: '/host-proc/' }), {
      ok: true,
      processes: [{ pid: 7, component: 'kubelet', argv: ['kubelet', '--anonymous-auth=false'], args: ['--anonymous-auth=false'] }],
      scanned: 1,
      unreadable: 0,
    });
    // A command line above the limit is left out, like an unreadable one.
    assert.deepEqual(listNodeProcesses(fs, { procDir: '/host-proc', maxCmdlineBytes: 10 }), { ok: true, processes: [], scanned: 1, unreadable: 1 });
  });

  test('the real /proc of this machine (root /) lists without error', () => {
    const host = openHostFs('/');
    assert.ok(host.ok);
    const result = listNodeProcesses(host.fs);
    assert.ok(result.ok, JSON.stringify(result));
    assert.ok(result.scanned >= 1);
    assert.ok(result.scanned >= result.unreadable);
    for (const process of result.processes) assert.ok(Number.isInteger(process.pid) && process.argv.length >= 1);
  });
});

describe('splitCmdline', () => {
  test('splits on NUL, drops the terminator, keeps empty arguments', () => {
    const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
    assert.deepEqual(splitCmdline(bytes('')), []);
    assert.deepEqual(splitCmdline(bytes('a\0')), ['a']);
    assert.deepEqual(splitCmdline(bytes('a\0\0b\0')), ['a', '', 'b']);
    assert.deepEqual(splitCmdline(bytes('a\0b')), ['a', 'b']);
    assert.deepEqual(splitCmdline(bytes('\0')), ['']);
    assert.deepEqual(splitCmdline(bytes('kubelet\0--node-labels=zone=é\0')), ['kubelet', '--node-labels=zone=é']);
  });
});

describe('matchComponent', () => {
  test('executable base names and hyperkube subcommands', () => {
    assert.deepEqual(matchComponent(['/usr/bin/kubelet', '--v=2']), { component: 'kubelet', args: ['--v=2'] });
    assert.deepEqual(matchComponent(['etcd']), { component: 'etcd', args: [] });
    assert.deepEqual(matchComponent(['/hyperkube', 'controller-manager', '-v']), { component: 'kube-controller-manager', args: ['-v'] });
    assert.deepEqual(matchComponent(['hyperkube', 'scheduler']), { component: 'kube-scheduler', args: [] });
    assert.deepEqual(matchComponent(['hyperkube', 'proxy']), { component: 'kube-proxy', args: [] });
    assert.deepEqual(matchComponent(['hyperkube', 'kubelet', '--a']), { component: 'kubelet', args: ['--a'] });
    assert.equal(matchComponent(['hyperkube']), undefined);
    assert.equal(matchComponent(['hyperkube', 'kubectl']), undefined);
    assert.equal(matchComponent(['hyperkube', 'toString']), undefined);
    assert.equal(matchComponent(['/usr/bin/kubelet/']), undefined);
    assert.equal(matchComponent(['kubectl', 'kube-apiserver']), undefined);
    assert.equal(matchComponent([]), undefined);
  });
});
