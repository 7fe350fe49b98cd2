import { asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'read-only-root-filesystem',
    title: 'Container root filesystem is writable',
    category: 'privileges',
    defaultSeverity: 'medium',
    rationale:
      'A writable root filesystem lets an attacker who gains code execution drop tools, modify binaries and persist ' +
      'inside the container. Mounting it read-only confines writes to explicitly declared volumes.',
    remediation:
      'Set securityContext.readOnlyRootFilesystem: true on the container and mount an emptyDir volume at the ' +
      'paths the application must write to (for example /tmp).',
    controls: ['cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'mitre-attack/T1525', 'nist-800-190/4.4.4', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9', 'iso-27001/8.19'],
    messages: {
      missing: 'container "{{container}}" does not set securityContext.readOnlyRootFilesystem: true',
      disabled: 'container "{{container}}" sets securityContext.readOnlyRootFilesystem: false',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.2.3\n  securityContext:\n    readOnlyRootFilesystem: true',
    },
  },
  scope: { type: 'container' },
  check(context, { entry }) {
    // Ephemeral debug containers are short-lived and cannot set most securityContext fields meaningfully.
    if (entry.type === 'ephemeralContainers') return;
    const value = asObject(entry.container['securityContext'])?.['readOnlyRootFilesystem'];
    if (value === true) return;
    context.report({
      messageId: value === false ? 'disabled' : 'missing',
      data: { container: entry.name },
      path: [...entry.path, 'securityContext', 'readOnlyRootFilesystem'],
    });
  },
});
