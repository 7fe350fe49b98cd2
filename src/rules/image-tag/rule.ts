import { defineRule } from '../../core/rule-api.ts';
import { mutableImageOf } from '../shared/image-reference.ts';

export const rule = defineRule({
  meta: {
    id: 'image-tag',
    title: 'Image has no tag or uses :latest',
    category: 'images',
    defaultSeverity: 'medium',
    rationale:
      'An image without a tag means :latest, and :latest moves with every push. Which code runs then depends on ' +
      'when each node pulled, rollbacks cannot return to a known version, a compromised registry account ' +
      'reaches production with the next restart, and scanners cannot tell what is deployed. A digest pins the ' +
      'image even when the tag is latest, so digest-pinned images are not reported.',
    remediation:
      'Reference a specific, immutable version tag (registry.example.com/app:1.4.2), better still pinned by digest ' +
      '(registry.example.com/app:1.4.2@sha256:…).',
    controls: ['nsa-cisa/image-security', 'mitre-attack/T1525', 'nist-800-190/4.2.2', 'nist-800-53/CM-2', 'nist-800-53/SI-7', 'soc2/CC6.8', 'iso-27001/8.19'],
    messages: {
      noTag: 'image "{{image}}" of container "{{container}}" has no tag, so it runs whatever :latest points to at pull time',
      latest: 'image "{{image}}" of container "{{container}}" uses the mutable :latest tag',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:latest',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.4.2',
    },
  },
  scope: { type: 'container' },
  check(context, { entry }) {
    // Ephemeral containers are included: they pull and run images like any other container.
    const mutable = mutableImageOf(entry.container);
    if (!mutable) return;
    const { image, reference } = mutable;
    if (reference.tag === undefined || reference.tag === 'latest') {
      context.report({
        messageId: reference.tag === undefined ? 'noTag' : 'latest',
        data: { image, container: entry.name },
        path: [...entry.path, 'image'],
      });
    }
  },
});
