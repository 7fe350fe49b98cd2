// The flags each component defines, by how they take values (see FlagKind). The lists need not be complete: a flag
// missing here is parsed by the heuristic in parseFlags. What matters is that every boolean flag a command line is
// likely to carry is listed (so `--anonymous-auth false` is not read as a value), and that list, array and map
// flags have their kind (so repeated occurrences combine as the component combines them). Kinds follow the
// upstream flag definitions: BoolVar → bool, StringSliceVar → list, StringArrayVar → array, MapStringBool/feature
// gates → gates, ConfigurationMap/MapStringString → map, everything else (strings, ints, durations, IPs) → string.

import type { FlagGrammar, FlagKind } from './flags.ts';

function kinds(groups: Partial<Record<FlagKind, string>>): Record<string, FlagKind> {
  const result: Record<string, FlagKind> = {};
  for (const [kind, names] of Object.entries(groups) as [FlagKind, string][]) {
    for (const name of names.split(/\s+/)) if (name) result[name] = kind;
  }
  return result;
}

/** klog and component-base flags every Kubernetes component registers. */
const PFLAG_GLOBALS = kinds({
  bool: 'help logtostderr alsologtostderr add-dir-header skip-headers skip-log-headers one-output log-json-split-stream log-text-split-stream',
  optional: 'version',
  string:
    'v vmodule log-dir log-file log-file-max-size log-flush-frequency logging-format stderrthreshold log-backtrace-at ' +
    'log-json-info-buffer-size log-text-info-buffer-size',
});

/** Secure serving, delegated authn/authz, profiling and metrics (apiserver, controller-manager, scheduler). */
const SERVING = kinds({
  bool: 'profiling contention-profiling permit-port-sharing permit-address-sharing authentication-skip-lookup authentication-tolerate-lookup-failure',
  list:
    'tls-cipher-suites requestheader-allowed-names requestheader-extra-headers-prefix requestheader-group-headers ' +
    'requestheader-username-headers requestheader-uid-headers authorization-always-allow-paths disabled-metrics',
  array: 'tls-sni-cert-key',
  gates: 'feature-gates',
  string:
    'bind-address secure-port cert-dir tls-cert-file tls-private-key-file tls-min-version client-ca-file ' +
    'requestheader-client-ca-file authentication-kubeconfig authorization-kubeconfig kubeconfig master ' +
    'http2-max-streams-per-connection show-hidden-metrics-for-version',
});

const LEADER_ELECTION = kinds({
  bool: 'leader-elect',
  string:
    'leader-elect-lease-duration leader-elect-renew-deadline leader-elect-retry-period leader-elect-resource-lock ' +
    'leader-elect-resource-name leader-elect-resource-namespace',
});

const KUBE_APISERVER = kinds({
  bool:
    'allow-privileged anonymous-auth enable-bootstrap-token-auth enable-aggregator-routing enable-priority-and-fairness ' +
    'enable-garbage-collector enable-logs-handler audit-log-compress audit-log-truncate-enabled ' +
    'audit-webhook-truncate-enabled audit-log-batch-throttle-enable audit-webhook-batch-throttle-enable ' +
    'service-account-lookup service-account-extend-token-expiration watch-cache ' +
    'encryption-provider-config-automatic-reload shutdown-send-retry-after kubelet-https enable-swagger-ui',
  list:
    'enable-admission-plugins disable-admission-plugins admission-control authorization-mode api-audiences ' +
    'etcd-servers etcd-servers-overrides kubelet-preferred-address-types watch-cache-sizes oidc-signing-algs ' +
    'cors-allowed-origins strict-transport-security-directives',
  array: 'service-account-issuer service-account-key-file',
  map: 'runtime-config oidc-required-claim',
  string:
    'admission-control-config-file advertise-address apiserver-count audit-log-path audit-log-maxage ' +
    'audit-log-maxbackup audit-log-maxsize audit-log-format audit-log-mode audit-policy-file ' +
    'audit-webhook-config-file audit-webhook-mode authentication-config authentication-token-webhook-config-file ' +
    'authorization-config authorization-policy-file authorization-webhook-config-file basic-auth-file cloud-config ' +
    'cloud-provider default-watch-cache-size delete-collection-workers egress-selector-config-file ' +
    'encryption-provider-config endpoint-reconciler-type etcd-cafile etcd-certfile etcd-keyfile ' +
    'etcd-compaction-interval etcd-count-metric-poll-period etcd-prefix event-ttl external-hostname goaway-chance ' +
    'insecure-bind-address insecure-port kubelet-certificate-authority kubelet-client-certificate ' +
    'kubelet-client-key kubelet-port kubelet-read-only-port kubelet-timeout livez-grace-period ' +
    'max-mutating-requests-inflight max-requests-inflight min-request-timeout oidc-ca-file oidc-client-id ' +
    'oidc-groups-claim oidc-groups-prefix oidc-issuer-url oidc-username-claim oidc-username-prefix ' +
    'proxy-client-cert-file proxy-client-key-file request-timeout service-account-max-token-expiration ' +
    'service-account-signing-key-file service-cluster-ip-range service-node-port-range shutdown-delay-duration ' +
    'storage-backend storage-media-type token-auth-file',
});

