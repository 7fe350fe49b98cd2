// `palisade secrets scan` and `palisade secrets detectors` end to end: exact findings on the fixtures, exit codes,
// history scans of a real git repository, hostile and binary input.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ajv2020 from 'ajv/dist/2020.js';
import { readFileSync } from 'node:fs';
import { validateSarif } from '../src/reporters/testdata/validate-sarif.ts';
import { REPO, runCli } from './cli-helpers.ts';

const FIXTURES = join(REPO, 'test', 'fixtures', 'secrets');

interface JsonSecret {
  detector: string;
  severity: string;
  file: string;
  line: number;
  column: number;
  path?: string;
  layer: string;
  inner?: string;
  resource?: { kind: string; name: string };
  commit?: { commit: string; authorDate: string; author: string };
  redacted: { preview: string; length: number; hash: string };
  fingerprint: string;
}

interface JsonSecretsReport {
  schemaVersion: string;
  summary: { files: number; commits?: number; secrets: number; failing: number; errors: number; skipped: number };
  secrets: JsonSecret[];
  errors: { code: string; file: string; message: string }[];
  skipped: { file: string; reason: string }[];
}

function scanSecrets(args: readonly string[], cwd: string): { code: number; report: JsonSecretsReport; stderr: string } {
  const result = runCli(['secrets', 'scan', '--format', 'json', ...args], { cwd });
  try {
    return { code: result.code, report: JSON.parse(result.stdout) as JsonSecretsReport, stderr: result.stderr };
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout.slice(0, 300)}\n${result.stderr}`);
  }
}

function brief(secret: JsonSecret): string {
  return `${secret.file}:${secret.line}:${secret.column} ${secret.detector} ${secret.layer}${secret.path ? ` ${secret.path}` : ''}${secret.inner ? ` :: ${secret.inner}` : ''}`;
}

describe('palisade secrets scan', () => {
  it('finds every fixture secret at its line and column, Kubernetes-aware, and names none', () => {
    const { code, report } = scanSecrets(['.'], FIXTURES);
    assert.equal(code, 1);
    assert.deepEqual(report.secrets.map(brief), [
      'app.env:2:13 generic-password value',
      'broken.yaml:4:13 generic-password value',
      'kubeconfig.yaml:9:5 private-key-ec value users[0].user.client-key-data',
      'kubeconfig.yaml:12:12 generic-secret value users[1].user.token',
      'manifests.yaml:8:26 generic-secret value metadata.annotations["example.com/api-key"]',
      'manifests.yaml:9:5 database-connection-string last-applied metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] :: spec.template.spec.containers[0].env[0].value',
      'manifests.yaml:20:41 database-connection-string value spec.template.spec.containers[0].args[0]',
      'manifests.yaml:23:18 generic-password value spec.template.spec.containers[0].env[0].value',
      'manifests.yaml:25:33 url-basic-auth value spec.template.spec.containers[0].env[1].value',
      'manifests.yaml:27:18 generic-secret value spec.template.spec.containers[0].env[2].value',
      'manifests.yaml:34:29 generic-secret value spec.template.spec.containers[0].livenessProbe.httpGet.httpHeaders[0].value',
      'manifests.yaml:43:3 docker-config-auth docker-config data[".dockerconfigjson"] :: auths["registry.example.com"].auth',
      'manifests.yaml:53:3 generic-password helm-release data.release :: config.database.password',
      'manifests.yaml:63:32 generic-password value data["application.properties"]',
      'secret.yaml:7:3 generic-password secret-data data.password',
      'secret.yaml:9:19 generic-password secret-data stringData.admin-password',
      'values.yaml:7:15 generic-password value postgresql.auth.password',
    ]);
    const { files, secrets, failing, errors } = report.summary;
    assert.deepEqual({ files, secrets, failing, errors }, { files: 6, secrets: 17, failing: 17, errors: 0 });
    const password = report.secrets.find((secret) => secret.file === 'manifests.yaml' && secret.line === 23)!;
    assert.deepEqual(password.redacted, { preview: 'V', length: 12, hash: 'sha256:c0ae85506027' });
    assert.deepEqual(password.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'api' });
  });

  it('writes JSON that matches schema/secrets-report.schema.json, for files and for history', () => {
    const schema = JSON.parse(readFileSync(join(REPO, 'schema', 'secrets-report.schema.json'), 'utf8')) as object;
    const validate = new ajv2020.default({ strict: true, allErrors: true }).compile(schema);
    for (const args of [['.'], ['--git', REPO, '--max-count', '3']]) {
      const result = runCli(['secrets', 'scan', '--format', 'json', '--fail-on', 'none', ...args], { cwd: FIXTURES });
      assert.equal(result.code, 0, result.stderr);
      assert.ok(validate(JSON.parse(result.stdout)), JSON.stringify(validate.errors, null, 2));
    }
  });

  it('is stable: the same input gives the same report, fingerprints included', () => {
    const first = runCli(['secrets', 'scan', '--format', 'json', '.'], { cwd: FIXTURES });
    const second = runCli(['secrets', 'scan', '--format', 'json', '.'], { cwd: FIXTURES });
    assert.equal(first.stdout, second.stdout);
  });

  it('writes SARIF that matches the 2.1.0 schema, with a rule per detector and fingerprints', () => {
    const result = runCli(['secrets', 'scan', '--format', 'sarif', '.'], { cwd: FIXTURES });
    assert.equal(result.code, 1, result.stderr);
    validateSarif(result.stdout);
    const sarif = JSON.parse(result.stdout) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; partialFingerprints: Record<string, string>; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    const run = sarif.runs[0]!;
    assert.deepEqual(run.tool.driver.rules.map((rule) => rule.id), ['database-connection-string', 'docker-config-auth', 'generic-password', 'generic-secret', 'private-key-ec', 'url-basic-auth']);
    assert.equal(run.results.length, 17);
    assert.ok(run.results.every((result) => /^[0-9a-f]{32}$/.test(result.partialFingerprints['palisadeSecret/v1']!)));
  });

  it('exits 0 without secrets, 1 at or above --fail-on, and honours --exclude', () => {
    assert.equal(scanSecrets(['--fail-on', 'none', '.'], FIXTURES).code, 0);
    assert.equal(scanSecrets(['--fail-on', 'critical', '.'], FIXTURES).code, 1);
    const { code, report } = scanSecrets(['--fail-on', 'critical', '--exclude', 'kubeconfig.yaml', '.'], FIXTURES);
    assert.equal(code, 0);
    assert.equal(report.summary.failing, 0);
    assert.ok(!report.secrets.some((secret) => secret.file === 'kubeconfig.yaml'));
    assert.equal(scanSecrets(['values.yaml', '--exclude', '*.yaml'], FIXTURES).report.secrets.length, 0);
  });

  it('exits 2 with one clear line for usage and input errors', () => {
    const missing = runCli(['secrets', 'scan', 'no-such-dir'], { cwd: FIXTURES });
    assert.equal(missing.code, 2);
    assert.match(missing.stdout, /error: no-such-dir: no such file or directory/);
    const usage = runCli(['secrets', 'scan', '--range', 'HEAD~1..HEAD'], { cwd: FIXTURES });
    assert.equal(usage.code, 2);
    assert.equal(usage.stderr, 'palisade: --range needs --git\n');
    const format = runCli(['secrets', 'scan', '--format', 'html'], { cwd: FIXTURES });
    assert.equal(format.code, 2);
    assert.match(format.stderr, /^palisade: --format must be one of table, json, sarif, junit/);
    const subcommand = runCli(['secrets', 'nope']);
    assert.equal(subcommand.code, 2);
  });

  describe('hostile and odd input', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'palisade-secrets-'));
      // Long runs of what the patterns look for: keywords, prefixes, token characters and PEM openers without ends.
      const hostile = [
        'password='.repeat(50_000),
        `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(200_000)}`,
        `eyJ${'a'.repeat(300_000)}.eyJ${'b'.repeat(100_000)}`,
        `postgres://${'a'.repeat(100_000)}:${'b'.repeat(100_000)}`,
        `https://u:${'p'.repeat(300_000)}`,
        `token: ${'aA0-_'.repeat(100_000)}`,
        ('ghp_' + 'A'.repeat(35) + ' ').repeat(20_000),
      ].join('\n');
      writeFileSync(join(dir, 'hostile.txt'), hostile);
      writeFileSync(join(dir, 'hostile.yaml'), `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  big: "${'secret'.repeat(200_000)}"\n`);
      writeFileSync(join(dir, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]));
      writeFileSync(join(dir, 'latin1.properties'), Buffer.from('db.password=Caf\xe9Lx2tR7wK9\n', 'latin1'));
      mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
      writeFileSync(join(dir, 'node_modules', 'pkg', '.env'), 'DB_PASSWORD=Qz8mWp3xLr5t\n');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('finishes, skips binary files and node_modules, and reads Latin-1 text', () => {
      const { code, report } = scanSecrets(['.'], dir);
      assert.equal(code, 1);
      assert.deepEqual(report.skipped, [{ file: 'image.png', reason: 'binary (it contains NUL bytes)' }]);
      assert.deepEqual(report.errors, []);
      assert.ok(report.secrets.some((secret) => secret.file === 'latin1.properties' && secret.detector === 'generic-password'));
      assert.ok(!report.secrets.some((secret) => secret.file.includes('node_modules')));
    });
  });

  describe('--git', () => {
    let repo: string;
    let commits: string[];
    before(() => {
      repo = mkdtempSync(join(tmpdir(), 'palisade-secrets-git-'));
      const git = (args: readonly string[], date: string): string =>
        execFileSync('git', ['-c', 'user.name=Ada Lovelace', '-c', 'user.email=ada@example.com', '-c', 'commit.gpgsign=false', ...args], {
          cwd: repo,
          encoding: 'utf8',
          env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
        }).trim();
      git(['init', '-q', '-b', 'main'], '2026-10-01T09:00:00Z');
      cpSync(join(FIXTURES, 'values.yaml'), join(repo, 'values.yaml'));
      writeFileSync(join(repo, 'README.md'), '# shop\n');
      git(['add', '.'], '2026-10-01T09:00:00Z');
      git(['commit', '-q', '-m', 'chart values'], '2026-10-01T09:00:00Z');
      writeFileSync(join(repo, 'deploy.sh'), '#!/bin/sh\nset -eu\nexport DB_PASSWORD="Qz8mWp3xLr5t"\nhelm upgrade shop ./chart\n');
      git(['add', '.'], '2026-10-02T09:00:00Z');
      git(['commit', '-q', '-m', 'deploy script'], '2026-10-02T09:00:00Z');
      // The secret is removed again: it stays in history, which is what --git is for.
      writeFileSync(join(repo, 'deploy.sh'), '#!/bin/sh\nset -eu\nhelm upgrade shop ./chart\n');
      git(['add', '.'], '2026-10-03T09:00:00Z');
      git(['commit', '-q', '-m', 'read the password from the environment'], '2026-10-03T09:00:00Z');
      commits = git(['rev-list', '--reverse', 'HEAD'], '2026-10-03T09:00:00Z').split('\n');
    });
    after(() => rmSync(repo, { recursive: true, force: true }));

    it('reports each secret in the commit that added it, with author and date, though HEAD no longer has it', () => {
      assert.equal(scanSecrets(['.'], repo).report.secrets.length, 1, 'the work tree has only the values.yaml password');
      const { code, report } = scanSecrets(['--git'], repo);
      assert.equal(code, 1);
      assert.equal(report.summary.commits, 3);
      assert.deepEqual(
        report.secrets.map((secret) => [brief(secret), secret.commit]),
        [
          ['deploy.sh:3:21 generic-password value', { commit: commits[1], authorDate: '2026-10-02T09:00:00+00:00', author: 'Ada Lovelace' }],
          ['values.yaml:7:15 generic-password value postgresql.auth.password', { commit: commits[0], authorDate: '2026-10-01T09:00:00+00:00', author: 'Ada Lovelace' }],
        ],
      );
    });

    it('limits the history with --range and refuses what is not a repository', () => {
      const { report } = scanSecrets(['--git', '--range', `${commits[1]}..HEAD`], repo);
      assert.deepEqual(report.secrets, []);
      assert.equal(report.summary.commits, 1);
      const notRepo = runCli(['secrets', 'scan', '--git', tmpdir()], { cwd: repo });
      assert.equal(notRepo.code, 2);
      assert.match(notRepo.stderr, /^palisade: .*not inside a git repository/);
      assert.doesNotMatch(notRepo.stderr, /\n\s+at /);
      const badRange = runCli(['secrets', 'scan', '--git', '--range', 'nope..HEAD'], { cwd: repo });
      assert.equal(badRange.code, 2);
      assert.doesNotMatch(badRange.stderr, /\n\s+at /);
    });
  });

  it('lists at least 150 detectors', () => {
    const result = runCli(['secrets', 'detectors', '--format', 'json']);
    assert.equal(result.code, 0);
    const detectors = JSON.parse(result.stdout) as { id: string; severity: string }[];
    assert.ok(detectors.length >= 150, `${detectors.length} detectors`);
    assert.equal(new Set(detectors.map((detector) => detector.id)).size, detectors.length);
  });
});
