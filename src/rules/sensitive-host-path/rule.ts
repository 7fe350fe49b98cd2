import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { matchSensitiveHostPath } from '../shared/host-path.ts';

export const rule = defineRule({
  meta: {
    id: 'sensitive-host-path',
    title: 'Pod mounts a sensitive host path',
    category: 'host-access',
    defaultSeverity: 'high',
    rationale:
      'A hostPath volume puts part of the node inside the container. Some paths hand over the node outright: a ' +
      'container runtime socket lets the container start a privileged container on the host; /var/lib/kubelet ' +
      "and /etc/kubernetes hold every pod's Secrets and the node's credentials; /proc, /sys and /dev expose the " +
      'kernel and devices; / and /etc expose everything else. Even read-only, these mounts leak credentials; ' +
      'writable, they are a direct escape. Mounting a parent directory (/var, /run) exposes everything below it.',
    remediation:
      'Remove the hostPath volume. Use a projected service account token, a Secret, a ConfigMap or a ' +
      'PersistentVolumeClaim instead; for node agents that truly need the path, mount the narrowest path ' +
      'read-only, isolate the agent in its own namespace and suppress this finding with a justification.',
    controls: ['cis-k8s/5.2.12', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'mitre-attack/T1552', 'nist-800-190/4.4.3', 'nist-800-190/4.5.5', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.1', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      sensitive: 'hostPath volume "{{volume}}" mounts {{path}}, which exposes {{description}}',
      inside: 'hostPath volume "{{volume}}" mounts {{path}}, inside {{sensitivePath}}, which exposes {{description}}',
      parent: 'hostPath volume "{{volume}}" mounts {{path}}, which contains {{sensitivePath}} and so exposes {{description}}',
    },
    example: {
      bad: 'volumes:\n- name: docker\n  hostPath:\n    path: /var/run/docker.sock\n    type: Socket',
      good: 'volumes:\n- name: cache\n  emptyDir: {}',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    asArray(template.spec['volumes']).forEach((value, index) => {
      const volume = asObject(value);
      const path = asString(asObject(volume?.['hostPath'])?.['path']);
      if (path === undefined) return;
      const match = matchSensitiveHostPath(path);
      if (!match) return;
      context.report({
        messageId: match.relation === 'exact' ? 'sensitive' : match.relation,
        data: {
          volume: asString(volume?.['name']) ?? `#${index}`,
          path,
          sensitivePath: match.sensitivePath,
          description: match.description,
        },
        path: [...template.specPath, 'volumes', index, 'hostPath', 'path'],
      });
    });
  },
});
