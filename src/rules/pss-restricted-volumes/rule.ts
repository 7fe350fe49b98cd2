import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, restricted level: upstream check `restrictedVolumes`. The evaluator decides, per policy version.
export const rule = definePssRule('restrictedVolumes', {
  id: 'pss-restricted-volumes',
  title: 'Volume type not allowed by the restricted profile',
  category: 'pod-security',
  defaultSeverity: 'medium',
  rationale:
    'Inline volume sources such as hostPath, nfs, iscsi, rbd, cephfs or gitRepo give a pod direct access ' +
    'to host paths, storage networks or code execution paths outside cluster control. The restricted ' +
    'profile allows only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, ' +
    'projected and secret volumes.',
  remediation:
    'Use a PersistentVolumeClaim (backed by a PersistentVolume or a StorageClass the cluster operator ' +
    'controls), or one of the other allowed volume types, instead of the inline volume source.',
  controls: ['pss-restricted/restrictedVolumes', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'nist-800-53/CM-7', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'volumes:\n- name: shared\n  nfs:\n    server: nfs.example.com\n    path: /exports',
    good: 'volumes:\n- name: shared\n  persistentVolumeClaim:\n    claimName: shared',
  },
});
