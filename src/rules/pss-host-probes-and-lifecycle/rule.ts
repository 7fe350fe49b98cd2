import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `hostProbesAndHostLifecycle`. The evaluator decides, per policy version.
export const rule = definePssRule('hostProbesAndHostLifecycle', {
  id: 'pss-host-probes-and-lifecycle',
  title: 'Probe or lifecycle hook targets another host',
  category: 'host-access',
  defaultSeverity: 'medium',
  rationale:
    'The kubelet runs httpGet and tcpSocket probes and lifecycle hooks from the node. Setting their host ' +
    'field makes the kubelet connect to an arbitrary address with the node\'s network identity, which can ' +
    'reach node-local services, cloud metadata endpoints or other tenants (a server-side request ' +
    'forgery). The baseline profile forbids a host from policy version 1.34.',
  remediation:
    'Remove the host field so that probes and hooks target the pod\'s own IP; to check a dependency, probe ' +
    'an endpoint of the pod that checks it.',
  controls: ['pss-baseline/hostProbesAndHostLifecycle', 'pss-restricted/hostProbesAndHostLifecycle', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/AC-4', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'livenessProbe:\n  httpGet:\n    host: 169.254.169.254\n    path: /latest/meta-data\n    port: 80',
    good: 'livenessProbe:\n  httpGet:\n    path: /healthz\n    port: 8080',
  },
});
