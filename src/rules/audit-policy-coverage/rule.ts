import {
  auditPolicyOf,
  isCatchAll,
  levelFor,
  ordinaryRequesters,
  probeRequests,
  recordedStages,
  targetLabel,
  whereText,
  type AuditDecision,
  type AuditPolicy,
  type Probe,
  type ProbeTarget,
} from '../../analysers/audit-policy/index.ts';
import type { Path } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

type GapMessage = 'secretsNotLogged' | 'rbacNotLogged' | 'execNotLogged' | 'tokenRequestNotLogged';

const RBAC = 'rbac.authorization.k8s.io';
const RBAC_WRITES = ['create', 'update', 'patch', 'delete'];
// Recent clients (kubectl over WebSockets) open exec, attach and port-forward with GET, recorded as verb get; SPDY clients POST (create).
const STREAM_VERBS = ['create', 'get'];

/** What must be audited, asked as requests by an ordinary user and by a service account. */
const CONCERNS: readonly { readonly messageId: GapMessage; readonly targets: readonly ProbeTarget[] }[] = [
  { messageId: 'secretsNotLogged', targets: [{ apiGroup: '', resource: 'secrets', namespaced: true, verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'] }] },
  {
    messageId: 'rbacNotLogged',
    targets: [
      { apiGroup: RBAC, resource: 'clusterroles', namespaced: false, verbs: RBAC_WRITES },
      { apiGroup: RBAC, resource: 'clusterrolebindings', namespaced: false, verbs: RBAC_WRITES },
      { apiGroup: RBAC, resource: 'roles', namespaced: true, verbs: RBAC_WRITES },
      { apiGroup: RBAC, resource: 'rolebindings', namespaced: true, verbs: RBAC_WRITES },
    ],
  },
  {
    messageId: 'execNotLogged',
    targets: ['exec', 'attach', 'portforward'].map((subresource) => ({ apiGroup: '', resource: 'pods', subresource, namespaced: true, verbs: STREAM_VERBS })),
  },
  { messageId: 'tokenRequestNotLogged', targets: [{ apiGroup: '', resource: 'serviceaccounts', subresource: 'token', namespaced: true, verbs: ['create'] }] },
];

function logged(decision: AuditDecision, probe: Probe): boolean {
  return recordedStages(decision, probe.request).length > 0;
}

function reasonText(decision: AuditDecision): string {
  if (decision.ruleIndex === -1) return 'no rule matches them, and requests that match no rule are not logged';
  if (decision.level === 'None') return `rules[${decision.ruleIndex}] matches them with level None`;
  return `rules[${decision.ruleIndex}] matches them at ${decision.level ?? 'an invalid level'} but omits stages ${decision.omitStages.join(', ')}, so no event is written`;
}

function joinAnd(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** `get, list on secrets` or `create, get on pods/exec, pods/attach and pods/portforward`, in probe order. */
function requestsText(probes: readonly Probe[]): string {
  const verbsByTarget = new Map<string, string[]>();
  for (const probe of probes) {
    const label = targetLabel(probe.target);
    const verbs = verbsByTarget.get(label) ?? [];
    if (!verbs.includes(probe.request.verb)) verbs.push(probe.request.verb);
    verbsByTarget.set(label, verbs);
  }
  const targetsByVerbs = new Map<string, string[]>();
  for (const [label, verbs] of verbsByTarget) targetsByVerbs.set(verbs.join(', '), [...(targetsByVerbs.get(verbs.join(', ')) ?? []), label]);
  return [...targetsByVerbs].map(([verbs, labels]) => `${verbs} on ${joinAnd(labels)}`).join('; ');
}

interface Gap {
  readonly path: Path;
  readonly data: Record<string, string>;
}

/** The first unlogged request (most ordinary first), with every unlogged request of its context decided the same way. */
function firstGap(policy: AuditPolicy, targets: readonly ProbeTarget[]): Gap | undefined {
  let first: { probe: Probe; decision: AuditDecision } | undefined;
  const same: Probe[] = [];
  for (const probe of probeRequests(policy, targets, ordinaryRequesters)) {
    if (first && probe.context !== first.probe.context) break;
    const decision = levelFor(policy, probe.request);
    if (logged(decision, probe)) continue;
    if (!first) first = { probe, decision };
    if (decision.ruleIndex === first.decision.ruleIndex) same.push(probe);
  }
  if (!first) return undefined;
  return {
    path: first.decision.ruleIndex === -1 ? ['rules'] : ['rules', first.decision.ruleIndex],
    data: {
      requests: requestsText(same),
      who: first.probe.requester.description,
      where: whereText(first.probe),
      reason: reasonText(first.decision),
    },
  };
}

/** The rule after which nothing can be logged: a catch-all at None with only None rules before it; or `rules` when every rule is None. */
function nothingLogged(policy: AuditPolicy): { path: Path; reason: string } | undefined {
  const catchAll = policy.rules.findIndex(isCatchAll);
  const deciding = catchAll === -1 ? policy.rules : policy.rules.slice(0, catchAll + 1);
  if (!deciding.every((rule) => rule.level === 'None')) return undefined;
  if (catchAll === -1) return { path: ['rules'], reason: 'every rule has level None, and requests that match no rule are not logged' };
  return {
    path: ['rules', catchAll],
    reason: catchAll === 0 ? 'rules[0] matches every request with level None' : `rules[${catchAll}] matches every request with level None, and no rule before it logs anything`,
  };
}

export const rule = defineRule({
  meta: {
    id: 'audit-policy-coverage',
    title: 'Audit policy leaves key security events unlogged',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: "the API server's audit Policy file (palisade node on a control-plane node, or the file itself)",
    rationale:
      'kube-apiserver audits a request at the level of the first policy rule that matches it; a request that matches no rule, ' +
      'or matches a rule with level None, leaves no record. CIS Kubernetes Benchmark 3.2.1 asks for a minimal audit policy, ' +
      'and 3.2.2 for one that covers key security concerns: at least access to Secrets, modification of Pods and ' +
      'Deployments, and use of pods/exec, pods/portforward, pods/proxy and services/proxy, with Metadata the recommended ' +
      'minimum for most requests. This rule asks the policy, with the API server\'s own matching, how it would audit ' +
      'what an attacker with a stolen user or ServiceAccount credential does next: reading or changing Secrets, changing ' +
      'RBAC, exec, attach and port-forward into pods (create, and get, which WebSocket clients such as recent kubectl ' +
      'send), and minting ServiceAccount tokens through the TokenRequest API. Rules that silence system components by ' +
      'name are fine; a rule that silences everyone is not. A policy with no rules is refused by kube-apiserver ' +
      '("loaded illegal policy with 0 rules"), as is one that fails validation.',
    remediation:
      'Add rules that log these requests at least at Metadata before any broad None rule, and end the policy with a ' +
      'catch-all (`- level: Metadata`) so that nothing falls through unlogged. Keep None rules narrow: name the users, ' +
      'verbs and resources of the noisy system traffic they drop (kube-proxy watches, health checks, events). Start from ' +
      'the Kubernetes documentation\'s example policy or the GCE policy in kubernetes/kubernetes ' +
      '(cluster/gce/gci/configure-helper.sh), and keep Secrets, ConfigMaps and TokenReviews at Metadata.',
    controls: ['cis-k8s/3.2.1', 'cis-k8s/3.2.2', 'nsa-cisa/audit-logging', 'mitre-attack/T1562.008', 'nist-800-190/4.4.5', 'nist-800-53/AC-6(9)', 'nist-800-53/AU-2', 'nist-800-53/AU-12', 'pci-dss/10.2.1', 'pci-dss/10.2.1.2', 'pci-dss/10.2.1.5', 'pci-dss/10.2.1.7', 'soc2/CC7.2', 'iso-27001/8.15', 'hipaa/164.312(b)'],
    messages: {
      secretsNotLogged: 'not audited: {{requests}}{{where}} by {{who}}, because {{reason}}; Secret reads and changes leave no trace',
      rbacNotLogged: 'not audited: {{requests}}{{where}} by {{who}}, because {{reason}}; RBAC changes, the usual path to more privilege, leave no trace',
      execNotLogged: 'not audited: {{requests}}{{where}} by {{who}}, because {{reason}}; commands run in pods and tunnels into them leave no trace',
      tokenRequestNotLogged: 'not audited: {{requests}}{{where}} by {{who}}, because {{reason}}; ServiceAccount tokens are minted without a trace',
      emptyPolicy: 'the policy has no rules; kube-apiserver refuses it ("loaded illegal policy with 0 rules") and does not start, and without a policy nothing is audited',
      nothingLogged: '{{reason}}: this policy audits nothing at all',
      invalidPolicy: '{{problem}}; kube-apiserver refuses this policy and does not start',
    },
    example: {
      bad: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  resources:\n  - group: ""\n    resources: [secrets, pods/exec]\n- level: Metadata\n  verbs: [get, list]',
      good:
        'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  users: [system:kube-proxy]\n  verbs: [watch]\n' +
        '- level: Metadata\n  resources:\n  - group: ""\n    resources: [secrets, configmaps, serviceaccounts/token]\n' +
        '  - group: authentication.k8s.io\n    resources: [tokenreviews]\n- level: Metadata',
    },
  },
  scope: { type: 'object', kinds: [{ group: 'audit.k8s.io', kind: 'Policy' }] },
  check(context, object) {
    context.evaluated();
    const policy = auditPolicyOf(object.object);
    if (policy.problems.length > 0) {
      for (const problem of policy.problems) context.report({ messageId: 'invalidPolicy', data: { problem: problem.message }, path: problem.path });
      return;
    }
    if (policy.rules.length === 0) {
      context.report({ messageId: 'emptyPolicy', path: ['rules'] });
      return;
    }
    const nothing = nothingLogged(policy);
    if (nothing) {
      context.report({ messageId: 'nothingLogged', data: { reason: nothing.reason }, path: nothing.path });
      return;
    }
    for (const concern of CONCERNS) {
      const gap = firstGap(policy, concern.targets);
      if (gap) context.report({ messageId: concern.messageId, data: gap.data, path: gap.path });
    }
  },
});
