import { formatPath, type Path } from '../../core/model.ts';
import { effectiveSecurityField } from '../../core/pod-templates.ts';
import { defineRule } from '../../core/rule-api.ts';
import { describeContainers, isWindowsPod } from '../shared/pod.ts';

const FIELDS = [
  { field: 'runAsUser', option: 'minUserId', messageId: 'userBelowFloor' },
  { field: 'runAsGroup', option: 'minGroupId', messageId: 'groupBelowFloor' },
] as const;

export const rule = defineRule({
  meta: {
    id: 'run-as-user-floor',
    title: 'Container runs with a low user or group ID',
    category: 'privileges',
    defaultSeverity: 'medium',
    rationale:
      'UID 0 is root, and low UIDs and GIDs (below 10000 by default) are the ones host users, system daemons and ' +
      'files already own. A container process that escapes, or that shares a volume or hostPath with the node, ' +
      'acts with the rights of whoever owns that ID on the host. Running every workload with high, dedicated IDs ' +
      'keeps it from colliding with host accounts.',
    remediation:
      'Set securityContext.runAsUser and runAsGroup to IDs of at least 10000, preferably once at pod level ' +
      '(spec.securityContext), and build the image to run as that user. Container-level values override the pod.',
    controls: ['cis-k8s/5.2.7', 'cis-k8s/5.6.3', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      userBelowFloor: 'runAsUser {{value}} is below the minimum {{minimum}}; it applies to {{containers}}',
      groupBelowFloor: 'runAsGroup {{value}} is below the minimum {{minimum}}; it applies to {{containers}}',
    },
    example: {
      bad: 'spec:\n  securityContext:\n    runAsUser: 1000\n    runAsGroup: 0\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
      good: 'spec:\n  securityContext:\n    runAsUser: 10001\n    runAsGroup: 10001\n  containers:\n  - name: app\n    image: registry.example.com/app:1.2.3',
    },
  },
  scope: { type: 'podTemplate' },
  options: {
    minUserId: { type: 'number', default: 10000, description: 'Lowest UID a container may run as.' },
    minGroupId: { type: 'number', default: 10000, description: 'Lowest primary GID a container may run as.' },
  },
  check(context, template) {
    // Windows nodes ignore runAsUser and runAsGroup (they use windowsOptions.runAsUserName).
    if (isWindowsPod(template)) return;
    for (const { field, option, messageId } of FIELDS) {
      const minimum = context.options[option];
      // One finding per field that decides, so a pod-level value inherited by three containers is reported once.
      const offenders = new Map<string, { path: Path; value: number; containers: string[] }>();
      for (const entry of template.containers) {
        const effective = effectiveSecurityField(template, entry, field);
        if (typeof effective?.value !== 'number' || effective.value >= minimum) continue;
        const key = formatPath(effective.path);
        const offender = offenders.get(key) ?? { path: effective.path, value: effective.value, containers: [] };
        offender.containers.push(entry.name);
        offenders.set(key, offender);
      }
      for (const { path, value, containers } of offenders.values()) {
        context.report({
          messageId,
          data: { value: value === 0 ? '0 (root)' : value, minimum, containers: describeContainers(containers) },
          path,
        });
      }
    }
  },
});
