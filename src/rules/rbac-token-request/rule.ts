import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-token-request',
    title: 'Binding lets subjects create ServiceAccount tokens',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'create on serviceaccounts/token (the TokenRequest API, what `kubectl create token` calls) issues a token ' +
      'for an existing ServiceAccount, with an expiry the caller chooses up to the API server\'s maximum. Whoever ' +
      'holds it can become any ServiceAccount in scope and use all of its permissions: through a ClusterRoleBinding, ' +
      'every ServiceAccount of the cluster, the control plane\'s controllers included. Bindings that grant ' +
      'everything are reported by the admin-binding rules instead; bootstrap bindings are skipped unless the ' +
      'ignoreDefaults option is turned off.',
    remediation:
      'Remove create on serviceaccounts/token, or limit it with resourceNames to the ServiceAccounts whose tokens ' +
      'the subject must hand out, in their namespace only. Workloads get their own token projected into the pod ' +
      'and need no TokenRequest permission.',
    controls: ['cis-k8s/5.1.13', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1528', 'mitre-attack/T1078', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/IA-5', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/5.17', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      tokenRequest: 'lets {{subjects}} create tokens for {{accounts}} {{scope}} through {{rule}}: each token acts as that ServiceAccount, with all its permissions',
    },
    example: {
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["serviceaccounts/token"]\n  verbs: ["create"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["serviceaccounts"]\n  verbs: ["get", "list"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['request-tokens'])) {
      const grant = grants[0]!;
      const cluster = binding.kind === 'ClusterRoleBinding';
      context.report({
        messageId: 'tokenRequest',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          accounts:
            grant.resourceNames.length > 0
              ? `the ServiceAccounts named ${listText(grant.resourceNames, 5)}`
              : 'any ServiceAccount',
          scope: cluster ? 'in every namespace' : `of namespace ${binding.namespace ?? 'default'}`,
          rule: grantText(binding, grant.rule),
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