const KUBE_CONTROLLER_MANAGER = kinds({
  bool:
    'use-service-account-credentials allocate-node-cidrs configure-cloud-routes enable-dynamic-provisioning ' +
    'enable-garbage-collector enable-hostpath-provisioner enable-taint-manager',
  list: 'controllers',
  string:
    'cloud-config cloud-provider cluster-cidr cluster-name cluster-signing-cert-file cluster-signing-duration ' +
    'cluster-signing-key-file concurrent-deployment-syncs concurrent-gc-syncs node-cidr-mask-size ' +
    'node-monitor-grace-period pod-eviction-timeout root-ca-file service-account-private-key-file ' +
    'service-cluster-ip-range terminated-pod-gc-threshold',
});

const KUBE_SCHEDULER = kinds({
  string: 'config policy-config-file policy-configmap scheduler-name',
});

const KUBELET = kinds({
  bool:
    'anonymous-auth authentication-token-webhook rotate-certificates rotate-server-certificates ' +
    'protect-kernel-defaults make-iptables-util-chains seccomp-default fail-swap-on register-node ' +
    'register-schedulable enable-server enable-debugging-handlers contention-profiling cgroups-per-qos ' +
    'serialize-image-pulls exit-on-lock-contention cpu-cfs-quota enable-controller-attach-detach ' +
    'keep-terminated-pod-volumes enable-cadvisor-json-endpoints experimental-allocatable-ignore-eviction ' +
    'experimental-check-node-capabilities-before-mount experimental-kernel-memcg-notification ' +
    'kernel-memcg-notification containerized runonce really-crash-for-testing allow-privileged ' +
    'local-storage-capacity-isolation',
  list: 'tls-cipher-suites cluster-dns allowed-unsafe-sysctls enforce-node-allocatable',
  gates: 'feature-gates',
  map: 'node-labels system-reserved kube-reserved qos-reserved',
  string:
    'address authentication-token-webhook-cache-ttl authorization-mode authorization-webhook-cache-authorized-ttl ' +
    'authorization-webhook-cache-unauthorized-ttl bootstrap-kubeconfig cert-dir cgroup-driver cgroup-root ' +
    'client-ca-file cloud-config cloud-provider cluster-domain cni-bin-dir cni-conf-dir config config-dir ' +
    'container-log-max-files container-log-max-size container-runtime container-runtime-endpoint ' +
    'cpu-manager-policy event-burst event-qps eviction-hard eviction-minimum-reclaim eviction-soft ' +
    'eviction-soft-grace-period file-check-frequency hairpin-mode healthz-bind-address healthz-port ' +
    'hostname-override http-check-frequency image-credential-provider-bin-dir image-credential-provider-config ' +
    'image-gc-high-threshold image-gc-low-threshold image-service-endpoint iptables-drop-bit ' +
    'iptables-masquerade-bit kube-api-burst kube-api-content-type kube-api-qps kube-reserved-cgroup ' +
    'kubeconfig kubelet-cgroups lock-file manifest-url max-open-files max-pods minimum-image-ttl-duration ' +
    'network-plugin node-ip node-status-update-frequency oom-score-adj pod-cidr pod-infra-container-image ' +
    'pod-manifest-path pod-max-pids port provider-id read-only-port register-with-taints registry-burst ' +
    'registry-qps resolv-conf root-dir runtime-cgroups runtime-request-timeout seccomp-profile-root ' +
    'streaming-connection-idle-timeout sync-frequency system-cgroups system-reserved-cgroup tls-cert-file ' +
    'tls-min-version tls-private-key-file topology-manager-policy volume-plugin-dir',
});

