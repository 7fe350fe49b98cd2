import { posix } from 'node:path';
import { isNodeComponent, type NodeComponent } from './components.ts';
import type { FileInfo, FileType, HostFs, HostFsError } from './host-fs.ts';

// Finds a node's Kubernetes configuration where kubeadm puts it (what kube-bench checks), and where plain systemd
// installs ("the hard way", cloud images), k3s and rke2 put theirs. Config files come with their text; keys,
// certificates, the etcd data directory and CNI files only with their metadata.

/** Which kind of installation a path belongs to; `common` paths say nothing about it. */
export type NodeLayout = 'kubeadm' | 'systemd' | 'k3s' | 'rke2';

export type NodeFileRole =
  | 'static-pod-manifests-dir'
  | 'static-pod-manifest'
  | 'systemd-unit'
  | 'systemd-drop-in'
  | 'environment-file'
  | 'kubelet-config'
  | 'kubelet-config-drop-in'
  | 'kubeconfig'
  | 'distribution-config'
  | 'pki-dir'
  | 'pki-file'
  | 'etcd-data-dir'
  | 'cni-config-dir'
  | 'cni-config'
  | 'referenced';

/** Who a file configures: a component, or for kubeconfigs, whose credentials it holds. */
export type ConfiguredFor = NodeComponent | 'admin' | 'super-admin' | 'kubelet-bootstrap' | 'k3s' | 'rke2';

/** What a PKI file holds, by its name (never read): `.pem` alone could be a certificate or a key. */
export type PkiKind = 'certificate' | 'private-key' | 'public-key' | 'pem' | 'other';

export interface NodeFile {
  /** Host path as found (inside the root). */
  readonly path: string;
  readonly role: NodeFileRole;
  readonly layout: NodeLayout | 'common';
  /** Metadata, after following symlinks inside the root. */
  readonly info: FileInfo;
  readonly component?: ConfiguredFor;
  readonly pkiKind?: PkiKind;
  /** Referenced files: what refers to it (`kube-apiserver --audit-policy-file`). */
  readonly purpose?: string;
  /** A unit or drop-in that systemd ignores because a file of the same name in a directory of higher precedence wins. */
  readonly shadowedBy?: string;
  /** A unit or drop-in linked to /dev/null: systemd treats it as masked. */
  readonly masked?: true;
  /** Config files: the content. */
  readonly text?: string;
  /** Config files that exist but could not be read as text. */
  readonly readError?: HostFsError;
}

export interface NodeFiles {
  /** The root directory the files were read under. */
  readonly root: string;
  /** Layouts the files found belong to (masked units aside), sorted; empty when nothing Kubernetes was found. */
  readonly layouts: readonly NodeLayout[];
  /**
   * Files and directories found, in discovery order: manifests, units and drop-ins (each unit's drop-ins in the
   * order systemd applies them), environment files, kubelet configs, kubeconfigs, distribution configs, PKI, etcd
   * data directories, CNI.
   */
  readonly files: readonly NodeFile[];
  /** Single-file candidates looked for and absent, sorted. */
  readonly missing: readonly string[];
  /** What exists but could not be stat'ed, listed or read. */
  readonly errors: readonly HostFsError[];
}

export interface DiscoverOptions {
  /** The kubelet's `staticPodPath` / `--pod-manifest-path`, when known: a directory (or a single manifest file). */
  readonly staticPodPaths?: readonly string[];
  /** Largest config file read (default 1 MiB). */
  readonly maxTextBytes?: number;
  /** Most entries walked in each PKI directory (default 5000). */
  readonly maxPkiEntries?: number;
}

const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;
const DEFAULT_MAX_PKI_ENTRIES = 5000;
const MAX_PKI_DEPTH = 8;

type Layout = NodeLayout | 'common';

interface Candidate {
  readonly path: string;
  readonly role: NodeFileRole;
  readonly layout: Layout;
  readonly component?: ConfiguredFor;
}

/** Directories systemd loads units from, highest precedence first. */
export const SYSTEMD_UNIT_DIRS = ['/etc/systemd/system', '/run/systemd/system', '/usr/local/lib/systemd/system', '/usr/lib/systemd/system', '/lib/systemd/system'] as const;

