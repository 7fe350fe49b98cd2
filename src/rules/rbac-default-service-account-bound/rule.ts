import { bindingScopeText, bindingsToCheck, IGNORE_DEFAULTS_OPTION, listText, powersText, RBAC_KINDS, rbacSources, roleRefText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-default-service-account-bound',
    title: "Binding grants permissions to a namespace's default ServiceAccount",
    category: 'rbac',
    defaultSeverity: 'medium',
    rationale:
      'Every namespace has a ServiceAccount named default, and every pod that names no ServiceAccount runs as it ' +
      'with its token mounted unless automounting is turned off. A permission bound to it is therefore held by every ' +
      'such pod of the namespace, today\'s and tomorrow\'s, including ones that never call the API, and audit logs ' +
      'cannot tell them apart. The CIS Kubernetes Benchmark asks that default ServiceAccounts are not actively used. ' +
      'The finding names the role, what it grants and the workloads of the input that mount the default token. ' +
      'Bootstrap bindings are skipped unless the ignoreDefaults option is turned off.',
    remediation:
      'Create a ServiceAccount for the workload that needs the permission, bind the role to it, and set ' +
      'spec.serviceAccountName in that workload. Set automountServiceAccountToken: false on the default ' +
      'ServiceAccount.',
    controls: ['cis-k8s/5.1.5', 'cis-k8s/5.1.6', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078.001', 'nist-800-190/4.3.1', 'nist-800-53/AC-2', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'pci-dss/8.2.2', 'soc2/CC6.3', 'iso-27001/5.16', 'iso-27001/5.18', 'hipaa/164.312(a)(1)'],
    messages: {
      defaultServiceAccountBound:
        'binds the default ServiceAccount of namespace {{namespace}} to {{role}} {{scope}}: every pod of the namespace ' +
        'that names no ServiceAccount holds it{{powers}}{{holders}}',
    },
    example: {
      bad: 'subjects:\n- kind: ServiceAccount\n  name: default\n  namespace: shop',
      good: 'subjects:\n- kind: ServiceAccount\n  name: web\n  namespace: shop',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const binding of bindingsToCheck(source.model, context.options.ignoreDefaults)) {
        for (const subject of binding.subjects) {
          if (subject.kind !== 'ServiceAccount' || subject.name !== 'default' || subject.namespace === undefined) continue;
          const holders = tokenHolders(inventory.podTemplates, source).get(`${subject.namespace}/default`) ?? [];
          context.report({
            messageId: 'defaultServiceAccountBound',
            data: {
              namespace: subject.namespace,
              role: roleRefText(binding),
              scope: bindingScopeText(binding),
              powers: powersText(binding),
              holders: holders.length > 0 ? `; its token is mounted in ${listText(holders, 3)}` : '',
            },
            path: ['subjects', subject.index],
            object: binding.object,
          });
        }
      }
    }
  },
});
