// What the CIS Kubernetes Benchmark (v1.12, sections 1.1 and 4.1) asks of each file `palisade node` finds: the most
// permissive mode allowed and the owner, with the recommendation ids. Files are recognised by the role discovery
// gave them and whom they configure.
import { apiGroupOf, type InventoryObject } from '../../core/inventory.ts';
import { asObject, asString } from '../../core/model.ts';
import { NODE_FILE_KIND } from '../../core/node-objects.ts';

/** `meta.requires` of the rules that judge node files: their modes and owners, which only `palisade node` reads. */
export const REQUIRES_NODE_FILES = 'the file the recommendation concerns, with its mode and owner (palisade node on a node that has it)';

export interface FileRequirement {
  /** What the file is, as messages say it. */
  readonly what: string;
  /** Bits allowed: the mode must not have any other (0o600: at most rw-------). */
  readonly maxMode?: number;
  readonly modeControl?: string;
  /** `user:group` required. */
  readonly owner?: string;
  readonly ownerControl?: string;
}

export interface NodeFileView {
  readonly object: InventoryObject;
  readonly path: string;
  readonly role: string;
  readonly component: string | undefined;
  readonly pkiKind: string | undefined;
  readonly purpose: string | undefined;
  readonly type: string;
  readonly mode: number;
  readonly owner: string;
  readonly group: string;
}

export function nodeFiles(objects: readonly InventoryObject[]): NodeFileView[] {
  const files: NodeFileView[] = [];
  for (const object of objects) {
    if (object.ref.kind !== NODE_FILE_KIND || apiGroupOf(object.ref.apiVersion) !== 'palisade.dev') continue;
    const spec = asObject(object.object['spec']) ?? {};
    const mode = Number.parseInt(asString(spec['mode']) ?? '', 8);
    if (Number.isNaN(mode)) continue;
    files.push({
      object,
      path: asString(spec['path']) ?? object.ref.name,
      role: asString(spec['role']) ?? '',
      component: asString(spec['component']),
      pkiKind: asString(spec['pkiKind']),
      purpose: asString(spec['purpose']),
      type: asString(spec['type']) ?? 'file',
      mode,
      owner: asString(spec['owner']) ?? '',
      group: asString(spec['group']) ?? '',
    });
  }
  return files;
}

const POD_SPEC: Readonly<Record<string, readonly [string, string, string, string, string]>> = {
  // component: what, mode control, owner control
  'kube-apiserver': ['API server Pod specification', 'cis-k8s/1.1.1', 'cis-k8s/1.1.2', '', ''],
  'kube-controller-manager': ['controller manager Pod specification', 'cis-k8s/1.1.3', 'cis-k8s/1.1.4', '', ''],
  'kube-scheduler': ['scheduler Pod specification', 'cis-k8s/1.1.5', 'cis-k8s/1.1.6', '', ''],
  etcd: ['etcd Pod specification', 'cis-k8s/1.1.7', 'cis-k8s/1.1.8', '', ''],
};

const KUBECONFIGS: Readonly<Record<string, readonly [string, string, string]>> = {
  admin: ['administrative kubeconfig', 'cis-k8s/1.1.13', 'cis-k8s/1.1.14'],
  'super-admin': ['super-admin kubeconfig', 'cis-k8s/1.1.13', 'cis-k8s/1.1.14'],
  'kube-scheduler': ['scheduler kubeconfig', 'cis-k8s/1.1.15', 'cis-k8s/1.1.16'],
  'kube-controller-manager': ['controller manager kubeconfig', 'cis-k8s/1.1.17', 'cis-k8s/1.1.18'],
  kubelet: ['kubelet kubeconfig', 'cis-k8s/4.1.5', 'cis-k8s/4.1.6'],
  'kube-proxy': ['kube-proxy kubeconfig', 'cis-k8s/4.1.3', 'cis-k8s/4.1.4'],
};