const UNITS: readonly { readonly name: string; readonly component: ConfiguredFor; readonly layout: Layout }[] = [
  { name: 'kubelet.service', component: 'kubelet', layout: 'common' },
  { name: 'kube-apiserver.service', component: 'kube-apiserver', layout: 'systemd' },
  { name: 'kube-controller-manager.service', component: 'kube-controller-manager', layout: 'systemd' },
  { name: 'kube-scheduler.service', component: 'kube-scheduler', layout: 'systemd' },
  { name: 'etcd.service', component: 'etcd', layout: 'systemd' },
  { name: 'kube-proxy.service', component: 'kube-proxy', layout: 'systemd' },
  { name: 'k3s.service', component: 'k3s', layout: 'k3s' },
  { name: 'k3s-agent.service', component: 'k3s', layout: 'k3s' },
  { name: 'rke2-server.service', component: 'rke2', layout: 'rke2' },
  { name: 'rke2-agent.service', component: 'rke2', layout: 'rke2' },
];

const MANIFEST_DIRS: readonly Candidate[] = [
  { path: '/etc/kubernetes/manifests', role: 'static-pod-manifests-dir', layout: 'kubeadm' },
  { path: '/var/lib/rancher/rke2/agent/pod-manifests', role: 'static-pod-manifests-dir', layout: 'rke2' },
  { path: '/var/lib/rancher/k3s/agent/pod-manifests', role: 'static-pod-manifests-dir', layout: 'k3s' },
];

const ENVIRONMENT_FILES: readonly Candidate[] = [
  { path: '/var/lib/kubelet/kubeadm-flags.env', role: 'environment-file', layout: 'kubeadm', component: 'kubelet' },
  { path: '/etc/default/kubelet', role: 'environment-file', layout: 'common', component: 'kubelet' },
  { path: '/etc/sysconfig/kubelet', role: 'environment-file', layout: 'common', component: 'kubelet' },
  { path: '/etc/etcd/etcd.conf', role: 'environment-file', layout: 'systemd', component: 'etcd' },
  { path: '/etc/systemd/system/k3s.service.env', role: 'environment-file', layout: 'k3s', component: 'k3s' },
  { path: '/etc/systemd/system/k3s-agent.service.env', role: 'environment-file', layout: 'k3s', component: 'k3s' },
  { path: '/etc/default/rke2-server', role: 'environment-file', layout: 'rke2', component: 'rke2' },
  { path: '/etc/default/rke2-agent', role: 'environment-file', layout: 'rke2', component: 'rke2' },
  { path: '/etc/sysconfig/rke2-server', role: 'environment-file', layout: 'rke2', component: 'rke2' },
  { path: '/etc/sysconfig/rke2-agent', role: 'environment-file', layout: 'rke2', component: 'rke2' },
  { path: '/usr/local/lib/systemd/system/rke2-server.env', role: 'environment-file', layout: 'rke2', component: 'rke2' },
  { path: '/usr/local/lib/systemd/system/rke2-agent.env', role: 'environment-file', layout: 'rke2', component: 'rke2' },
];

const KUBELET_CONFIGS: readonly Candidate[] = [
  { path: '/var/lib/kubelet/config.yaml', role: 'kubelet-config', layout: 'kubeadm', component: 'kubelet' },
  { path: '/var/lib/kubelet/kubelet-config.yaml', role: 'kubelet-config', layout: 'systemd', component: 'kubelet' },
  { path: '/etc/kubernetes/kubelet-config.yaml', role: 'kubelet-config', layout: 'systemd', component: 'kubelet' },
  { path: '/etc/kubernetes/kubelet/kubelet-config.json', role: 'kubelet-config', layout: 'systemd', component: 'kubelet' },
  { path: '/etc/kubernetes/kubelet/config.json', role: 'kubelet-config', layout: 'systemd', component: 'kubelet' },
  { path: '/home/kubernetes/kubelet-config.yaml', role: 'kubelet-config', layout: 'systemd', component: 'kubelet' },
];

