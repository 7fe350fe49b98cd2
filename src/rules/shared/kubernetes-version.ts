// Kubernetes versions as the cluster rules compare them: the API server's gitVersion (with vendor suffixes), and
// the `1.N` minors of the release and deprecation tables.
import type { ServerVersion } from '../../core/cluster-info.ts';

/** `major.minor`, with the patch release when known. */
export interface KubeVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch?: number;
}

// v1.37.2, v1.31.4-eks-2d9be2e, v1.30.5-gke.1014001, v1.29.3+k3s1, v1.38.0-alpha.1: the suffix is not compared.
const GIT_VERSION = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+.][0-9A-Za-z.+_-]*)?$/;
const MINOR = /^v?(\d+)\.(\d+)$/;

/** Reads a gitVersion such as `v1.31.4-eks-2d9be2e`; undefined when it is not `[v]MAJOR.MINOR.PATCH[suffix]`. */
export function parseGitVersion(text: string): KubeVersion | undefined {
  const match = GIT_VERSION.exec(text.trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/** Reads `1.29` (or `v1.29`). */
export function parseMinorVersion(text: string): KubeVersion | undefined {
  const match = MINOR.exec(text.trim());
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/**
 * The version a ClusterInfo's `serverVersion` names: its gitVersion, or else its major and minor fields (some
 * providers report minor `28+`), without a patch release.
 */
export function parseServerVersion(version: ServerVersion): KubeVersion | undefined {
  const fromGit = parseGitVersion(version.gitVersion);
  if (fromGit) return fromGit;
  const major = /^(\d+)\+?$/.exec(version.major.trim());
  const minor = /^(\d+)\+?$/.exec(version.minor.trim());
  return major && minor ? { major: Number(major[1]), minor: Number(minor[1]) } : undefined;
}

/** Orders by major, then minor; patches are ignored. */
export function compareMinor(a: KubeVersion, b: KubeVersion): number {
  return a.major - b.major || a.minor - b.minor;
}

/** `1.29` */
export function formatMinor(version: KubeVersion): string {
  return `${version.major}.${version.minor}`;
}

/** `1.29.3`, or `1.29` without a patch release. */
export function formatVersion(version: KubeVersion): string {
  return version.patch === undefined ? formatMinor(version) : `${formatMinor(version)}.${version.patch}`;
}
