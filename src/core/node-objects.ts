// What `palisade node` reads from a node rather than from manifests, as objects rules see like any other input:
// a component's command line (a process's /proc/<pid>/cmdline, or the kubelet's systemd ExecStart), with every
// argument located in the file it came from; and each Kubernetes file found, with its mode and owner.

export const NODE_OBJECTS_API_VERSION = 'palisade.dev/v1alpha1';

/**
 * `spec.argv`: the full command line, executable first. `spec.component`: the component it runs. `spec.from`:
 * `process` (with `pid`) or `systemd` (with `unit`).
 */
export const COMPONENT_COMMAND_LINE_KIND = 'ComponentCommandLine';

/**
 * `spec.path`, `spec.role` (what discovery found it as: static-pod-manifest, kubeconfig, pki-file, …),
 * `spec.component` (whom it configures), `spec.pkiKind`, `spec.type`, `spec.mode` (`0644`), `spec.owner`,
 * `spec.group`, `spec.uid`, `spec.gid`.
 */
export const NODE_FILE_KIND = 'NodeFile';

/**
 * `palisade node --etcd-check`: what one Secret's stored value in etcd says. `spec.apiServer` (where the API server
 * was found), `spec.server`, `spec.prefix`, `spec.status` (`encrypted`, `plaintext` or `no-secrets`), `spec.key`,
 * and for encrypted values `spec.provider` and `spec.keyName`. Never the value.
 */
export const ETCD_ENCRYPTION_CHECK_KIND = 'EtcdEncryptionCheck';
