import { asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isAllowedByRegistryEntry, parseImageReference } from '../shared/image-reference.ts';

export const rule = defineRule({
  meta: {
    id: 'image-registry-allowlist',
    title: 'Image comes from a registry that is not allowed',
    category: 'images',
    defaultSeverity: 'medium',
    rationale:
      'Images from arbitrary registries bypass the controls an organisation puts on its own: vulnerability ' +
      'scanning, signing, retention and access control. Typosquatted or hijacked public images are a known way ' +
      'to get code into clusters. With allowedRegistries configured, every image must come from one of the ' +
      'listed registries or repository prefixes; Docker Hub short names (nginx, bitnami/redis) count as ' +
      'docker.io (docker.io/library for official images). With the list empty, the rule reports nothing.',
    remediation:
      'Mirror or rebuild the image into an allowed registry and reference it there, or add the registry (or the ' +
      'narrowest repository prefix) to the rule\'s allowedRegistries option.',
    controls: ['cis-k8s/5.5.1', 'nsa-cisa/image-security', 'mitre-attack/T1525', 'mitre-attack/T1610', 'nist-800-190/4.1.5', 'nist-800-53/CM-7(5)', 'soc2/CC6.8', 'iso-27001/8.19'],
    messages: {
      notAllowed: 'image "{{image}}" of container "{{container}}" comes from {{name}}, which is not under any entry of allowedRegistries',
      unparsable: 'image "{{image}}" of container "{{container}}" is not a valid image reference, so its registry cannot be checked',
    },
    example: {
      bad: 'containers:\n- name: app\n  image: docker.io/someone/app:1.0  # allowedRegistries: [registry.example.com]',
      good: 'containers:\n- name: app\n  image: registry.example.com/app:1.0',
    },
  },
  scope: { type: 'container' },
  options: {
    allowedRegistries: {
      type: 'string[]',
      default: [],
      description:
        'Registries (registry.example.com, localhost:5000, *.dkr.ecr.eu-west-1.amazonaws.com for one DNS label) or ' +
        'registry/path prefixes (registry.example.com/team, docker.io/library) images may come from; empty: no check.',
    },
  },
  check(context, { entry }) {
    const allowed = context.options.allowedRegistries;
    if (allowed.length === 0) return;
    // Ephemeral containers are included: a debug image from an untrusted registry runs inside the pod.
    const image = asString(entry.container['image']);
    if (image === undefined) return;
    const reference = parseImageReference(image);
    const data = { image, container: entry.name };
    if (!reference) {
      context.report({ messageId: 'unparsable', data, path: [...entry.path, 'image'] });
      return;
    }
    if (allowed.some((registry) => isAllowedByRegistryEntry(reference, registry))) return;
    context.report({ messageId: 'notAllowed', data: { ...data, name: reference.name }, path: [...entry.path, 'image'] });
  },
});
