import { defineRule } from '../../core/rule-api.ts';
import { computeQosClass } from '../shared/qos.ts';
import { limitProblem } from '../shared/resources.ts';

export const rule = defineRule({
  meta: {
    id: 'cpu-limit',
    title: 'Container has no CPU limit',
    category: 'resources',
    defaultSeverity: 'low',
    rationale:
      'Without a CPU limit a container can use every idle core of its node. Its CPU request still guarantees ' +
      'other pods their share, so the risk is noisy-neighbour latency and crypto-mining on spare capacity rather ' +
      'than outage, and some teams leave CPU limits off on purpose to avoid throttling. A pod is only in the ' +
      'Guaranteed QoS class (needed for exclusive CPUs and the best eviction protection) when every container ' +
      'has CPU and memory limits equal to its requests.',
    remediation:
      'Set resources.limits.cpu on every container, or a pod-level spec.resources.limits.cpu. If you deliberately ' +
      'run without CPU limits, disable this rule in the configuration.',
    controls: ['nsa-cisa/resource-policies', 'mitre-attack/T1499', 'nist-800-190/4.4.3', 'nist-800-53/SC-5', 'nist-800-53/SC-6', 'pci-dss/2.2.6', 'soc2/A1.1', 'iso-27001/8.6'],
    messages: {
      missing: 'container "{{container}}" has no CPU limit (pod QoS class {{qos}})',
      zero: 'container "{{container}}" sets CPU limit {{value}}, which the kubelet treats as no limit (pod QoS class {{qos}})',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  resources:\n    requests:\n      cpu: 250m',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  resources:\n    requests:\n      cpu: 250m\n    limits:\n      cpu: "1"',
    },
  },
  scope: { type: 'container' },
  check(context, { template, entry }) {
    // Ephemeral containers cannot set resources.
    if (entry.type === 'ephemeralContainers') return;
    const problem = limitProblem(template, entry, 'cpu');
    if (!problem) return;
    context.report({
      messageId: problem.messageId,
      data: { container: entry.name, qos: computeQosClass(template.spec), ...(problem.value !== undefined ? { value: problem.value } : {}) },
      path: problem.path,
    });
  },
});
