import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, RBAC_KINDS, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-persistentvolume-create',
    title: 'Binding lets subjects create PersistentVolumes',
    category: 'rbac',
    defaultSeverity: 'medium',
    rationale:
      'A PersistentVolume can point at any path of a node (hostPath or local). Bound to a claim and mounted by a ' +
      'pod, it exposes that node\'s filesystem, and Pod Security admission does not see it: its hostPath check looks ' +
      'at the pod\'s volumes, not at the PersistentVolume behind a claim. Creating PersistentVolumes is the job of ' +
      'storage provisioners. They are cluster-scoped, so only ClusterRoleBindings grant it. Bindings that grant ' +
      'everything are reported by rbac-cluster-admin-binding instead; bootstrap bindings (the persistent volume ' +
      'provisioner role) are skipped unless the ignoreDefaults option is turned off.',
    remediation:
      'Leave PersistentVolumes to a CSI driver or provisioner through StorageClasses, and let users create ' +
      'PersistentVolumeClaims only.',
    controls: ['cis-k8s/5.1.9', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1611', 'nist-800-190/4.3.1', 'nist-800-190/4.5.5', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      createPersistentVolumes:
        'lets {{subjects}} create PersistentVolumes through {{rule}}: a hostPath or local volume claimed by a pod ' +
        "exposes a node's filesystem, out of reach of Pod Security admission's hostPath check",
    },
    example: {
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["persistentvolumes"]\n  verbs: ["create"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["persistentvolumeclaims"]\n  verbs: ["create"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['create-persistentvolumes'])) {
      context.report({
        messageId: 'createPersistentVolumes',
        data: { subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)), rule: grantText(binding, grants[0]!.rule) },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
