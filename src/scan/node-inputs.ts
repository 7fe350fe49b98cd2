// `palisade node`: one node's Kubernetes configuration as scan inputs. Static Pod manifests, the kubelet's config
// file and the files the API server's flags name (audit policy, EncryptionConfiguration) are read as manifests, so
// findings point at their lines; the kubelet's systemd command line and component processes become
// ComponentCommandLine objects; every file found becomes a NodeFile object for the permission and ownership rules.
import {
  argvTokens,
  componentInvocationOfArgv,
  componentInvocationsOfPod,
  getFlag,
  resolveSystemdService,
  type ArgToken,
  type ComponentInvocation,
} from '../analysers/components/index.ts';
import { COMPONENT_COMMAND_LINE_KIND, ETCD_ENCRYPTION_CHECK_KIND, NODE_FILE_KIND, NODE_OBJECTS_API_VERSION } from '../core/node-objects.ts';
import { checkEtcdEncryption } from '../inputs/node/etcd-check.ts';
import { deepFreeze, refOf, type InventoryObject, type Locator } from '../core/inventory.ts';
import { asArray, asObject, asString, getAtPath, type JsonObject, type Path } from '../core/model.ts';
import type { InputError } from '../core/report.ts';
import {
  discoverNodeFiles,
  formatMode,
  listNodeProcesses,
  openHostFs,
  readReferencedFiles,
  type FileReference,
  type HostFs,
  type HostFsError,
  type NodeFile,
  type NodeProcess,
} from '../inputs/node/index.ts';
import type { SourceText } from '../source/index.ts';
import { parseManifests } from '../source/index.ts';

export interface NodeScanOptions {
  /** The host filesystem's root: `/` on the node, or where a pod mounted it. */
  readonly root: string;
  /** Read component command lines from `<root>/proc` too (the running processes decide over files). */
  readonly proc: boolean;
  /** Read one Secret from each API server's etcd with its client certificate to see whether it is encrypted. */
  readonly etcdCheck?: { readonly timeoutMs: number };
}

export interface NodeInputs {
  readonly sources: readonly SourceText[];
  /** ComponentCommandLine and NodeFile objects, already in inventory form. */
  readonly objects: readonly InventoryObject[];
  readonly errors: readonly InputError[];
  /** Files read. */
  readonly inputs: number;
  readonly summary: {
    readonly root: string;
    readonly layouts: readonly string[];
    readonly files: number;
    readonly processes: number;
  };
  /** What was found to judge: components (static Pods, processes, the kubelet's unit or config) and `audit-policy`. */
  readonly found: ReadonlySet<string>;
}

export class NodeRootError extends Error {}

/** Points every path of a synthetic object at one line of its file (the file as a whole, or one argument's line). */
function lineLocator(lineOf: (path: Path) => number): Locator {
  return { locate: (path) => ({ line: lineOf(path), column: 1 }) };
}

function syntheticObject(object: JsonObject, file: string, locator: Locator): InventoryObject {
  const frozen = deepFreeze(object);
  return { ref: refOf(frozen)!, object: frozen, origin: { type: 'file', file, documentIndex: 0, pathInDocument: [] }, locator };
}

function nodeFileObject(file: NodeFile): InventoryObject {
  const { info } = file;
  return syntheticObject(
    {
      apiVersion: NODE_OBJECTS_API_VERSION,
      kind: NODE_FILE_KIND,
      metadata: { name: file.path },
      spec: {
        path: file.path,
        role: file.role,
        ...(file.component !== undefined ? { component: file.component } : {}),
        ...(file.pkiKind !== undefined ? { pkiKind: file.pkiKind } : {}),
        ...(file.purpose !== undefined ? { purpose: file.purpose } : {}),
        type: info.type,
        mode: formatMode(info.mode),
        owner: info.owner,
        group: info.group,
        uid: info.uid,
        gid: info.gid,
      },
    },
    file.path,
    lineLocator(() => 1),
  );
}