/** `--config-dir` drop-in directories (the kubelet reads their `*.conf` files in name order). */
const KUBELET_CONFIG_DIRS: readonly Candidate[] = [
  { path: '/etc/kubernetes/kubelet.conf.d', role: 'kubelet-config-drop-in', layout: 'common', component: 'kubelet' },
  { path: '/var/lib/rancher/k3s/agent/etc/kubelet.conf.d', role: 'kubelet-config-drop-in', layout: 'k3s', component: 'kubelet' },
  { path: '/var/lib/rancher/rke2/agent/etc/kubelet.conf.d', role: 'kubelet-config-drop-in', layout: 'rke2', component: 'kubelet' },
];

function kubeconfig(path: string, layout: Layout, component: ConfiguredFor): Candidate {
  return { path, role: 'kubeconfig', layout, component };
}

const KUBECONFIGS: readonly Candidate[] = [
  kubeconfig('/etc/kubernetes/admin.conf', 'kubeadm', 'admin'),
  kubeconfig('/etc/kubernetes/super-admin.conf', 'kubeadm', 'super-admin'),
  kubeconfig('/etc/kubernetes/controller-manager.conf', 'kubeadm', 'kube-controller-manager'),
  kubeconfig('/etc/kubernetes/scheduler.conf', 'kubeadm', 'kube-scheduler'),
  kubeconfig('/etc/kubernetes/kubelet.conf', 'kubeadm', 'kubelet'),
  kubeconfig('/etc/kubernetes/bootstrap-kubelet.conf', 'kubeadm', 'kubelet-bootstrap'),
  kubeconfig('/var/lib/kubelet/kubeconfig', 'systemd', 'kubelet'),
  kubeconfig('/var/lib/kube-proxy/kubeconfig', 'systemd', 'kube-proxy'),
  kubeconfig('/var/lib/kubernetes/kube-controller-manager.kubeconfig', 'systemd', 'kube-controller-manager'),
  kubeconfig('/var/lib/kubernetes/kube-scheduler.kubeconfig', 'systemd', 'kube-scheduler'),
  kubeconfig('/var/lib/kube-controller-manager/kubeconfig', 'systemd', 'kube-controller-manager'),
  kubeconfig('/var/lib/kube-scheduler/kubeconfig', 'systemd', 'kube-scheduler'),
  ...(['k3s', 'rke2'] as const).flatMap((flavour) => [
    kubeconfig(`/etc/rancher/${flavour}/${flavour}.yaml`, flavour, 'admin'),
    kubeconfig(`/var/lib/rancher/${flavour}/server/cred/admin.kubeconfig`, flavour, 'admin'),
    kubeconfig(`/var/lib/rancher/${flavour}/server/cred/controller.kubeconfig`, flavour, 'kube-controller-manager'),
    kubeconfig(`/var/lib/rancher/${flavour}/server/cred/scheduler.kubeconfig`, flavour, 'kube-scheduler'),
    kubeconfig(`/var/lib/rancher/${flavour}/agent/kubelet.kubeconfig`, flavour, 'kubelet'),
    kubeconfig(`/var/lib/rancher/${flavour}/agent/kubeproxy.kubeconfig`, flavour, 'kube-proxy'),
  ]),
];

const DISTRIBUTION_CONFIGS: readonly Candidate[] = [
  { path: '/etc/rancher/k3s/config.yaml', role: 'distribution-config', layout: 'k3s', component: 'k3s' },
  { path: '/etc/rancher/rke2/config.yaml', role: 'distribution-config', layout: 'rke2', component: 'rke2' },
];

const PKI_DIRS: readonly Candidate[] = [
  { path: '/etc/kubernetes/pki', role: 'pki-dir', layout: 'kubeadm' },
  { path: '/var/lib/kubelet/pki', role: 'pki-dir', layout: 'common', component: 'kubelet' },
  { path: '/var/lib/kubernetes', role: 'pki-dir', layout: 'systemd' },
  { path: '/etc/etcd', role: 'pki-dir', layout: 'systemd', component: 'etcd' },
  { path: '/var/lib/rancher/k3s/server/tls', role: 'pki-dir', layout: 'k3s' },
  { path: '/var/lib/rancher/rke2/server/tls', role: 'pki-dir', layout: 'rke2' },
];

