import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isWindowsPod } from '../shared/pod.ts';

export const rule = defineRule({
  meta: {
    id: 'capabilities-drop-all',
    title: 'Container does not drop all capabilities',
    category: 'privileges',
    defaultSeverity: 'medium',
    rationale:
      'Container runtimes grant a default set of Linux capabilities (CHOWN, DAC_OVERRIDE, FOWNER, SETUID, SETGID, ' +
      'NET_RAW, …) that most applications never use. They widen what an attacker can do after compromising the ' +
      'process (spoof packets with NET_RAW, bypass file permissions with DAC_OVERRIDE) and are the raw material of ' +
      'many container escapes. Dropping ALL and adding back only what is needed is least privilege.',
    remediation:
      'Set securityContext.capabilities.drop: ["ALL"] on every container, and list in capabilities.add only the ' +
      'capabilities the application needs (for example NET_BIND_SERVICE).',
    controls: ['cis-k8s/5.2.8', 'cis-k8s/5.2.10', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      missing: 'container "{{container}}" keeps the runtime\'s default capabilities: it does not set capabilities.drop: ["ALL"]',
      incomplete: 'container "{{container}}" drops {{dropped}} but not ALL, so it keeps the rest of the default capabilities',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    capabilities:\n      drop: ["NET_RAW"]',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    capabilities:\n      drop: ["ALL"]',
    },
  },
  scope: { type: 'container' },
  check(context, { template, entry }) {
    // Capabilities are a Linux concept; Windows nodes ignore them.
    // Ephemeral containers are checked too: a debug container attached with the default capabilities runs in
    // the pod's namespaces with them, and the restricted Pod Security Standard covers them as well.
    if (isWindowsPod(template)) return;
    const path = [...entry.path, 'securityContext', 'capabilities', 'drop'];
    const drop = asObject(asObject(entry.container['securityContext'])?.['capabilities'])?.['drop'];
    const dropped = asArray(drop).flatMap((value) => {
      const name = asString(value);
      return name === undefined ? [] : [name.trim()];
    });
    // containerd and CRI-O match ALL case-insensitively, but not `CAP_ALL`, which they reject as an unknown
    // capability. (The Pod Security Standards insist on upper-case `ALL`; that is the PSS rules' business.)
    if (dropped.some((name) => name.toUpperCase() === 'ALL')) return;
    if (dropped.length === 0) {
      context.report({ messageId: 'missing', data: { container: entry.name }, path });
    } else {
      context.report({ messageId: 'incomplete', data: { container: entry.name, dropped: dropped.join(', ') }, path });
    }
  },
});
