import type { Path } from '../../core/model.ts';
import type { PodView } from './pod-view.ts';
import type { PssCheckId, PssData, PssLevel, PssReasons } from './types.ts';

/** One violation as a check function reports it; the registry adds the check id, level and rendered detail. */
export interface CheckHit<C extends PssCheckId> {
  readonly reason: PssReasons[C];
  readonly path: Path;
  readonly data: PssData;
}

export type CheckFn<C extends PssCheckId> = (pod: PodView) => readonly CheckHit<C>[];

/** One revision of a check, applying from policy version 1.`since` until the next revision. */
export interface VersionedCheck<C extends PssCheckId> {
  readonly since: number;
  readonly evaluate: CheckFn<C>;
  /** Baseline checks this restricted revision replaces when the restricted level is evaluated. */
  readonly overrides?: readonly PssCheckId[];
}

export interface CheckDefinition<C extends PssCheckId = PssCheckId> {
  readonly id: C;
  readonly level: PssLevel;
  /** Revisions by strictly increasing `since`. */
  readonly versions: readonly VersionedCheck<C>[];
}

export function defineCheck<C extends PssCheckId>(definition: CheckDefinition<C>): CheckDefinition<C> {
  return definition;
}
