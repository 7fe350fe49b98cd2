import { PSS_MESSAGES, pssViolationsOf } from '../../analysers/pss/index.ts';
import { defineRule } from '../../core/rule-api.ts';

// Pod Security Standards, restricted level: upstream check `restrictedVolumes`. The evaluator decides, per policy version.
export const rule = defineRule({
  meta: {
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
    controls: ['pss-restricted/restrictedVolumes', 'nsa-cisa/pod-security'],
    messages: PSS_MESSAGES.restrictedVolumes,
    example: {
      bad: 'volumes:\n- name: shared\n  nfs:\n    server: nfs.example.com\n    path: /exports',
      good: 'volumes:\n- name: shared\n  persistentVolumeClaim:\n    claimName: shared',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    for (const violation of pssViolationsOf(template, context.settings.pssVersion, 'restrictedVolumes')) {
      context.report({ messageId: violation.reason, data: violation.data, path: violation.path });
    }
  },
});
