// `palisade scan --framework`, `palisade report` (re-render, --framework, csv/markdown/html/pdf) and
// `palisade report --compare`, end to end through bin/palisade on the bundled examples.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO, runCli } from './cli-helpers.ts';

interface Control {
  id: string;
  status: string;
  reason?: string;
  findings: number;
}
interface Summary {
  framework: string;
  score: { value: number | null; passedWeight: number; evaluatedWeight: number };
  coverage: { evaluated: number; applicable: number; percent: number | null; gaps: { reason: string; controls: number }[] };
  counts: Record<string, number>;
  controls: Control[];
}
interface Report {
  compliance?: Summary[];
  findings: { fingerprint: string; controls: string[] }[];
  evaluation: { rules: { id: string; subjects: number }[] };
}

const work = mkdtempSync(join(tmpdir(), 'palisade-report-'));
const examples = join(work, 'examples');
cpSync(join(REPO, 'examples'), examples, { recursive: true });
const savedReport = join(work, 'scan.json');

function scanTo(file: string, ...args: string[]): Report {
  const result = runCli(['scan', examples, '--fail-on', 'none', '-f', 'json', ...args]);
  assert.equal(result.code, 0, result.stderr);
  writeFileSync(file, result.stdout);
  return JSON.parse(result.stdout) as Report;
}

const scanned = scanTo(savedReport);

describe('palisade scan --framework', () => {
  test('each framework asked for gets every catalogue control with a status; none passes without evidence', () => {
    const result = runCli(['scan', examples, '--fail-on', 'none', '-f', 'json', '--framework', 'cis-k8s', '--framework', 'pss-restricted,mitre-attack']);
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Report;
    assert.deepEqual(report.compliance!.map((summary) => summary.framework), ['cis-k8s', 'pss-restricted', 'mitre-attack']);
    const cis = report.compliance![0]!;
    assert.equal(cis.controls.length, 131);
    const byId = new Map(cis.controls.map((control) => [control.id, control]));
    // The examples run a privileged container: 5.2.2 fails, with the findings that cite it.
    const cited = report.findings.filter((finding) => finding.controls.includes('cis-k8s/5.2.2')).length;
    assert.ok(cited > 0);
    assert.deepEqual([byId.get('cis-k8s/5.2.2')!.status, byId.get('cis-k8s/5.2.2')!.findings], ['fail', cited]);
    // API server flags are not in manifests: not evaluated, saying what is needed; never a pass.
    for (const id of ['cis-k8s/1.2.6', 'cis-k8s/1.2.15', 'cis-k8s/1.2.16']) {
      assert.equal(byId.get(id)!.status, 'not-evaluated', id);
      assert.match(byId.get(id)!.reason!, /needs a kube-apiserver/, id);
    }
    // Kubelet files neither.
    assert.match(byId.get('cis-k8s/4.1.1')!.reason!, /palisade node/);
    for (const summary of report.compliance!) {
      const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
      assert.equal(total, summary.controls.length);
      assert.equal(summary.coverage.evaluated, summary.counts['pass']! + summary.counts['fail']!);
      if (summary.score.value !== null) assert.equal(summary.score.value, Math.round((1000 * summary.score.passedWeight) / summary.score.evaluatedWeight) / 10);
    }
  });

  test('the table shows each framework\'s score with its inputs and coverage', () => {
    const result = runCli(['scan', examples, '--fail-on', 'none', '--framework', 'nsa-cisa']);
    assert.match(result.stdout, /NSA\/CISA Kubernetes Hardening Guide 1\.2: score [\d.]+%, coverage [\d.]+%/);
    assert.match(result.stdout, /score = 100 × \d+ passed \/ \d+ evaluated \(severity-weighted points\)/);
  });

  test('an unknown framework is a usage error naming the known ones', () => {
    const result = runCli(['scan', examples, '--framework', 'fedramp']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--framework must be one of cis-k8s, .*hipaa or all, got "fedramp"/);
  });
});

