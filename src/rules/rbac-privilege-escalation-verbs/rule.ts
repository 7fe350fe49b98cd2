import { bindingsGranting, type CapabilityGrant, grantText, IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import type { BindingEntry } from '../../analysers/rbac/model.ts';
import { defineRule } from '../../core/rule-api.ts';

const VERB = { 'escalate-roles': 'escalate', 'bind-roles': 'bind', impersonate: 'impersonate' } as const;

/** `bind clusterroles named view via ClusterRole/x rules[0] (rbac.yaml:9)`. */
function powerText(binding: BindingEntry, grant: CapabilityGrant): string {
  const verb = VERB[grant.capability.id as keyof typeof VERB];
  const names = grant.resourceNames.length > 0 ? ` named ${listText(grant.resourceNames, 5)}` : '';
  return `${verb} ${listText(grant.resources, 5)}${names} via ${grantText(binding, grant.rule)}`;
}

/** What the powers lead to, cluster-wide or in the binding's namespace. */
function consequence(binding: BindingEntry, grants: readonly CapabilityGrant[]): string {
  const clauses: string[] = [];
  const cluster = binding.kind === 'ClusterRoleBinding';
  for (const grant of grants) {
    const names = grant.resourceNames.length > 0 ? listText(grant.resourceNames, 5) : undefined;
    switch (grant.capability.id) {
      case 'bind-roles':
        if (names) clauses.push(`they can bind ${names} without holding ${grant.resourceNames.length > 1 ? 'their' : 'its'} permissions`);
        else clauses.push(cluster ? 'they can bind any role, cluster-admin included, given create on bindings' : 'they can bind any role in the namespace, up to full control of it');
        break;
      case 'escalate-roles':
        clauses.push(cluster ? 'they can write any permission into roles they can update' : "they can write any permission into the namespace's Roles they can update");
        break;
      case 'impersonate':
        if (names) clauses.push(`they can act as ${names}`);
        else if (grant.resources.includes('users') || grant.resources.includes('groups')) clauses.push('they can act as any user or group, system:masters included');
        else if (grant.resources.includes('serviceaccounts')) clauses.push(cluster ? 'they can act as any ServiceAccount' : "they can act as the namespace's ServiceAccounts");
        else clauses.push('they can change the uid or extra attributes they are seen with');
        break;
    }
  }
  return clauses.join('; ');
}

export const rule = defineRule({
  meta: {
    id: 'rbac-privilege-escalation-verbs',
    title: 'Binding grants escalate, bind or impersonate',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'RBAC stops a subject from creating a role or binding that grants more than it holds, unless it has escalate ' +
      '(on roles or clusterroles: write any rule into a role it can update) or bind (grant a role it does not hold, ' +
      'given create on rolebindings or clusterrolebindings). impersonate lets a subject act as another user, group ' +
      'or ServiceAccount, and impersonating the group system:masters bypasses RBAC altogether. Each is a direct route ' +
      'to more privilege; the CIS Kubernetes Benchmark asks to limit them. Through a RoleBinding, escalate applies ' +
      'to the namespace\'s Roles and impersonation only to its ServiceAccounts (the API server checks users, groups, ' +
      'uids, extras and clusterroles without a namespace). Rules limited by resourceNames are reported with the names. ' +
      'Bindings that grant everything are reported by the admin-binding rules instead; bootstrap bindings are skipped ' +
      'unless the ignoreDefaults option is turned off.',
    remediation:
      'Remove escalate, bind and impersonate from roles that do not manage RBAC or authentication. Where a ' +
      'controller must bind roles, limit bind to the roles it hands out with resourceNames; where impersonation is ' +
      'needed (an authenticating proxy), limit it to the users, groups or ServiceAccounts concerned.',
    controls: ['cis-k8s/5.1.8', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'mitre-attack/T1098.006', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/AC-6(1)', 'nist-800-53/AC-6(10)', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      clusterWide: 'lets {{subjects}} {{powers}} cluster-wide: {{consequence}}',
      namespaced: 'lets {{subjects}} {{powers}} in namespace {{namespace}}: {{consequence}}',
    },
    example: {
      bad: 'rules:\n- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles"]\n  verbs: ["bind", "escalate"]',
      good: 'rules:\n- apiGroups: ["rbac.authorization.k8s.io"]\n  resources: ["clusterroles"]\n  verbs: ["get", "list", "watch"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['bind-roles', 'escalate-roles', 'impersonate'])) {
      context.report({
        messageId: binding.kind === 'ClusterRoleBinding' ? 'clusterWide' : 'namespaced',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          powers: listText(grants.map((grant) => powerText(binding, grant)), 3),
          namespace: binding.namespace ?? 'default',
          consequence: consequence(binding, grants),
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
