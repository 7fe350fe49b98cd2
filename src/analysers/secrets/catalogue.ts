import type { DetectorSeverity } from './detector.ts';
import { DETECTORS } from './detectors/index.ts';
import { GENERIC_DETECTORS, type GenericDetectorId } from './generic.ts';
import { SecretMatcher } from './matcher.ts';

/** What outputs say about a detector: every catalogue entry and the generic ones. */
export interface DetectorInfo {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: DetectorSeverity;
  readonly keywords: readonly string[];
}

let shared: SecretMatcher | undefined;

/** The catalogue compiled once per process. */
export function catalogueMatcher(): SecretMatcher {
  shared ??= new SecretMatcher(DETECTORS);
  return shared;
}

const GENERIC_SEVERITY: Readonly<Record<GenericDetectorId, DetectorSeverity>> = { 'generic-password': 'high', 'generic-secret': 'high' };

let infos: Map<string, DetectorInfo> | undefined;

export function detectorInfos(): ReadonlyMap<string, DetectorInfo> {
  if (infos === undefined) {
    infos = new Map();
    for (const spec of DETECTORS) {
      infos.set(spec.id, { id: spec.id, title: spec.title, description: spec.description, severity: spec.severity ?? 'high', keywords: spec.keywords });
    }
    for (const [id, generic] of Object.entries(GENERIC_DETECTORS)) {
      infos.set(id, { id, title: generic.title, description: generic.description, severity: GENERIC_SEVERITY[id as GenericDetectorId], keywords: [] });
    }
  }
  return infos;
}

export function detectorInfo(id: string): DetectorInfo {
  const info = detectorInfos().get(id);
  if (!info) throw new Error(`unknown secret detector ${id}`);
  return info;
}