const KUBE_PROXY = kinds({
  bool: 'masquerade-all cleanup bind-address-hard-fail profiling',
  list: 'ipvs-exclude-cidrs nodeport-addresses',
  gates: 'feature-gates',
  string:
    'config kubeconfig master hostname-override bind-address healthz-bind-address metrics-bind-address proxy-mode ' +
    'cluster-cidr conntrack-max-per-core iptables-sync-period',
});

/** etcd uses Go's flag package: `-name` and `--name` alike, `--name value` only for non-boolean flags. */
const ETCD = kinds({
  bool:
    'help version client-cert-auth peer-client-cert-auth auto-tls peer-auto-tls enable-v2 enable-pprof ' +
    'strict-reconfig-check debug force-new-cluster enable-grpc-gateway enable-log-rotation socket-reuse-port ' +
    'socket-reuse-address unsafe-no-fsync pre-vote experimental-initial-corrupt-check ' +
    'experimental-enable-distributed-tracing experimental-enable-lease-checkpoint ' +
    'experimental-compact-hash-check-enabled experimental-memory-mlock ' +
    'experimental-peer-skip-client-san-verification peer-skip-client-san-verification',
  string:
    'name data-dir wal-dir listen-peer-urls listen-client-urls listen-metrics-urls advertise-client-urls ' +
    'initial-advertise-peer-urls initial-cluster initial-cluster-state initial-cluster-token cert-file key-file ' +
    'trusted-ca-file peer-cert-file peer-key-file peer-trusted-ca-file client-crl-file peer-crl-file ' +
    'peer-cert-allowed-cn peer-cert-allowed-hostname cipher-suites tls-min-version tls-max-version snapshot-count ' +
    'heartbeat-interval election-timeout quota-backend-bytes auto-compaction-retention auto-compaction-mode ' +
    'max-request-bytes metrics logger log-level log-outputs auth-token bcrypt-cost discovery proxy feature-gates',
});

export const COMPONENT_NAMES = [
  'kube-apiserver',
  'kube-controller-manager',
  'kube-scheduler',
  'etcd',
  'kubelet',
  'kube-proxy',
] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

export const COMPONENT_FLAG_GRAMMARS: Readonly<Record<ComponentName, FlagGrammar>> = {
  'kube-apiserver': { dialect: 'pflag', kinds: { ...PFLAG_GLOBALS, ...SERVING, ...KUBE_APISERVER } },
  'kube-controller-manager': { dialect: 'pflag', kinds: { ...PFLAG_GLOBALS, ...SERVING, ...LEADER_ELECTION, ...KUBE_CONTROLLER_MANAGER } },
  'kube-scheduler': { dialect: 'pflag', kinds: { ...PFLAG_GLOBALS, ...SERVING, ...LEADER_ELECTION, ...KUBE_SCHEDULER } },
  etcd: { dialect: 'goflag', kinds: ETCD },
  kubelet: { dialect: 'pflag', kinds: { ...PFLAG_GLOBALS, ...KUBELET } },
  'kube-proxy': { dialect: 'pflag', kinds: { ...PFLAG_GLOBALS, ...KUBE_PROXY } },
};
