import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runCli, scanJson, tempDir } from './cli-helpers.ts';

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: bad
  namespace: apps
spec:
  containers:
  - name: app
    image: registry.example.com/app:1.0.0
    securityContext:
      privileged: true
`;

function noStackTrace(text: string): void {
  assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?/, `a stack trace was printed:\n${text}`);
}

describe('palisade scan on the bundled examples', () => {
  test('the insecure app yields located findings and exit code 1', () => {
    const { code, report } = scanJson(['examples/insecure-app']);
    assert.equal(code, 1);
    const privileged = report.findings.find((f) => f.ruleId === 'pss-privileged');
    assert.ok(privileged, 'pss-privileged reported');
    const lines = readFileSync('examples/insecure-app/deployment.yaml', 'utf8').split('\n');
    assert.match(lines[privileged.location.line - 1]!, /^\s*privileged: true/);
    assert.equal(privileged.location.column, lines[privileged.location.line - 1]!.indexOf('privileged') + 1);
    assert.equal(privileged.location.path, 'spec.template.spec.containers[0].securityContext.privileged');
    assert.deepEqual(privileged.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: 'shop-frontend' });
    for (const rule of ['pss-host-namespaces', 'pss-host-path-volumes', 'env-literal-secret', 'ingress-tls', 'service-node-port']) {
      assert.ok(report.findings.some((f) => f.ruleId === rule), `${rule} reported`);
    }
    assert.ok(report.summary.failing > 0);
  });

  test('no output ever contains the literal secret value', () => {
    for (const format of ['table', 'json', 'sarif', 'junit', 'github']) {
      const { stdout } = runCli(['scan', '--format', format, 'examples/insecure-app']);
      assert.doesNotMatch(stdout, /hunter2/, `${format} leaks the secret`);
    }
  });

  test('the hardened app yields no finding at all and exit code 0', () => {
    const { code, report } = scanJson(['examples/hardened-app']);
    assert.deepEqual(report.findings.map((f) => `${f.ruleId} ${f.location.path}`), []);
    assert.deepEqual(report.errors, []);
    assert.equal(code, 0);
  });

  test('output is byte-identical across runs, in every format', () => {
    for (const format of ['table', 'json', 'sarif', 'junit', 'github']) {
      const first = runCli(['scan', '--format', format, 'examples']);
      const second = runCli(['scan', '--format', format, 'examples']);
      assert.equal(first.stdout, second.stdout, format);
      assert.ok(first.stdout.length > 100, `${format} output is empty`);
    }
  });

  test('--fail-on decides the exit code', () => {
    assert.equal(runCli(['scan', '--fail-on', 'none', 'examples/insecure-app']).code, 0);
    assert.equal(runCli(['scan', '--fail-on', 'critical', 'examples/insecure-app']).code, 1);
    assert.equal(runCli(['scan', '--fail-on', 'info', 'examples/hardened-app']).code, 0);
  });

  test('--output writes several reports at once', () => {
    const dir = tempDir();
    const result = runCli(['scan', 'examples/insecure-app', '--output', `sarif=${join(dir, 'out.sarif')}`, '--output', `junit=${join(dir, 'out.xml')}`, '--output', `json=${join(dir, 'out.json')}`]);
    assert.equal(result.code, 1);
    const sarif = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as { version: string; runs: { results: unknown[] }[] };
    assert.equal(sarif.version, '2.1.0');
    assert.ok(sarif.runs[0]!.results.length > 0);
    assert.match(readFileSync(join(dir, 'out.xml'), 'utf8'), /^<\?xml/);
    assert.ok((JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as { findings: unknown[] }).findings.length > 0);
    assert.match(result.stdout, /pss-privileged/, 'the table still goes to stdout');
  });
});

describe('inputs', () => {
  test('stdin, multi-document YAML and kind: List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${PRIVILEGED_POD.trimEnd().split('\n').join('\n  ')}\n`;
    const { report } = scanJson(['-'], { input: `${list}---\n${PRIVILEGED_POD.replace('name: bad', 'name: bad2')}` });
    const privileged = report.findings.filter((f) => f.ruleId === 'pss-privileged');
    assert.deepEqual(privileged.map((f) => [f.location.file, f.resource.name, f.location.line]), [
      ['<stdin>', 'bad', 14],
      ['<stdin>', 'bad2', 26],
    ]);
    assert.equal(privileged[0]!.location.path, 'spec.containers[0].securityContext.privileged');
  });

  test('kubectl get -o json output: a typed list whose items lack apiVersion and kind', () => {
    const list = {
      apiVersion: 'apps/v1',
      kind: 'DeploymentList',
      items: [{ metadata: { name: 'web', namespace: 'shop' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx', securityContext: { privileged: true } }] } } } }],
    };
    const text = JSON.stringify(list, null, 2);
    const dir = tempDir();
    writeFileSync(join(dir, 'deployments.json'), text);
    const { report } = scanJson([dir]);
    const finding = report.findings.find((f) => f.ruleId === 'pss-privileged');
    assert.ok(finding);
    assert.deepEqual(finding.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' });
    const line = text.split('\n')[finding.location.line - 1]!;
    assert.match(line, /"privileged": true/);
  });

  test('YAML is read as the API server reads it: yes is true', () => {
    const { report } = scanJson(['-'], { input: PRIVILEGED_POD.replace('privileged: true', 'privileged: yes') });
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged'));
  });

  test('directories are scanned recursively, in a stable order, skipping other files', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'b', 'deep'), { recursive: true });
    writeFileSync(join(dir, 'b', 'deep', 'pod.yml'), PRIVILEGED_POD);
    writeFileSync(join(dir, 'a.json'), JSON.stringify(JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { hostPID: true, containers: [{ name: 'c', image: 'x:1' }] } }))));
    writeFileSync(join(dir, 'notes.txt'), 'privileged: true');
    const { report } = scanJson([dir]);
    assert.deepEqual([...new Set(report.findings.map((f) => f.location.file.split('/').slice(-1)[0]))], ['a.json', 'pod.yml']);
  });
});

