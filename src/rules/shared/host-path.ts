// Host paths whose exposure to a container compromises the node (or the cluster), and how a hostPath relates to
// them. Paths are compared after lexical normalisation (duplicate and trailing slashes, `.` and `..`), and
// `/var/run` is treated as the `/run` it links to on every current distribution.

export interface SensitiveHostPath {
  /** Absolute, normalised, in its `/run` form where it lives under `/var/run`. */
  readonly path: string;
  /** Whether everything below the path is sensitive too (`/var/lib/kubelet/pods/…`), or only the path itself. */
  readonly subtree: boolean;
  readonly description: string;
}

const entry = (path: string, subtree: boolean, description: string): SensitiveHostPath => ({ path, subtree, description });

const RUNTIME_SOCKET = 'a container runtime socket (full control of every container on the node, and root on the host)';
const RUNTIME_STATE = 'container runtime state and sockets';
const RUNTIME_STORAGE = "container runtime storage (every container's filesystem and image)";
const HOST_BINARIES = 'host executables (run as root by the node)';

/** Most dangerous first: when a hostPath contains several, the message names the first. */
export const SENSITIVE_HOST_PATHS: readonly SensitiveHostPath[] = [
  entry('/', false, 'the whole host filesystem'),
  entry('/run/docker.sock', false, RUNTIME_SOCKET),
  entry('/run/containerd/containerd.sock', false, RUNTIME_SOCKET),
  entry('/run/crio/crio.sock', false, RUNTIME_SOCKET),
  entry('/run/cri-dockerd.sock', false, RUNTIME_SOCKET),
  entry('/run/dockershim.sock', false, RUNTIME_SOCKET),
  entry('/run/podman/podman.sock', false, RUNTIME_SOCKET),
  entry('/run/k3s/containerd/containerd.sock', false, RUNTIME_SOCKET),
  entry('/run/buildkit/buildkitd.sock', false, 'the BuildKit daemon socket (builds run as root on the host)'),
  entry('/run/containerd', true, RUNTIME_STATE),
  entry('/run/crio', true, RUNTIME_STATE),
  entry('/run/docker', true, RUNTIME_STATE),
  entry('/run/k3s', true, RUNTIME_STATE),
  entry('/var/lib/kubelet', true, "kubelet state (every pod's volumes, Secrets and service account tokens, and the kubelet's credentials)"),
  entry('/etc/kubernetes', true, 'Kubernetes configuration and credentials (kubeconfigs, PKI keys, static pod manifests)'),
  entry('/var/lib/etcd', true, 'the etcd data directory (every object and Secret of the cluster)'),
  entry('/var/lib/docker', true, RUNTIME_STORAGE),
  entry('/var/lib/containerd', true, RUNTIME_STORAGE),
  entry('/var/lib/containers', true, RUNTIME_STORAGE),
  entry('/proc', true, "host kernel and process interfaces (kernel tunables, other processes' memory and environment)"),
  entry('/sys', true, 'kernel, device and cgroup interfaces'),
  entry('/dev', true, 'host devices, including raw disks and memory'),
  entry('/boot', true, 'the kernel and boot loader'),
  entry('/root', true, "the root user's home (SSH keys, cloud and cluster credentials)"),
  entry('/etc/shadow', false, 'host password hashes'),
  entry('/etc/sudoers', false, 'sudo configuration'),
  entry('/etc/sudoers.d', true, 'sudo configuration'),
  entry('/etc/ssh', true, 'SSH daemon configuration and host keys'),
  entry('/etc/cni', true, 'CNI network configuration (read by the container runtime)'),
  entry('/opt/cni', true, 'CNI plugin binaries (run as root by the container runtime)'),
  entry('/etc', false, 'host configuration (users, password hashes, sudo, cron, SSH)'),
  entry('/var/log', true, 'host and pod logs (writing there enables the kubelet log symlink escape)'),
  entry('/home', false, "users' home directories (SSH keys and credentials)"),
  entry('/usr', false, 'host executables and libraries'),
  entry('/bin', true, HOST_BINARIES),
  entry('/sbin', true, HOST_BINARIES),
  entry('/usr/bin', true, HOST_BINARIES),
  entry('/usr/sbin', true, HOST_BINARIES),
  entry('/usr/local/bin', true, HOST_BINARIES),
];

/** Windows named pipes of the container runtimes (`\\.\pipe\docker_engine`). */
const SENSITIVE_PIPES: ReadonlySet<string> = new Set(['docker_engine', 'containerd-containerd', 'dockershim', 'cri-dockerd']);

/** Lexically normalises an absolute Linux path; undefined for a relative or Windows path. */
export function normaliseHostPath(path: string): string | undefined {
  if (!path.startsWith('/')) return undefined;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

function runForm(path: string): string {
  return path === '/var/run' || path.startsWith('/var/run/') ? path.slice('/var'.length) : path;
}

function isUnder(path: string, parent: string): boolean {
  return parent === '/' ? path !== '/' : path.startsWith(`${parent}/`);
}

export interface HostPathMatch {
  /** `exact`: the path itself is sensitive; `inside`: it lies in a sensitive tree; `parent`: it contains one. */
  readonly relation: 'exact' | 'inside' | 'parent';
  /** The sensitive path as it relates to the hostPath (in `/var/run` form when the hostPath was written so). */
  readonly sensitivePath: string;
  readonly description: string;
}

/** How a hostPath relates to the sensitive host paths; undefined when it exposes none of them. */
export function matchSensitiveHostPath(hostPath: string): HostPathMatch | undefined {
  const pipe = /^[\\/]{2}\.[\\/]pipe[\\/](.+)$/i.exec(hostPath.trim());
  if (pipe) {
    return SENSITIVE_PIPES.has(pipe[1]!.toLowerCase())
      ? { relation: 'exact', sensitivePath: hostPath, description: 'a container runtime named pipe (full control of every container on the node)' }
      : undefined;
  }
  const normalised = normaliseHostPath(hostPath.trim());
  if (normalised === undefined) return undefined;
  const written = normalised;
  const canonical = runForm(normalised);
  const viaVarRun = written !== canonical;
  // How an entry reads next to the path the user wrote: `/var/run/docker.sock` for a `/var/run` mount.
  const shown = (path: string): string => (viaVarRun && path.startsWith('/run/') ? `/var${path}` : path);

  for (const candidate of SENSITIVE_HOST_PATHS) {
    if (candidate.path === canonical) return { relation: 'exact', sensitivePath: shown(candidate.path), description: candidate.description };
  }
  let inside: SensitiveHostPath | undefined;
  for (const candidate of SENSITIVE_HOST_PATHS) {
    if (candidate.subtree && isUnder(canonical, candidate.path) && candidate.path.length > (inside?.path.length ?? -1)) inside = candidate;
  }
  if (inside) return { relation: 'inside', sensitivePath: shown(inside.path), description: inside.description };
  for (const candidate of SENSITIVE_HOST_PATHS) {
    if (isUnder(candidate.path, canonical)) {
      return { relation: 'parent', sensitivePath: shown(candidate.path), description: candidate.description };
    }
    // `/var` contains `/var/run/docker.sock` through the link as well as `/var/lib/kubelet`.
    if (candidate.path.startsWith('/run/') && isUnder(`/var${candidate.path}`, written)) {
      return { relation: 'parent', sensitivePath: `/var${candidate.path}`, description: candidate.description };
    }
  }
  return undefined;
}