describe('palisade report', () => {
  test('works compliance out from a saved report, as scan --framework does', () => {
    const direct = runCli(['scan', examples, '--fail-on', 'none', '-f', 'json', '--framework', 'all']);
    const fromReport = runCli(['report', '--framework', 'all', '-f', 'json', '--fail-on', 'none', savedReport]);
    assert.equal(fromReport.code, 0, fromReport.stderr);
    assert.deepEqual((JSON.parse(fromReport.stdout) as Report).compliance, (JSON.parse(direct.stdout) as Report).compliance);
    assert.equal((JSON.parse(fromReport.stdout) as Report).compliance!.length, 11);
  });

  test('CSV of findings and of control status, and Markdown', () => {
    const csv = runCli(['report', '-f', 'csv', savedReport]);
    assert.equal(csv.stdout.split('\r\n').filter(Boolean).length, scanned.findings.length + 1);
    const controls = runCli(['report', '--framework', 'cis-k8s', '-f', 'controls-csv', savedReport]);
    assert.equal(controls.stdout.split('\r\n').filter(Boolean).length, 132);
    assert.match(controls.stdout, /^cis-k8s,1\.12,5\.2\.2,.*,fail,/m);
    const markdown = runCli(['report', '--framework', 'pss-baseline', '-f', 'markdown', savedReport]);
    assert.match(markdown.stdout, /^## Pod Security Standards \(baseline\)/m);
    assert.match(markdown.stdout, /\*\*Score [\d.]+%\*\*/);
  });

  test('exit code: 1 when the report has findings at or above --fail-on, 0 with none', () => {
    assert.equal(runCli(['report', '--fail-on', 'critical', savedReport]).code, 1);
    assert.equal(runCli(['report', '--fail-on', 'none', savedReport]).code, 0);
  });

  test('a file that is not a report, or an old schema, is a clean usage error', () => {
    const notJson = join(work, 'not.json');
    writeFileSync(notJson, 'kind: Pod\n');
    const old = join(work, 'old.json');
    writeFileSync(old, JSON.stringify({ schemaVersion: '1.2', findings: [] }));
    for (const [file, message] of [
      [notJson, /not JSON/],
      [old, /report schema 1\.2 is not supported/],
      [join(work, 'missing.json'), /no such file/],
    ] as const) {
      const result = runCli(['report', file]);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
    assert.match(runCli(['report', '-f', 'pdf', savedReport]).stderr, /PDF is binary/);
  });

  test('PDF is printed by Chromium, or refused with how to get it', () => {
    const pdf = join(work, 'report.pdf');
    // A PATH with what bin/palisade needs and no browser.
    const bare = join(work, 'bare-bin');
    mkdirSync(bare);
    for (const tool of ['bash', 'env', 'dirname', 'readlink']) symlinkSync(execFileSync('/usr/bin/which', [tool], { encoding: 'utf8' }).trim(), join(bare, tool));
    const withoutChromium = runCli(['report', '-o', `pdf=${pdf}`, savedReport], { env: { PATH: bare, PALISADE_CHROMIUM: '' } });
    assert.equal(withoutChromium.code, 2);
    assert.match(withoutChromium.stderr, /PDF output needs Chromium or Chrome: install it/);
    if (!existsSync('/usr/bin/chromium')) return;
    const result = runCli(['report', '--framework', 'cis-k8s', '-f', 'json', '-o', `pdf=${pdf}`, '--fail-on', 'none', savedReport]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(readFileSync(pdf).subarray(0, 5).toString('latin1'), '%PDF-');
  });
});

describe('palisade report --compare', () => {
  test('fixed, new and unchanged findings and the score change between two scans', () => {
    const before = join(work, 'before.json');
    scanTo(before, '--framework', 'pss-baseline');
    const deployment = join(examples, 'insecure-app', 'deployment.yaml');
    const original = readFileSync(deployment, 'utf8');
    writeFileSync(deployment, original.replace('privileged: true', 'privileged: false'));
    const after = join(work, 'after.json');
    try {
      scanTo(after, '--framework', 'pss-baseline');
    } finally {
      writeFileSync(deployment, original);
    }
    const result = runCli(['report', '--compare', '-f', 'json', before, after]);
    assert.equal(result.code, 0, result.stderr);
    const comparison = JSON.parse(result.stdout) as {
      summary: { new: number; fixed: number; unchanged: number };
      frameworks: { framework: string; score: { from: number; to: number; change: number }; controls: { id: string; from: string; to: string }[] }[];
      fixed: { ruleId: string }[];
    };
    assert.equal(comparison.summary.new, 0);
    assert.ok(comparison.fixed.some((finding) => finding.ruleId === 'pss-privileged'));
    assert.ok(comparison.summary.unchanged > 0);
    const pss = comparison.frameworks.find((framework) => framework.framework === 'pss-baseline')!;
    assert.ok(pss.score.change > 0, JSON.stringify(pss.score));
    assert.deepEqual(pss.controls.find((control) => control.id === 'pss-baseline/privileged'), { id: 'pss-baseline/privileged', title: 'Privileged Containers', from: 'fail', to: 'pass' });
    const table = runCli(['report', '--compare', before, after]);
    assert.match(table.stdout, /FIXED \(\d+\):\n\s+critical pss-privileged/);
    assert.match(table.stdout, /Pod Security Standards \(baseline\) latest: score [\d.]+% → [\d.]+% \(\+[\d.]+\)/);
    // Reversed, the fixed finding is new: --fail-on (default: the newer report's) makes that exit 1.
    assert.equal(runCli(['report', '--compare', '--fail-on', 'high', after, before]).code, 1);
    assert.equal(runCli(['report', '--compare', '--fail-on', 'high', before, after]).code, 0);
  });
});
