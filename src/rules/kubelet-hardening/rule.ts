import { defineRule } from '../../core/rule-api.ts';
import { KUBELET_CONFIGURATION_KIND, kubeletsOf, reportFailingSettings, REQUIRES_KUBELET, type SettingCheck } from '../shared/kubelet.ts';

type MessageId =
  | 'streamingIdleTimeoutDisabled'
  | 'iptablesUtilChainsDisabled'
  | 'clientCertificateRotationOff'
  | 'serverCertificateGateOff'
  | 'podPidsUnlimited'
  | 'seccompDefaultOff';

const CHECKS: readonly SettingCheck<MessageId>[] = [
  {
    messageId: 'streamingIdleTimeoutDisabled',
    key: 'streamingConnectionIdleTimeout',
    // Only a flag can make it 0: the file's 0s is replaced by the 4h default.
    failing: (kubelet) => kubelet.effective.settings.streamingConnectionIdleTimeout.value === 0,
    fix: '5m',
    controls: ['cis-k8s/4.2.5'],
  },
  {
    messageId: 'iptablesUtilChainsDisabled',
    key: 'makeIPTablesUtilChains',
    failing: (kubelet) => !kubelet.effective.settings.makeIPTablesUtilChains.value,
    fix: 'true',
    controls: ['cis-k8s/4.2.6'],
  },
  {
    messageId: 'clientCertificateRotationOff',
    key: 'rotateCertificates',
    failing: (kubelet) => !kubelet.effective.settings.rotateCertificates.value,
    fix: 'true',
    controls: ['cis-k8s/4.2.10'],
  },
  {
    messageId: 'serverCertificateGateOff',
    key: 'rotateKubeletServerCertificate',
    failing: (kubelet) => !kubelet.effective.settings.rotateKubeletServerCertificate.value,
    fix: 'true',
    controls: ['cis-k8s/4.2.11'],
  },
  {
    messageId: 'podPidsUnlimited',
    key: 'podPidsLimit',
    // The pod cgroup gets a pids limit only when it is positive (pod_container_manager: `if m.podPidsLimit > 0`).
    failing: (kubelet) => kubelet.effective.settings.podPidsLimit.value <= 0,
    fix: '<a limit that fits your workloads, e.g. 4096>',
    controls: ['cis-k8s/4.2.13', 'nsa-cisa/resource-policies', 'mitre-attack/T1499'],
  },
  {
    messageId: 'seccompDefaultOff',
    key: 'seccompDefault',
    failing: (kubelet) => !kubelet.effective.settings.seccompDefault.value,
    fix: 'true',
    controls: ['cis-k8s/4.2.14', 'nsa-cisa/pod-security', 'mitre-attack/T1611'],
  },
];

