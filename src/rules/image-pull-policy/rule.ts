import { asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { defaultPullPolicy, mutableImageOf } from '../shared/image-reference.ts';

export const rule = defineRule({
  meta: {
    id: 'image-pull-policy',
    title: 'Mutable image is not always pulled',
    category: 'images',
    defaultSeverity: 'low',
    rationale:
      'With imagePullPolicy IfNotPresent (the default for any tag but latest) or Never, a node starts whatever ' +
      'it has cached under the tag: possibly stale, possibly pulled by another workload, and without the ' +
      'registry checking this pod\'s pull credentials, so a pod can run a private image cached by another tenant. ' +
      'Always makes the kubelet resolve the tag against the registry on every start (cheap when layers are ' +
      'cached). Images pinned by digest cannot change and are not reported.',
    remediation:
      'Pin the image by digest, or set imagePullPolicy: Always (or enable the AlwaysPullImages admission plugin ' +
      'in multi-tenant clusters).',
    controls: ['nsa-cisa/image-security', 'mitre-attack/T1525', 'nist-800-190/4.2.2', 'nist-800-53/AC-3', 'nist-800-53/SI-7', 'soc2/CC6.8', 'iso-27001/8.19'],
    messages: {
      implicit:
        'container "{{container}}" sets no imagePullPolicy, so its mutable image "{{image}}" defaults to IfNotPresent and may run from a stale node cache',
      explicit: 'container "{{container}}" sets imagePullPolicy {{policy}} for its mutable image "{{image}}"',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: registry.example.com/app:1.4.2',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.4.2\n  imagePullPolicy: Always',
    },
  },
  scope: { type: 'container' },
  check(context, { entry }) {
    // Ephemeral containers are included: they pull images like any other container.
    const mutable = mutableImageOf(entry.container);
    if (!mutable) return;
    const { image, reference } = mutable;
    const written = asString(entry.container['imagePullPolicy']);
    const path = [...entry.path, 'imagePullPolicy'];
    const data = { container: entry.name, image };
    if (written === undefined || written === '') {
      // The API server defaults the policy from the tag: Always for latest (written or implied).
      if (defaultPullPolicy(reference) !== 'Always') context.report({ messageId: 'implicit', data, path });
    } else if (written !== 'Always') {
      context.report({ messageId: 'explicit', data: { ...data, policy: written }, path });
    }
  },
});
