import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isWindowsPod, normaliseCapability } from '../shared/pod.ts';

/** What each capability hands an attacker, for the message. */
const RISKS: Readonly<Record<string, string>> = {
  ALL: 'every capability, equivalent to a privileged container',
  SYS_ADMIN: 'mount filesystems, use namespaces and BPF: the basis of most container escapes',
  SYS_MODULE: 'load kernel modules: arbitrary code in the host kernel',
  SYS_RAWIO: 'raw I/O on devices and memory',
  SYS_PTRACE: 'trace and inject into other processes, and read their memory',
  SYS_BOOT: 'reboot the node or load a new kernel',
  SYS_TIME: "set the node's clock",
  DAC_READ_SEARCH: 'bypass file read permissions and open host files by handle (the "shocker" escape)',
  NET_ADMIN: 'reconfigure interfaces, routes and firewall rules',
  NET_RAW: 'craft raw packets: ARP and DNS spoofing inside the cluster network',
  BPF: 'load BPF programs into the kernel',
  PERFMON: 'kernel performance monitoring, a BPF and side-channel attack surface',
  MAC_ADMIN: 'reconfigure AppArmor or SELinux',
  MAC_OVERRIDE: 'bypass AppArmor or SELinux',
  SYSLOG: 'read kernel logs and addresses',
  SETFCAP: 'give files capabilities',
};

const DEFAULT_FORBIDDEN = [
  'ALL',
  'SYS_ADMIN',
  'SYS_MODULE',
  'SYS_RAWIO',
  'SYS_PTRACE',
  'SYS_BOOT',
  'SYS_TIME',
  'DAC_READ_SEARCH',
  'NET_ADMIN',
  'NET_RAW',
  'BPF',
  'PERFMON',
  'MAC_ADMIN',
  'MAC_OVERRIDE',
];

export const rule = defineRule({
  meta: {
    id: 'dangerous-capabilities',
    title: 'Container adds a dangerous capability',
    category: 'privileges',
    defaultSeverity: 'high',
    rationale:
      'Some Linux capabilities are close to root on the node: SYS_ADMIN alone enables most known container ' +
      'escapes, SYS_MODULE loads kernel code, SYS_PTRACE reads other processes, DAC_READ_SEARCH opens arbitrary ' +
      'host files, NET_ADMIN and NET_RAW let a container spoof or redirect cluster traffic. A container that adds ' +
      'one of them turns any code execution bug into a node or network compromise.',
    remediation:
      'Remove the capability from securityContext.capabilities.add. If a system component genuinely needs it, run ' +
      'it in a dedicated, tightly controlled namespace and suppress this finding with a justification.',
    controls: ['cis-k8s/5.2.8', 'cis-k8s/5.2.9', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.2', 'iso-27001/8.9'],
    messages: {
      dangerous: 'container "{{container}}" adds capability {{capability}}: {{risk}}',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    capabilities:\n      add: ["SYS_ADMIN"]',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    capabilities:\n      drop: ["ALL"]\n      add: ["NET_BIND_SERVICE"]',
    },
  },
  scope: { type: 'container' },
  options: {
    forbiddenCapabilities: {
      type: 'string[]',
      default: DEFAULT_FORBIDDEN,
      description: 'Capabilities a container must not add (with or without the CAP_ prefix, any case).',
    },
  },
  check(context, { template, entry }) {
    // Capabilities are a Linux concept; Windows nodes ignore them. Ephemeral containers are checked too: a debug
    // container with SYS_ADMIN or SYS_PTRACE shares the pod's namespaces and is as dangerous as any other.
    if (isWindowsPod(template)) return;
    const forbidden = new Set(context.options.forbiddenCapabilities.map(normaliseCapability));
    const add = asObject(asObject(entry.container['securityContext'])?.['capabilities'])?.['add'];
    asArray(add).forEach((value, index) => {
      const written = asString(value);
      if (written === undefined) return;
      const capability = normaliseCapability(written);
      if (!forbidden.has(capability)) return;
      context.report({
        messageId: 'dangerous',
        data: { container: entry.name, capability, risk: RISKS[capability] ?? 'forbidden by the rule configuration' },
        path: [...entry.path, 'securityContext', 'capabilities', 'add', index],
      });
    });
  },
});
