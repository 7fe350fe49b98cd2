import { asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { computeQosClass, effectiveRequest, podLevelResources } from '../shared/qos.ts';
import { isPositive } from '../shared/quantity.ts';

export const rule = defineRule({
  meta: {
    id: 'resource-requests',
    title: 'Container has no CPU or memory request',
    category: 'resources',
    defaultSeverity: 'low',
    rationale:
      'The scheduler places pods by their requests. A container without them is scheduled as if it needed ' +
      'nothing, overcommits its node, and is among the first to be throttled and evicted under pressure (a pod ' +
      'without any request or limit is BestEffort). Requests are also what quotas, autoscalers and capacity ' +
      'planning count. A limit without a request sets the request to the limit, so that case is not reported.',
    remediation:
      'Set resources.requests.cpu and resources.requests.memory on every container (init containers included) ' +
      'from observed usage, or pod-level spec.resources.requests.',
    controls: ['nsa-cisa/resource-policies', 'mitre-attack/T1499', 'nist-800-53/SC-6', 'soc2/A1.1', 'iso-27001/8.6'],
    messages: {
      missing: 'container "{{container}}" requests neither CPU nor memory (pod QoS class {{qos}})',
      missingCpu: 'container "{{container}}" has no CPU request (pod QoS class {{qos}})',
      missingMemory: 'container "{{container}}" has no memory request (pod QoS class {{qos}})',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  resources:\n    requests:\n      cpu: 100m\n      memory: 128Mi',
    },
  },
  scope: { type: 'container' },
  check(context, { template, entry }) {
    // Ephemeral containers cannot set resources.
    if (entry.type === 'ephemeralContainers') return;
    const podLevel = podLevelResources(template.spec);
    const resources = asObject(entry.container['resources']);
    const has = (name: 'cpu' | 'memory'): boolean =>
      isPositive(effectiveRequest(podLevel, name)) || isPositive(effectiveRequest(resources, name));
    const cpu = has('cpu');
    const memory = has('memory');
    if (cpu && memory) return;
    const requestsPath = [...entry.path, 'resources', 'requests'];
    const data = { container: entry.name, qos: computeQosClass(template.spec) };
    if (!cpu && !memory) context.report({ messageId: 'missing', data, path: requestsPath });
    else if (!cpu) context.report({ messageId: 'missingCpu', data, path: [...requestsPath, 'cpu'] });
    else context.report({ messageId: 'missingMemory', data, path: [...requestsPath, 'memory'] });
  },
});
