import { defineRule } from '../../core/rule-api.ts';
import { fixFor, KUBELET_CONFIGURATION_KIND, kubeletsOf, locateSetting, REQUIRES_KUBELET } from '../shared/kubelet.ts';

export const rule = defineRule({
  meta: {
    id: 'kubelet-read-only-port',
    title: 'Kubelet serves its read-only port without authentication',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_KUBELET,
    rationale:
      'Besides its authenticated API on port 10250, the kubelet can serve a read-only HTTP port (traditionally 10255) ' +
      'with no TLS, no authentication and no authorization. Anyone who reaches it can list every pod on the node with ' +
      'its full spec (images, commands, environment variables, volumes, service account names) and read node and ' +
      'container metrics, which maps the workload for an attacker and may leak credentials written into pod specs. A ' +
      'KubeletConfiguration file defaults readOnlyPort to 0 (off), but a kubelet started without --config defaults ' +
      '--read-only-port to 10255. CIS Kubernetes Benchmark 4.2.4 (Manual in v1.12, judged here from the effective ' +
      'setting).',
    remediation:
      'Set readOnlyPort: 0 in the kubelet config file (or remove the field: the file\'s default is 0) and remove any ' +
      '--read-only-port flag other than --read-only-port=0 from the kubelet\'s systemd unit, drop-ins and environment ' +
      'files; a kubelet without --config needs --read-only-port=0. Monitoring that scraped :10255 should use the ' +
      'authenticated port 10250 (/metrics, /metrics/cadvisor, /stats) with a service account allowed nodes/metrics ' +
      'and nodes/stats. Then restart the kubelet.',
    controls: ['cis-k8s/4.2.4', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1613', 'nist-800-190/4.3.2', 'nist-800-53/AC-14', 'nist-800-53/CM-7', 'pci-dss/2.2.4', 'pci-dss/8.3.1', 'soc2/CC6.1', 'iso-27001/8.5', 'hipaa/164.312(d)'],
    messages: {
      readOnlyPortOpen:
        'the kubelet serves pod specs and node metrics without authentication on port {{port}}: {{source}}; {{fix}}',
    },
    example: {
      bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 10255',
      good: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nreadOnlyPort: 0',
    },
  },
  scope: { type: 'inventory', kinds: [KUBELET_CONFIGURATION_KIND] },
  check(context, subject) {
    for (const kubelet of kubeletsOf(subject)) {
      // Undefined when the input does not show the value (the file --config names is not in it).
      const at = locateSetting(kubelet, 'readOnlyPort');
      if (!at) continue;
      context.evaluated();
      const port = kubelet.effective.settings.readOnlyPort.value;
      // The kubelet listens when the port is positive (startKubelet: `if kubeCfg.ReadOnlyPort > 0`).
      if (port <= 0) continue;
      context.report({
        messageId: 'readOnlyPortOpen',
        data: { port, source: at.source, fix: fixFor(kubelet, 'readOnlyPort', '0', at) },
        path: at.path,
        object: at.object,
      });
    }
  },
});
