import {
  allRequesters,
  auditPolicyOf,
  levelAtLeast,
  levelFor,
  probeRequests,
  recordedStages,
  whereText,
  type AuditLevel,
  type Probe,
  type ProbeTarget,
} from '../../analysers/audit-policy/index.ts';
import { defineRule } from '../../core/rule-api.ts';

type BodyMessage = 'secretValues' | 'configMapValues' | 'tokenReviewTokens' | 'tokenRequestTokens';

/** A resource whose values a body carries, and the level from which each verb writes that body to the log. */
interface Sensitive {
  readonly messageId: BodyMessage;
  readonly target: ProbeTarget;
  readonly minimum: Readonly<Record<string, AuditLevel>>;
}

// Request level logs the request body (requestObject; for patch the patch itself): create, update and patch carry the
// values. RequestResponse adds the response body (responseObject): get and list answer with the objects. Watch
// events never reach the audit log, so watch is not asked about.
const OBJECT_BODIES: Readonly<Record<string, AuditLevel>> = { get: 'RequestResponse', list: 'RequestResponse', create: 'Request', update: 'Request', patch: 'Request' };
const WRITES: ReadonlySet<string> = new Set(['create', 'update', 'patch']);

const SENSITIVE: readonly Sensitive[] = [
  { messageId: 'secretValues', target: { apiGroup: '', resource: 'secrets', namespaced: true, verbs: Object.keys(OBJECT_BODIES) }, minimum: OBJECT_BODIES },
  { messageId: 'configMapValues', target: { apiGroup: '', resource: 'configmaps', namespaced: true, verbs: Object.keys(OBJECT_BODIES) }, minimum: OBJECT_BODIES },
  // A TokenReview carries the bearer token under review in spec.token: the request body.
  { messageId: 'tokenReviewTokens', target: { apiGroup: 'authentication.k8s.io', resource: 'tokenreviews', namespaced: false, verbs: ['create'] }, minimum: { create: 'Request' } },
  // A TokenRequest's body is only audiences and expiry; the issued token is in the response (status.token).
  {
    messageId: 'tokenRequestTokens',
    target: { apiGroup: '', resource: 'serviceaccounts', subresource: 'token', namespaced: true, verbs: ['create'] },
    minimum: { create: 'RequestResponse' },
  },
];

interface Leak {
  readonly ruleIndex: number;
  readonly sensitive: Sensitive;
  readonly level: AuditLevel;
  readonly verbs: Set<string>;
  /** The most ordinary request that leaks (probes come most ordinary first). */
  readonly first: Probe;
}

/** '' when an ordinary user leaks in any namespace; otherwise who, where and which object, from the first leaking request. */
function scopeText(probe: Probe): string {
  const who = probe.requester.description === 'an ordinary user' ? '' : ` by ${probe.requester.description}`;
  return `${whereText(probe)}${who}`;
}

function bodiesText(level: AuditLevel, verbs: ReadonlySet<string>): string {
  if (level === 'Request') return 'request bodies';
  return [...verbs].some((verb) => WRITES.has(verb)) ? 'request and response bodies' : 'response bodies';
}

