import { bindingScopeText, bindingsToCheck, IGNORE_DEFAULTS_OPTION, isBuiltInClusterRoleName, listingOf, RBAC_KINDS, rbacSources, roleRefText, subjectsText } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-dangling-binding',
    title: 'Binding refers to a role or ServiceAccount that does not exist',
    category: 'rbac',
    defaultSeverity: 'low',
    rationale:
      'A binding whose role does not exist grants nothing today, but RBAC resolves roles by name at every request: ' +
      'whoever later creates a role of that name (a chart, an operator, anyone allowed to create roles) silently ' +
      'hands its permissions to the binding\'s subjects. Likewise a binding to a ServiceAccount that does not exist ' +
      'is waiting for whoever creates it in that namespace. Such bindings are usually left over from removed ' +
      'software or carry a typo. A ServiceAccount subject of a ClusterRoleBinding must name its namespace; without ' +
      'one the API server rejects the binding. For a cluster (or a snapshot of one), a role or ServiceAccount is ' +
      'missing when the cluster\'s objects of that kind were read and it is not among them. For manifests, which ' +
      'usually rely on objects that exist elsewhere, the rule is conservative: built-in ClusterRoles (cluster-admin, ' +
      'admin, edit, view and system:*) are never missing; another ClusterRole only when the input defines ' +
      'ClusterRoles, a Role only when the input defines Roles in that namespace, and a ServiceAccount (other than ' +
      'default) only when the input defines ServiceAccounts in that namespace. Bootstrap bindings are skipped unless ' +
      'the ignoreDefaults option is turned off.',
    remediation:
      'Delete bindings left over from removed software; fix the role or ServiceAccount name (roleRef cannot be ' +
      'changed: recreate the binding); add the namespace to ServiceAccount subjects of ClusterRoleBindings.',
    controls: ['nsa-cisa/authentication-authorization', 'mitre-attack/T1098.006', 'nist-800-53/AC-2', 'soc2/CC6.2', 'iso-27001/5.18'],
    messages: {
      missingRole:
        'refers to {{role}}, which {{where}}: the binding grants nothing now, but whoever creates that {{roleKind}} gives ' +
        'its permissions to {{subjects}}',
      missingServiceAccount:
        'names ServiceAccount {{namespace}}/{{name}}, which {{where}}: whoever creates it gets {{role}} {{scope}}',
      serviceAccountWithoutNamespace:
        'names ServiceAccount {{name}} without a namespace: a ClusterRoleBinding must give one (the API server rejects ' +
        'the binding), and as written it matches no ServiceAccount',
      invalidRoleRef:
        'roleRef.kind is {{kind}}, but a {{bindingKind}} can only refer to {{allowed}}: the API server rejects it, and as ' +
        'written it grants nothing',
    },
    example: {
      bad:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: old-operator\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: old-operator\nsubjects:\n' +
        '- kind: ServiceAccount\n  name: old-operator\n  namespace: operators',
      good: '# the operator was removed: delete its ClusterRoleBinding too',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      const { model } = source;
      // What the manifests define: ClusterRoles at all, Roles and ServiceAccounts per namespace.
      let definesClusterRoles = false;
      const roleNamespaces = new Set<string>();
      for (const role of model.roles.values()) {
        if (role.kind === 'ClusterRole') definesClusterRoles = true;
        else roleNamespaces.add(role.namespace ?? 'default');
      }
      const accountNamespaces = new Set([...model.serviceAccounts.keys()].map((key) => key.slice(0, key.indexOf('/'))));

      for (const binding of bindingsToCheck(model, context.options.ignoreDefaults)) {
        const listing = listingOf(inventory.objects, binding.object);
        const { kind: roleKind, name: roleName } = binding.roleRef;
        const validKind = roleKind === 'ClusterRole' || (roleKind === 'Role' && binding.kind === 'RoleBinding');
        const namespace = binding.namespace ?? 'default';
        if (!validKind) {
          context.report({
            messageId: 'invalidRoleRef',
            data: {
              kind: roleKind === '' ? '(empty)' : roleKind,
              bindingKind: binding.kind,
              allowed: binding.kind === 'RoleBinding' ? 'a Role or a ClusterRole' : 'a ClusterRole',
            },
            path: ['roleRef', 'kind'],
            object: binding.object,
          });
        } else if (!binding.role) {
          const missing = listing
            ? roleKind === 'ClusterRole'
              ? listing.clusterRoles
              : listing.roles
            : roleKind === 'ClusterRole'
              ? definesClusterRoles && !isBuiltInClusterRoleName(roleName)
              : roleNamespaces.has(namespace);
          if (missing) {
            const where = listing
              ? 'does not exist in the cluster'
              : roleKind === 'ClusterRole'
                ? 'the input does not define (it defines other ClusterRoles, and this one is not built in)'
                : `the input does not define (it defines other Roles in namespace ${namespace})`;
            context.report({
              messageId: 'missingRole',
              data: { role: roleRefText(binding), where, roleKind, subjects: subjectsText(binding) },
              path: ['roleRef', 'name'],
              object: binding.object,
            });
          }
        }

        for (const subject of binding.subjects) {
          if (subject.kind !== 'ServiceAccount') continue;
          if (subject.namespace === undefined) {
            context.report({
              messageId: 'serviceAccountWithoutNamespace',
              data: { name: subject.name },
              path: ['subjects', subject.index, 'namespace'],
              object: binding.object,
            });
            continue;
          }
          if (model.serviceAccounts.has(`${subject.namespace}/${subject.name}`)) continue;
          const missing = listing ? listing.serviceAccounts : subject.name !== 'default' && accountNamespaces.has(subject.namespace);
          if (!missing) continue;
          context.report({
            messageId: 'missingServiceAccount',
            data: {
              namespace: subject.namespace,
              name: subject.name,
              where: listing ? 'does not exist in the cluster' : `the input does not define (it defines other ServiceAccounts in namespace ${subject.namespace})`,
              role: roleRefText(binding),
              scope: bindingScopeText(binding),
            },
            path: ['subjects', subject.index],
            object: binding.object,
          });
        }
      }
    }
  },
});
