// Audit policy analyser (audit.k8s.io Policy, the file behind --audit-policy-file). Pure; no I/O.
//
// Exported API (rules audit-policy-coverage and audit-policy-secret-bodies are written against it):
//
// Reading (policy.ts)
//   parseAuditPolicy(value): AuditPolicy        typed rules + the problems that make kube-apiserver refuse the file
//   auditPolicyOf(object): AuditPolicy          the same, memoised on the (frozen) object
//   AUDIT_LEVELS, levelAtLeast(level, min), isCatchAll(rule)
//
// Deciding (evaluate.ts): upstream checker.go semantics
//   levelFor(policy, request): { level, ruleIndex (-1: none), omitStages }   first matching rule wins
//   createAuditPolicyEvaluator(object).levelFor(request)                    the same from a Policy object
//   ruleMatches(rule, request), pathMatches(path, spec)
//   recordedStages(decision, request): the stages that write an event; isLongRunning(request)
//
// Probing (probes.ts): representative requests (ordinary user and service account, every named user/group,
//   namespace and resourceName, plus a stand-in for "any other") for rules that ask "is X ever / never logged?"
import type { JsonObject, JsonValue } from '../../core/model.ts';
import { levelFor, type AuditDecision, type AuditRequest } from './evaluate.ts';
import { parseAuditPolicy, type AuditPolicy } from './policy.ts';

export { isLongRunning, levelFor, pathMatches, recordedStages, ruleMatches, type AuditDecision, type AuditRequest } from './evaluate.ts';
export {
  AUDIT_LEVELS,
  AUDIT_STAGES,
  isAuditLevel,
  isCatchAll,
  levelAtLeast,
  parseAuditPolicy,
  type AuditGroupResources,
  type AuditLevel,
  type AuditPolicy,
  type AuditPolicyProblem,
  type AuditPolicyRule,
  type AuditStage,
} from './policy.ts';
export {
  allRequesters,
  OTHER_NAME,
  OTHER_NAMESPACE,
  ordinaryRequesters,
  probeNames,
  probeNamespaces,
  probeRequests,
  targetLabel,
  whereText,
  type Probe,
  type ProbeTarget,
  type Requester,
} from './probes.ts';

const parsed = new WeakMap<JsonObject, AuditPolicy>();

/** The parsed policy of an inventory object (memoised: several rules read the same object). */
export function auditPolicyOf(object: JsonObject): AuditPolicy {
  let policy = parsed.get(object);
  if (!policy) {
    policy = parseAuditPolicy(object);
    parsed.set(object, policy);
  }
  return policy;
}

export interface AuditPolicyEvaluator {
  readonly policy: AuditPolicy;
  levelFor(request: AuditRequest): AuditDecision;
}

export function createAuditPolicyEvaluator(value: JsonValue): AuditPolicyEvaluator {
  const policy = typeof value === 'object' && value !== null && !Array.isArray(value) ? auditPolicyOf(value as JsonObject) : parseAuditPolicy(value);
  return { policy, levelFor: (request) => levelFor(policy, request) };
}
