// Which check revisions apply at a policy version and level, as PSA's registry resolves them: per check, the newest
// revision at or below the version; for restricted, every baseline check minus those a restricted revision overrides.

import { BASELINE_CHECKS } from './baseline-checks.ts';
import type { CheckDefinition, VersionedCheck } from './check-api.ts';
import { RESTRICTED_CHECKS } from './restricted-checks.ts';
import type { PssCheckId, PssLevel } from './types.ts';

/** Every upstream check, baseline first, in a stable order. */
export const PSS_CHECKS: readonly CheckDefinition[] = [...BASELINE_CHECKS, ...RESTRICTED_CHECKS] as readonly CheckDefinition[];

export const PSS_CHECK_IDS: readonly PssCheckId[] = PSS_CHECKS.map((check) => check.id);

export function pssCheckLevel(id: PssCheckId): PssLevel {
  return PSS_CHECKS.find((check) => check.id === id)!.level;
}

/** The first policy minor at which the check applies. */
export function pssCheckSince(id: PssCheckId): number {
  return PSS_CHECKS.find((check) => check.id === id)!.versions[0]!.since;
}

/** The highest revision of any check: versions above it evaluate like it. */
export const PSS_REGISTRY_MAX_MINOR = Math.max(...PSS_CHECKS.flatMap((check) => check.versions.map((v) => v.since)));

export interface ActiveCheck {
  readonly definition: CheckDefinition;
  readonly revision: VersionedCheck<PssCheckId>;
}

function revisionAt(check: CheckDefinition, minor: number): VersionedCheck<PssCheckId> | undefined {
  let found: VersionedCheck<PssCheckId> | undefined;
  for (const revision of check.versions) if (revision.since <= minor) found = revision;
  return found;
}

const activeByMinor = new Map<number, readonly ActiveCheck[]>();

/** Checks of both levels that apply at the (already clamped) policy minor. */
export function activeChecks(minor: number): readonly ActiveCheck[] {
  let active = activeByMinor.get(minor);
  if (!active) {
    active = PSS_CHECKS.flatMap((definition) => {
      const revision = revisionAt(definition, minor);
      return revision ? [{ definition, revision }] : [];
    });
    activeByMinor.set(minor, active);
  }
  return active;
}

/** Ids of the checks a namespace at this level and policy minor enforces. */
export function checksAtLevel(level: PssLevel, minor: number): ReadonlySet<PssCheckId> {
  const active = activeChecks(minor);
  if (level === 'baseline') {
    return new Set(active.filter((a) => a.definition.level === 'baseline').map((a) => a.definition.id));
  }
  const overridden = new Set(active.flatMap((a) => (a.definition.level === 'restricted' ? (a.revision.overrides ?? []) : [])));
  return new Set(active.map((a) => a.definition.id).filter((id) => !overridden.has(id)));
}