describe('bad input never crashes and never loses the rest', () => {
  test('a malformed document is an error with its line; the other documents are still scanned', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'mixed.yaml'), `${PRIVILEGED_POD}---\nkind: Pod\nmetadata: {name: broken\nspec: [\n---\n${PRIVILEGED_POD.replace('name: bad', 'name: after')}`);
    const { code, report, stderr } = scanJson([dir]);
    assert.equal(code, 2);
    assert.equal(report.errors.length, 1);
    assert.equal(report.errors[0]!.code, 'yaml-syntax');
    assert.ok(report.errors[0]!.line! >= 13 && report.errors[0]!.line! <= 16, `error line ${report.errors[0]!.line}`);
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'pss-privileged').map((f) => f.resource.name), ['bad', 'after']);
    noStackTrace(stderr);
  });

  test('binary, oversized, dangling and empty inputs each get one clear error', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.yaml'), PRIVILEGED_POD);
    writeFileSync(join(dir, 'image.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48]));
    writeFileSync(join(dir, 'huge.yaml'), `# ${'x'.repeat(2 * 1024 * 1024)}\n`);
    symlinkSync(join(dir, 'missing-target.yaml'), join(dir, 'dangling.yaml'));
    const { code, report, stderr } = scanJson([dir, '--max-file-size', '1']);
    assert.equal(code, 2);
    assert.deepEqual(report.errors.map((e) => [e.file.split('/').pop(), e.code]).sort(), [
      ['dangling.yaml', 'unreadable'],
      ['huge.yaml', 'file-too-large'],
      ['image.yaml', 'binary-file'],
    ]);
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged'), 'good.yaml still scanned');
    noStackTrace(stderr);
  });

  test('a YAML alias bomb is refused quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    const { code, report } = scanJson(['-'], { input: `${levels.join('\n')}\n---\n${PRIVILEGED_POD}` });
    assert.ok(Date.now() - started < 10_000);
    assert.equal(code, 2);
    assert.equal(report.errors[0]!.code, 'alias-limit');
    assert.ok(report.findings.some((f) => f.ruleId === 'pss-privileged'));
  });

  test('duplicate keys are reported; the last value counts, as for the API server', () => {
    const { code, report } = scanJson(['-'], { input: PRIVILEGED_POD.replace('privileged: true', 'privileged: false\n      privileged: true') });
    assert.equal(code, 2);
    assert.equal(report.errors[0]!.code, 'duplicate-key');
    assert.equal(report.errors[0]!.line, 12);
    const finding = report.findings.find((f) => f.ruleId === 'pss-privileged');
    assert.equal(finding?.location.line, 12);
  });

  test('documents that are not Kubernetes objects and unknown kinds are skipped, not errors', () => {
    const input = `just: a values file\n---\n- a list\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 3}\n---\n${PRIVILEGED_POD}`;
    const { code, report } = scanJson(['-'], { input });
    assert.equal(code, 1);
    assert.deepEqual(report.errors, []);
    assert.equal(report.summary.skipped, 3);
    assert.ok(report.skipped.some((s) => /Widget/.test(s.reason)));
  });

  test('empty input and missing paths are errors with exit code 2', () => {
    const empty = scanJson([tempDir()]);
    assert.equal(empty.code, 2);
    assert.equal(empty.report.errors[0]!.code, 'no-input');
    const missing = scanJson(['does/not/exist.yaml']);
    assert.equal(missing.code, 2);
    assert.deepEqual(missing.report.errors.map((e) => e.code), ['not-found']);
  });

  test('usage errors print one line and exit 2', () => {
    for (const args of [['scan'], ['scan', '--bogus', 'x'], ['scan', '--format', 'xml', '.'], ['scan', '--fail-on', 'severe', '.'], ['frobnicate'], ['scan', '--pss-version', '2.0', '.'], ['explain', 'no-such-rule']]) {
      const result = runCli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.trim().split('\n').length, 1, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^palisade: /);
    }
  });
});

describe('catalogue commands', () => {
  test('rules lists the catalogue as a table and as JSON', () => {
    const table = runCli(['rules']);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /pss-privileged\s+critical/);
    const json = JSON.parse(runCli(['rules', '--format', 'json']).stdout) as { rules: { id: string; controls: string[] }[] };
    assert.ok(json.rules.length >= 30);
    assert.ok(json.rules.find((r) => r.id === 'pss-privileged')!.controls.includes('pss-baseline/privileged'));
  });

  test('explain prints rationale, remediation, controls and an example', () => {
    const result = runCli(['explain', 'read-only-root-filesystem']);
    assert.equal(result.code, 0);
    for (const heading of ['Why it matters:', 'How to fix:', 'Controls:', 'Example that fails:', 'Fixed:']) assert.match(result.stdout, new RegExp(heading));
  });

  test('--help texts list the exit codes and every scan option', () => {
    const help = runCli(['scan', '--help']).stdout;
    for (const option of ['--format', '--output', '--fail-on', '--pss-version', '--config', '--baseline', '--values', '--set', '--release-name', '--namespace']) {
      assert.match(help, new RegExp(option));
    }
    assert.match(help, /Exit codes/);
  });
});
