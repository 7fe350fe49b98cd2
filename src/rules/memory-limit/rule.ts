import { defineRule } from '../../core/rule-api.ts';
import { computeQosClass } from '../shared/qos.ts';
import { limitProblem } from '../shared/resources.ts';

export const rule = defineRule({
  meta: {
    id: 'memory-limit',
    title: 'Container has no memory limit',
    category: 'resources',
    defaultSeverity: 'medium',
    rationale:
      'Memory is not compressible: a container without a memory limit can take all the memory of its node, ' +
      'until the kernel OOM-kills processes of other pods or node daemons and the kubelet evicts pods. A leak, a ' +
      'bug or an attacker (a decompression bomb, a hash-flooding request) then turns into a denial of service ' +
      'for everything on the node. A memory limit confines the damage to the offending container.',
    remediation:
      'Set resources.limits.memory on every container (init containers included), sized from observed usage; ' +
      'setting requests.memory to the same value makes scheduling honest. A pod-level spec.resources.limits.memory ' +
      'also bounds the pod.',
    controls: ['nsa-cisa/resource-policies', 'mitre-attack/T1499', 'nist-800-190/4.4.3', 'nist-800-53/SC-5', 'nist-800-53/SC-6', 'pci-dss/2.2.6', 'soc2/A1.1', 'iso-27001/8.6'],
    messages: {
      missing: 'container "{{container}}" has no memory limit (pod QoS class {{qos}}), so it can exhaust the node\'s memory',
      zero: 'container "{{container}}" sets memory limit {{value}}, which the kubelet treats as no limit (pod QoS class {{qos}})',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  resources:\n    requests:\n      memory: 256Mi',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  resources:\n    requests:\n      memory: 256Mi\n    limits:\n      memory: 256Mi',
    },
  },
  scope: { type: 'container' },
  check(context, { template, entry }) {
    // Ephemeral containers cannot set resources.
    if (entry.type === 'ephemeralContainers') return;
    const problem = limitProblem(template, entry, 'memory');
    if (!problem) return;
    context.report({
      messageId: problem.messageId,
      data: { container: entry.name, qos: computeQosClass(template.spec), ...(problem.value !== undefined ? { value: problem.value } : {}) },
      path: problem.path,
    });
  },
});
