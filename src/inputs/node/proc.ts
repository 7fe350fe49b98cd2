import { HYPERKUBE_COMMANDS, isNodeComponent, type NodeComponent } from './components.ts';
import type { HostFs, HostFsError } from './host-fs.ts';

// The Kubernetes processes running on the node, from `<root>/proc/<pid>/cmdline`. With --root the host's /proc
// must be mounted there (or the pod must share the host PID namespace with root `/`).

export interface NodeProcess {
  readonly pid: number;
  readonly component: NodeComponent;
  /** The command line as the kernel keeps it: argv[0] is the executable as invoked. */
  readonly argv: readonly string[];
  /** The arguments after the executable (and after `hyperkube <component>`): the flags to check. */
  readonly args: readonly string[];
}

export interface ProcessScan {
  /** Sorted by component, then pid. */
  readonly processes: readonly NodeProcess[];
  /** Numeric /proc entries seen: 0 means /proc is empty, typically not the host's /proc. */
  readonly scanned: number;
  /** Processes whose command line could not be read (gone meanwhile, or hidden by hidepid). */
  readonly unreadable: number;
}

export type ProcessScanResult = ({ readonly ok: true } & ProcessScan) | { readonly ok: false; readonly error: HostFsError };

export interface ProcessScanOptions {
  /** Where procfs is, as a host path (default `/proc`). */
  readonly procDir?: string;
  /** Longest command line read (default 4 MiB; Linux allows up to ARG_MAX). */
  readonly maxCmdlineBytes?: number;
}

const DEFAULT_MAX_CMDLINE_BYTES = 4 * 1024 * 1024;

/** Lists the kube-apiserver, kube-controller-manager, kube-scheduler, etcd, kubelet and kube-proxy processes. */
export function listNodeProcesses(fs: HostFs, options: ProcessScanOptions = {}): ProcessScanResult {
  const procDir = options.procDir ?? '/proc';
  const maxBytes = options.maxCmdlineBytes ?? DEFAULT_MAX_CMDLINE_BYTES;
  const listing = fs.list(procDir);
  if (!listing.ok) {
    const { error } = listing;
    const next = error.code === 'not-found' ? ' (mount the host /proc under the root, or leave --proc off)' : '';
    return { ok: false, error: { ...error, message: `cannot list processes in ${procDir}: ${error.message}${next}` } };
  }
  const base = procDir.endsWith('/') ? procDir.slice(0, -1) : procDir;
  const processes: NodeProcess[] = [];
  let scanned = 0;
  let unreadable = 0;
  for (const entry of listing.entries) {
    if (!/^[1-9]\d{0,9}$/.test(entry.name)) continue;
    scanned++;
    const read = fs.readBytes(`${base}/${entry.name}/cmdline`, maxBytes);
    if (!read.ok) {
      unreadable++;
      continue;
    }
    const argv = splitCmdline(read.bytes);
    const match = matchComponent(argv);
    if (match !== undefined) processes.push({ pid: Number(entry.name), component: match.component, argv, args: match.args });
  }
  processes.sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : a.pid - b.pid));
  return { ok: true, processes, scanned, unreadable };
}

/** `/proc/<pid>/cmdline` → argv: NUL-separated, with a trailing NUL; empty arguments in between are kept. */
export function splitCmdline(bytes: Uint8Array): string[] {
  if (bytes.length === 0) return [];
  const text = new TextDecoder('utf-8').decode(bytes);
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/** Which component an argv runs, by its executable's base name (or `hyperkube <component>`). */
export function matchComponent(argv: readonly string[]): { component: NodeComponent; args: readonly string[] } | undefined {
  const executable = argv[0];
  if (executable === undefined) return undefined;
  const name = executable.slice(executable.lastIndexOf('/') + 1);
  if (isNodeComponent(name)) return { component: name, args: argv.slice(1) };
  if (name === 'hyperkube') {
    const command = argv[1];
    const component = command === undefined ? undefined : HYPERKUBE_COMMANDS.get(command);
    if (component !== undefined) return { component, args: argv.slice(2) };
  }
  return undefined;
}
