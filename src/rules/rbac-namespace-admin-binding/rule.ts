import { bindingsToCheck, fullAdminRule, grantText, IGNORE_DEFAULTS_OPTION, RBAC_KINDS, rbacSources, roleRefText, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-namespace-admin-binding',
    title: 'RoleBinding grants every permission in a namespace',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'A RoleBinding to cluster-admin, or to any role with a rule granting every verb on every resource of every ' +
      'API group, gives its subjects everything inside the namespace: they read its Secrets, run pods as any of its ' +
      'ServiceAccounts (inheriting their permissions, cluster-wide ones included), exec into its pods and bind any ' +
      'ClusterRole there. In kube-system, whose Secrets and ServiceAccounts belong to the control plane, that is ' +
      'cluster-admin in practice. The built-in admin role is the intended way to delegate a namespace: it grants ' +
      'much of the same, but not the namespace object itself, resource quotas or access to RBAC beyond its own ' +
      'permissions. Bootstrap bindings are skipped unless the ignoreDefaults option is turned off.',
    remediation:
      'Bind the narrowest role that does the job: a Role listing the resources and verbs needed, or the built-in ' +
      'edit or view ClusterRole through a RoleBinding. Keep kube-system bindings to the control plane.',
    controls: ['cis-k8s/5.1.1', 'cis-k8s/5.1.3', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/AC-6(5)', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      namespaceAdmin:
        'grants {{subjects}} every permission in namespace {{namespace}} through {{rule}}: they can read its Secrets, ' +
        'run pods as any of its ServiceAccounts and bind any ClusterRole there',
      kubeSystemAdmin:
        'grants {{subjects}} every permission in namespace kube-system through {{rule}}: its Secrets and ServiceAccounts ' +
        "are the control plane's, so this is cluster-admin in practice",
    },
    example: {
      bad:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: team\n  namespace: shop\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n' +
        '- kind: Group\n  name: shop-team\n  apiGroup: rbac.authorization.k8s.io',
      good:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: team\n  namespace: shop\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n' +
        '- kind: Group\n  name: shop-team\n  apiGroup: rbac.authorization.k8s.io',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const binding of bindingsToCheck(source.model, context.options.ignoreDefaults)) {
        if (binding.kind !== 'RoleBinding') continue;
        const wildcard = fullAdminRule(binding);
        const byName = !binding.role && binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin';
        if (!wildcard && !byName) continue;
        const namespace = binding.namespace ?? 'default';
        context.report({
          messageId: namespace === 'kube-system' ? 'kubeSystemAdmin' : 'namespaceAdmin',
          data: {
            subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
            namespace,
            rule: wildcard ? grantText(binding, wildcard) : roleRefText(binding),
          },
          path: ['roleRef', 'name'],
          object: binding.object,
        });
      }
    }
  },
});
