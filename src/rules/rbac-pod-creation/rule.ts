import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, listText, namesText, RBAC_KINDS, scopeText, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-pod-creation',
    title: 'Binding lets subjects create pods or pod-creating workloads',
    category: 'rbac',
    defaultSeverity: 'medium',
    rationale:
      'Whoever can create a pod in a namespace can run it as any ServiceAccount of that namespace (and so hold ' +
      'every permission bound to them), mount any of its Secrets, ConfigMaps and volumes, and, where Pod Security ' +
      'admission does not stop it, run privileged on a node with the host\'s filesystem and network. Creating or ' +
      'changing a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob or ReplicationController does the ' +
      'same through its controller. Through a ClusterRoleBinding this holds in every namespace, kube-system ' +
      'included. Bindings that grant everything are reported by the admin-binding rules instead; bootstrap ' +
      'bindings are skipped unless the ignoreDefaults option is turned off.',
    remediation:
      'Let a deployment pipeline, with a ServiceAccount of its own limited to the namespaces it deploys to, create ' +
      'workloads, rather than people or application ServiceAccounts. Enforce Pod Security admission (baseline or ' +
      'restricted) in every namespace where others can create pods.',
    controls: ['cis-k8s/5.1.4', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1610', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      createPods:
        'lets {{subjects}} create pods {{scope}} through {{rule}}{{names}}: a pod can run as any ServiceAccount of its ' +
        'namespace, mount its Secrets and, unless Pod Security admission stops it, take over its node',
      createWorkloads:
        'lets {{subjects}} create or change {{resources}} {{scope}} through {{rule}}{{names}}, so their controllers create ' +
        'the pods: they can run as any ServiceAccount of the namespace, mount its Secrets and, unless Pod Security ' +
        'admission stops them, take over their node',
    },
    example: {
      bad: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["create", "update", "patch"]',
      good: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['create-pods', 'create-workloads'])) {
      const grant = grants[0]!;
      const pods = grant.capability.id === 'create-pods';
      context.report({
        messageId: pods ? 'createPods' : 'createWorkloads',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          scope: scopeText(binding),
          rule: grantText(binding, grant.rule),
          names: namesText(grant),
          resources: listText(grant.resources, 7),
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
