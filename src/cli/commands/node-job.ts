// `palisade node --print-job`: the Job that runs `palisade node` on one node from inside the cluster. It mounts the
// host's / read-only and shares the host's PID namespace (for --proc); everything else is locked down, and what the
// job needs beyond Palisade's own rules is suppressed with the reason, so `palisade scan` of the output is clean.

export interface NodeJobOptions {
  readonly image: string;
  readonly namespace: string;
  /** Run on this node (spec.nodeName); otherwise wherever the scheduler puts it. */
  readonly node?: string;
}

const SUPPRESSIONS = [
  'pss-host-namespaces: hostPID shares the node\'s process table, to read kube-apiserver, etcd and kubelet command lines from /proc (--proc); nothing is signalled or traced',
  'pss-host-path-volumes,pss-restricted-volumes,sensitive-host-path: the node\'s / is mounted read-only at /host so its Kubernetes configuration (manifests, kubelet config, PKI metadata) can be read; nothing is written',
  'pss-run-as-non-root,pss-run-as-user,run-as-user-floor: root (uid 0, with every capability dropped) is needed to read the root-owned 0600 files the CIS Benchmark asks about',
  'runtime-class-sandbox: a sandboxed runtime (gVisor, Kata) would hide the host\'s /proc and files the Job exists to read',
  'netpol-egress-no-dns: the Job reads local files only and resolves no names; denying all egress is the point',
];

/** Only while the image is not pinned: a suppression nothing matches would be reported as unused. */
const TAG_SUPPRESSION = 'image-digest: the tag names the Palisade release that printed this manifest; pass --image IMAGE@sha256:… to pin your build';

function indent(text: string, spaces: number): string {
  return text.split('\n').map((line) => (line === '' ? line : `${' '.repeat(spaces)}${line}`)).join('\n');
}

export function nodeJobManifest(options: NodeJobOptions): string {
  const namespace = options.namespace;
  return `# palisade node, run as a Job: \`kubectl apply -f\` this, then \`kubectl -n ${namespace} logs job/palisade-node\`.
# The image is built from Palisade's Dockerfile (docker build -t IMAGE .); pass --image to name yours, by digest.
apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  labels:
    # The Job needs hostPID and a hostPath mount: the privileged level admits it; nothing else runs here.
    pod-security.kubernetes.io/enforce: privileged
    pod-security.kubernetes.io/warn: restricted
    pod-security.kubernetes.io/audit: restricted
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: palisade-node
  namespace: ${namespace}
automountServiceAccountToken: false
---
# The Job talks to nobody: no ingress, no egress.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${namespace}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: batch/v1
kind: Job
metadata:
  name: palisade-node
  namespace: ${namespace}
  labels: {app.kubernetes.io/name: palisade-node}
  annotations:
    palisade.dev/suppress: |
${indent([...SUPPRESSIONS, ...(options.image.includes('@sha256:') ? [] : [TAG_SUPPRESSION])].join('\n'), 6)}
spec:
  backoffLimit: 0
  ttlSecondsAfterFinished: 86400
  template:
    metadata:
      labels: {app.kubernetes.io/name: palisade-node}
    spec:
${options.node !== undefined ? `      nodeName: ${options.node}\n` : ''}      restartPolicy: Never
      serviceAccountName: palisade-node
      automountServiceAccountToken: false
      hostPID: true
      # Control-plane nodes are tainted; the benchmark is about them too.
      tolerations:
      - operator: Exists
      securityContext:
        runAsUser: 0
        runAsGroup: 0
        seccompProfile: {type: RuntimeDefault}
      containers:
      - name: palisade
        image: ${options.image}
        imagePullPolicy: Always
        command: [palisade, node, --root, /host, --proc, --fail-on, none]
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities: {drop: [ALL]}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: "1", memory: 512Mi}
        volumeMounts:
        - {name: host, mountPath: /host, readOnly: true}
      volumes:
      - name: host
        hostPath: {path: /, type: Directory}
`;
}
