import type { DetectorSpec } from '../detector.ts';
import { CLOUD_DETECTORS } from './cloud.ts';
import { CREDENTIAL_DETECTORS } from './credentials.ts';
import { SAAS_DETECTORS } from './saas.ts';
import { VCS_CI_DETECTORS } from './vcs-ci.ts';

/**
 * The catalogue, in priority order: where two detectors match overlapping text, the earlier one is reported.
 * Provider formats with fixed prefixes come before the structural ones (private keys, JWTs, URLs).
 */
export const DETECTORS: readonly DetectorSpec[] = [...CLOUD_DETECTORS, ...VCS_CI_DETECTORS, ...SAAS_DETECTORS, ...CREDENTIAL_DETECTORS];