export const rule = defineRule({
  meta: {
    id: 'audit-policy-secret-bodies',
    title: 'Audit policy writes Secret values or tokens into the audit log',
    category: 'secrets',
    defaultSeverity: 'high',
    requires: "the API server's audit Policy file (palisade node on a control-plane node, or the file itself)",
    rationale:
      'At level Request the audit log keeps each request body, and at RequestResponse each response body too. For ' +
      'Secrets and ConfigMaps that is their data (base64 is not encryption): in creates, updates and patches at ' +
      'Request, and in every get and list at RequestResponse. A TokenReview carries the bearer token under review in ' +
      'its request, and a TokenRequest (serviceaccounts/token) answers with a freshly issued token. Audit logs are ' +
      'shipped to files, webhooks and log platforms that many more people and systems can read than can read Secrets, ' +
      'and they are kept for months, so every credential that passes through the API server ends up there. The CIS ' +
      'Kubernetes Benchmark (3.2.2) warns to log only Metadata for Secrets, ConfigMaps and TokenReviews to avoid ' +
      'logging sensitive data. The rule asks the policy, with the API server\'s own first-match semantics, for every ' +
      'user, group, namespace and object name it names, which rule decides these requests and at what level.',
    remediation:
      'Put a Metadata rule for them before any rule that logs at Request or RequestResponse: `- level: Metadata` with ' +
      'resources `{group: "", resources: [secrets, configmaps]}` and `{group: authentication.k8s.io, resources: ' +
      '[tokenreviews]}`. Log serviceaccounts/token at Request or Metadata, not RequestResponse. Then treat what the log ' +
      'already holds as exposed: rotate those credentials and purge old audit logs and their copies.',
    controls: ['cis-k8s/3.2.2', 'mitre-attack/T1552', 'nsa-cisa/audit-logging', 'nist-800-53/IA-5', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      secretValues: 'rules[{{index}}] logs {{verbs}} on secrets{{scope}} at {{level}}, so Secret values land in the audit log ({{bodies}})',
      configMapValues: 'rules[{{index}}] logs {{verbs}} on configmaps{{scope}} at {{level}}, so ConfigMap data, often credentials and connection strings, lands in the audit log ({{bodies}})',
      tokenReviewTokens: 'rules[{{index}}] logs create on tokenreviews (authentication.k8s.io){{scope}} at {{level}}, so every bearer token sent for review lands in the audit log',
      tokenRequestTokens: 'rules[{{index}}] logs create on serviceaccounts/token{{scope}} at {{level}}, so every newly issued ServiceAccount token lands in the audit log',
    },
    example: {
      bad: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  nonResourceURLs: ["/healthz*"]\n- level: RequestResponse',
      good:
        'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: None\n  nonResourceURLs: ["/healthz*"]\n- level: Metadata\n  resources:\n' +
        '  - group: ""\n    resources: [secrets, configmaps]\n  - group: authentication.k8s.io\n    resources: [tokenreviews]\n' +
        '- level: Request\n  resources:\n  - group: ""\n    resources: [serviceaccounts/token]\n- level: RequestResponse',
    },
  },
  scope: { type: 'object', kinds: [{ group: 'audit.k8s.io', kind: 'Policy' }] },
  check(context, object) {
    context.evaluated();
    const policy = auditPolicyOf(object.object);
    const leaks = new Map<string, Leak>();
    for (const sensitive of SENSITIVE) {
      for (const probe of probeRequests(policy, [sensitive.target], (namespace) => allRequesters(policy, namespace))) {
        const decision = levelFor(policy, probe.request);
        const minimum = sensitive.minimum[probe.request.verb];
        if (decision.ruleIndex === -1 || decision.level === undefined || minimum === undefined || !levelAtLeast(decision.level, minimum)) continue;
        // Bodies are in the events after RequestReceived; a rule that omits those writes none.
        if (!recordedStages(decision, probe.request).some((stage) => stage !== 'RequestReceived')) continue;
        const key = `${decision.ruleIndex}\u0000${sensitive.messageId}`;
        const leak = leaks.get(key) ?? { ruleIndex: decision.ruleIndex, sensitive, level: decision.level, verbs: new Set<string>(), first: probe };
        leak.verbs.add(probe.request.verb);
        leaks.set(key, leak);
      }
    }
    const ordered = [...leaks.values()].sort((a, b) => a.ruleIndex - b.ruleIndex || SENSITIVE.indexOf(a.sensitive) - SENSITIVE.indexOf(b.sensitive));
    for (const leak of ordered) {
      const verbs = new Set(leak.sensitive.target.verbs.filter((verb) => leak.verbs.has(verb)));
      context.report({
        messageId: leak.sensitive.messageId,
        data: { index: leak.ruleIndex, verbs: [...verbs].join(', '), scope: scopeText(leak.first), level: leak.level, bodies: bodiesText(leak.level, verbs) },
        path: ['rules', leak.ruleIndex],
      });
    }
  },
});
