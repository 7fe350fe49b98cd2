// Pod Security Standards evaluator: evaluates a pod template as Kubernetes' Pod Security Admission does, per policy
// version (1.0 … latest) and level (baseline, restricted). Pure and memoised; no I/O.

import type { JsonObject } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import { renderMessage, type KubeMinorVersion } from '../../core/rule-api.ts';
import { PSS_MESSAGES } from './messages.ts';
import { podView } from './pod-view.ts';
import { activeChecks, checksAtLevel } from './registry.ts';
import type { PssCheckId, PssLevel, PssViolation } from './types.ts';
import { resolvePolicyMinor } from './versions.ts';

export type { PssCheckId, PssData, PssLevel, PssReasons, PssViolation } from './types.ts';
export { PSS_LEVELS } from './types.ts';
export { PSS_MESSAGES } from './messages.ts';
export { PSS_CHECK_IDS, PSS_REGISTRY_MAX_MINOR, pssCheckLevel, pssCheckSince } from './registry.ts';
export { PSS_LATEST_MINOR, PSS_LATEST_VERSION, formatPssVersion, parsePssVersion, resolvePolicyMinor } from './versions.ts';
export {
  BASELINE_ADDABLE_CAPABILITIES,
  RESTRICTED_ALLOWED_VOLUME_TYPES,
  RESTRICTED_FORBIDDEN_VOLUME_TYPES,
  SAFE_SYSCTLS,
  SELINUX_ALLOWED_TYPES,
  allowedSeLinuxTypes,
  safeSysctls,
} from './check-data.ts';

// The per-check rules run one after another on the same template: remembering the last evaluation is enough,
// and keeps nothing alive once the scan moves on.
let last:
  | {
      readonly spec: JsonObject;
      readonly minor: number;
      readonly violations: readonly PssViolation[];
      readonly byCheck: ReadonlyMap<PssCheckId, readonly PssViolation[]>;
    }
  | undefined;

function evaluateCached(template: PodTemplate, version: KubeMinorVersion): NonNullable<typeof last> {
  const minor = resolvePolicyMinor(version);
  if (last?.spec !== template.spec || last.minor !== minor) {
    const violations = evaluateUncached(template, minor);
    const byCheck = new Map<PssCheckId, PssViolation[]>();
    for (const violation of violations) {
      const list = byCheck.get(violation.check);
      if (list) list.push(violation);
      else byCheck.set(violation.check, [violation]);
    }
    last = { spec: template.spec, minor, violations, byCheck };
  }
  return last;
}

function evaluateUncached(template: PodTemplate, minor: number): readonly PssViolation[] {
  const pod = podView(template);
  const violations: PssViolation[] = [];
  for (const { definition, revision } of activeChecks(minor)) {
    const templates = PSS_MESSAGES[definition.id] as Readonly<Record<string, string>>;
    for (const hit of revision.evaluate(pod)) {
      violations.push({
        check: definition.id,
        level: definition.level,
        reason: hit.reason,
        path: hit.path,
        // Rendered on demand: rules report the reason and data, only people read the detail.
        get detail() {
          return renderMessage(templates[hit.reason] ?? hit.reason, hit.data);
        },
        data: hit.data,
      } as PssViolation);
    }
  }
  return Object.freeze(violations);
}

/**
 * Every violation of every check (baseline and restricted) that applies at the policy version, in check order and
 * then document order. Baseline checks that restricted overrides are included: filter with
 * {@link pssViolationsAtLevel} for what a namespace at one level rejects.
 */
export function evaluatePodSecurity(template: PodTemplate, version: KubeMinorVersion): readonly PssViolation[] {
  return evaluateCached(template, version).violations;
}

/** The violations a namespace enforcing `level` at `version` rejects the pod for (restricted applies overrides). */
export function pssViolationsAtLevel(template: PodTemplate, level: PssLevel, version: KubeMinorVersion): readonly PssViolation[] {
  const enforced = checksAtLevel(level, resolvePolicyMinor(version));
  return evaluatePodSecurity(template, version).filter((violation) => enforced.has(violation.check));
}

/** The violations of one check: what that check's rule reports. */
export function pssViolationsOf<C extends PssCheckId>(template: PodTemplate, version: KubeMinorVersion, check: C): readonly PssViolation<C>[] {
  return (evaluateCached(template, version).byCheck.get(check) ?? []) as readonly PssViolation[] as readonly PssViolation<C>[];
}

/** The ids of the checks a namespace at this level and version enforces. */
export function pssChecksAtLevel(level: PssLevel, version: KubeMinorVersion): ReadonlySet<PssCheckId> {
  return checksAtLevel(level, resolvePolicyMinor(version));
}
