import type { KubeMinorVersion, ScanSettings } from './rule-api.ts';

/** The newest Kubernetes minor version whose Pod Security Standards Palisade knows. */
export const LATEST_KUBE_MINOR = 37;

export const LATEST_PSS_VERSION: KubeMinorVersion = { major: 1, minor: LATEST_KUBE_MINOR };

export const DEFAULT_SCAN_SETTINGS: ScanSettings = { pssVersion: LATEST_PSS_VERSION };

/** Parses `1.N`, `v1.N` or `latest`; undefined when the text is none of these or the version is unknown. */
export function parseKubeMinorVersion(text: string): KubeMinorVersion | undefined {
  if (text === 'latest') return LATEST_PSS_VERSION;
  const match = /^v?1\.(\d+)$/.exec(text);
  if (!match) return undefined;
  const minor = Number(match[1]);
  return minor <= LATEST_KUBE_MINOR ? { major: 1, minor } : undefined;
}

export function formatKubeMinorVersion(version: KubeMinorVersion): string {
  return `${version.major}.${version.minor}`;
}
