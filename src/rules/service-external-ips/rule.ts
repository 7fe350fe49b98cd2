import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'service-external-ips',
    title: 'Service sets externalIPs',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'Nodes route traffic for a Service\'s externalIPs to its endpoints. Anyone who may create Services can ' +
      'claim an arbitrary address this way and intercept traffic meant for it (CVE-2020-8554); the feature is ' +
      'rarely needed and is best blocked by admission policy.',
    remediation:
      'Remove spec.externalIPs and expose the workload through a LoadBalancer or Ingress; block externalIPs ' +
      'cluster-wide with an admission policy.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1557', 'nist-800-53/AC-4', 'nist-800-53/CM-7', 'pci-dss/2.2.4', 'soc2/CC6.7', 'iso-27001/8.20'],
    messages: {
      externalIps: 'Service sets externalIPs ({{addresses}}): traffic to these addresses is routed to it (CVE-2020-8554)',
    },
    example: {
      bad: 'kind: Service\nspec:\n  externalIPs: ["198.51.100.7"]',
      good: 'kind: Service\nspec:\n  type: ClusterIP',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] },
  check(context, object) {
    const addresses = asArray(asObject(object.object['spec'])?.['externalIPs']).filter((a): a is string => typeof a === 'string');
    if (addresses.length === 0) return;
    context.report({ messageId: 'externalIps', data: { addresses: addresses.join(', ') }, path: ['spec', 'externalIPs'] });
  },
});
