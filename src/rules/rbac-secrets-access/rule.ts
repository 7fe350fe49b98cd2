import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-secrets-access',
    title: 'Binding lets subjects read Secrets',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'Secrets hold ServiceAccount tokens, registry credentials, TLS keys and application passwords. get reads one ' +
      'Secret, and list and watch return the contents of every Secret in scope, not only their names; through a ' +
      'ClusterRoleBinding that is every Secret of the cluster, the tokens of the control plane\'s ServiceAccounts ' +
      'included. Rules limited by resourceNames to named Secrets are the recommended way to give a workload its own ' +
      'Secret and are not reported. Bindings that grant everything are reported by rbac-cluster-admin-binding and ' +
      'rbac-namespace-admin-binding instead; bootstrap bindings are skipped unless the ignoreDefaults option is turned off.',
    remediation:
      'Grant get on the named Secrets a workload needs (resourceNames), in its own namespace, and avoid list and ' +
      'watch on secrets. Mount Secrets into pods instead of reading them through the API where possible.',
    controls: ['cis-k8s/5.1.2', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1552.007', 'mitre-attack/T1528', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/IA-5', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/5.17', 'iso-27001/8.3', 'hipaa/164.312(a)(1)'],
    messages: {
      clusterWide: 'lets {{subjects}} {{verbs}} Secrets in every namespace through {{rule}}{{contents}}',
      namespaced: 'lets {{subjects}} {{verbs}} the Secrets of namespace {{namespace}} through {{rule}}{{contents}}',
    },
    example: {
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["secrets"]\n  verbs: ["get", "list", "watch"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["secrets"]\n  resourceNames: ["web-tls"]\n  verbs: ["get"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['read-secrets'])) {
      const grant = grants[0]!;
      if (grant.resourceNames.length > 0) continue;
      const listing = grant.verbs.includes('list') || grant.verbs.includes('watch');
      context.report({
        messageId: binding.kind === 'ClusterRoleBinding' ? 'clusterWide' : 'namespaced',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          verbs: listText(grant.verbs),
          namespace: binding.namespace ?? 'default',
          rule: grantText(binding, grant.rule),
          contents: listing ? "; list and watch return the Secrets' contents, not just their names" : '',
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
