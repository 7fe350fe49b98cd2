import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `hostNamespaces`. The evaluator decides, per policy version.
export const rule = definePssRule('hostNamespaces', {
  id: 'pss-host-namespaces',
  title: 'Pod shares host namespaces',
  category: 'host-access',
  defaultSeverity: 'high',
  rationale:
    'hostNetwork, hostPID and hostIPC put the pod in the node\'s network, process or IPC namespace: it can ' +
    'sniff or bind node traffic and reach services listening on localhost, see and signal every process ' +
    'on the node, or read shared memory of other workloads. The baseline profile forbids all three.',
  remediation:
    'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false). Expose network ' +
    'services through a Service instead of the host network.',
  controls: ['pss-baseline/hostNamespaces', 'pss-restricted/hostNamespaces', 'cis-k8s/5.2.3', 'cis-k8s/5.2.4', 'cis-k8s/5.2.5', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'nist-800-53/SC-4', 'nist-800-53/SC-39', 'pci-dss/2.2.3', 'pci-dss/2.2.6', 'soc2/CC6.1', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'spec:\n  hostPID: true\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
    good: 'spec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
  },
});