/** Certificates and keys k3s and rke2 agents keep next to much else (so their directory is not walked). */
const AGENT_PKI_FILES: readonly Candidate[] = (['k3s', 'rke2'] as const).flatMap((flavour) =>
  ['client-ca.crt', 'server-ca.crt', 'serving-kubelet.crt', 'serving-kubelet.key', 'client-kubelet.crt', 'client-kubelet.key', 'client-kube-proxy.crt', 'client-kube-proxy.key'].map(
    (name): Candidate => ({ path: `/var/lib/rancher/${flavour}/agent/${name}`, role: 'pki-file', layout: flavour }),
  ),
);

const ETCD_DATA_DIRS: readonly Candidate[] = [
  { path: '/var/lib/etcd', role: 'etcd-data-dir', layout: 'common', component: 'etcd' },
  { path: '/var/lib/rancher/k3s/server/db/etcd', role: 'etcd-data-dir', layout: 'k3s', component: 'etcd' },
  { path: '/var/lib/rancher/rke2/server/db/etcd', role: 'etcd-data-dir', layout: 'rke2', component: 'etcd' },
];

const CNI_DIRS: readonly Candidate[] = [
  { path: '/etc/cni/net.d', role: 'cni-config-dir', layout: 'common' },
  { path: '/var/lib/rancher/k3s/agent/etc/cni/net.d', role: 'cni-config-dir', layout: 'k3s' },
];

const STATIC_POD_COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;

/** Finds the node's Kubernetes files under the HostFs root. */
export function discoverNodeFiles(fs: HostFs, options: DiscoverOptions = {}): NodeFiles {
  const collector = new Collector(fs, options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES);

  for (const dir of MANIFEST_DIRS) collector.manifests(dir);
  for (const path of options.staticPodPaths ?? []) {
    if (typeof path !== 'string' || !path.startsWith('/')) {
      collector.error({ code: 'invalid-path', path: String(path), message: 'the static pod path must be absolute' });
      continue;
    }
    collector.manifests({ path: tidyPath(path), role: 'static-pod-manifests-dir', layout: 'common' });
  }
  for (const unit of UNITS) collector.unit(unit.name, unit.component, unit.layout);
  for (const candidate of ENVIRONMENT_FILES) collector.file(candidate, { read: true });
  for (const candidate of KUBELET_CONFIGS) collector.file(candidate, { read: true });
  for (const dir of KUBELET_CONFIG_DIRS) collector.dropInDir(dir, '.conf');
  for (const candidate of KUBECONFIGS) collector.file(candidate, { read: true });
  for (const candidate of DISTRIBUTION_CONFIGS) {
    collector.file(candidate, { read: true });
    collector.dropInDir({ ...candidate, path: `${candidate.path}.d` }, '.yaml');
  }
  const maxPkiEntries = options.maxPkiEntries ?? DEFAULT_MAX_PKI_ENTRIES;
  for (const dir of PKI_DIRS) collector.pki(dir, maxPkiEntries);
  for (const candidate of AGENT_PKI_FILES) collector.file(candidate, { read: false, pkiKind: classifyPkiFile(posix.basename(candidate.path)) });
  for (const candidate of ETCD_DATA_DIRS) collector.file(candidate, { read: false });
  for (const dir of CNI_DIRS) collector.cni(dir);

  return collector.result();
}

/** A file a flag or config field names (audit policy, EncryptionConfiguration, client CA, a data directory, …). */
export interface FileReference {
  readonly path: string;
  /** What refers to it, as reports should say it: `kube-apiserver --audit-policy-file`. */
  readonly purpose: string;
  /** Read its text (default) or only stat it (keys, certificates, directories). */
  readonly read?: boolean;
  /** Relative paths are taken against this directory (the kubelet resolves its config's paths from the config's directory). */
  readonly relativeTo?: string;
  readonly component?: ConfiguredFor;
}

export interface ReferencedFiles {
  readonly files: readonly NodeFile[];
  readonly missing: readonly string[];
  readonly errors: readonly HostFsError[];
}

