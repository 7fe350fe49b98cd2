// Pod Security Standards policy versions: `1.N`, `v1.N` or `latest`, as in the
// `pod-security.kubernetes.io/<mode>-version` namespace label.

import type { KubeMinorVersion } from '../../core/rule-api.ts';

/**
 * The newest policy minor version this evaluator knows: the highest version at which any upstream check registers a
 * revision (sysctls gains `tcp_slow_start_after_idle` and `tcp_notsent_lowat` at 1.37).
 */
export const PSS_LATEST_MINOR = 37;

export const PSS_LATEST_VERSION: KubeMinorVersion = { major: 1, minor: PSS_LATEST_MINOR };

/**
 * Parses `1.N`, `v1.N` or `latest` (PSA's label syntax). Versions newer than {@link PSS_LATEST_MINOR} are accepted, as
 * PSA accepts them, and evaluate like the latest version; see {@link resolvePolicyMinor}.
 */
export function parsePssVersion(text: string): KubeMinorVersion | undefined {
  const trimmed = text.trim();
  if (trimmed === 'latest') return PSS_LATEST_VERSION;
  const match = /^v?1\.(0|[1-9]\d{0,3})$/.exec(trimmed);
  if (!match) return undefined;
  return { major: 1, minor: Number(match[1]) };
}

export function formatPssVersion(version: KubeMinorVersion): string {
  return `v${version.major}.${version.minor}`;
}

/**
 * The policy minor whose checks apply: PSA clamps any version above its newest registered check revision down to
 * that revision, so `latest` and every future version evaluate like {@link PSS_LATEST_MINOR}.
 */
export function resolvePolicyMinor(version: KubeMinorVersion): number {
  if (!Number.isInteger(version.minor) || version.minor < 0) return 0;
  return Math.min(version.minor, PSS_LATEST_MINOR);
}
