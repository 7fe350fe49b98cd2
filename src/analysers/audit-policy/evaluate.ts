// Which audit level a request gets, exactly as kube-apiserver decides it:
// staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go (EvaluatePolicyRule, ruleMatches, ruleMatchesNonResource,
// pathMatches, ruleMatchesResource). The first matching rule wins; no match means level None.
import type { AuditLevel, AuditPolicy, AuditPolicyRule, AuditStage } from './policy.ts';

/**
 * A request as the audit policy sees it (authorizer attributes). It is a non-resource request when
 * `nonResourceURL` is set, and then the resource fields are ignored.
 */
export interface AuditRequest {
  /** Absent: the request carries no user (rules that name users or groups do not match it). */
  readonly user?: string;
  readonly groups?: readonly string[];
  /** API verb (get, list, watch, create, update, patch, delete, deletecollection, …); for non-resource URLs the lower-cased HTTP method. */
  readonly verb: string;
  /** "" is the core group. */
  readonly apiGroup?: string;
  readonly resource?: string;
  readonly subresource?: string;
  /** "" for cluster-scoped resources and for requests across all namespaces. */
  readonly namespace?: string;
  /** "" for collection requests (list, watch, create of a top-level object). */
  readonly name?: string;
  readonly nonResourceURL?: string;
}

export interface AuditDecision {
  /** Undefined only when the deciding rule's level is invalid (the API server would not load such a policy). */
  readonly level: AuditLevel | undefined;
  /** Index of the deciding rule in `rules`, or -1 when no rule matches (level None). */
  readonly ruleIndex: number;
  /** The deciding rule's omitStages united with the policy's (NewPolicyRuleEvaluator); the policy's alone when no rule matches. */
  readonly omitStages: readonly string[];
}

function isResourceRequest(request: AuditRequest): boolean {
  return request.nonResourceURL === undefined;
}

/** pathMatches: `*` matches everything, otherwise an exact match, or a prefix match when the spec ends in `*` (all trailing `*` trimmed). */
export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function ruleMatchesNonResource(rule: AuditPolicyRule, request: AuditRequest): boolean {
  if (isResourceRequest(request)) return false;
  const path = request.nonResourceURL ?? '';
  return rule.nonResourceURLs.some((spec) => pathMatches(path, spec));
}

function ruleMatchesResource(rule: AuditPolicyRule, request: AuditRequest): boolean {
  if (!isResourceRequest(request)) return false;
  // Non-namespaced resources (and requests across all namespaces) use the empty string.
  if (rule.namespaces.length > 0 && !rule.namespaces.includes(request.namespace ?? '')) return false;
  if (rule.resources.length === 0) return true;

  const apiGroup = request.apiGroup ?? '';
  const resource = request.resource ?? '';
  const subresource = request.subresource ?? '';
  const combined = subresource === '' ? resource : `${resource}/${subresource}`;
  const name = request.name ?? '';

  for (const entry of rule.resources) {
    if (entry.group !== apiGroup) continue;
    if (entry.resources.length === 0) return true;
    // resourceNames filter every listed resource; a request without a name (list, create) never matches a non-empty list.
    if (entry.resourceNames.length > 0 && !entry.resourceNames.includes(name)) continue;
    for (const res of entry.resources) {
      if (res === combined || res === '*') return true;
      // `*/scale`: that subresource of every resource (never the resource itself).
      if (subresource !== '' && res.startsWith('*/') && subresource === res.slice(2)) return true;
      // `pods/*`: every subresource of pods, and (as upstream compares the bare resource) pods itself.
      if (res.endsWith('/*') && resource === res.slice(0, -2)) return true;
    }
  }
  return false;
}

/** checker.go ruleMatches: users, then userGroups (any group), then verbs; then resources/namespaces, or else non-resource URLs. */
export function ruleMatches(rule: AuditPolicyRule, request: AuditRequest): boolean {
  if (rule.users.length > 0 && (request.user === undefined || !rule.users.includes(request.user))) return false;
  if (rule.userGroups.length > 0) {
    if (request.user === undefined) return false;
    if (!(request.groups ?? []).some((group) => rule.userGroups.includes(group))) return false;
  }
  if (rule.verbs.length > 0 && !rule.verbs.includes(request.verb)) return false;
  // A rule with namespaces or resources is a resource rule: its nonResourceURLs (invalid alongside) are not consulted.
  if (rule.namespaces.length > 0 || rule.resources.length > 0) return ruleMatchesResource(rule, request);
  if (rule.nonResourceURLs.length > 0) return ruleMatchesNonResource(rule, request);
  return true;
}

function union(...lists: (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/** EvaluatePolicyRule: the first matching rule decides; with none, level None and the policy's omitStages. */
export function levelFor(policy: AuditPolicy, request: AuditRequest): AuditDecision {
  for (const rule of policy.rules) {
    if (ruleMatches(rule, request)) return { level: rule.level, ruleIndex: rule.index, omitStages: union(policy.omitStages, rule.omitStages) };
  }
  return { level: 'None', ruleIndex: -1, omitStages: union(policy.omitStages) };
}

// kube-apiserver's LongRunningFunc (pkg/controlplane/apiserver/config.go, BasicLongRunningRequestCheck): verbs watch
// and proxy; subresources attach, exec, proxy, log and portforward. Only these get a ResponseStarted event.
const LONG_RUNNING_VERBS: ReadonlySet<string> = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES: ReadonlySet<string> = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

export function isLongRunning(request: AuditRequest): boolean {
  if (!isResourceRequest(request)) return false;
  return LONG_RUNNING_VERBS.has(request.verb) || LONG_RUNNING_SUBRESOURCES.has(request.subresource ?? '');
}

/**
 * The stages that write an event for this request under this decision (Panic aside): nothing at level None;
 * otherwise RequestReceived and ResponseComplete (plus ResponseStarted for long-running requests) minus omitStages.
 * Request and response bodies are only in the events after RequestReceived.
 */
export function recordedStages(decision: AuditDecision, request: AuditRequest): AuditStage[] {
  if (decision.level === undefined || decision.level === 'None') return [];
  const stages: AuditStage[] = isLongRunning(request) ? ['RequestReceived', 'ResponseStarted', 'ResponseComplete'] : ['RequestReceived', 'ResponseComplete'];
  return stages.filter((stage) => !decision.omitStages.includes(stage));
}