export const rule = defineRule({
  meta: {
    id: 'kubelet-hardening',
    title: 'Kubelet hardening settings are off',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: REQUIRES_KUBELET,
    rationale:
      'CIS Kubernetes Benchmark section 4.2 asks the kubelet for several safeguards beyond authentication, judged ' +
      'here from its effective configuration (config file, upstream defaults and the flags that override them). ' +
      '4.2.5: streamingConnectionIdleTimeout must not be 0, or idle exec, attach and port-forward sessions stay open ' +
      'forever (the default is 4h; a 0 in the file is replaced by it, only a flag can set 0). 4.2.6: with ' +
      'makeIPTablesUtilChains false the kubelet does not install its KUBE-FIREWALL rule that drops packets from ' +
      'outside to 127.0.0.0/8 (services bound to localhost become reachable from neighbours when route_localnet is ' +
      'on). 4.2.10: rotateCertificates makes the kubelet renew its client certificate before it expires (the default ' +
      'is false; kubeadm writes true). 4.2.11: the RotateKubeletServerCertificate feature gate (beta, on by default) ' +
      'must not be turned off, or the kubelet cannot request and rotate a serving certificate signed by the cluster ' +
      '(serverTLSBootstrap). 4.2.13: podPidsLimit caps the processes each pod may create; the default -1 leaves one ' +
      'pod free to exhaust the node\'s PIDs. 4.2.14: seccompDefault makes RuntimeDefault the seccomp profile of ' +
      'containers that set none, instead of Unconfined (the default is false). 4.2.7 is kubelet-hostname-override, ' +
      '4.2.9 and 4.2.12 are kubelet-tls. 4.2.8 (eventRecordQPS "at an appropriate level") is not judged: any ' +
      'non-negative value is valid and what is appropriate depends on the cluster. protectKernelDefaults is no longer ' +
      'a CIS recommendation in v1.12 and is not judged.',
    remediation:
      'In the kubelet config file set streamingConnectionIdleTimeout to a positive duration (for example 5m), ' +
      'makeIPTablesUtilChains: true (or remove it), rotateCertificates: true, podPidsLimit to a positive limit that ' +
      'fits your workloads, seccompDefault: true, and remove RotateKubeletServerCertificate: false from featureGates. ' +
      'Remove the flags that say otherwise (--streaming-connection-idle-timeout=0, --make-iptables-util-chains=false, ' +
      '--rotate-certificates=false, --feature-gates=RotateKubeletServerCertificate=false, --pod-max-pids) from the ' +
      'kubelet\'s systemd unit, drop-ins and environment files, then restart the kubelet. Before turning on ' +
      'seccompDefault, check that workloads run under the container runtime\'s default seccomp profile.',
    controls: [
      'cis-k8s/4.2.5',
      'cis-k8s/4.2.6',
      'cis-k8s/4.2.10',
      'cis-k8s/4.2.11',
      'cis-k8s/4.2.13',
      'cis-k8s/4.2.14',
      'nsa-cisa/resource-policies',
      'nsa-cisa/pod-security',
      'mitre-attack/T1499',
      'mitre-attack/T1611',
      'nist-800-190/4.3.5',
      'nist-800-190/4.4.3',
      'nist-800-53/CM-6',
      'nist-800-53/SC-5',
      'nist-800-53/SC-10',
      'nist-800-53/SC-12',
      'pci-dss/2.2.6',
      'soc2/CC6.8',
      'iso-27001/8.9',
    ],
    messages: {
      streamingIdleTimeoutDisabled: 'idle exec, attach and port-forward sessions through the kubelet are never closed: {{source}}; {{fix}}',
      iptablesUtilChainsDisabled:
        'the kubelet does not install its iptables rules, among them KUBE-FIREWALL, which drops packets from other hosts to 127.0.0.0/8: {{source}}; {{fix}}',
      clientCertificateRotationOff: 'the kubelet does not renew its client certificate before it expires: {{source}}; {{fix}}',
      serverCertificateGateOff:
        'the RotateKubeletServerCertificate feature gate is off, so the kubelet cannot request or rotate a serving certificate from the cluster (with serverTLSBootstrap it refuses to start): {{source}}; {{fix}}',
      podPidsUnlimited: 'the kubelet sets no PID limit on pods, so one pod can exhaust the node\'s process IDs: {{source}}; {{fix}}',
      seccompDefaultOff:
        'containers that set no seccomp profile run Unconfined instead of under the runtime\'s default profile: {{source}}; {{fix}}',
    },
    example: {
      bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nmakeIPTablesUtilChains: false\nrotateCertificates: false',
      good:
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nrotateCertificates: true\npodPidsLimit: 4096\nseccompDefault: true\n' +
        'streamingConnectionIdleTimeout: 5m',
    },
  },
  scope: { type: 'inventory', kinds: [KUBELET_CONFIGURATION_KIND] },
  check(context, subject) {
    for (const kubelet of kubeletsOf(subject)) reportFailingSettings(context, kubelet, CHECKS, rule.meta.controls);
  },
});
