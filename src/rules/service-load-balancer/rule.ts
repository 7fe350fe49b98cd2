import { asArray, asObject, type JsonObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

const SOURCE_RANGES_ANNOTATION = 'service.beta.kubernetes.io/load-balancer-source-ranges';

/** Cloud annotations that make the load balancer internal (reachable only inside the VPC/VNet). */
const INTERNAL_ANNOTATIONS: readonly [string, (value: string) => boolean][] = [
  // The legacy AWS value 0.0.0.0/0 also meant "internal".
  ['service.beta.kubernetes.io/aws-load-balancer-internal', (v) => v === 'true' || v === '0.0.0.0/0'],
  ['service.beta.kubernetes.io/aws-load-balancer-scheme', (v) => v === 'internal'],
  ['service.beta.kubernetes.io/azure-load-balancer-internal', (v) => v === 'true'],
  ['networking.gke.io/load-balancer-type', (v) => v.toLowerCase() === 'internal'],
  ['cloud.google.com/load-balancer-type', (v) => v.toLowerCase() === 'internal'],
  ['service.beta.kubernetes.io/oci-load-balancer-internal', (v) => v === 'true'],
];

const OPEN_RANGES = new Set(['0.0.0.0/0', '::/0']);

function sourceRanges(spec: JsonObject, annotations: JsonObject | undefined): { ranges: string[]; path: readonly (string | number)[] } {
  const fromSpec = asArray(spec['loadBalancerSourceRanges']).filter((r): r is string => typeof r === 'string');
  if (fromSpec.length > 0) return { ranges: fromSpec, path: ['spec', 'loadBalancerSourceRanges'] };
  const annotation = annotations?.[SOURCE_RANGES_ANNOTATION];
  const fromAnnotation = typeof annotation === 'string' ? annotation.split(',').map((r) => r.trim()).filter((r) => r !== '') : [];
  return { ranges: fromAnnotation, path: fromAnnotation.length > 0 ? ['metadata', 'annotations', SOURCE_RANGES_ANNOTATION] : ['spec', 'loadBalancerSourceRanges'] };
}

export const rule = defineRule({
  meta: {
    id: 'service-load-balancer',
    title: 'LoadBalancer Service is open to every source address',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A LoadBalancer Service without loadBalancerSourceRanges is usually reachable from the whole internet. ' +
      'Restricting the source ranges at the cloud load balancer keeps administrative and internal services ' +
      'away from scanners and attackers.',
    remediation:
      'Set spec.loadBalancerSourceRanges (or the service.beta.kubernetes.io/load-balancer-source-ranges annotation) ' +
      'to the networks that need access, or use an internal load balancer (the cloud provider\'s internal ' +
      'annotation) or an Ingress with authentication.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1133', 'nist-800-53/SC-7', 'pci-dss/1.3.1', 'pci-dss/1.4.2', 'soc2/CC6.6', 'iso-27001/8.20'],
    messages: {
      openToAll: 'LoadBalancer Service sets no loadBalancerSourceRanges: every address that reaches the load balancer can connect',
      openRange: 'LoadBalancer Service allows {{range}}: every address can connect',
    },
    example: {
      bad: 'kind: Service\nspec:\n  type: LoadBalancer\n  ports:\n  - port: 443',
      good: 'kind: Service\nspec:\n  type: LoadBalancer\n  loadBalancerSourceRanges: ["203.0.113.0/24"]\n  ports:\n  - port: 443',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] },
  check(context, object) {
    const spec = asObject(object.object['spec']);
    if (!spec || spec['type'] !== 'LoadBalancer') return;
    const annotations = asObject(asObject(object.object['metadata'])?.['annotations']);
    const internal = INTERNAL_ANNOTATIONS.some(([key, isInternal]) => {
      const value = annotations?.[key];
      return typeof value === 'string' && isInternal(value.trim());
    });
    if (internal) return;
    const { ranges, path } = sourceRanges(spec, annotations);
    if (ranges.length === 0) {
      context.report({ messageId: 'openToAll', path });
      return;
    }
    const open = ranges.find((range) => OPEN_RANGES.has(range));
    if (open !== undefined) context.report({ messageId: 'openRange', data: { range: open }, path });
  },
});
