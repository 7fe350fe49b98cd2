// The Kubernetes release table (src/data/kubernetes-releases.json): end-of-life dates and the newest patch release
// of each minor, and the judgement the version rules share. Loaded once at import; judging is pure.
import releaseData from '../../data/kubernetes-releases.json' with { type: 'json' };
import { compareMinor, formatVersion, parseGitVersion, parseMinorVersion, type KubeVersion } from './kubernetes-version.ts';

/**
 * `final`: the branch is closed and this is its end-of-life date; `scheduled`: the date the Kubernetes project
 * published for a branch still open; `estimated`: not published by the project; never used to report end of life.
 */
export type EndOfLifeDateStatus = 'final' | 'scheduled' | 'estimated';

export interface KubernetesRelease {
  readonly minor: KubeVersion;
  readonly releaseDate?: string;
  readonly endOfLifeDate: string;
  readonly endOfLifeDateStatus: EndOfLifeDateStatus;
  /** The newest patch release of this minor the table knows (with its patch number). */
  readonly latestPatch: KubeVersion;
  /** Whether `latestPatch` is the branch's final patch release, rather than the newest one the sources showed. */
  readonly latestPatchFinal: boolean;
}

export interface ReleaseTable {
  readonly source: readonly string[];
  /** The newest release the sources showed: how current the table is. */
  readonly sourceDate: string;
  /** Newest minor first. */
  readonly releases: readonly KubernetesRelease[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EOL_STATUSES: readonly string[] = ['final', 'scheduled', 'estimated'] satisfies readonly EndOfLifeDateStatus[];

interface RawRelease {
  readonly minor: string;
  readonly releaseDate: string | null;
  readonly endOfLifeDate: string;
  readonly endOfLifeDateStatus: string;
  readonly latestPatch: string;
  readonly latestPatchFinal: boolean;
}

/** Checks and types the JSON table; a malformed table is a bug in the repository, so it throws. */
export function loadReleaseTable(raw: { source: readonly string[]; sourceDate: string; releases: readonly RawRelease[] }): ReleaseTable {
  if (!DATE.test(raw.sourceDate)) throw new Error(`kubernetes-releases.json: bad sourceDate ${raw.sourceDate}`);
  const releases = raw.releases.map((entry): KubernetesRelease => {
    const minor = parseMinorVersion(entry.minor);
    const latestPatch = parseGitVersion(entry.latestPatch);
    if (!minor || !latestPatch || compareMinor(minor, latestPatch) !== 0) {
      throw new Error(`kubernetes-releases.json: bad minor or latestPatch for ${entry.minor}`);
    }
    if (!DATE.test(entry.endOfLifeDate) || (entry.releaseDate !== null && !DATE.test(entry.releaseDate))) {
      throw new Error(`kubernetes-releases.json: bad date for ${entry.minor}`);
    }
    if (!EOL_STATUSES.includes(entry.endOfLifeDateStatus)) {
      throw new Error(`kubernetes-releases.json: bad endOfLifeDateStatus for ${entry.minor}`);
    }
    return {
      minor,
      ...(entry.releaseDate !== null ? { releaseDate: entry.releaseDate } : {}),
      endOfLifeDate: entry.endOfLifeDate,
      endOfLifeDateStatus: entry.endOfLifeDateStatus as EndOfLifeDateStatus,
      latestPatch,
      latestPatchFinal: entry.latestPatchFinal,
    };
  });
  return { source: raw.source, sourceDate: raw.sourceDate, releases: [...releases].sort((a, b) => compareMinor(b.minor, a.minor)) };
}

export const KUBERNETES_RELEASES: ReleaseTable = loadReleaseTable(releaseData);

export type VersionVerdict =
  /** Not `[v]MAJOR.MINOR.PATCH[suffix]`. */
  | { readonly kind: 'unreadable' }
  /** A minor newer than the table's newest: the table is out of date. */
  | { readonly kind: 'newer'; readonly version: KubeVersion; readonly newest: KubernetesRelease }
  /** A minor older than the table's oldest: out of support by that one's end of life at the latest. */
  | { readonly kind: 'older'; readonly version: KubeVersion; readonly oldest: KubernetesRelease; readonly endOfLife: boolean }
  | {
      readonly kind: 'known';
      readonly version: KubeVersion;
      readonly release: KubernetesRelease;
      /** Past its end-of-life date on `today`; false without a date, or when the date is only estimated. */
      readonly endOfLife: boolean;
      /** An older patch release than the newest the table knows for this minor. */
      readonly patchBehind: boolean;
    };

/** Judges an API server's gitVersion against the table on `today` (YYYY-MM-DD; without it, end of life is not judged). */
export function judgeVersion(gitVersion: string, table: ReleaseTable, today: string | undefined): VersionVerdict {
  const version = parseGitVersion(gitVersion);
  if (!version) return { kind: 'unreadable' };
  const newest = table.releases[0];
  const oldest = table.releases.at(-1);
  if (!newest || !oldest) return { kind: 'unreadable' };
  if (compareMinor(version, newest.minor) > 0) return { kind: 'newer', version, newest };
  if (compareMinor(version, oldest.minor) < 0) {
    return { kind: 'older', version, oldest, endOfLife: today !== undefined && today >= oldest.endOfLifeDate };
  }
  const release = table.releases.find((candidate) => compareMinor(candidate.minor, version) === 0);
  if (!release) return { kind: 'unreadable' };
  const endOfLife = today !== undefined && release.endOfLifeDateStatus !== 'estimated' && today >= release.endOfLifeDate;
  const patchBehind = (version.patch ?? 0) < (release.latestPatch.patch ?? 0);
  return { kind: 'known', version, release, endOfLife, patchBehind };
}

/** `1.37.1`: the newest patch release of the newest minor. */
export function newestKnownRelease(table: ReleaseTable): string {
  const newest = table.releases[0];
  return newest ? formatVersion(newest.latestPatch) : 'unknown';
}
