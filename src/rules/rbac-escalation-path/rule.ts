import { describeIdentity, findEscalationPathsInInventory, formatPathInline, type EscalationPath } from '../../analysers/rbac/escalation.ts';
import { formatRef } from '../../core/inventory.ts';
import { defineRule } from '../../core/rule-api.ts';
import { RBAC_KINDS } from '../../analysers/rbac/findings-helpers.ts';

function stepsText(path: EscalationPath): string {
  return path.length === 1 ? '1 step' : `${path.length} steps`;
}

export const rule = defineRule({
  meta: {
    id: 'rbac-escalation-path',
    title: 'Identity can escalate to cluster-admin',
    category: 'rbac',
    defaultSeverity: 'critical',
    rationale:
      'RBAC powers combine: creating pods in a namespace lets one run as any of its ServiceAccounts, reading its ' +
      'Secrets yields their legacy tokens, impersonation, bind and escalate let one take roles one was never ' +
      'given, and a mutating webhook or a signed client certificate goes straight to the top. Checking roles one ' +
      'at a time misses chains of these. Palisade builds a graph of identities (binding subjects, and workloads ' +
      'through the ServiceAccount whose token their pods mount) with one edge per such power, honouring where each ' +
      'binding applies (a RoleBinding only in its namespace, and never on cluster-scoped resources) and ' +
      'resourceNames, and finds for every identity the shortest chain to cluster-admin: membership of ' +
      'system:masters, or a ClusterRoleBinding to a rule with every verb on every resource. Each identity that ' +
      'is not cluster-admin already but reaches it is reported once, with every step and the binding and rule ' +
      'behind it. A workload is reported on its pod spec: anyone who compromises one of its pods becomes ' +
      'cluster-admin. Subjects of bootstrap bindings (Kubernetes\' own components) are not reported, though their ' +
      'ServiceAccounts can be steps; a member whose first step comes through a group that is reported itself is ' +
      'covered by the group\'s finding. The severity is critical for every finding: each is a complete path to ' +
      'full control of the cluster.',
    remediation:
      'Break the chain at its cheapest link, usually the first step: remove the power from the role or the subject ' +
      'from the binding, narrow it with resourceNames, or grant it in a namespace that holds no powerful ' +
      'ServiceAccounts. Keep highly privileged ServiceAccounts in namespaces where few can create pods or read ' +
      'Secrets, set automountServiceAccountToken: false on workloads that do not call the API, and replace legacy ' +
      'token Secrets with short-lived projected tokens. Review each remaining path and suppress it with a ' +
      'justification where it is intended.',
    controls: ['cis-k8s/5.1.1', 'cis-k8s/5.1.8', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'mitre-attack/T1098', 'mitre-attack/T1528', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'nist-800-53/AC-6(5)', 'nist-800-53/AC-6(10)', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      subjectPath: '{{identity}} can become cluster-admin in {{steps}}: {{path}}',
      workloadPath:
        'pods of {{workload}} mount the token of {{identity}}, which can become cluster-admin in {{steps}}, so a compromised pod ' +
        'becomes cluster-admin: {{path}}',
    },
    example: {
      bad:
        'kind: Role\nmetadata: {name: deployer, namespace: shop}\nrules:\n- {apiGroups: [""], resources: [pods], verbs: [create]}\n---\n' +
        'kind: RoleBinding\nmetadata: {name: ci, namespace: shop}\nsubjects: [{kind: ServiceAccount, name: ci, namespace: shop}]\n' +
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}\n---\n' +
        'kind: ClusterRoleBinding\nmetadata: {name: admin-bot}\nsubjects: [{kind: ServiceAccount, name: admin-bot, namespace: shop}]\n' +
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
      good:
        'kind: ClusterRoleBinding\nmetadata: {name: admin-bot}\n# the powerful ServiceAccount lives where nobody else can create pods\n' +
        'subjects: [{kind: ServiceAccount, name: admin-bot, namespace: platform-admin}]\n' +
        'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}',
    },
  },
  // Inventory scope: a path runs through bindings, roles, ServiceAccounts, Secrets and workloads of the whole input.
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  check(context, inventory) {
    for (const path of findEscalationPathsInInventory(inventory.objects, inventory.podTemplates)) {
      if (path.coveredByGroup !== undefined) continue;
      const data = { identity: describeIdentity(path.start.identity), steps: stepsText(path), path: formatPathInline(path) };
      if (path.start.kind === 'workload') {
        const { template } = path.start.workload;
        const field = ['serviceAccountName', 'serviceAccount'].find((name) => typeof template.spec[name] === 'string');
        context.report({
          messageId: 'workloadPath',
          data: { ...data, workload: formatRef(template.object.ref) },
          path: field ? [...template.specPath, field] : template.specPath,
          object: template.object,
        });
        continue;
      }
      // On the binding behind the first step when it names the identity itself, else on the binding that names it.
      const start = path.start;
      const own = path.steps[0]?.evidence.find((grant) => grant.subject.kind !== 'Group' || (start.identity.kind === 'Group' && grant.subject.name === start.identity.name));
      const binding = own?.binding ?? start.binding;
      const index = own?.subject.index ?? start.subjectIndex;
      context.report({ messageId: 'subjectPath', data, path: ['subjects', index], object: binding.object });
    }
  },
});
