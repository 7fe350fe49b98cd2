import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LATEST_KUBE_MINOR } from '../../core/settings.ts';
import { judgeVersion, KUBERNETES_RELEASES, loadReleaseTable, newestKnownRelease } from './kubernetes-releases.ts';
import { formatMinor, parseGitVersion, parseServerVersion } from './kubernetes-version.ts';

test('gitVersions with vendor suffixes are read as upstream versions', () => {
  assert.deepEqual(parseGitVersion('v1.37.2'), { major: 1, minor: 37, patch: 2 });
  assert.deepEqual(parseGitVersion('v1.31.4-eks-2d9be2e'), { major: 1, minor: 31, patch: 4 });
  assert.deepEqual(parseGitVersion('v1.30.5-gke.1014001'), { major: 1, minor: 30, patch: 5 });
  assert.deepEqual(parseGitVersion('v1.29.3+k3s1'), { major: 1, minor: 29, patch: 3 });
  assert.deepEqual(parseGitVersion('1.28.9+rke2r1'), { major: 1, minor: 28, patch: 9 });
  assert.equal(parseGitVersion('v1.30'), undefined);
  assert.equal(parseGitVersion('latest'), undefined);
  assert.deepEqual(parseServerVersion({ major: '1', minor: '28+', gitVersion: 'unknown' }), { major: 1, minor: 28 });
});

test('the release table is well formed, contiguous from 1.19 to its newest minor, and reaches the newest PSS version', () => {
  const table = KUBERNETES_RELEASES;
  assert.match(table.sourceDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(table.source.length > 0 && table.source.every((url) => url.startsWith('https://')));
  const minors = table.releases.map((release) => release.minor.minor);
  assert.deepEqual(minors, [...minors].sort((a, b) => b - a), 'newest first');
  const newest = minors[0]!;
  assert.ok(newest >= LATEST_KUBE_MINOR, `the table stops at 1.${newest}, Palisade targets 1.${LATEST_KUBE_MINOR}`);
  for (let minor = 19; minor <= newest; minor++) {
    const release = table.releases.find((candidate) => candidate.minor.minor === minor);
    assert.ok(release, `1.${minor} missing`);
    assert.ok(release.releaseDate !== undefined && release.releaseDate < release.endOfLifeDate, `1.${minor} dates`);
    assert.ok(release.endOfLifeDateStatus !== 'estimated', `1.${minor}: only published end-of-life dates are recorded`);
  }
  // Closed branches carry their final patch release.
  for (const release of table.releases) {
    if (release.endOfLifeDateStatus === 'final') assert.ok(release.latestPatchFinal, formatMinor(release.minor));
  }
  assert.match(newestKnownRelease(table), /^1\.\d+\.\d+$/);
});

test('judging a version: end of life needs a date and a published end-of-life date; patches are compared within the minor', () => {
  const table = loadReleaseTable({
    source: ['https://example.com'],
    sourceDate: '2026-01-01',
    releases: [
      { minor: '1.41', releaseDate: '2027-01-01', endOfLifeDate: '2028-03-01', endOfLifeDateStatus: 'estimated', latestPatch: '1.41.2', latestPatchFinal: false },
      { minor: '1.40', releaseDate: '2026-06-01', endOfLifeDate: '2027-08-01', endOfLifeDateStatus: 'scheduled', latestPatch: '1.40.5', latestPatchFinal: false },
    ],
  });
  const known = judgeVersion('v1.40.3-gke.1', table, '2027-08-01');
  assert.ok(known.kind === 'known' && known.endOfLife && known.patchBehind);
  const dayBefore = judgeVersion('v1.40.5', table, '2027-07-31');
  assert.ok(dayBefore.kind === 'known' && !dayBefore.endOfLife && !dayBefore.patchBehind);
  const noDate = judgeVersion('v1.40.1', table, undefined);
  assert.ok(noDate.kind === 'known' && !noDate.endOfLife && noDate.patchBehind);
  // An estimated end-of-life date never makes a version end of life.
  const estimated = judgeVersion('v1.41.0', table, '2030-01-01');
  assert.ok(estimated.kind === 'known' && !estimated.endOfLife);
  // A patch newer than the table's newest is not behind (the table is older than the cluster).
  const newerPatch = judgeVersion('v1.40.9', table, '2026-07-01');
  assert.ok(newerPatch.kind === 'known' && !newerPatch.patchBehind);
  assert.equal(judgeVersion('v1.42.0', table, '2026-07-01').kind, 'newer');
  assert.equal(judgeVersion('v2.0.0', table, '2026-07-01').kind, 'newer');
  const older = judgeVersion('v1.39.9', table, '2027-08-02');
  assert.ok(older.kind === 'older' && older.endOfLife);
  assert.equal(judgeVersion('not-a-version', table, '2026-07-01').kind, 'unreadable');
});

test('a malformed release table is refused', () => {
  const release = { minor: '1.40', releaseDate: null, endOfLifeDate: '2027-08-01', endOfLifeDateStatus: 'final', latestPatch: '1.40.5', latestPatchFinal: true };
  assert.throws(() => loadReleaseTable({ source: [], sourceDate: '2026-01-01', releases: [{ ...release, latestPatch: '1.39.5' }] }), /latestPatch/);
  assert.throws(() => loadReleaseTable({ source: [], sourceDate: '2026-01-01', releases: [{ ...release, endOfLifeDateStatus: 'guessed' }] }), /endOfLifeDateStatus/);
  assert.throws(() => loadReleaseTable({ source: [], sourceDate: '2026-1-1', releases: [release] }), /sourceDate/);
});
