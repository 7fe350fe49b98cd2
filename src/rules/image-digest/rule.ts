import { defineRule } from '../../core/rule-api.ts';
import { mutableImageOf } from '../shared/image-reference.ts';

export const rule = defineRule({
  meta: {
    id: 'image-digest',
    title: 'Image is not pinned by digest',
    category: 'images',
    defaultSeverity: 'low',
    rationale:
      'Tags, even version tags, are mutable: whoever can push to the repository can point them at different ' +
      'content, and nodes that pull later run it. A digest (@sha256:…) names the exact content, so the image that ' +
      'was reviewed, scanned and signed is the one that runs, on every node and after every restart.',
    remediation:
      'Append the digest to the image (registry.example.com/app:1.4.2@sha256:…), and let a tool such as Renovate ' +
      'or your CD pipeline keep it up to date.',
    controls: ['nsa-cisa/image-security', 'mitre-attack/T1525', 'nist-800-190/4.1.5', 'nist-800-190/4.2.2', 'nist-800-53/CM-2', 'nist-800-53/SI-7', 'soc2/CC6.8', 'iso-27001/8.19'],
    messages: {
      notPinned: 'image "{{image}}" of container "{{container}}" is not pinned by digest',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.4.2',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.4.2@sha256:4b2d3f1c0e9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c',
    },
  },
  scope: { type: 'container' },
  check(context, { entry }) {
    // Ephemeral containers are included: they pull and run images like any other container.
    const mutable = mutableImageOf(entry.container);
    if (!mutable) return;
    context.report({ messageId: 'notPinned', data: { image: mutable.image, container: entry.name }, path: [...entry.path, 'image'] });
  },
});
