import { IGNORE_DEFAULTS_OPTION, listingOf, RBAC_KINDS, rbacSources } from '../../analysers/rbac/findings-helpers.ts';
import type { PolicyRule } from '../../analysers/rbac/policy-rule.ts';
import { asArray, asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

type Reason = { readonly field: 'verbs' | 'resources' | 'apiGroups' | 'nonResourceURLs'; readonly text: string };

/** Why a rule can match no request (each is also a rule the API server's validation rejects), or undefined. */
function matchesNothing(rule: PolicyRule, namespaced: boolean): Reason | undefined {
  if (rule.verbs.length === 0) return { field: 'verbs', text: 'has no verbs' };
  if (rule.nonResourceURLs.length > 0 && namespaced && rule.resources.length === 0) {
    return { field: 'nonResourceURLs', text: 'names nonResourceURLs, which only a ClusterRole can grant' };
  }
  if (rule.nonResourceURLs.length === 0 && rule.resources.length === 0) return { field: 'resources', text: 'names neither resources nor nonResourceURLs' };
  if (rule.resources.length > 0 && rule.apiGroups.length === 0) return { field: 'apiGroups', text: 'names resources but no apiGroups (the core group is "")' };
  return undefined;
}

export const rule = defineRule({
  meta: {
    id: 'rbac-empty-role',
    title: 'Role grants nothing, or has a rule that matches nothing',
    category: 'rbac',
    defaultSeverity: 'low',
    rationale:
      'A Role or ClusterRole without rules grants nothing, so bindings to it do nothing either: it is left over, or ' +
      'a mistake hides the permissions someone meant to grant. A rule with no verbs, with neither resources nor ' +
      'nonResourceURLs, with resources but no apiGroups (the core group has to be written as ""), or with ' +
      'nonResourceURLs in a namespaced Role matches no request; the API server rejects such roles, so manifests ' +
      'holding them fail to apply. An aggregated ClusterRole gets its rules from the ClusterRoles its selectors match; ' +
      'in a cluster (or a snapshot of one) an aggregated role that gathers no rule is reported too, while in manifests ' +
      'it is not, since the roles it aggregates usually live in the cluster. Kubernetes\' own roles are skipped unless ' +
      'the ignoreDefaults option is turned off.',
    remediation:
      'Delete roles nothing needs (and their bindings). Otherwise fix the rule: list its verbs, resources and ' +
      'apiGroups ("" for the core group), and move nonResourceURLs to a ClusterRole bound by a ClusterRoleBinding. ' +
      'For an aggregated role, label the ClusterRoles it should gather to match its clusterRoleSelectors.',
    controls: ['nsa-cisa/authentication-authorization'],
    messages: {
      noRules: '{{kind}} has no rules: it grants nothing, and bindings to it grant nothing',
      aggregatesNothing:
        'aggregated ClusterRole gathers no rule: no ClusterRole with rules matches its clusterRoleSelectors, so it grants nothing',
      ruleMatchesNothing: 'rules[{{index}}] {{reason}}, so it matches no request (and the API server rejects the role)',
    },
    example: {
      bad: 'rules:\n- resources: ["configmaps"]\n  verbs: ["get"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["configmaps"]\n  verbs: ["get"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const role of source.model.roles.values()) {
        if (context.options.ignoreDefaults && role.bootstrap) continue;
        const object = role.object;
        if (role.aggregated) {
          const selectors = asArray(asObject(object.object['aggregationRule'])?.['clusterRoleSelectors']);
          if (role.rules.length === 0 && listingOf(inventory.objects, object)) {
            context.report({ messageId: 'aggregatesNothing', path: selectors.length > 0 ? ['aggregationRule', 'clusterRoleSelectors'] : ['aggregationRule'], object });
          }
          // An aggregated role's own rules are overwritten by the controller: nothing written there takes effect.
          continue;
        }
        // Not aggregated: the role's rules are its own, as written.
        if (role.rules.length === 0) {
          context.report({ messageId: 'noRules', data: { kind: role.kind }, path: Object.hasOwn(object.object, 'rules') ? ['rules'] : ['metadata', 'name'], object });
          continue;
        }
        for (const { rule: policy, index } of role.rules) {
          const reason = matchesNothing(policy, role.kind === 'Role');
          if (reason) context.report({ messageId: 'ruleMatchesNothing', data: { index, reason: reason.text }, path: ['rules', index, reason.field], object });
        }
      }
    }
  },
});