/** Stats (and reads, unless told not to) the files that flags and config fields point at. */
export function readReferencedFiles(fs: HostFs, references: readonly FileReference[], options: { readonly maxTextBytes?: number } = {}): ReferencedFiles {
  const collector = new Collector(fs, options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES, { dedupe: false });
  const seen = new Set<string>();
  for (const reference of references) {
    const path = referencePath(reference);
    if (!path.ok) {
      collector.error({ code: 'invalid-path', path: String(reference.path), message: `${reference.purpose}: ${path.message}` });
      continue;
    }
    const key = `${path.value}\0${reference.purpose}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const candidate: Candidate = { path: path.value, role: 'referenced', layout: 'common', ...(reference.component === undefined ? {} : { component: reference.component }) };
    collector.file(candidate, { read: reference.read ?? true, purpose: reference.purpose });
  }
  const { files, missing, errors } = collector.result();
  return { files, missing, errors };
}

/** Collapses repeated slashes and drops a trailing one; `.` and `..` are left for chroot-style resolution. */
function tidyPath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/$/, '') : collapsed;
}

function referencePath(reference: FileReference): { ok: true; value: string } | { ok: false; message: string } {
  const { path, relativeTo } = reference;
  if (typeof path !== 'string' || path.trim() === '') return { ok: false, message: 'empty path' };
  if (path.startsWith('/')) return { ok: true, value: tidyPath(path) };
  if (relativeTo === undefined || !relativeTo.startsWith('/')) {
    return { ok: false, message: `relative path ${JSON.stringify(path)} and no directory it is relative to; give an absolute path` };
  }
  return { ok: true, value: tidyPath(`${relativeTo}/${path}`) };
}

/** The static pod manifest of a control plane component, as the kubelet would run it (the first by file name). */
export function staticPodManifest(nodeFiles: NodeFiles, component: (typeof STATIC_POD_COMPONENTS)[number]): NodeFile | undefined {
  return nodeFiles.files.find((file) => file.role === 'static-pod-manifest' && file.component === component);
}

/** The files found in one role, in discovery order. */
export function filesWithRole(nodeFiles: Pick<NodeFiles, 'files'>, role: NodeFileRole): NodeFile[] {
  return nodeFiles.files.filter((file) => file.role === role);
}

/** What a PKI file holds, judged by its name. */
export function classifyPkiFile(name: string): PkiKind {
  const lower = name.toLowerCase();
  if (lower.endsWith('.key') || /[-_.]key\.pem$/.test(lower)) return 'private-key';
  if (lower.endsWith('.pub')) return 'public-key';
  if (lower.endsWith('.crt') || lower.endsWith('.cert') || lower.endsWith('.cer')) return 'certificate';
  if (lower.endsWith('.pem')) return 'pem';
  return 'other';
}

const COMMAND_LINE = /^[ \t]*(?:-[ \t]+|command:[ \t]*\[[ \t]*)["']?(?:[^\s"',[\]]*\/)?(etcd|kube-apiserver|kube-controller-manager|kube-scheduler)["']?[ \t]*(?:,|\]|$)/m;

/** Which control plane component a static pod manifest runs: by file name, else by the first command it names. */
export function manifestComponent(name: string, text: string | undefined): NodeComponent | undefined {
  const stem = name.replace(/\.(?:ya?ml|json|manifest)$/, '');
  if (isNodeComponent(stem)) return stem;
  const match = text === undefined ? null : COMMAND_LINE.exec(text);
  const found = match?.[1];
  return found !== undefined && isNodeComponent(found) ? found : undefined;
}

const PRIVATE_KEY_PEM = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/;

interface FileOptions {
  readonly read: boolean;
  readonly purpose?: string;
  readonly pkiKind?: PkiKind;
  readonly shadowedBy?: string;
  /** The stat already made (listings): not stat'ed again. */
  readonly info?: FileInfo;
}

class Collector {
  readonly #fs: HostFs;
  readonly #maxTextBytes: number;
  readonly #dedupe: boolean;
  readonly #files: NodeFile[] = [];
  readonly #paths = new Set<string>();
  readonly #missing = new Set<string>();
  readonly #errors: HostFsError[] = [];
  /** Directories already listed, by resolved path: /lib → /usr/lib must not list one directory twice. */
  readonly #listed = new Set<string>();

  constructor(fs: HostFs, maxTextBytes: number, options: { readonly dedupe: boolean } = { dedupe: true }) {
    this.#fs = fs;
    this.#maxTextBytes = maxTextBytes;
    this.#dedupe = options.dedupe;
  }

  error(error: HostFsError): void {
    this.#errors.push(error);
  }

  result(): NodeFiles {
    const layouts = new Set<NodeLayout>();
    for (const file of this.#files) if (file.layout !== 'common' && file.masked !== true) layouts.add(file.layout); // a masked unit installs nothing
    return {
      root: this.#fs.root,
      layouts: [...layouts].sort(),
      files: this.#files,
      missing: [...this.#missing].sort(),
      errors: this.#errors,
    };
  }

  /** Stats a candidate; absent → missing, unusable → errors, else added (with its text when asked). */
  file(candidate: Candidate, options: FileOptions): NodeFile | undefined {
    if (this.#dedupe && this.#paths.has(candidate.path)) return undefined;
    let info = options.info;
    if (info === undefined) {
      const stat = this.#fs.stat(candidate.path);
      if (!stat.exists) {
        if (stat.error.code === 'not-found') this.#missing.add(candidate.path);
        else this.#errors.push(stat.error);
        return undefined;
      }
      const { exists: _exists, ...rest } = stat;
      info = rest;
    }
    let file: NodeFile = {
      path: candidate.path,
      role: candidate.role,
      layout: candidate.layout,
      info,
      ...(candidate.component === undefined ? {} : { component: candidate.component }),
      ...(options.pkiKind === undefined ? {} : { pkiKind: options.pkiKind }),
      ...(options.purpose === undefined ? {} : { purpose: options.purpose }),
      ...(options.shadowedBy === undefined ? {} : { shadowedBy: options.shadowedBy }),
    };
    if (isMasked(info) && (candidate.role === 'systemd-unit' || candidate.role === 'systemd-drop-in')) {
      file = { ...file, masked: true };
    } else if (options.read) {
      const read = this.#read(candidate.path, info);
      if (read.ok) file = { ...file, text: read.text };
      else {
        file = { ...file, readError: read.error };
        this.#errors.push(read.error);
      }
    }
    this.#files.push(file);
    this.#paths.add(candidate.path);
    return file;
  }

  #read(path: string, info: FileInfo): { ok: true; text: string } | { ok: false; error: HostFsError } {
    if (classifyPkiFile(posix.basename(info.resolvedPath)) === 'private-key' || classifyPkiFile(posix.basename(path)) === 'private-key') {
      return { ok: false, error: privateKey(path) };
    }
    const read = this.#fs.readText(path, this.#maxTextBytes);
    if (!read.ok) return read;
    if (PRIVATE_KEY_PEM.test(read.text)) return { ok: false, error: privateKey(path) };
    return { ok: true, text: read.text };
  }

  /** Stats a directory candidate: its info when it is one; absent → missing; anything else → errors. */
  #directory(candidate: Candidate): FileInfo | undefined {
    const stat = this.#fs.stat(candidate.path);
    if (!stat.exists) {
      if (stat.error.code === 'not-found') this.#missing.add(candidate.path);
      else this.#errors.push(stat.error);
      return undefined;
    }
    const { exists: _exists, ...info } = stat;
    if (info.type !== 'directory') {
      this.#errors.push({ code: 'not-a-directory', path: candidate.path, message: `expected a directory (${candidate.role}), found a ${info.type}` });
      return undefined;
    }
    return info;
  }

  /** Lists a directory once (by resolved path); undefined when listed already or unlistable (→ errors). */
  #list(path: string, info: FileInfo): readonly { name: string; path: string; type: FileType }[] | undefined {
    if (this.#listed.has(info.resolvedPath)) return undefined;
    this.#listed.add(info.resolvedPath);
    const listing = this.#fs.list(path);
    if (!listing.ok) {
      this.#errors.push(listing.error);
      return undefined;
    }
    // Listing entries name the resolved directory; keep the path as the candidate spells it.
    const base = path.replace(/\/+$/, '');
    return listing.entries.map((entry) => ({ name: entry.name, path: `${base}/${entry.name}`, type: entry.type }));
  }

  /** Stats an entry found in a listing, following symlinks; errors other than vanishing go to errors. */
  #statEntry(path: string): FileInfo | undefined {
    const stat = this.#fs.stat(path);
    if (stat.exists) {
      const { exists: _exists, ...info } = stat;
      return info;
    }
    if (stat.error.code !== 'not-found') this.#errors.push(stat.error);
    return undefined;
  }

  /** A static pod directory as the kubelet reads it: every non-hidden regular file, in name order, no recursion. */
  manifests(candidate: Candidate): void {
    const stat = this.#fs.stat(candidate.path);
    if (!stat.exists) {
      if (stat.error.code === 'not-found') this.#missing.add(candidate.path);
      else this.#errors.push(stat.error);
      return;
    }
    const { exists: _exists, ...info } = stat;
    if (info.type === 'file') {
      // The kubelet also takes a single manifest file as its static pod path.
      this.#manifest(candidate.path, candidate.layout, info);
      return;
    }
    if (info.type !== 'directory') {
      this.#errors.push({ code: 'not-a-directory', path: candidate.path, message: `static pod path is a ${info.type}, not a directory or file` });
      return;
    }
    if (!this.#paths.has(candidate.path)) {
      this.#files.push({ path: candidate.path, role: 'static-pod-manifests-dir', layout: candidate.layout, info });
      this.#paths.add(candidate.path);
    }
    for (const entry of this.#list(candidate.path, info) ?? []) {
      if (entry.name.startsWith('.')) continue;
      const entryInfo = this.#statEntry(entry.path);
      if (entryInfo?.type === 'file') this.#manifest(entry.path, candidate.layout, entryInfo);
    }
  }

  #manifest(path: string, layout: Layout, info: FileInfo): void {
    const added = this.file({ path, role: 'static-pod-manifest', layout }, { read: true, info });
    if (added === undefined) return;
    const component = manifestComponent(posix.basename(path), added.text);
    if (component === undefined) return;
    const index = this.#files.lastIndexOf(added);
    this.#files[index] = { ...added, component };
  }

  /** A systemd unit in every unit directory (the first found is the one systemd loads), then its drop-ins. */
  unit(name: string, component: ConfiguredFor, layout: Layout): void {
    let effective: string | undefined;
    const resolved = new Set<string>();
    for (const dir of SYSTEMD_UNIT_DIRS) {
      const path = `${dir}/${name}`;
      const info = this.#unitFile(path, true);
      if (info === undefined) continue;
      if (resolved.has(info.resolvedPath)) continue; // /lib/systemd/system is /usr/lib/systemd/system on merged-/usr systems
      resolved.add(info.resolvedPath);
      this.file({ path, role: 'systemd-unit', layout, component }, { read: true, info, ...(effective === undefined ? {} : { shadowedBy: effective }) });
      effective ??= path;
    }

    // Drop-ins: `<unit>.d/*.conf` from every unit directory, merged by file name (the highest directory wins a
    // name), applied in file name order.
    const byName = new Map<string, { path: string; info: FileInfo; shadowed: { path: string; info: FileInfo }[] }>();
    for (const dir of SYSTEMD_UNIT_DIRS) {
      const dropInDir = `${dir}/${name}.d`;
      const stat = this.#fs.stat(dropInDir);
      if (!stat.exists) {
        if (stat.error.code !== 'not-found') this.#errors.push(stat.error);
        continue;
      }
      const { exists: _exists, ...info } = stat;
      if (info.type !== 'directory') continue;
      for (const entry of this.#list(dropInDir, info) ?? []) {
        if (!entry.name.endsWith('.conf')) continue;
        const entryInfo = this.#unitFile(entry.path, false);
        if (entryInfo === undefined || (entryInfo.type !== 'file' && !isMasked(entryInfo))) continue;
        const existing = byName.get(entry.name);
        if (existing === undefined) byName.set(entry.name, { path: entry.path, info: entryInfo, shadowed: [] });
        else existing.shadowed.push({ path: entry.path, info: entryInfo });
      }
    }
    const names = [...byName.keys()].sort();
    for (const dropInName of names) {
      const dropIn = byName.get(dropInName)!;
      this.file({ path: dropIn.path, role: 'systemd-drop-in', layout, component }, { read: true, info: dropIn.info });
    }
    for (const dropInName of names) {
      const dropIn = byName.get(dropInName)!;
      for (const shadowed of dropIn.shadowed) {
        this.file({ path: shadowed.path, role: 'systemd-drop-in', layout, component }, { read: true, info: shadowed.info, shadowedBy: dropIn.path });
      }
    }
  }

  /**
   * A unit file's metadata. A unit linked to /dev/null is masked: its info is the link's own when the root has
   * no /dev/null (a host filesystem mounted without /dev).
   */
  #unitFile(path: string, recordMissing: boolean): FileInfo | undefined {
    const stat = this.#fs.stat(path);
    if (stat.exists) {
      const { exists: _exists, ...info } = stat;
      return info;
    }
    if (stat.error.code !== 'not-found') {
      this.#errors.push(stat.error);
      return undefined;
    }
    const link = this.#fs.stat(path, { followSymlinks: false });
    if (link.exists && link.linkTarget === '/dev/null') {
      const { exists: _exists, ...info } = link;
      return info;
    }
    if (recordMissing) this.#missing.add(path);
    return undefined;
  }

  /** A directory of config drop-ins: its files with the suffix, read, in name order. */
  dropInDir(candidate: Candidate, suffix: string): void {
    const stat = this.#fs.stat(candidate.path);
    if (!stat.exists) {
      if (stat.error.code !== 'not-found') this.#errors.push(stat.error);
      return;
    }
    const { exists: _exists, ...info } = stat;
    if (info.type !== 'directory') return;
    for (const entry of this.#list(candidate.path, info) ?? []) {
      if (!entry.name.endsWith(suffix) || entry.name.startsWith('.')) continue;
      const entryInfo = this.#statEntry(entry.path);
      if (entryInfo?.type !== 'file') continue;
      this.file({ path: entry.path, role: candidate.role, layout: candidate.layout, ...(candidate.component === undefined ? {} : { component: candidate.component }) }, { read: true, info: entryInfo });
    }
  }

  /** A PKI directory, walked (real subdirectories only; symlinks are stat'ed, not walked): metadata only. */
  pki(candidate: Candidate, maxEntries: number): void {
    const info = this.#directory(candidate);
    if (info === undefined) return;
    this.file(candidate, { read: false, info });
    let budget = maxEntries;
    const walk = (dir: string, dirInfo: FileInfo, depth: number): void => {
      const entries = this.#list(dir, dirInfo);
      if (entries === undefined) return;
      for (const entry of entries) {
        if (budget <= 0) {
          this.#errors.push({ code: 'limit-exceeded', path: candidate.path, message: `more than ${maxEntries} entries; the rest of ${candidate.path} was not checked` });
          budget = -1;
          return;
        }
        budget--;
        const entryInfo = this.#statEntry(entry.path);
        if (entryInfo === undefined) continue;
        const component = candidate.component === undefined ? {} : { component: candidate.component };
        if (entryInfo.type === 'directory') {
          this.file({ path: entry.path, role: 'pki-dir', layout: candidate.layout, ...component }, { read: false, info: entryInfo });
          if (entry.type === 'directory' && depth < MAX_PKI_DEPTH) walk(entry.path, entryInfo, depth + 1);
        } else {
          this.file({ path: entry.path, role: 'pki-file', layout: candidate.layout, ...component }, { read: false, info: entryInfo, pkiKind: classifyPkiFile(entry.name) });
        }
        if (budget < 0) return;
      }
    };
    walk(candidate.path, info, 1);
  }

  /** The CNI config directory and every file in it: metadata only. */
  cni(candidate: Candidate): void {
    const info = this.#directory(candidate);
    if (info === undefined) return;
    this.file(candidate, { read: false, info });
    for (const entry of this.#list(candidate.path, info) ?? []) {
      const entryInfo = this.#statEntry(entry.path);
      if (entryInfo?.type === 'file') this.file({ path: entry.path, role: 'cni-config', layout: candidate.layout }, { read: false, info: entryInfo });
    }
  }
}

function isMasked(info: FileInfo): boolean {
  return info.resolvedPath === '/dev/null' || info.linkTarget === '/dev/null';
}

function privateKey(path: string): HostFsError {
  return { code: 'private-key', path, message: 'holds a private key: palisade checks its permissions and ownership, never its content' };
}
