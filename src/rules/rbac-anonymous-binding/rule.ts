import { bindingScopeText, powersText, RBAC_KINDS, rbacSources, roleRefText, subjectText } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

/** What Kubernetes itself binds for unauthenticated requests: only version and health (system:public-info-viewer). */
const DEFAULT_ROLES: ReadonlySet<string> = new Set(['system:public-info-viewer']);

export const rule = defineRule({
  meta: {
    id: 'rbac-anonymous-binding',
    title: 'Role bound to anonymous or unauthenticated users',
    category: 'rbac',
    defaultSeverity: 'critical',
    rationale:
      'Requests without credentials reach RBAC as the user system:anonymous in the group system:unauthenticated ' +
      'when anonymous authentication is on, which is the API server\'s default. Kubernetes binds them only to ' +
      'system:public-info-viewer (version and health endpoints). Any other role bound to them is open to everyone ' +
      'who can reach the API server, with no credentials at all. Clusters upgraded from before 1.14 may still bind ' +
      'system:discovery and system:basic-user to system:unauthenticated: those are reported too, as they are no ' +
      'longer the default. Every binding is checked, bootstrap ones included.',
    remediation:
      'Delete the binding, or remove the system:anonymous and system:unauthenticated subjects from it. Turn ' +
      'anonymous authentication off where it is not needed (--anonymous-auth=false, or an AuthenticationConfiguration ' +
      'that allows it only for the health endpoints).',
    controls: ['cis-k8s/1.2.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078.001', 'mitre-attack/T1190', 'nist-800-190/4.3.1', 'nist-800-190/4.3.2', 'nist-800-53/AC-3', 'nist-800-53/AC-6', 'nist-800-53/AC-14', 'pci-dss/7.2.2', 'pci-dss/8.2.1', 'soc2/CC6.1', 'soc2/CC6.3', 'iso-27001/5.15', 'iso-27001/5.18', 'hipaa/164.312(a)(1)', 'hipaa/164.312(d)'],
    messages: {
      anonymousBinding:
        'binds {{subject}} to {{role}} {{scope}}: anyone who can reach the API server holds it without credentials{{powers}}',
    },
    example: {
      bad:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: public\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n' +
        '- kind: Group\n  name: system:unauthenticated\n  apiGroup: rbac.authorization.k8s.io',
      good:
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: public\nroleRef:\n' +
        '  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: view\nsubjects:\n' +
        '- kind: Group\n  name: viewers\n  apiGroup: rbac.authorization.k8s.io',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const binding of source.model.bindings) {
        if (binding.roleRef.kind === 'ClusterRole' && DEFAULT_ROLES.has(binding.roleRef.name)) continue;
        for (const subject of binding.subjects) {
          const anonymous =
            (subject.kind === 'User' && subject.name === 'system:anonymous') || (subject.kind === 'Group' && subject.name === 'system:unauthenticated');
          if (!anonymous) continue;
          context.report({
            messageId: 'anonymousBinding',
            data: { subject: subjectText(subject), role: roleRefText(binding), scope: bindingScopeText(binding), powers: powersText(binding) },
            path: ['subjects', subject.index],
            object: binding.object,
          });
        }
      }
    }
  },
});
