import { bindingsToCheck, fullAdminRule, grantText, IGNORE_DEFAULTS_OPTION, RBAC_KINDS, rbacSources, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-cluster-admin-binding',
    title: 'ClusterRoleBinding grants cluster-admin',
    category: 'rbac',
    defaultSeverity: 'critical',
    rationale:
      'A ClusterRoleBinding to cluster-admin, or to any ClusterRole with a rule granting every verb on every ' +
      'resource of every API group, gives its subjects every permission in every namespace and on every ' +
      'cluster-scoped resource: Secrets, RBAC, nodes, admission webhooks. A stolen token or credential of any of ' +
      'them is a stolen cluster. Kubernetes binds cluster-admin only to the group system:masters; that default ' +
      "binding and the other bootstrap objects (label kubernetes.io/bootstrapping=rbac-defaults) are skipped " +
      'unless the ignoreDefaults option is turned off. Bindings that grant everything are reported here once and ' +
      'left out of the rules about single powers (Secrets, pods, exec, …). A RoleBinding to cluster-admin is ' +
      'reported by rbac-namespace-admin-binding.',
    remediation:
      'Bind a role with only the permissions the subject needs; for people, prefer a namespaced RoleBinding to ' +
      'admin or edit, and break-glass access that is granted when needed. Remove the ClusterRoleBinding with ' +
      '`kubectl delete clusterrolebinding <name>` once nothing depends on it.',
    controls: ['cis-k8s/5.1.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'mitre-attack/T1098.006', 'nist-800-190/4.3.1', 'nist-800-190/4.3.2', 'nist-800-53/AC-2(7)', 'nist-800-53/AC-6', 'nist-800-53/AC-6(5)', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      clusterAdmin:
        'binds cluster-admin to {{subjects}} cluster-wide: every verb on every resource in every namespace and on the ' +
        'cluster itself, Secrets, RBAC, nodes and admission webhooks included',
      wildcardRole:
        'binds {{subjects}} cluster-wide to the equivalent of cluster-admin: {{rule}} grants every verb on every ' +
        'resource of every API group',
    },
    example: {
      bad:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: ci\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n' +
        '- kind: ServiceAccount\n  name: deployer\n  namespace: ci',
      good:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: ci\n  namespace: shop\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: edit\nsubjects:\n' +
        '- kind: ServiceAccount\n  name: deployer\n  namespace: ci',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const binding of bindingsToCheck(source.model, context.options.ignoreDefaults)) {
        if (binding.kind !== 'ClusterRoleBinding') continue;
        const byName = binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin';
        const wildcard = fullAdminRule(binding);
        if (!byName && !wildcard) continue;
        const subjects = subjectsText(binding, tokenHolders(inventory.podTemplates, source));
        const path = ['roleRef', 'name'];
        if (byName) context.report({ messageId: 'clusterAdmin', data: { subjects }, path, object: binding.object });
        else if (wildcard) context.report({ messageId: 'wildcardRole', data: { subjects, rule: grantText(binding, wildcard) }, path, object: binding.object });
      }
    }
  },
});
