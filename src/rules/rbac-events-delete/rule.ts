import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, scopeText, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-events-delete',
    title: 'Binding lets subjects delete events',
    category: 'rbac',
    defaultSeverity: 'low',
    rationale:
      'Events record what happened to objects: pods scheduled, images pulled, probes failing, containers killed. ' +
      'Deleting them removes the trail that people and tools watching the cluster rely on, the classic cover-up ' +
      'after an intrusion. Event retention is short anyway (an hour by default), so nothing but the event ' +
      'controller and garbage collection needs to delete them. Bindings that grant everything are reported by the ' +
      'admin-binding rules instead; bootstrap bindings are skipped unless the ignoreDefaults option is turned off.',
    remediation: 'Remove delete and deletecollection on events (core and events.k8s.io) from the role.',
    controls: ['nsa-cisa/audit-logging', 'mitre-attack/T1070', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/AU-9', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'pci-dss/10.3.2', 'soc2/CC6.3', 'soc2/CC7.2', 'iso-27001/8.15', 'hipaa/164.312(a)(1)'],
    messages: {
      deleteEvents: 'lets {{subjects}} {{verbs}} events {{scope}} through {{rule}}: deleting events hides what happened',
    },
    example: {
      bad: 'rules:\n- apiGroups: ["", "events.k8s.io"]\n  resources: ["events"]\n  verbs: ["get", "list", "delete"]',
      good: 'rules:\n- apiGroups: ["", "events.k8s.io"]\n  resources: ["events"]\n  verbs: ["get", "list", "watch"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['delete-events'])) {
      const grant = grants[0]!;
      context.report({
        messageId: 'deleteEvents',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          verbs: listText(grant.verbs).replace(/ and (?=[^,]*$)/, ' or '),
          scope: scopeText(binding),
          rule: grantText(binding, grant.rule),
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
