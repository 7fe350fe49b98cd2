import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

/** Whether a TLS host entry covers a rule host; a wildcard covers exactly one DNS label. */
export function tlsHostCovers(tlsHost: string, host: string): boolean {
  const pattern = tlsHost.toLowerCase();
  const name = host.toLowerCase();
  if (!pattern.startsWith('*.')) return pattern === name;
  const dot = name.indexOf('.');
  return dot > 0 && name.slice(dot) === pattern.slice(1);
}

export const rule = defineRule({
  meta: {
    id: 'ingress-tls',
    title: 'Ingress serves traffic without TLS',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'Without TLS, credentials, session cookies and data cross the network in clear text and can be read or ' +
      'modified in transit. Every host an Ingress serves should be covered by a tls entry.',
    remediation:
      'Add spec.tls with a certificate Secret (for example issued by cert-manager) listing every host of ' +
      'spec.rules.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1557', 'nist-800-53/SC-8', 'nist-800-53/SC-8(1)', 'pci-dss/4.2.1', 'soc2/CC6.7', 'iso-27001/8.24', 'hipaa/164.312(e)(1)', 'hipaa/164.312(e)(2)(ii)'],
    messages: {
      noTls: 'Ingress has no tls section: its hosts are served over plain HTTP',
      hostWithoutTls: 'host "{{host}}" is not covered by any tls.hosts entry',
    },
    example: {
      bad: 'kind: Ingress\nspec:\n  rules:\n  - host: shop.example.com',
      good: 'kind: Ingress\nspec:\n  tls:\n  - hosts: ["shop.example.com"]\n    secretName: shop-tls\n  rules:\n  - host: shop.example.com',
    },
  },
  scope: { type: 'object', kinds: [{ group: 'networking.k8s.io', kind: 'Ingress' }, { group: 'extensions', kind: 'Ingress' }] },
  check(context, object) {
    const spec = asObject(object.object['spec']);
    const tls = asArray(spec?.['tls']);
    if (tls.length === 0) {
      context.report({ messageId: 'noTls', path: ['spec', 'tls'] });
      return;
    }
    // A tls entry without hosts uses the controller's default (wildcard) certificate for every host.
    if (tls.some((entry) => asArray(asObject(entry)?.['hosts']).length === 0)) return;
    const tlsHosts = tls.flatMap((entry) => asArray(asObject(entry)?.['hosts'])).filter((h): h is string => typeof h === 'string');
    asArray(spec?.['rules']).forEach((rule, index) => {
      const host = asString(asObject(rule)?.['host']);
      if (host === undefined || host === '') return;
      if (!tlsHosts.some((tlsHost) => tlsHostCovers(tlsHost, host))) {
        context.report({ messageId: 'hostWithoutTls', data: { host }, path: ['spec', 'rules', index, 'host'] });
      }
    });
  },
});