/** A command line as an object: argument i located at the line it came from (its `$VAR`'s line when expanded). */
function commandLineObject(name: string, spec: JsonObject, file: string, lines: readonly number[]): InventoryObject {
  return syntheticObject(
    { apiVersion: NODE_OBJECTS_API_VERSION, kind: COMPONENT_COMMAND_LINE_KIND, metadata: { name }, spec },
    file,
    lineLocator((path) => (path[0] === 'spec' && path[1] === 'argv' && typeof path[2] === 'number' ? (lines[path[2]] ?? lines[0] ?? 1) : (lines[0] ?? 1))),
  );
}

function processObject(process: NodeProcess): InventoryObject {
  const file = `/proc/${process.pid}/cmdline`;
  return commandLineObject(`${process.component}-${process.pid}`, { component: process.component, from: 'process', pid: process.pid, argv: [...process.argv] }, file, process.argv.map(() => 1));
}

function tokenLine(token: ArgToken, execFile: string, execLine: number): number {
  const source = token.source;
  if (source.type !== 'file') return execLine;
  if (source.file === execFile) return source.line;
  return source.via?.file === execFile ? source.via.line : execLine;
}

/** The kubelet's command line as systemd starts it: unit, drop-ins in order, environment files. */
function kubeletFromSystemd(files: readonly NodeFile[], errors: InputError[]): InventoryObject | undefined {
  const units = files.filter((file) => file.role === 'systemd-unit' && file.component === 'kubelet' && file.shadowedBy === undefined && !file.masked && file.text !== undefined);
  const unit = units[0];
  if (!unit) return undefined;
  const dropIns = files.filter((file) => file.role === 'systemd-drop-in' && file.component === 'kubelet' && file.shadowedBy === undefined && !file.masked && file.text !== undefined);
  const environmentFiles = new Map(files.filter((file) => file.role === 'environment-file' && file.text !== undefined).map((file) => [file.path, file.text!]));
  const service = resolveSystemdService({
    unit: { file: unit.path, text: unit.text! },
    dropIns: dropIns.map((file) => ({ file: file.path, text: file.text! })),
    environmentFiles,
  });
  for (const problem of service.problems) {
    if (problem.code === 'optional-environment-file-missing' || problem.code === 'unset-variable') continue;
    errors.push({ code: 'unreadable', file: unit.path, message: `kubelet unit: ${problem.message}` });
  }
  const exec = service.execStart;
  if (!exec) return undefined;
  const argv = exec.argv.map((token) => token.text);
  return commandLineObject('kubelet-systemd', { component: 'kubelet', from: 'systemd', unit: unit.path, argv }, exec.file, exec.argv.map((token) => tokenLine(token, exec.file, exec.line)));
}

/** A path a container sees, as the host path its hostPath volume mounts there (static Pods reach host files so). */
function hostPathOf(pod: JsonObject, containerPath: Path, path: string): string | undefined {
  const spec = asObject(pod['spec']);
  const container = asObject(getAtPath(pod, containerPath));
  const volumes = new Map(asArray(spec?.['volumes']).flatMap((volume) => {
    const hostPath = asString(asObject(asObject(volume)?.['hostPath'])?.['path']);
    const name = asString(asObject(volume)?.['name']);
    return hostPath && name ? [[name, hostPath] as const] : [];
  }));
  let best: { mountPath: string; hostPath: string } | undefined;
  for (const mount of asArray(container?.['volumeMounts'])) {
    const mountPath = asString(asObject(mount)?.['mountPath'])?.replace(/\/+$/, '') ?? '';
    const hostPath = volumes.get(asString(asObject(mount)?.['name']) ?? '');
    if (hostPath === undefined || mountPath === '') continue;
    if (path !== mountPath && !path.startsWith(`${mountPath}/`)) continue;
    if (!best || mountPath.length > best.mountPath.length) best = { mountPath, hostPath: hostPath.replace(/\/+$/, '') };
  }
  return best ? `${best.hostPath}${path.slice(best.mountPath.length)}` : undefined;
}

