import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { matchSensitiveHostPath, normaliseHostPath } from './host-path.ts';

function relation(path: string): string | undefined {
  const match = matchSensitiveHostPath(path);
  return match ? `${match.relation} ${match.sensitivePath}` : undefined;
}

describe('normaliseHostPath', () => {
  test('slashes, dots and dot-dots', () => {
    assert.equal(normaliseHostPath('/'), '/');
    assert.equal(normaliseHostPath('//'), '/');
    assert.equal(normaliseHostPath('/etc/'), '/etc');
    assert.equal(normaliseHostPath('/var//lib/./kubelet/'), '/var/lib/kubelet');
    assert.equal(normaliseHostPath('/data/../etc'), '/etc');
    assert.equal(normaliseHostPath('/../../etc'), '/etc');
  });
  test('relative and Windows paths are not Linux host paths', () => {
    assert.equal(normaliseHostPath('etc'), undefined);
    assert.equal(normaliseHostPath('C:\\var\\log'), undefined);
  });
});

describe('matchSensitiveHostPath', () => {
  test('exact sensitive paths', () => {
    assert.equal(relation('/'), 'exact /');
    assert.equal(relation('/etc'), 'exact /etc');
    assert.equal(relation('/etc/'), 'exact /etc');
    assert.equal(relation('/proc'), 'exact /proc');
    assert.equal(relation('/var/lib/kubelet'), 'exact /var/lib/kubelet');
    assert.equal(relation('/run/containerd/containerd.sock'), 'exact /run/containerd/containerd.sock');
    assert.equal(relation('/var/run/crio/crio.sock'), 'exact /var/run/crio/crio.sock');
  });

  test('/var/run is /run', () => {
    assert.equal(relation('/var/run/docker.sock'), 'exact /var/run/docker.sock');
    assert.equal(relation('/run/docker.sock'), 'exact /run/docker.sock');
    assert.equal(relation('/var/run/containerd/io.containerd.runtime.v2.task'), 'inside /var/run/containerd');
  });

  test('paths inside sensitive trees', () => {
    assert.equal(relation('/var/lib/kubelet/pods'), 'inside /var/lib/kubelet');
    assert.equal(relation('/etc/kubernetes/pki/'), 'inside /etc/kubernetes');
    assert.equal(relation('/var/log/pods'), 'inside /var/log');
    assert.equal(relation('/sys/fs/cgroup'), 'inside /sys');
    assert.equal(relation('/proc/sys/kernel'), 'inside /proc');
    assert.equal(relation('/root/.ssh'), 'inside /root');
  });

  test('parents of sensitive paths', () => {
    assert.equal(relation('/run'), 'parent /run/docker.sock');
    assert.equal(relation('/var/run'), 'parent /var/run/docker.sock');
    assert.equal(relation('/var/run/'), 'parent /var/run/docker.sock');
    assert.equal(relation('/var'), 'parent /var/run/docker.sock');
    assert.equal(relation('/var/lib'), 'parent /var/lib/kubelet');
    assert.equal(relation('/run/crio/../containerd/'), 'exact /run/containerd');
    assert.equal(relation('/data/../var/lib'), 'parent /var/lib/kubelet');
  });

  test('ordinary paths are not sensitive', () => {
    assert.equal(relation('/data'), undefined);
    assert.equal(relation('/mnt/disks/ssd0'), undefined);
    assert.equal(relation('/etc/ssl/certs'), undefined);
    assert.equal(relation('/etc/localtime'), undefined);
    assert.equal(relation('/home/app/data'), undefined);
    assert.equal(relation('/run/xtables.lock'), undefined);
    assert.equal(relation('/var/lib/app'), undefined);
    assert.equal(relation('/var/lib/kubelet-backup'), undefined);
    assert.equal(relation('relative/path'), undefined);
  });

  test('Windows container runtime pipes', () => {
    assert.equal(relation('\\\\.\\pipe\\docker_engine'), 'exact \\\\.\\pipe\\docker_engine');
    assert.equal(relation('//./pipe/containerd-containerd'), 'exact //./pipe/containerd-containerd');
    assert.equal(relation('\\\\.\\pipe\\my-app'), undefined);
  });
});
