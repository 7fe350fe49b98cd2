import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { volumesByName } from '../shared/pod.ts';

export const rule = defineRule({
  meta: {
    id: 'writable-host-path',
    title: 'Container mounts a host path writable',
    category: 'host-access',
    defaultSeverity: 'medium',
    rationale:
      'A writable hostPath mount lets the container change files on the node: plant binaries or cron jobs, ' +
      'tamper with other pods\' data, fill the node\'s disk, or build symlink attacks against the kubelet. Data ' +
      'written there also outlives the pod and leaks to whatever is scheduled next on the node. Sensitive host ' +
      'paths are reported by sensitive-host-path as well, whatever the mount mode.',
    remediation:
      'Add readOnly: true to the volumeMount. If the workload must persist data, use a PersistentVolumeClaim (a ' +
      'local PersistentVolume for node-local disks) instead of a hostPath volume.',
    controls: ['cis-k8s/5.2.12', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-190/4.5.5', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.1', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      writable: 'container "{{container}}" mounts hostPath {{hostPath}} (volume "{{volume}}") at {{mountPath}} without readOnly: true',
    },
    example: {
      bad: 'volumeMounts:\n- name: data\n  mountPath: /data\nvolumes:\n- name: data\n  hostPath:\n    path: /mnt/data',
      good: 'volumeMounts:\n- name: data\n  mountPath: /data\n  readOnly: true\nvolumes:\n- name: data\n  hostPath:\n    path: /mnt/data',
    },
  },
  scope: { type: 'container' },
  check(context, { template, entry }) {
    // Ephemeral containers are checked too: they may mount the pod's volumes.
    const volumes = volumesByName(template.spec);
    asArray(entry.container['volumeMounts']).forEach((value, index) => {
      const mount = asObject(value);
      const name = asString(mount?.['name']);
      if (!mount || name === undefined || mount['readOnly'] === true) return;
      const hostPath = asString(asObject(volumes.get(name)?.volume['hostPath'])?.['path']);
      if (hostPath === undefined) return;
      context.report({
        messageId: 'writable',
        data: { container: entry.name, hostPath, volume: name, mountPath: asString(mount['mountPath']) ?? '?' },
        // The readOnly field when it says false, else the volumeMount that lacks it.
        path: [...entry.path, 'volumeMounts', index, 'readOnly'],
      });
    });
  },
});
