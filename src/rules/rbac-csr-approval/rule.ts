import { bindingsForUser, userForSubject } from '../../analysers/rbac/authorizer.ts';
import { describeBinding } from '../../analysers/rbac/evidence.ts';
import { bindingsToCheck, grantsEverything, grantsOfBinding, grantText, IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, rbacSources, subjectText } from '../../analysers/rbac/findings-helpers.ts';
import type { BindingEntry, EffectiveRule } from '../../analysers/rbac/model.ts';
import { apiGroupMatches, resourceMatches, verbMatches } from '../../analysers/rbac/policy-rule.ts';
import { defineRule } from '../../core/rule-api.ts';

const CERTIFICATES_GROUP = 'certificates.k8s.io';

/** The first rule of a ClusterRoleBinding's role allowing `approve` on signers, and the signer names it is limited to. */
function signerApproval(binding: BindingEntry): { rule: EffectiveRule; names: readonly string[] } | undefined {
  if (binding.kind !== 'ClusterRoleBinding' || !binding.role) return undefined;
  const rules = binding.role.rules.filter(
    (rule) => verbMatches(rule.rule, 'approve') && apiGroupMatches(rule.rule, CERTIFICATES_GROUP) && resourceMatches(rule.rule, 'signers', ''),
  );
  const any = rules.find((rule) => rule.rule.resourceNames.length === 0);
  if (any) return { rule: any, names: [] };
  const first = rules[0];
  return first ? { rule: first, names: [...new Set(rules.flatMap((rule) => rule.rule.resourceNames))].sort() } : undefined;
}

/** `ClusterRole/x rules[0] (rbac.yaml:9)`, naming the binding when it is another one. */
function evidence(self: BindingEntry, binding: BindingEntry, rule: EffectiveRule): string {
  const text = grantText(binding, rule);
  return binding === self ? text : `${text} through ${describeBinding(binding)}`;
}

