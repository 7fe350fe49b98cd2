import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, listText, namesText, RBAC_KINDS, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-webhook-config-write',
    title: 'Binding lets subjects change admission webhook configurations',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'A MutatingWebhookConfiguration sends the objects it matches, Secrets included, to a service of its ' +
      'author\'s choice, which can read them and rewrite them (add a container, a hostPath, a different image) ' +
      'before they are stored. Changing a ValidatingWebhookConfiguration can switch policy enforcement off or make it ' +
      'fail open. Whoever can create, update or patch them controls what every other subject can do. They are ' +
      'cluster-scoped, so only ClusterRoleBindings grant it. Bindings that grant everything are reported by ' +
      'rbac-cluster-admin-binding instead; bootstrap bindings are skipped unless the ignoreDefaults option is turned off.',
    remediation:
      'Leave webhook configurations to the controller that owns them and limit its permission with resourceNames ' +
      'to its own configurations; give people and other workloads read access at most.',
    controls: ['cis-k8s/5.1.12', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1562', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/AC-6(1)', 'nist-800-53/CM-5', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      webhookWrite:
        'lets {{subjects}} {{verbs}} {{resources}}{{names}} through {{rule}}: a webhook sees, and a mutating one can ' +
        'rewrite, every object it matches, Secrets included; a changed validating webhook can switch policies off',
    },
    example: {
      bad: 'rules:\n- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["mutatingwebhookconfigurations"]\n  verbs: ["create", "update", "patch"]',
      good: 'rules:\n- apiGroups: ["admissionregistration.k8s.io"]\n  resources: ["mutatingwebhookconfigurations"]\n  verbs: ["get", "list", "watch"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['write-webhooks'])) {
      const grant = grants[0]!;
      context.report({
        messageId: 'webhookWrite',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          verbs: listText(grant.verbs).replace(/ and (?=[^,]*$)/, ' or '),
          resources: listText(grant.resources),
          names: namesText(grant),
          rule: grantText(binding, grant.rule),
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