/** The benchmark's requirement for one file, or undefined when it asks nothing of it. */
export function requirementFor(file: NodeFileView): FileRequirement | undefined {
  const component = file.component ?? '';
  switch (file.role) {
    case 'static-pod-manifest': {
      const entry = POD_SPEC[component];
      return entry ? { what: entry[0], maxMode: 0o600, modeControl: entry[1], owner: 'root:root', ownerControl: entry[2] } : undefined;
    }
    case 'kubeconfig': {
      const entry = KUBECONFIGS[component];
      return entry ? { what: entry[0], maxMode: 0o600, modeControl: entry[1], owner: 'root:root', ownerControl: entry[2] } : undefined;
    }
    case 'cni-config':
      return { what: 'CNI configuration file', maxMode: 0o600, modeControl: 'cis-k8s/1.1.9', owner: 'root:root', ownerControl: 'cis-k8s/1.1.10' };
    case 'etcd-data-dir':
      return { what: 'etcd data directory', maxMode: 0o700, modeControl: 'cis-k8s/1.1.11', owner: 'etcd:etcd', ownerControl: 'cis-k8s/1.1.12' };
    case 'pki-dir':
      return file.path.startsWith('/etc/kubernetes/pki') ? { what: 'Kubernetes PKI directory', owner: 'root:root', ownerControl: 'cis-k8s/1.1.19' } : undefined;
    case 'pki-file': {
      if (!file.path.startsWith('/etc/kubernetes/pki')) return undefined;
      const owner = { owner: 'root:root', ownerControl: 'cis-k8s/1.1.19' };
      if (file.pkiKind === 'private-key') return { what: 'Kubernetes PKI private key', maxMode: 0o600, modeControl: 'cis-k8s/1.1.21', ...owner };
      if (file.pkiKind === 'certificate') return { what: 'Kubernetes PKI certificate', maxMode: 0o644, modeControl: 'cis-k8s/1.1.20', ...owner };
      return { what: 'Kubernetes PKI file', ...owner };
    }
    case 'systemd-unit':
    case 'systemd-drop-in':
      return component === 'kubelet' ? { what: 'kubelet service file', maxMode: 0o600, modeControl: 'cis-k8s/4.1.1', owner: 'root:root', ownerControl: 'cis-k8s/4.1.2' } : undefined;
    case 'kubelet-config':
      return { what: 'kubelet config file', maxMode: 0o600, modeControl: 'cis-k8s/4.1.9', owner: 'root:root', ownerControl: 'cis-k8s/4.1.10' };
    case 'referenced':
      if (file.purpose?.includes('--client-ca-file') || file.purpose?.includes('clientCAFile')) {
        return { what: 'client certificate authorities file', maxMode: 0o644, modeControl: 'cis-k8s/4.1.7', owner: 'root:root', ownerControl: 'cis-k8s/4.1.8' };
      }
      // The audit policy and EncryptionConfiguration: the latter holds keys for local providers.
      if (file.purpose?.includes('--encryption-provider-config')) return { what: 'EncryptionConfiguration (it may hold encryption keys)', maxMode: 0o600, modeControl: 'mitre-attack/T1552.001', owner: 'root:root', ownerControl: 'mitre-attack/T1552.001' };
      return undefined;
    default:
      return undefined;
  }
}

/** Whether a requirement's control is a CIS Benchmark recommendation (the rules judge those file by file). */
export function isRecommendation(control: string): boolean {
  return control.startsWith('cis-k8s/');
}

/** Every CIS control these rules may cite. */
export const FILE_MODE_CONTROLS = ['cis-k8s/1.1.1', 'cis-k8s/1.1.3', 'cis-k8s/1.1.5', 'cis-k8s/1.1.7', 'cis-k8s/1.1.9', 'cis-k8s/1.1.11', 'cis-k8s/1.1.13', 'cis-k8s/1.1.15', 'cis-k8s/1.1.17', 'cis-k8s/1.1.20', 'cis-k8s/1.1.21', 'mitre-attack/T1552.001', 'cis-k8s/4.1.1', 'cis-k8s/4.1.3', 'cis-k8s/4.1.5', 'cis-k8s/4.1.7', 'cis-k8s/4.1.9'];
export const FILE_OWNER_CONTROLS = ['cis-k8s/1.1.2', 'cis-k8s/1.1.4', 'cis-k8s/1.1.6', 'cis-k8s/1.1.8', 'cis-k8s/1.1.10', 'cis-k8s/1.1.12', 'cis-k8s/1.1.14', 'cis-k8s/1.1.16', 'cis-k8s/1.1.18', 'cis-k8s/1.1.19', 'mitre-attack/T1552.001', 'cis-k8s/4.1.2', 'cis-k8s/4.1.4', 'cis-k8s/4.1.6', 'cis-k8s/4.1.8', 'cis-k8s/4.1.10'];

export function octal(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}