const REFERENCED_FLAGS = ['audit-policy-file', 'encryption-provider-config', 'authorization-config', 'authentication-config'];

/** An API server found on the node, with the flags that name files, as host paths. */
interface ApiServer {
  /** Where it was found: its manifest, or /proc/<pid>/cmdline. */
  readonly file: string;
  readonly name: string;
  readonly flag: (name: string) => string | undefined;
}

/** A component running in a static Pod, with the manifest it was read from. */
interface PodInvocation {
  readonly file: string;
  readonly pod: InventoryObject;
  readonly invocation: ComponentInvocation;
}

/** The components the static Pod manifests run (each manifest parsed once, here). */
function podInvocations(manifests: readonly NodeFile[]): PodInvocation[] {
  return manifests.flatMap((manifest) =>
    manifest.text === undefined
      ? []
      : parseManifests({ file: manifest.path, text: manifest.text }).objects.flatMap((pod) =>
          componentInvocationsOfPod(pod.object).map((invocation) => ({ file: manifest.path, pod, invocation })),
        ),
  );
}

function apiServers(pods: readonly PodInvocation[], processes: readonly NodeProcess[]): ApiServer[] {
  const found: ApiServer[] = [];
  // A process's paths are the host's already.
  for (const process of processes) {
    if (process.component !== 'kube-apiserver') continue;
    const invocation = componentInvocationOfArgv(argvTokens([...process.argv]), { type: 'process', pid: process.pid });
    if (invocation) found.push({ file: `/proc/${process.pid}/cmdline`, name: `kube-apiserver-${process.pid}`, flag: (name) => getFlag(invocation.flags, name)?.value });
  }
  for (const { file, pod, invocation } of pods) {
    if (invocation.component !== 'kube-apiserver' || invocation.source.type !== 'container') continue;
    const { containerPath } = invocation.source;
    const flag = (name: string): string | undefined => {
      const value = getFlag(invocation.flags, name)?.value;
      // Paths are the container's: the Pod's hostPath volumes say where they are on the host.
      return value && value.startsWith('/') ? (hostPathOf(pod.object, containerPath, value) ?? value) : value;
    };
    found.push({ file, name: `${pod.ref.name}-${String(containerPath[containerPath.length - 1])}`, flag });
  }
  return found;
}

/** Files the API server's flags name that other rules judge: the audit policy and the EncryptionConfiguration. */
function apiServerReferences(servers: readonly ApiServer[]): FileReference[] {
  const references: FileReference[] = [];
  for (const server of servers) {
    for (const flag of REFERENCED_FLAGS) {
      const value = server.flag(flag);
      if (value) references.push({ path: value, purpose: `kube-apiserver --${flag}`, component: 'kube-apiserver' });
    }
  }
  return references;
}



function hostFsErrorToInput(error: HostFsError): InputError {
  const code = error.code === 'not-found' ? 'not-found' : error.code === 'binary' ? 'binary-file' : error.code === 'too-large' ? 'file-too-large' : 'unreadable';
  return { code, file: error.path, message: error.message };
}

/** The kubelet's client CA bundle (CIS 4.1.7, 4.1.8): its mode and owner, never read. */
function kubeletReferences(files: readonly NodeFile[]): FileReference[] {
  const references: FileReference[] = [];
  for (const file of files) {
    if (file.role !== 'kubelet-config' || file.text === undefined) continue;
    for (const object of parseManifests({ file: file.path, text: file.text }).objects) {
      const clientCAFile = asString(asObject(asObject(asObject(object.object['authentication'])?.['x509']))?.['clientCAFile']);
      if (clientCAFile) references.push({ path: clientCAFile, purpose: 'kubelet clientCAFile', read: false, component: 'kubelet', relativeTo: file.path.slice(0, file.path.lastIndexOf('/')) || '/' });
    }
  }
  return references;
}

