import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'host-aliases',
    title: 'Pod overrides name resolution with hostAliases',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'hostAliases write entries into the pod\'s /etc/hosts, silently overriding DNS. They hide where traffic ' +
      'really goes, bypass DNS-based controls and can redirect a service name to an attacker-chosen address.',
    remediation: 'Remove spec.hostAliases and publish the names in DNS (a Service, an ExternalName Service or CoreDNS configuration).',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1565', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'iso-27001/8.9'],
    messages: {
      hostAliases: 'pod sets hostAliases for {{hosts}}; these names bypass DNS',
    },
    example: {
      bad: 'spec:\n  hostAliases:\n  - ip: "10.1.2.3"\n    hostnames: ["db.internal"]',
      good: 'spec:\n  containers:\n  - name: app',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    const aliases = asArray(template.spec['hostAliases']);
    if (aliases.length === 0) return;
    const hosts = aliases.flatMap((alias) => asArray(asObject(alias)?.['hostnames'])).filter((h): h is string => typeof h === 'string');
    context.report({ messageId: 'hostAliases', data: { hosts: hosts.join(', ') || 'no hostnames' }, path: [...template.specPath, 'hostAliases'] });
  },
});
