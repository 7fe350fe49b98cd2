import { isClusterAdminRule } from '../../analysers/rbac/capabilities.ts';
import { IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, rbacSources } from '../../analysers/rbac/findings-helpers.ts';
import type { PolicyRule } from '../../analysers/rbac/policy-rule.ts';
import { defineRule } from '../../core/rule-api.ts';

type Field = 'resources' | 'verbs' | 'apiGroups' | 'nonResourceURLs';

const CONSEQUENCES: Readonly<Record<Field | 'urlVerbs', string>> = {
  resources: 'every resource and subresource of its API groups, including ones added later',
  verbs: 'every verb on its resources, delete, escalate, bind and impersonate included where they apply',
  // Verbs of a non-resource rule: get, post, put, delete, … on its URLs.
  urlVerbs: 'every HTTP verb on its URLs',
  apiGroups: 'its resources in every API group, including groups installed later',
  nonResourceURLs: 'every non-resource URL of the API server',
};

function wildcardFields(rule: PolicyRule): Field[] {
  const fields: Field[] = [];
  if (rule.resources.includes('*')) fields.push('resources');
  if (rule.verbs.includes('*')) fields.push('verbs');
  if (rule.resources.length > 0 && rule.apiGroups.includes('*')) fields.push('apiGroups');
  if (rule.nonResourceURLs.includes('*')) fields.push('nonResourceURLs');
  return fields;
}

export const rule = defineRule({
  meta: {
    id: 'rbac-wildcard-rule',
    title: 'Role rule uses a wildcard',
    category: 'rbac',
    defaultSeverity: 'medium',
    rationale:
      'A "*" in a rule\'s verbs, resources or apiGroups grants more than anyone wrote down: every verb (escalate, ' +
      'bind and impersonate included), every resource and subresource (Secrets, pods/exec, nodes/proxy), and ' +
      'resources of API groups installed later, such as new custom resources. What the role grants then changes ' +
      'with the cluster, and reviews cannot see it. The CIS Kubernetes Benchmark asks to minimise wildcards in ' +
      'Roles and ClusterRoles. Kubernetes\' own roles (cluster-admin among them) are skipped unless the ' +
      'ignoreDefaults option is turned off, and aggregated ClusterRoles are judged by the roles they aggregate.',
    remediation:
      'List the verbs, resources and API groups the role needs. `kubectl auth can-i --list --as=<subject>` and the ' +
      'API server\'s audit log show what a subject uses.',
    controls: ['cis-k8s/5.1.3', 'nsa-cisa/authentication-authorization', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/5.18', 'hipaa/164.312(a)(1)'],
    messages: {
      wildcard: 'rules[{{index}}] uses "*" in {{fields}}, so it grants {{consequences}}{{names}}',
      everything:
        'rules[{{index}}] grants every verb on every resource of every API group{{names}}, as cluster-admin does: ' +
        'whoever it is bound to holds {{what}} {{where}}',
    },
    example: {
      bad: 'rules:\n- apiGroups: ["apps"]\n  resources: ["*"]\n  verbs: ["*"]',
      good: 'rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list", "watch", "update", "patch"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const role of source.model.roles.values()) {
        // An aggregated role's rules are written in (and reported on) the roles it aggregates.
        if (role.aggregated || (context.options.ignoreDefaults && role.bootstrap)) continue;
        for (const { rule: policy, index } of role.rules) {
          const fields = wildcardFields(policy);
          if (fields.length === 0) continue;
          const named = policy.resourceNames.length > 0;
          const names = named ? ` (only objects named ${listText(policy.resourceNames.map((name) => `"${name}"`), 5)})` : '';
          if (isClusterAdminRule({ ...policy, resourceNames: [] })) {
            const where =
              role.kind === 'Role' ? `in namespace ${role.namespace ?? 'default'}` : "in the binding's namespace, or everywhere through a ClusterRoleBinding";
            const what = named ? 'everything about those objects' : 'everything';
            context.report({ messageId: 'everything', data: { index, names, what, where }, path: ['rules', index], object: role.object });
          } else {
            const urls = policy.resources.length === 0;
            const consequences = fields.map((field) => CONSEQUENCES[field === 'verbs' && urls ? 'urlVerbs' : field]);
            context.report({
              messageId: 'wildcard',
              data: { index, fields: listText(fields), consequences: listText(consequences), names },
              path: ['rules', index, fields[0]!],
              object: role.object,
            });
          }
        }
      }
    }
  },
});