async function etcdCheckObject(fs: HostFs, server: ApiServer, timeoutMs: number, errors: InputError[]): Promise<InventoryObject | undefined> {
  const endpoint = server.flag('etcd-servers')?.split(',')[0]?.trim();
  if (!endpoint) return undefined;
  const result = await checkEtcdEncryption(fs, {
    server: endpoint,
    prefix: server.flag('etcd-prefix') || '/registry',
    ...(server.flag('etcd-cafile') ? { caFile: server.flag('etcd-cafile')! } : {}),
    ...(server.flag('etcd-certfile') ? { certFile: server.flag('etcd-certfile')! } : {}),
    ...(server.flag('etcd-keyfile') ? { keyFile: server.flag('etcd-keyfile')! } : {}),
    timeoutMs,
  });
  if (result.status === 'error') {
    errors.push({ code: 'unreadable', file: server.file, message: `--etcd-check: ${result.message}` });
    return undefined;
  }
  return syntheticObject(
    {
      apiVersion: NODE_OBJECTS_API_VERSION,
      kind: ETCD_ENCRYPTION_CHECK_KIND,
      metadata: { name: server.name },
      spec: { apiServer: server.file, server: endpoint, prefix: server.flag('etcd-prefix') || '/registry', ...result },
    },
    server.file,
    lineLocator(() => 1),
  );
}

/** Reads one node's configuration under `root` into scan inputs; an unusable root is a NodeRootError. */
export async function collectNodeInputs(options: NodeScanOptions): Promise<NodeInputs> {
  const opened = openHostFs(options.root);
  if (!opened.ok) throw new NodeRootError(opened.error.message);
  const fs: HostFs = opened.fs;
  const discovered = discoverNodeFiles(fs);
  const errors: InputError[] = discovered.errors.map(hostFsErrorToInput);
  const manifests = discovered.files.filter((file) => file.role === 'static-pod-manifest');
  let processes: readonly NodeProcess[] = [];
  if (options.proc) {
    const scan = listNodeProcesses(fs);
    if (!scan.ok) errors.push(hostFsErrorToInput(scan.error));
    else processes = scan.processes;
  }
  const pods = podInvocations(manifests);
  const servers = apiServers(pods, processes);
  const referenced = readReferencedFiles(fs, [...apiServerReferences(servers), ...kubeletReferences(discovered.files)]);
  errors.push(...referenced.errors.map(hostFsErrorToInput));
  for (const missing of referenced.missing) errors.push({ code: 'not-found', file: missing, message: 'named by a component flag or config field, but not found on the node' });

  const files = [...discovered.files, ...referenced.files];
  const readable = files.filter((file) => file.text !== undefined && (file.role === 'static-pod-manifest' || file.role === 'kubelet-config' || file.role === 'referenced'));
  const sources: SourceText[] = readable.map((file) => ({ file: file.path, text: file.text!, json: /\.json$/i.test(file.path) }));

  const objects: InventoryObject[] = files.map(nodeFileObject);
  objects.push(...processes.map(processObject));
  if (options.etcdCheck) {
    for (const server of servers) {
      const check = await etcdCheckObject(fs, server, options.etcdCheck.timeoutMs, errors);
      if (check) objects.push(check);
    }
  }
  // A running kubelet's command line is the truth; the unit files only say what the next start would run.
  if (!processes.some((process) => process.component === 'kubelet')) {
    const kubelet = kubeletFromSystemd(discovered.files, errors);
    if (kubelet) objects.push(kubelet);
  }
  const found = new Set<string>([...processes.map((process) => process.component), ...pods.map((pod) => pod.invocation.component)]);
  if (objects.some((object) => object.ref.name === 'kubelet-systemd') || readable.some((file) => file.role === 'kubelet-config')) found.add('kubelet');
  if (referenced.files.some((file) => file.purpose === 'kube-apiserver --audit-policy-file' && file.text !== undefined)) found.add('audit-policy');
  return {
    found,
    sources,
    objects,
    errors,
    inputs: readable.length,
    summary: { root: discovered.root, layouts: discovered.layouts, files: files.length, processes: processes.length },
  };
}

