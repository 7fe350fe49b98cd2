import assert from 'node:assert/strict';
import { chmodSync, chownSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { classifyPkiFile, discoverNodeFiles, filesWithRole, manifestComponent, readReferencedFiles, staticPodManifest, type NodeFile, type NodeFiles } from './discover.ts';
import { openHostFs, type HostFs } from './host-fs.ts';
import { ETCD_ID, isRoot, makeDir, makeFixture, makeLink, me, runUnprivileged, writeAccounts, writeFile } from './testdata/fixture.ts';

const fixtures: { cleanup(): void }[] = [];
after(() => {
  for (const fixture of fixtures) fixture.cleanup();
});

function open(root: string): HostFs {
  const opened = openHostFs(root);
  if (!opened.ok) throw new Error(opened.error.message);
  return opened.fs;
}

const APISERVER = `apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
spec:
  containers:
  - command:
    - kube-apiserver
    - --authorization-mode=Node,RBAC
    image: registry.k8s.io/kube-apiserver:v1.31.0
    name: kube-apiserver
`;
const manifest = (name: string): string => APISERVER.replaceAll('kube-apiserver', name);
const PRIVATE_KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEow==\n-----END RSA PRIVATE KEY-----\n';
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const UNIT = '[Unit]\nDescription=kubelet\n[Service]\nExecStart=/usr/bin/kubelet\n';

/** A kubeadm control plane node, with the usual merged /usr (/lib → usr/lib). */
function kubeadmNode(): { root: string; base: string } {
  const fixture = makeFixture('discover-kubeadm');
  fixtures.push(fixture);
  const { root, base } = fixture;
  writeAccounts(root);
  writeFile(base, 'outside/stolen.yaml', manifest('etcd'));

  makeDir(root, 'etc/kubernetes/manifests', 0o700);
  writeFile(root, 'etc/kubernetes/manifests/kube-apiserver.yaml', APISERVER, 0o600);
  writeFile(root, 'etc/kubernetes/manifests/kube-controller-manager.yaml', manifest('kube-controller-manager'), 0o600);
  writeFile(root, 'etc/kubernetes/manifests/kube-scheduler.yaml', manifest('kube-scheduler'), 0o644);
  writeFile(root, 'etc/kubernetes/manifests/etcd.yaml', manifest('etcd'), 0o600);
  writeFile(root, 'etc/kubernetes/manifests/kube-apiserver.yaml.bak', APISERVER, 0o644); // the kubelet runs this one too
  writeFile(root, 'etc/kubernetes/manifests/.kube-apiserver.yaml.swp', 'swap', 0o600); // hidden: the kubelet skips it
  writeFile(root, 'etc/kubernetes/manifests/nested/pod.yaml', manifest('nested'), 0o600); // not recursed into
  writeFile(root, 'etc/kubernetes/manifests/custom.json', '{"kind":"Pod"}', 0o600);
  writeFile(root, 'opt/static/extra.yaml', manifest('extra'), 0o640);
  makeLink(root, 'etc/kubernetes/manifests/linked.yaml', '/opt/static/extra.yaml');
  makeLink(root, 'etc/kubernetes/manifests/stolen.yaml', '../../../../outside/stolen.yaml'); // climbs out: not found inside the root

  makeDir(root, 'usr/lib');
  makeLink(root, 'lib', 'usr/lib');
  writeFile(root, 'usr/lib/systemd/system/kubelet.service', UNIT, 0o644);
  writeFile(root, 'etc/systemd/system/kubelet.service', UNIT.replace('kubelet\n', 'kubelet (local)\n'), 0o600);
  writeFile(root, 'usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\nEnvironment="PACKAGED=1"\n', 0o644);
  writeFile(root, 'usr/lib/systemd/system/kubelet.service.d/05-early.conf', '[Service]\nEnvironment="EARLY=1"\n', 0o644);
  writeFile(root, 'etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '[Service]\nEnvironment="KUBELET_KUBECONFIG_ARGS=--kubeconfig=/etc/kubernetes/kubelet.conf"\nEnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env\n', 0o640);
  writeFile(root, 'etc/systemd/system/kubelet.service.d/20-extra.conf', '[Service]\nEnvironment="EXTRA=1"\n', 0o600);
  writeFile(root, 'etc/systemd/system/kubelet.service.d/README', 'not a drop-in', 0o644);
  makeLink(root, 'etc/systemd/system/kube-proxy.service', '/dev/null'); // masked; the root has no /dev

  writeFile(root, 'var/lib/kubelet/config.yaml', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: /etc/kubernetes/manifests\n', 0o644);
  writeFile(root, 'var/lib/kubelet/kubeadm-flags.env', 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///run/containerd/containerd.sock"\n', 0o644);
  writeFile(root, 'etc/default/kubelet', `KUBELET_EXTRA_ARGS=""\n${PRIVATE_KEY}`, 0o644); // someone pasted a key here
  writeFile(root, 'var/lib/kubelet/pki/kubelet.crt', CERT, 0o644);
  writeFile(root, 'var/lib/kubelet/pki/kubelet.key', PRIVATE_KEY, 0o600);
  writeFile(root, 'var/lib/kubelet/pki/kubelet-client-2025-01-01.pem', CERT + PRIVATE_KEY, 0o600);
  makeLink(root, 'var/lib/kubelet/pki/kubelet-client-current.pem', '/var/lib/kubelet/pki/kubelet-client-2025-01-01.pem');

  writeFile(root, 'etc/kubernetes/admin.conf', 'kind: Config\nusers:\n- name: kubernetes-admin\n', 0o600);
  writeFile(root, 'etc/kubernetes/super-admin.conf', 'kind: Config\n', 0o600);
  writeFile(root, 'etc/kubernetes/controller-manager.conf', 'kind: Config\n', 0o600);
  writeFile(root, 'etc/kubernetes/scheduler.conf', Buffer.from('kind: Config\n\0\0garbage'), 0o644); // corrupt: binary
  writeFile(root, 'etc/kubernetes/kubelet.conf', 'kind: Config\n', 0o644);

  writeFile(root, 'etc/kubernetes/pki/ca.crt', CERT, 0o644);
  writeFile(root, 'etc/kubernetes/pki/ca.key', PRIVATE_KEY, 0o600);
  writeFile(root, 'etc/kubernetes/pki/sa.pub', 'PUB', 0o644);
  writeFile(root, 'etc/kubernetes/pki/sa.key', PRIVATE_KEY, 0o600);
  writeFile(root, 'etc/kubernetes/pki/etcd/ca.crt', CERT, 0o644);
  writeFile(root, 'etc/kubernetes/pki/etcd/ca.key', PRIVATE_KEY, 0o600);
  chmodSync(join(root, 'etc/kubernetes/pki/etcd'), 0o700);
  makeLink(root, 'etc/kubernetes/pki/etc-link', '/etc'); // a linked directory is stat'ed, not walked

  writeFile(root, 'var/lib/etcd/member/snap/db', 'etcd data', 0o600);
  chmodSync(join(root, 'var/lib/etcd'), 0o700);
  if (isRoot) chownSync(join(root, 'var/lib/etcd'), ETCD_ID, ETCD_ID);

  writeFile(root, 'etc/cni/net.d/10-flannel.conflist', '{"name":"cbr0"}', 0o644);
  writeFile(root, 'etc/cni/net.d/99-loopback.conf', '{"type":"loopback"}', 0o600);
  makeDir(root, 'etc/cni/net.d/.cache');
  return { root, base };
}

/** path, role, component, mode, flags: what a check would look at. */
function summary(file: NodeFile): string {
  const parts = [file.path, file.role, file.component ?? '-', file.info.mode.toString(8)];
  if (file.pkiKind !== undefined) parts.push(`pki=${file.pkiKind}`);
  if (file.shadowedBy !== undefined) parts.push(`shadowedBy=${file.shadowedBy}`);
  if (file.masked === true) parts.push('masked');
  if (file.text !== undefined) parts.push('text');
  if (file.readError !== undefined) parts.push(`readError=${file.readError.code}`);
  return parts.join(' ');
}

describe('discoverNodeFiles on a kubeadm node', () => {
  const { root } = kubeadmNode();
  const fs = open(root);
  const found = discoverNodeFiles(fs);

  test('finds every file with its role, component, mode and whether its text was read', () => {
    assert.equal(found.root, root);
    assert.deepEqual(found.layouts, ['kubeadm']);
    assert.deepEqual(found.files.map(summary), [
      '/etc/kubernetes/manifests static-pod-manifests-dir - 700',
      '/etc/kubernetes/manifests/custom.json static-pod-manifest - 600 text',
      '/etc/kubernetes/manifests/etcd.yaml static-pod-manifest etcd 600 text',
      '/etc/kubernetes/manifests/kube-apiserver.yaml static-pod-manifest kube-apiserver 600 text',
      '/etc/kubernetes/manifests/kube-apiserver.yaml.bak static-pod-manifest kube-apiserver 644 text',
      '/etc/kubernetes/manifests/kube-controller-manager.yaml static-pod-manifest kube-controller-manager 600 text',
      '/etc/kubernetes/manifests/kube-scheduler.yaml static-pod-manifest kube-scheduler 644 text',
      '/etc/kubernetes/manifests/linked.yaml static-pod-manifest - 640 text',
      '/etc/systemd/system/kubelet.service systemd-unit kubelet 600 text',
      '/usr/lib/systemd/system/kubelet.service systemd-unit kubelet 644 shadowedBy=/etc/systemd/system/kubelet.service text',
      '/usr/lib/systemd/system/kubelet.service.d/05-early.conf systemd-drop-in kubelet 644 text',
      '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf systemd-drop-in kubelet 640 text',
      '/etc/systemd/system/kubelet.service.d/20-extra.conf systemd-drop-in kubelet 600 text',
      '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf systemd-drop-in kubelet 644 shadowedBy=/etc/systemd/system/kubelet.service.d/10-kubeadm.conf text',
      '/etc/systemd/system/kube-proxy.service systemd-unit kube-proxy 777 masked',
      '/var/lib/kubelet/kubeadm-flags.env environment-file kubelet 644 text',
      '/etc/default/kubelet environment-file kubelet 644 readError=private-key',
      '/var/lib/kubelet/config.yaml kubelet-config kubelet 644 text',
      '/etc/kubernetes/admin.conf kubeconfig admin 600 text',
      '/etc/kubernetes/super-admin.conf kubeconfig super-admin 600 text',
      '/etc/kubernetes/controller-manager.conf kubeconfig kube-controller-manager 600 text',
      '/etc/kubernetes/scheduler.conf kubeconfig kube-scheduler 644 readError=binary',
      '/etc/kubernetes/kubelet.conf kubeconfig kubelet 644 text',
      '/etc/kubernetes/pki pki-dir - 755',
      '/etc/kubernetes/pki/ca.crt pki-file - 644 pki=certificate',
      '/etc/kubernetes/pki/ca.key pki-file - 600 pki=private-key',
      '/etc/kubernetes/pki/etc-link pki-dir - 755',
      '/etc/kubernetes/pki/etcd pki-dir - 700',
      '/etc/kubernetes/pki/etcd/ca.crt pki-file - 644 pki=certificate',
      '/etc/kubernetes/pki/etcd/ca.key pki-file - 600 pki=private-key',
      '/etc/kubernetes/pki/sa.key pki-file - 600 pki=private-key',
      '/etc/kubernetes/pki/sa.pub pki-file - 644 pki=public-key',
      '/var/lib/kubelet/pki pki-dir kubelet 755',
      '/var/lib/kubelet/pki/kubelet-client-2025-01-01.pem pki-file kubelet 600 pki=pem',
      '/var/lib/kubelet/pki/kubelet-client-current.pem pki-file kubelet 600 pki=pem',
      '/var/lib/kubelet/pki/kubelet.crt pki-file kubelet 644 pki=certificate',
      '/var/lib/kubelet/pki/kubelet.key pki-file kubelet 600 pki=private-key',
      '/var/lib/etcd etcd-data-dir etcd 700',
      '/etc/cni/net.d cni-config-dir - 755',
      '/etc/cni/net.d/10-flannel.conflist cni-config - 644',
      '/etc/cni/net.d/99-loopback.conf cni-config - 600',
    ]);
  });

  test('config text is the file content; PKI files, the etcd data dir and CNI files are never read', () => {
    const apiserver = staticPodManifest(found, 'kube-apiserver');
    assert.equal(apiserver?.path, '/etc/kubernetes/manifests/kube-apiserver.yaml');
    assert.equal(apiserver?.text, APISERVER);
    assert.equal(staticPodManifest(found, 'kube-scheduler')?.text, manifest('kube-scheduler'));
    const linked = found.files.find((file) => file.path === '/etc/kubernetes/manifests/linked.yaml');
    assert.equal(linked?.text, manifest('extra'));
    assert.equal(linked?.info.resolvedPath, '/opt/static/extra.yaml');
    const dropIn = found.files.find((file) => file.path === '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf');
    assert.match(dropIn?.text ?? '', /EnvironmentFile=-\/var\/lib\/kubelet\/kubeadm-flags\.env/);
    for (const file of found.files) {
      if (['pki-dir', 'pki-file', 'etcd-data-dir', 'cni-config-dir', 'cni-config', 'static-pod-manifests-dir'].includes(file.role)) {
        assert.equal(file.text, undefined, file.path);
        assert.equal(file.readError, undefined, file.path);
      }
      assert.ok(!(file.text ?? '').includes('PRIVATE KEY'), file.path);
    }
  });

  test('owners and the etcd data directory as a check sees them', () => {
    const etcd = found.files.find((file) => file.role === 'etcd-data-dir');
    assert.deepEqual(
      etcd && [etcd.info.type, etcd.info.mode, etcd.info.owner, etcd.info.group],
      ['directory', 0o700, isRoot ? 'etcd' : me.user, isRoot ? 'etcd' : me.group],
    );
    const admin = found.files.find((file) => file.path === '/etc/kubernetes/admin.conf');
    assert.deepEqual(admin && [admin.info.owner, admin.info.group], [me.user, me.group]);
  });

  test('what could not be read is reported once per problem, with the reason', () => {
    assert.deepEqual(found.errors, [
      { code: 'private-key', path: '/etc/default/kubelet', message: 'holds a private key: palisade checks its permissions and ownership, never its content' },
      { code: 'binary', path: '/etc/kubernetes/scheduler.conf', message: 'binary file (it contains NUL bytes), not text' },
    ]);
  });

  test('missing lists the candidates looked for and absent, and nothing that was found', () => {
    for (const path of ['/etc/kubernetes/bootstrap-kubelet.conf', '/etc/sysconfig/kubelet', '/var/lib/rancher/rke2/agent/pod-manifests', '/run/systemd/system/kubelet.service', '/etc/systemd/system/kube-apiserver.service']) {
      assert.ok(found.missing.includes(path), path);
    }
    const foundPaths = new Set(found.files.map((file) => file.path));
    assert.deepEqual(found.missing.filter((path) => foundPaths.has(path)), []);
    // /lib/systemd/system is /usr/lib/systemd/system here: found once, not missing, not twice.
    assert.ok(!found.missing.includes('/lib/systemd/system/kubelet.service'));
    assert.deepEqual([...found.missing].sort(), found.missing);
  });

  test('filesWithRole', () => {
    assert.deepEqual(filesWithRole(found, 'kubeconfig').map((file) => file.component), ['admin', 'super-admin', 'kube-controller-manager', 'kube-scheduler', 'kubelet']);
  });

  test('the kubelet staticPodPath adds its directory once, and a single manifest file too', () => {
    writeFile(root, 'srv/pods/web.yaml', manifest('web'), 0o600);
    writeFile(root, 'srv/pods/.hidden.yaml', manifest('hidden'), 0o600);
    writeFile(root, 'srv/one-pod.yaml', manifest('kube-scheduler'), 0o600);
    const withPaths = discoverNodeFiles(fs, { staticPodPaths: ['/etc/kubernetes/manifests/', '/srv//pods', '/srv/one-pod.yaml', 'relative/dir', '/srv/missing'] });
    const manifests = filesWithRole(withPaths, 'static-pod-manifest').map((file) => `${file.path} ${file.layout} ${file.component ?? '-'}`);
    assert.deepEqual(manifests, [
      '/etc/kubernetes/manifests/custom.json kubeadm -',
      '/etc/kubernetes/manifests/etcd.yaml kubeadm etcd',
      '/etc/kubernetes/manifests/kube-apiserver.yaml kubeadm kube-apiserver',
      '/etc/kubernetes/manifests/kube-apiserver.yaml.bak kubeadm kube-apiserver',
      '/etc/kubernetes/manifests/kube-controller-manager.yaml kubeadm kube-controller-manager',
      '/etc/kubernetes/manifests/kube-scheduler.yaml kubeadm kube-scheduler',
      '/etc/kubernetes/manifests/linked.yaml kubeadm -',
      '/srv/pods/web.yaml common -',
      '/srv/one-pod.yaml common kube-scheduler',
    ]);
    assert.deepEqual(filesWithRole(withPaths, 'static-pod-manifests-dir').map((file) => file.path), ['/etc/kubernetes/manifests', '/srv/pods']);
    assert.ok(withPaths.missing.includes('/srv/missing'));
    assert.deepEqual(withPaths.errors.filter((error) => error.code === 'invalid-path'), [{ code: 'invalid-path', path: 'relative/dir', message: 'the static pod path must be absolute' }]);
  });

  test('an unreadable directory is an error, and the rest is still found', () => {
    // As a user who cannot enter /etc/kubernetes/pki/etcd (0700, owned by the test user: root, or chmod 000).
    const etcdPki = join(root, 'etc/kubernetes/pki/etcd');
    if (!isRoot) chmodSync(etcdPki, 0o000);
    try {
      const result = runUnprivileged(
        root,
        `const opened = openHostFs(root);
         if (!opened.ok) return opened;
         const found = discoverNodeFiles(opened.fs);
         const admin = found.files.find((f) => f.path === '/etc/kubernetes/admin.conf');
         return { errors: found.errors, pki: found.files.filter((f) => f.path.startsWith('/etc/kubernetes/pki')).map((f) => f.path), admin: admin === undefined ? 'absent' : admin.readError?.code ?? 'read' };`,
      ) as { errors: { code: string; path: string }[]; pki: string[]; admin: string };
      assert.ok(
        result.errors.some((error) => error.code === 'permission-denied' && error.path === '/etc/kubernetes/pki/etcd'),
        JSON.stringify(result.errors),
      );
      assert.ok(result.pki.includes('/etc/kubernetes/pki/etcd'));
      assert.ok(result.pki.includes('/etc/kubernetes/pki/ca.crt'));
      assert.ok(!result.pki.includes('/etc/kubernetes/pki/etcd/ca.crt'));
      // A file in a readable directory is found (stat needs no read permission); as nobody, root's 0600 file is unreadable.
      assert.equal(result.admin, isRoot ? 'permission-denied' : 'read');
    } finally {
      chmodSync(etcdPki, 0o700);
    }
  });
});

describe('discoverNodeFiles on other layouts', () => {
  test('an empty root finds nothing, and says so without errors', () => {
    const fixture = makeFixture('discover-empty');
    fixtures.push(fixture);
    const found = discoverNodeFiles(open(fixture.root));
    assert.deepEqual([found.layouts, found.files, found.errors], [[], [], []]);
    assert.ok(found.missing.includes('/etc/kubernetes/manifests'));
    assert.ok(found.missing.includes('/var/lib/kubelet/config.yaml'));
    assert.ok(found.missing.includes('/etc/cni/net.d'));
  });

  test('a plain systemd install ("the hard way")', () => {
    const fixture = makeFixture('discover-systemd');
    fixtures.push(fixture);
    const { root } = fixture;
    writeFile(root, 'etc/systemd/system/kube-apiserver.service', '[Service]\nExecStart=/usr/local/bin/kube-apiserver --encryption-provider-config=/var/lib/kubernetes/encryption-config.yaml\n', 0o644);
    writeFile(root, 'etc/systemd/system/etcd.service', '[Service]\nExecStart=/usr/local/bin/etcd --data-dir=/var/lib/etcd\n', 0o644);
    writeFile(root, 'etc/systemd/system/kubelet.service', UNIT, 0o644);
    writeFile(root, 'var/lib/kubelet/kubelet-config.yaml', 'kind: KubeletConfiguration\n', 0o644);
    writeFile(root, 'var/lib/kubelet/kubeconfig', 'kind: Config\n', 0o600);
    writeFile(root, 'var/lib/kubernetes/ca.pem', CERT, 0o644);
    writeFile(root, 'var/lib/kubernetes/kubernetes-key.pem', PRIVATE_KEY, 0o600);
    writeFile(root, 'var/lib/kubernetes/encryption-config.yaml', 'kind: EncryptionConfiguration\n', 0o600);
    writeFile(root, 'var/lib/kubernetes/kube-scheduler.kubeconfig', 'kind: Config\n', 0o600);
    writeFile(root, 'etc/etcd/etcd.conf', 'ETCD_DATA_DIR=/var/lib/etcd\n', 0o644);
    writeFile(root, 'etc/etcd/kubernetes.pem', CERT, 0o644);
    makeDir(root, 'var/lib/etcd', 0o700);
    const found = discoverNodeFiles(open(root));
    assert.deepEqual(found.layouts, ['systemd']);
    assert.deepEqual(found.files.map(summary), [
      '/etc/systemd/system/kubelet.service systemd-unit kubelet 644 text',
      '/etc/systemd/system/kube-apiserver.service systemd-unit kube-apiserver 644 text',
      '/etc/systemd/system/etcd.service systemd-unit etcd 644 text',
      '/etc/etcd/etcd.conf environment-file etcd 644 text',
      '/var/lib/kubelet/kubelet-config.yaml kubelet-config kubelet 644 text',
      '/var/lib/kubelet/kubeconfig kubeconfig kubelet 600 text',
      '/var/lib/kubernetes/kube-scheduler.kubeconfig kubeconfig kube-scheduler 600 text',
      '/var/lib/kubernetes pki-dir - 755',
      '/var/lib/kubernetes/ca.pem pki-file - 644 pki=pem',
      '/var/lib/kubernetes/encryption-config.yaml pki-file - 600 pki=other',
      '/var/lib/kubernetes/kubernetes-key.pem pki-file - 600 pki=private-key',
      '/etc/etcd pki-dir etcd 755',
      '/etc/etcd/kubernetes.pem pki-file etcd 644 pki=pem',
      '/var/lib/etcd etcd-data-dir etcd 700',
    ]);
    assert.deepEqual(found.errors, []);
  });

  test('k3s and rke2 paths', () => {
    const fixture = makeFixture('discover-k3s');
    fixtures.push(fixture);
    const { root } = fixture;
    writeFile(root, 'etc/systemd/system/k3s.service', '[Service]\nExecStart=/usr/local/bin/k3s server\n', 0o644);
    writeFile(root, 'etc/systemd/system/k3s.service.env', 'K3S_TOKEN=secret\n', 0o600);
    writeFile(root, 'etc/rancher/k3s/config.yaml', 'protect-kernel-defaults: true\n', 0o600);
    writeFile(root, 'etc/rancher/k3s/config.yaml.d/20-audit.yaml', 'kube-apiserver-arg:\n- audit-log-path=/var/log/audit.log\n', 0o600);
    writeFile(root, 'etc/rancher/k3s/config.yaml.d/10-base.yaml', 'write-kubeconfig-mode: "0600"\n', 0o600);
    writeFile(root, 'etc/rancher/k3s/k3s.yaml', 'kind: Config\n', 0o600);
    writeFile(root, 'var/lib/rancher/k3s/server/tls/server-ca.crt', CERT, 0o644);
    writeFile(root, 'var/lib/rancher/k3s/server/tls/server-ca.key', PRIVATE_KEY, 0o600);
    writeFile(root, 'var/lib/rancher/k3s/agent/kubelet.kubeconfig', 'kind: Config\n', 0o600);
    writeFile(root, 'var/lib/rancher/k3s/agent/client-ca.crt', CERT, 0o644);
    writeFile(root, 'var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf', 'kind: KubeletConfiguration\n', 0o600);
    writeFile(root, 'var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist', '{}', 0o644);
    makeDir(root, 'var/lib/rancher/k3s/server/db/etcd', 0o700);
    writeFile(root, 'var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml', APISERVER, 0o600);
    const found = discoverNodeFiles(open(root));
    assert.deepEqual(found.layouts, ['k3s', 'rke2']);
    assert.deepEqual(found.files.map((file) => `${summary(file)} ${file.layout}`), [
      '/var/lib/rancher/rke2/agent/pod-manifests static-pod-manifests-dir - 755 rke2',
      '/var/lib/rancher/rke2/agent/pod-manifests/kube-apiserver.yaml static-pod-manifest kube-apiserver 600 text rke2',
      '/etc/systemd/system/k3s.service systemd-unit k3s 644 text k3s',
      '/etc/systemd/system/k3s.service.env environment-file k3s 600 text k3s',
      '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/00-k3s-defaults.conf kubelet-config-drop-in kubelet 600 text k3s',
      '/etc/rancher/k3s/k3s.yaml kubeconfig admin 600 text k3s',
      '/var/lib/rancher/k3s/agent/kubelet.kubeconfig kubeconfig kubelet 600 text k3s',
      '/etc/rancher/k3s/config.yaml distribution-config k3s 600 text k3s',
      '/etc/rancher/k3s/config.yaml.d/10-base.yaml distribution-config k3s 600 text k3s',
      '/etc/rancher/k3s/config.yaml.d/20-audit.yaml distribution-config k3s 600 text k3s',
      '/var/lib/rancher/k3s/server/tls pki-dir - 755 k3s',
      '/var/lib/rancher/k3s/server/tls/server-ca.crt pki-file - 644 pki=certificate k3s',
      '/var/lib/rancher/k3s/server/tls/server-ca.key pki-file - 600 pki=private-key k3s',
      '/var/lib/rancher/k3s/agent/client-ca.crt pki-file - 644 pki=certificate k3s',
      '/var/lib/rancher/k3s/server/db/etcd etcd-data-dir etcd 700 k3s',
      '/var/lib/rancher/k3s/agent/etc/cni/net.d cni-config-dir - 755 k3s',
      '/var/lib/rancher/k3s/agent/etc/cni/net.d/10-flannel.conflist cni-config - 644 k3s',
    ]);
  });

  test('a PKI walk stops at the entry limit and says so', () => {
    const fixture = makeFixture('discover-limit');
    fixtures.push(fixture);
    for (let i = 0; i < 5; i++) writeFile(fixture.root, `etc/kubernetes/pki/c${i}.crt`, CERT, 0o644);
    const found = discoverNodeFiles(open(fixture.root), { maxPkiEntries: 3 });
    assert.deepEqual(filesWithRole(found, 'pki-file').map((file) => file.path), ['/etc/kubernetes/pki/c0.crt', '/etc/kubernetes/pki/c1.crt', '/etc/kubernetes/pki/c2.crt']);
    assert.deepEqual(found.errors, [{ code: 'limit-exceeded', path: '/etc/kubernetes/pki', message: 'more than 3 entries; the rest of /etc/kubernetes/pki was not checked' }]);
  });

  test('large config files are refused with the limit', () => {
    const fixture = makeFixture('discover-large');
    fixtures.push(fixture);
    writeFile(fixture.root, 'var/lib/kubelet/config.yaml', 'x'.repeat(2048), 0o644);
    const found = discoverNodeFiles(open(fixture.root), { maxTextBytes: 1024 });
    assert.deepEqual(found.errors, [{ code: 'too-large', path: '/var/lib/kubelet/config.yaml', message: 'larger than the 1 KiB limit (2 KiB)' }]);
    assert.equal(found.files[0]?.text, undefined);
    assert.equal(found.files[0]?.info.size, 2048);
  });
});

describe('readReferencedFiles', () => {
  const fixture = makeFixture('discover-referenced');
  fixtures.push(fixture);
  const { root } = fixture;
  writeAccounts(root);
  writeFile(root, 'etc/kubernetes/audit/policy.yaml', 'apiVersion: audit.k8s.io/v1\nkind: Policy\n', 0o600);
  writeFile(root, 'etc/kubernetes/enc/encryption.yaml', 'kind: EncryptionConfiguration\n', 0o600);
  writeFile(root, 'etc/kubernetes/pki/ca.crt', CERT, 0o644);
  writeFile(root, 'etc/kubernetes/pki/apiserver.key', PRIVATE_KEY, 0o600);
  writeFile(root, 'etc/kubernetes/pki/bundle.pem', CERT + PRIVATE_KEY, 0o600);
  makeDir(root, 'data/etcd', 0o700);
  const fs = open(root);

  test('stats and reads what flags point at; keys are stat-only; problems are values', () => {
    const result = readReferencedFiles(fs, [
      { path: '/etc/kubernetes/audit/policy.yaml', purpose: 'kube-apiserver --audit-policy-file', component: 'kube-apiserver' },
      { path: 'enc/encryption.yaml', purpose: 'kube-apiserver --encryption-provider-config', relativeTo: '/etc/kubernetes' },
      { path: '/etc/kubernetes/pki/ca.crt', purpose: 'kubelet authentication.x509.clientCAFile' },
      { path: '/etc/kubernetes/pki/ca.crt', purpose: 'kubelet authentication.x509.clientCAFile' }, // a duplicate
      { path: '/etc/kubernetes/pki/apiserver.key', purpose: 'kube-apiserver --tls-private-key-file', read: false },
      { path: '/etc/kubernetes/pki/apiserver.key', purpose: 'asked to read a key', read: true },
      { path: '/etc/kubernetes/pki/bundle.pem', purpose: 'a bundle with a key inside' },
      { path: '/data/etcd', purpose: 'etcd --data-dir', read: false },
      { path: '/etc/kubernetes/missing.yaml', purpose: 'kube-apiserver --admission-control-config-file' },
      { path: 'policy.yaml', purpose: 'a relative path with nothing to resolve it against' },
      { path: '', purpose: 'an empty flag value' },
    ]);
    assert.deepEqual(
      result.files.map((file) => [file.path, file.role, file.purpose, file.info.mode.toString(8), file.text ?? null, file.readError?.code ?? null]),
      [
        ['/etc/kubernetes/audit/policy.yaml', 'referenced', 'kube-apiserver --audit-policy-file', '600', 'apiVersion: audit.k8s.io/v1\nkind: Policy\n', null],
        ['/etc/kubernetes/enc/encryption.yaml', 'referenced', 'kube-apiserver --encryption-provider-config', '600', 'kind: EncryptionConfiguration\n', null],
        ['/etc/kubernetes/pki/ca.crt', 'referenced', 'kubelet authentication.x509.clientCAFile', '644', CERT, null],
        ['/etc/kubernetes/pki/apiserver.key', 'referenced', 'kube-apiserver --tls-private-key-file', '600', null, null],
        ['/etc/kubernetes/pki/apiserver.key', 'referenced', 'asked to read a key', '600', null, 'private-key'],
        ['/etc/kubernetes/pki/bundle.pem', 'referenced', 'a bundle with a key inside', '600', null, 'private-key'],
        ['/data/etcd', 'referenced', 'etcd --data-dir', '700', null, null],
      ],
    );
    assert.equal(result.files[0]?.component, 'kube-apiserver');
    assert.deepEqual(result.missing, ['/etc/kubernetes/missing.yaml']);
    assert.deepEqual(result.errors, [
      { code: 'private-key', path: '/etc/kubernetes/pki/apiserver.key', message: 'holds a private key: palisade checks its permissions and ownership, never its content' },
      { code: 'private-key', path: '/etc/kubernetes/pki/bundle.pem', message: 'holds a private key: palisade checks its permissions and ownership, never its content' },
      { code: 'invalid-path', path: 'policy.yaml', message: 'a relative path with nothing to resolve it against: relative path "policy.yaml" and no directory it is relative to; give an absolute path' },
      { code: 'invalid-path', path: '', message: 'an empty flag value: empty path' },
    ]);
  });
});

describe('helpers', () => {
  test('classifyPkiFile', () => {
    assert.deepEqual(
      ['ca.crt', 'ca.key', 'sa.pub', 'apiserver-kubelet-client.crt', 'kubernetes-key.pem', 'etcd_key.pem', 'ca.pem', 'kubelet.cert', 'README', 'KEY.KEY'].map(classifyPkiFile),
      ['certificate', 'private-key', 'public-key', 'certificate', 'private-key', 'private-key', 'pem', 'certificate', 'other', 'private-key'],
    );
  });

  test('manifestComponent: by file name, else by the command', () => {
    assert.equal(manifestComponent('kube-apiserver.yaml', undefined), 'kube-apiserver');
    assert.equal(manifestComponent('etcd.json', undefined), 'etcd');
    assert.equal(manifestComponent('kube-scheduler.manifest', 'anything'), 'kube-scheduler');
    assert.equal(manifestComponent('apiserver-old.yaml', '    command:\n    - /usr/local/bin/kube-apiserver\n    - --x\n'), 'kube-apiserver');
    assert.equal(manifestComponent('cm.yaml', '    command: ["kube-controller-manager", "--v=2"]\n'), 'kube-controller-manager');
    assert.equal(manifestComponent('web.yaml', '    command:\n    - kube-apiserver-proxy\n'), undefined);
    assert.equal(manifestComponent('web.yaml', 'image: etcd\n'), undefined);
  });

  test('NodeFiles is plain data (JSON round-trips)', () => {
    const { root } = kubeadmNode();
    const found: NodeFiles = discoverNodeFiles(open(root));
    assert.deepEqual(JSON.parse(JSON.stringify(found)), found);
  });
});
