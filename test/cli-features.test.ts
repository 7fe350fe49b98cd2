import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { helmBinary, runCli, scanJson, tempDir } from './cli-helpers.ts';

const POD = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: apps
${extra}spec:
  hostPID: true
  containers:
  - name: app
    image: registry.example.com/app:1.0.0
`;

describe('suppressions', () => {
  test('an annotation with a reason suppresses; one without a reason is invalid', () => {
    const good = POD('good', '  annotations:\n    palisade.dev/suppress: "pss-host-namespaces: node agent needs the host PID namespace"\n');
    const bad = POD('bad', '  annotations:\n    palisade.dev/suppress: "pss-host-namespaces"\n');
    const { report } = scanJson(['-'], { input: `${good}---\n${bad}` });
    const hostNs = report.findings.filter((f) => f.ruleId === 'pss-host-namespaces').map((f) => f.resource.name);
    assert.deepEqual(hostNs, ['bad']);
    const suppressed = report.suppressed.filter((f) => f.ruleId === 'pss-host-namespaces');
    assert.deepEqual(suppressed.map((f) => [f.resource.name, f.suppression.source, f.suppression.reason]), [['good', 'annotation', 'node agent needs the host PID namespace']]);
    assert.deepEqual(report.suppressionProblems.map((p) => [p.kind, p.source, p.line]), [['invalid', 'annotation', 20]]);
  });

  test('config suppressions: matched, expired and unused entries', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pods.yaml'), `${POD('one')}---\n${POD('two')}`);
    writeFileSync(
      join(dir, '.palisade.yaml'),
      [
        'suppressions:',
        '  - rule: pss-host-namespaces',
        '    name: one',
        '    reason: debugging agent',
        '    expires: 2999-01-01',
        '  - rule: pss-host-namespaces',
        '    name: two',
        '    reason: was needed once',
        '    expires: 2001-01-01',
        '  - rule: pss-privileged',
        '    namespace: nowhere',
        '    reason: stale entry',
        '',
      ].join('\n'),
    );
    const { report } = scanJson(['pods.yaml'], { cwd: dir });
    assert.deepEqual(report.findings.filter((f) => f.ruleId === 'pss-host-namespaces').map((f) => f.resource.name), ['two']);
    assert.deepEqual(report.suppressed.map((f) => f.resource.name), ['one']);
    assert.deepEqual(report.suppressionProblems.map((p) => [p.kind, p.file, p.line]), [
      ['expired', '.palisade.yaml', 6],
      ['unused', '.palisade.yaml', 10],
    ]);
    const table = runCli(['scan', 'pods.yaml'], { cwd: dir }).stdout;
    assert.match(table, /expired/);
  });
});

describe('config', () => {
  test('an invalid config names the file, line and bad key, and exits 2', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'pod.yaml'), POD('p'));
    writeFileSync(join(dir, '.palisade.yaml'), 'failOn: high\nseverity:\n  pss-host-namespaces: severe\ndisabledRulez: [x]\n');
    const result = runCli(['scan', 'pod.yaml'], { cwd: dir });
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\.palisade\.yaml:3: severity\.pss-host-namespaces: expected one of critical/);
    assert.match(result.stderr, /\.palisade\.yaml:4: disabledRulez: unknown key/);
    assert.doesNotMatch(result.stderr, /\n\s+at /);
  });

  test('severity overrides, disabled rules, failOn and custom pod template kinds', () => {
    const dir = tempDir();
    const workflow = 'apiVersion: example.com/v1\nkind: Workflow\nmetadata: {name: wf, namespace: apps}\nspec:\n  podTemplate:\n    spec:\n      hostIPC: true\n      containers: [{name: c, image: "x:1"}]\n';
    writeFileSync(join(dir, 'in.yaml'), `${POD('p')}---\n${workflow}`);
    writeFileSync(
      join(dir, 'cfg.yaml'),
      'failOn: critical\nseverity:\n  pss-host-namespaces: critical\ndisabledRules: [read-only-root-filesystem]\npodTemplates:\n  - group: example.com\n    kind: Workflow\n    path: spec.podTemplate\n',
    );
    const { code, report } = scanJson(['in.yaml', '--config', 'cfg.yaml'], { cwd: dir });
    assert.equal(code, 1);
    const hostNs = report.findings.filter((f) => f.ruleId === 'pss-host-namespaces');
    assert.deepEqual(hostNs.map((f) => [f.resource.kind, f.severity, f.location.path]), [
      ['Pod', 'critical', 'spec.hostPID'],
      ['Workflow', 'critical', 'spec.podTemplate.spec.hostIPC'],
    ]);
    assert.ok(!report.findings.some((f) => f.ruleId === 'read-only-root-filesystem'));
  });
});

describe('baselines and fingerprints', () => {
  test('--baseline reports only new findings, and fingerprints survive reformatting', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'app.yaml'), POD('app'));
    const first = runCli(['scan', 'app.yaml', '--format', 'json'], { cwd: dir });
    writeFileSync(join(dir, 'before.json'), first.stdout);
    const before = JSON.parse(first.stdout) as { findings: { fingerprint: string }[] };
    assert.ok(before.findings.length > 0);

    // Reformat: flow style, other indentation, a comment and reordered keys — same objects.
    writeFileSync(join(dir, 'app.yaml'), '# reformatted\nkind: Pod\napiVersion: v1\nmetadata: {namespace: apps, name: app}\nspec:\n    containers: [{image: "registry.example.com/app:1.0.0", name: app}]\n    hostPID: true\n');
    const reformatted = scanJson(['app.yaml', '--baseline', 'before.json'], { cwd: dir });
    assert.deepEqual(reformatted.report.findings, []);
    assert.equal(reformatted.report.summary.baselined, before.findings.length);
    assert.equal(reformatted.code, 0);

    writeFileSync(join(dir, 'app.yaml'), POD('app').replace('  hostPID: true\n', '  hostPID: true\n  hostNetwork: true\n'));
    const changed = scanJson(['app.yaml', '--baseline', 'before.json'], { cwd: dir });
    assert.deepEqual(changed.report.findings.map((f) => `${f.ruleId} ${f.location.path}`), ['pss-host-namespaces spec.hostNetwork']);
  });

  test('a baseline that is not a report is a usage error', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'x.json'), '{"nope": 1}');
    const result = runCli(['scan', 'examples', '--baseline', join(dir, 'x.json')]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /not a Palisade JSON report/);
  });
});

describe('rendering with the real helm and kustomize', () => {
  const requireTools = process.env['CI'] !== undefined || process.env['PALISADE_REQUIRE_TOOLS'] === '1';
  const helmAvailable = spawnSync(helmBinary(), ['version'], { encoding: 'utf8' }).status === 0;

  test('helm is available (scripts/install-tools.sh builds it)', { skip: !requireTools && !helmAvailable ? 'helm not installed; run scripts/install-tools.sh' : false }, () => {
    assert.ok(helmAvailable, `helm not found at ${helmBinary()}`);
  });

  test('a chart is rendered with values, --set, release name and namespace; findings point at the template', { skip: !requireTools && !helmAvailable ? 'helm not installed' : false }, () => {
    const clean = scanJson(['test/fixtures/chart', '--release-name', 'shop', '-n', 'store']);
    assert.deepEqual(clean.report.errors, []);
    assert.ok(!clean.report.findings.some((f) => f.ruleId === 'pss-privileged'));
    const deployment = clean.report.findings.find((f) => f.resource.kind === 'Deployment');
    assert.deepEqual(deployment?.resource && { name: deployment.resource.name, namespace: deployment.resource.namespace }, { name: 'shop-web', namespace: 'store' });

    const prod = scanJson(['test/fixtures/chart', '--values', 'test/fixtures/prod-values.yaml', '--set', 'hostNetwork=true,serviceType=NodePort']);
    const privileged = prod.report.findings.find((f) => f.ruleId === 'pss-privileged');
    assert.ok(privileged, 'values file applied');
    assert.equal(privileged.location.file, 'test/fixtures/chart/templates/deployment.yaml');
    assert.equal(privileged.location.template, 'web/templates/deployment.yaml');
    const templateLines = readFileSync('test/fixtures/chart/templates/deployment.yaml', 'utf8').split('\n');
    assert.match(templateLines[privileged.location.line - 1]!, /privileged:/);
    assert.ok(prod.report.findings.some((f) => f.ruleId === 'pss-host-namespaces'), '--set applied');
    assert.ok(prod.report.findings.some((f) => f.ruleId === 'service-node-port' && f.location.file.endsWith('templates/service.yaml')));
  });

  test('a missing helm binary is one clear line; the rest of the scan goes on', () => {
    const { code, report } = scanJson(['test/fixtures/chart', 'examples/insecure-app'], { env: { PALISADE_HELM: '/nonexistent/helm' } });
    assert.equal(code, 2);
    assert.deepEqual(report.errors.map((e) => e.code), ['helm-missing']);
    assert.match(report.errors[0]!.message, /install Helm/);
    assert.ok(report.findings.length > 0);
  });

  test('a kustomization is rendered with kustomize or kubectl kustomize', () => {
    const { report } = scanJson(['test/fixtures/kustomize/overlay']);
    assert.deepEqual(report.errors, []);
    const hostPid = report.findings.find((f) => f.ruleId === 'pss-host-namespaces');
    assert.deepEqual(hostPid?.resource, { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'prod-api' });
    // Reported against the base file the object comes from; the patched-in field at its nearest parent there.
    assert.equal(hostPid!.location.file, 'test/fixtures/kustomize/base/deployment.yaml');
    assert.equal(hostPid!.location.path, 'spec.template.spec.hostPID');
    const baseLines = readFileSync('test/fixtures/kustomize/base/deployment.yaml', 'utf8').split('\n');
    assert.equal(baseLines[hostPid!.location.line - 1], '    spec:');
    assert.equal(hostPid!.location.column, 5);
    const image = report.findings.find((f) => f.ruleId === 'image-digest');
    assert.match(baseLines[image!.location.line - 1]!, /^\s+image: registry\.example\.com\/api:2\.0\.0$/);
  });

  test('a missing kustomize is one clear line', () => {
    const { report } = scanJson(['test/fixtures/kustomize/overlay'], { env: { PALISADE_KUSTOMIZE: '/nonexistent/kustomize' } });
    assert.deepEqual(report.errors.map((e) => e.code), ['kustomize-missing']);
  });
});
