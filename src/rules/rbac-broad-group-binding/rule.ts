import { bindingScopeText, powersText, RBAC_KINDS, rbacSources, roleRefText } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

/** What Kubernetes itself binds to these groups (bootstrap policy): discovery, self reviews, issuer discovery. */
const DEFAULT_ROLES: Readonly<Record<string, ReadonlySet<string>>> = {
  'system:authenticated': new Set(['system:basic-user', 'system:discovery', 'system:public-info-viewer']),
  'system:serviceaccounts': new Set([
    'system:service-account-issuer-discovery',
    // Read ClusterTrustBundles (public CA bundles) for projected volumes; seen bound by default on v1.37.
    'system:cluster-trust-bundle-discovery',
    'system:public-info-viewer',
    'system:discovery',
    'system:basic-user',
  ]),
};

export const rule = defineRule({
  meta: {
    id: 'rbac-broad-group-binding',
    title: 'Role bound to every authenticated user or every ServiceAccount',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'Every user and every ServiceAccount is in the group system:authenticated, and every ServiceAccount of every ' +
      'namespace is in system:serviceaccounts. A role bound to either is held by every pod token in the cluster, ' +
      'so one compromised workload is enough to use it. On GKE, system:authenticated includes anyone with a Google ' +
      'account (GCP-2024-003). Kubernetes itself binds system:authenticated only to system:basic-user, ' +
      'system:discovery and system:public-info-viewer, and system:serviceaccounts to ' +
      'system:service-account-issuer-discovery and system:cluster-trust-bundle-discovery; anything else is reported, ' +
      'bootstrap bindings included.',
    remediation:
      'Bind the role to the users, groups or ServiceAccounts that need it instead of the whole group, and delete ' +
      'the broad binding.',
    controls: ['cis-k8s/5.1.2', 'cis-k8s/5.1.4', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/5.15', 'iso-27001/5.18', 'hipaa/164.312(a)(1)'],
    messages: {
      authenticatedBinding:
        'binds Group system:authenticated to {{role}} {{scope}}: every user and every ServiceAccount holds it (on GKE, ' +
        'anyone with a Google account){{powers}}',
      allServiceAccountsBinding:
        'binds Group system:serviceaccounts to {{role}} {{scope}}: every ServiceAccount of every namespace holds it, so ' +
        "any pod's token does{{powers}}",
    },
    example: {
      bad:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: everyone-views\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n' +
        '- kind: Group\n  name: system:authenticated\n  apiGroup: rbac.authorization.k8s.io',
      good:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: sre-views\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n' +
        '- kind: Group\n  name: sre\n  apiGroup: rbac.authorization.k8s.io',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const binding of source.model.bindings) {
        for (const subject of binding.subjects) {
          if (subject.kind !== 'Group') continue;
          const defaults = DEFAULT_ROLES[subject.name];
          if (!defaults || (binding.roleRef.kind === 'ClusterRole' && defaults.has(binding.roleRef.name))) continue;
          context.report({
            messageId: subject.name === 'system:authenticated' ? 'authenticatedBinding' : 'allServiceAccountsBinding',
            data: { role: roleRefText(binding), scope: bindingScopeText(binding), powers: powersText(binding) },
            path: ['subjects', subject.index],
            object: binding.object,
          });
        }
      }
    }
  },
});
