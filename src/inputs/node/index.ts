// Node inputs for `palisade node`: the node's filesystem under a root (chroot-style), the Kubernetes files on it,
// and the Kubernetes processes in its /proc.

export { HYPERKUBE_COMMANDS, NODE_COMPONENTS, isNodeComponent, type NodeComponent } from './components.ts';
export {
  classifyPkiFile,
  discoverNodeFiles,
  filesWithRole,
  manifestComponent,
  readReferencedFiles,
  staticPodManifest,
  SYSTEMD_UNIT_DIRS,
  type ConfiguredFor,
  type DiscoverOptions,
  type FileReference,
  type NodeFile,
  type NodeFileRole,
  type NodeFiles,
  type NodeLayout,
  type PkiKind,
  type ReferencedFiles,
} from './discover.ts';
export {
  errnoError,
  formatBytes,
  formatMode,
  openHostFs,
  parseAccounts,
  type BytesResult,
  type DirEntry,
  type FileInfo,
  type FileType,
  type HostFs,
  type HostFsError,
  type HostFsErrorCode,
  type HostFsOptions,
  type ListResult,
  type OpenHostFsResult,
  type StatOptions,
  type StatResult,
  type SymlinkHop,
  type TextResult,
} from './host-fs.ts';
export { listNodeProcesses, matchComponent, splitCmdline, type NodeProcess, type ProcessScan, type ProcessScanOptions, type ProcessScanResult } from './proc.ts';
