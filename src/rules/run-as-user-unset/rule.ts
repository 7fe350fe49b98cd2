import { effectiveSecurityField } from '../../core/pod-templates.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isWindowsPod } from '../shared/pod.ts';

export const rule = defineRule({
  meta: {
    id: 'run-as-user-unset',
    title: 'Container user or group ID is left to the image',
    category: 'privileges',
    defaultSeverity: 'low',
    rationale:
      'When neither the container nor the pod sets runAsUser, the process runs as the USER of the image, which is ' +
      'root for most images and can change with any rebuild. Without runAsGroup the primary group comes from the ' +
      "image's /etc/passwd, or is GID 0 (root) when the user has no entry there. Setting both in the manifest makes " +
      'the identity reviewable and independent of the image.',
    remediation:
      'Set securityContext.runAsUser and runAsGroup (10000 or above) at pod level so every container inherits ' +
      'them, or on each container.',
    controls: ['cis-k8s/5.2.7', 'cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.1.2', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      userUnset: 'container "{{container}}" does not set runAsUser (neither does the pod): it runs as the user the image names',
      groupUnset:
        'container "{{container}}" does not set runAsGroup (neither does the pod): its primary group comes from the image, or is 0 (root)',
      bothUnset:
        'container "{{container}}" sets neither runAsUser nor runAsGroup (neither does the pod): its identity is whatever the image says, often root',
    },
    example: {
      bad: 'spec:\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
      good: 'spec:\n  securityContext:\n    runAsUser: 10001\n    runAsGroup: 10001\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
    },
  },
  scope: { type: 'container' },
  check(context, { template, entry }) {
    // Windows nodes ignore runAsUser and runAsGroup (they use windowsOptions.runAsUserName).
    if (isWindowsPod(template)) return;
    const user = effectiveSecurityField(template, entry, 'runAsUser');
    const group = effectiveSecurityField(template, entry, 'runAsGroup');
    const data = { container: entry.name };
    // Missing fields are reported on the container (each container its own finding), not at pod level.
    if (!user && !group) {
      context.report({ messageId: 'bothUnset', data, path: [...entry.path, 'securityContext', 'runAsUser'] });
    } else if (!user) {
      context.report({ messageId: 'userUnset', data, path: [...entry.path, 'securityContext', 'runAsUser'] });
    } else if (!group) {
      context.report({ messageId: 'groupUnset', data, path: [...entry.path, 'securityContext', 'runAsGroup'] });
    }
  },
});