export const rule = defineRule({
  meta: {
    id: 'rbac-csr-approval',
    title: 'Binding lets subjects approve certificate signing requests',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'A CertificateSigningRequest names the identity it wants (a user name and groups). Once approved, the ' +
      'kubernetes.io/kube-apiserver-client signer issues a client certificate for it, and the API server trusts ' +
      'that certificate as the user it names, system:masters included, until it expires: it cannot be revoked. ' +
      'Approving needs update on certificatesigningrequests/approval and approve on the signer (resource signers, ' +
      'named by signer); an approver whose signer permission is limited to signers outside kubernetes.io/ (whose ' +
      'certificates the API server does not trust unless configured to) is not reported. A subject that can also create CSRs, through this binding or any other it is a subject of ' +
      '(its groups\' included), can issue itself any identity; that combination is reported with both citations. ' +
      'These are cluster-scoped, so only ClusterRoleBindings grant them. Bindings that grant everything are reported ' +
      'by rbac-cluster-admin-binding instead; bootstrap bindings (the CSR approving controller) are skipped unless ' +
      'the ignoreDefaults option is turned off.',
    remediation:
      'Leave CSR approval to the controller-manager and to approvers built for one signer (kubelet serving ' +
      'certificates, cert-manager\'s approver), with approve limited by resourceNames to that signer. Never let the ' +
      'same subject create and approve requests for kubernetes.io/kube-apiserver-client.',
    controls: ['cis-k8s/5.1.11', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1649', 'mitre-attack/T1078', 'nist-800-190/4.3.1', 'nist-800-190/4.3.5', 'nist-800-53/AC-6', 'nist-800-53/AC-6(1)', 'nist-800-53/IA-5', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/5.17', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      createAndApprove:
        'lets {{subject}} approve certificate signing requests ({{approve}}), and it can create them ({{create}}){{signers}}: ' +
        'it can issue itself a client certificate {{outcome}}',
      approve:
        'lets {{subject}} approve certificate signing requests ({{approve}}){{signers}}: an approved request yields a ' +
        'certificate for whatever identity it names, so whoever can create requests gets any identity through it',
    },
    example: {
      bad:
        'rules:\n- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests"]\n  verbs: ["create", "get", "list"]\n' +
        '- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests/approval"]\n  verbs: ["update"]\n' +
        '- apiGroups: ["certificates.k8s.io"]\n  resources: ["signers"]\n  verbs: ["approve"]',
      good:
        'rules:\n- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests"]\n  verbs: ["get", "list"]\n' +
        '- apiGroups: ["certificates.k8s.io"]\n  resources: ["certificatesigningrequests/approval"]\n  verbs: ["update"]\n' +
        '- apiGroups: ["certificates.k8s.io"]\n  resources: ["signers"]\n  resourceNames: ["example.com/my-signer"]\n  verbs: ["approve"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const source of rbacSources(inventory.objects)) {
      for (const binding of bindingsToCheck(source.model, context.options.ignoreDefaults)) {
        const approval = grantsOfBinding(binding).get('approve-csr');
        if (!approval || grantsEverything(binding)) continue;
        for (const subject of binding.subjects) {
          if (subject.kind === 'ServiceAccount' && subject.namespace === undefined) continue;
          const user = userForSubject(subject.kind, subject.name, subject.namespace);
          // Every ClusterRoleBinding reaching this subject, directly or through its groups; this one first.
          const reaching = [binding, ...bindingsForUser(source.model, user).filter((other) => other !== binding && other.kind === 'ClusterRoleBinding')];
          let create: { binding: BindingEntry; rule: EffectiveRule } | undefined;
          const approvals: { binding: BindingEntry; rule: EffectiveRule; names: readonly string[] }[] = [];
          for (const other of reaching) {
            const grant = grantsOfBinding(other).get('create-csr');
            if (!create && grant) create = { binding: other, rule: grant.rule };
            const approving = signerApproval(other);
            if (approving) approvals.push({ binding: other, ...approving });
          }
          // Signers outside kubernetes.io/ issue certificates the API server does not trust (unless configured to):
          // an approver limited to those is an approver for that signer, not a route to a cluster identity.
          const builtIn = (names: readonly string[]): boolean => names.length === 0 || names.some((name) => name.startsWith('kubernetes.io/'));
          const relevant = approvals.find((candidate) => builtIn(candidate.names));
          if (approvals.length > 0 && !relevant) continue;
          const signer = relevant && {
            ...relevant,
            names: approvals.some((candidate) => candidate.names.length === 0) ? [] : [...new Set(approvals.flatMap((candidate) => candidate.names))].sort(),
          };
          // The kube-apiserver-client signer issues certificates for any name; others only for what they sign.
          const anyIdentity =
            !signer || signer.names.length === 0 || signer.names.some((name) => name === 'kubernetes.io/kube-apiserver-client' || name === 'kubernetes.io/*');
          const outcome = !signer
            ? 'for any user or group, system:masters included, once it holds approve on a signer'
            : anyIdentity
              ? 'for any user or group it names, system:masters included'
              : `from ${listText(signer.names, 5)}, for any identity ${signer.names.length > 1 ? 'those signers accept' : 'that signer accepts'}`;
          const signers = signer
            ? `, with approve on ${signer.names.length > 0 ? `signers ${listText(signer.names, 5)}` : 'every signer'} (${evidence(binding, signer.binding, signer.rule)})`
            : '; approving also needs approve on signers, which it does not hold yet';
          context.report({
            messageId: create ? 'createAndApprove' : 'approve',
            data: {
              subject: subjectText(subject),
              approve: grantText(binding, approval.rule),
              signers,
              outcome,
              ...(create ? { create: evidence(binding, create.binding, create.rule) } : {}),
            },
            path: ['subjects', subject.index],
            object: binding.object,
          });
        }
      }
    }
  },
});
