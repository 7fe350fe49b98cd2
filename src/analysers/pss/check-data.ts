// The value lists the Pod Security Standards checks compare against, with the policy version each entry joined.
// Sources: kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_*.go.

/** Capabilities baseline lets a container add (the container runtime's default set, without NET_RAW). */
export const BASELINE_ADDABLE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** The one capability restricted lets a container add. */
export const RESTRICTED_ADDABLE_CAPABILITY = 'NET_BIND_SERVICE';
/** The value restricted requires in `capabilities.drop`. */
export const CAPABILITY_ALL = 'ALL';

/** Entries of a versioned allow-list: `since` is the policy minor (1.N) from which the values are allowed. */
interface VersionedValues {
  readonly since: number;
  readonly values: readonly string[];
}

function cumulative(entries: readonly VersionedValues[], minor: number): ReadonlySet<string> {
  return new Set(entries.filter((entry) => entry.since <= minor).flatMap((entry) => entry.values));
}

/** Safe sysctls by the policy version that first allows them (check_sysctls.go). */
export const SAFE_SYSCTLS: readonly VersionedValues[] = [
  {
    since: 0,
    values: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  },
  { since: 27, values: ['net.ipv4.ip_local_reserved_ports'] },
  {
    since: 29,
    values: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes'],
  },
  { since: 32, values: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, values: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] },
];

export function safeSysctls(minor: number): ReadonlySet<string> {
  return cumulative(SAFE_SYSCTLS, minor);
}

/** SELinux types a pod or container may set (check_seLinuxOptions.go); the empty string is "not set". */
export const SELINUX_ALLOWED_TYPES: readonly VersionedValues[] = [
  { since: 0, values: ['', 'container_t', 'container_init_t', 'container_kvm_t'] },
  { since: 31, values: ['container_engine_t'] },
];

export function allowedSeLinuxTypes(minor: number): ReadonlySet<string> {
  return cumulative(SELINUX_ALLOWED_TYPES, minor);
}

/** securityContext.seccompProfile.type / appArmorProfile.type values baseline and restricted accept. */
export const ALLOWED_PROFILE_TYPES: ReadonlySet<string> = new Set(['RuntimeDefault', 'Localhost']);

/** Annotation keys of the pre-1.19 seccomp and the beta AppArmor APIs. */
export const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
export const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
export const APPARMOR_CONTAINER_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

export function allowedSeccompAnnotationValue(value: string): boolean {
  return value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/');
}

export function allowedAppArmorAnnotationValue(value: string): boolean {
  return value === '' || value === 'runtime/default' || value.startsWith('localhost/');
}

/**
 * Inline volume sources restricted allows (check_restrictedVolumes.go). `image` was added to the 1.0 revision in
 * place (Kubernetes 1.33), so it is allowed at every policy version.
 */
export const RESTRICTED_ALLOWED_VOLUME_TYPES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
];

/** Every other inline volume source of the core API, in the order PSA names the first one it finds. */
export const RESTRICTED_FORBIDDEN_VOLUME_TYPES: readonly string[] = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
];

/** Probe and lifecycle handler fields whose `host` baseline forbids from 1.34 (check_hostProbesAndhostLifecycle.go). */
export const PROBE_FIELDS: readonly string[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];
export const LIFECYCLE_HANDLER_FIELDS: readonly string[] = ['postStart', 'preStop'];
export const HOST_HANDLER_ACTIONS: readonly string[] = ['httpGet', 'tcpSocket'];
