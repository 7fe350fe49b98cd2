// The Kubernetes programs a node runs, by the names their executables have.

export const NODE_COMPONENTS = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-proxy', 'kube-scheduler', 'kubelet'] as const;
export type NodeComponent = (typeof NODE_COMPONENTS)[number];

export function isNodeComponent(name: string): name is NodeComponent {
  return (NODE_COMPONENTS as readonly string[]).includes(name);
}

/** `hyperkube <name>`: the long names, and the short ones old hyperkube builds took. */
export const HYPERKUBE_COMMANDS: ReadonlyMap<string, NodeComponent> = new Map([
  ['kube-apiserver', 'kube-apiserver'],
  ['apiserver', 'kube-apiserver'],
  ['kube-controller-manager', 'kube-controller-manager'],
  ['controller-manager', 'kube-controller-manager'],
  ['kube-scheduler', 'kube-scheduler'],
  ['scheduler', 'kube-scheduler'],
  ['kube-proxy', 'kube-proxy'],
  ['proxy', 'kube-proxy'],
  ['kubelet', 'kubelet'],
]);
