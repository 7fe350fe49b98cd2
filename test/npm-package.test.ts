import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO, tempDir } from './cli-helpers.ts';

// Installed from npm, the command is `palisade`: pack the project as npm would publish it, install the tarball
// into an empty prefix, and run the installed command on the bundled examples.
test('the packed npm package installs and runs as `palisade`', { timeout: 240_000 }, () => {
  const work = tempDir();
  const pinnedNode = join(REPO, 'node_modules', '.bin');
  const env = { ...process.env, PATH: `${pinnedNode}:${process.env['PATH'] ?? ''}`, npm_config_update_notifier: 'false' };
  const pack = spawnSync('npm', ['pack', '--pack-destination', work, '--silent'], { cwd: REPO, env, encoding: 'utf8' });
  assert.equal(pack.status, 0, pack.stderr);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote no tarball');

  const prefix = join(work, 'prefix');
  const install = spawnSync('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', join(work, tarball)], { env, encoding: 'utf8' });
  assert.equal(install.status, 0, install.stderr);

  const palisade = join(prefix, 'bin', 'palisade');
  const version = spawnSync(palisade, ['--version'], { env, encoding: 'utf8' });
  assert.match(version.stdout, /^palisade \d+\.\d+\.\d+/);
  const scan = spawnSync(palisade, ['scan', join(REPO, 'examples', 'insecure-app'), '--format', 'json'], { env, encoding: 'utf8', cwd: work });
  assert.equal(scan.status, 1, scan.stderr);
  const report = JSON.parse(scan.stdout) as { findings: { ruleId: string }[] };
  assert.ok(report.findings.some((finding) => finding.ruleId === 'pss-privileged'));
});
