import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/findings.ts';
import type { SourceLocation } from '../core/model.ts';
import type { ReportContext } from '../core/report.ts';
import { escapeData, escapeProperty, reportGithub } from './github.ts';
import { assertGolden } from './testdata/golden.ts';
import { EMPTY_CONTEXT, FIXTURE_CONTEXT, FIXTURE_REPORT } from './testdata/report-fixture.ts';

interface ParsedCommand {
  readonly command: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly message: string;
}

const unescape = (text: string) => text.replace(/%(25|0D|0A|3A|2C)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));

/** Parses one workflow command line the way the runner does: properties end at the first `::`. */
function parseCommand(line: string): ParsedCommand {
  const match = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  assert.ok(match, `not a workflow command: ${line}`);
  const properties: Record<string, string> = {};
  for (const pair of match[2]!.split(',')) {
    const eq = pair.indexOf('=');
    assert.ok(eq > 0, `bad property ${pair}`);
    const key = pair.slice(0, eq);
    assert.ok(['file', 'line', 'col', 'title'].includes(key), `unknown property ${key}`);
    properties[key] = unescape(pair.slice(eq + 1));
  }
  return { command: match[1]!, properties, message: unescape(match[3]!) };
}

test('github: matches the golden file', () => {
  assertGolden('report.github.txt', reportGithub(FIXTURE_CONTEXT));
});

test('github: one annotation per finding, input error, warning, rule failure and suppression problem', () => {
  const lines = reportGithub(FIXTURE_CONTEXT).split('\n');
  assert.equal(lines.pop(), '');
  const commands = lines.map(parseCommand);
  const r = FIXTURE_REPORT;
  const warnings = r.warnings ?? [];
  assert.equal(warnings.length, 1);
  assert.equal(
    commands.length,
    r.findings.length + r.errors.length + warnings.length + r.ruleFailures.length + r.suppressionProblems.length,
  );
  assert.deepEqual(
    commands.slice(0, r.findings.length).map((c) => c.command),
    ['warning', 'notice', 'error', 'error', 'error', 'notice', 'error', 'notice', 'notice'],
  );
  assert.deepEqual(commands[6]!.properties, {
    file: 'deploy/web.yaml',
    line: '21',
    col: '25',
    title: 'critical: Privileged containers (privileged-container)',
  });
  assert.ok(commands[6]!.message.startsWith('Container "web" runs privileged\nDeployment prod/web, field '));
  assert.match(commands[0]!.message, /\nTemplate: db\/templates\/statefulset\.yaml\n/);
  const inputError = commands[r.findings.length]!;
  assert.equal(inputError.command, 'error');
  assert.deepEqual(inputError.properties, {
    file: 'deploy/broken.yaml',
    line: '7',
    col: '3',
    title: 'palisade: cannot read input (yaml-syntax)',
  });
  assert.deepEqual(commands[r.findings.length + 1]!.properties, {
    file: 'deploy/missing.yaml',
    title: 'palisade: cannot read input (not-found)',
  });
  // The warning comes after the input errors and before the rule failures: a warning, never an error, and with no
  // file, since it is about the cluster.
  const afterErrors = r.findings.length + r.errors.length;
  assert.deepEqual(commands[afterErrors], {
    command: 'warning',
    properties: { title: 'palisade: warning reading cluster prod-eu (cluster-forbidden)' },
    message: warnings[0]!.message,
  });
  assert.equal(commands[afterErrors + 1]!.properties['title'], 'palisade: rule secret-in-env failed');
  assert.equal(reportGithub(EMPTY_CONTEXT), '');
});

test('github: a warning about a file points at the file and line', () => {
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: {
      ...EMPTY_CONTEXT.report,
      warnings: [{ code: 'cluster-api-warning', file: 'deploy/web.yaml', line: 3, message: 'deprecated' }],
    },
  };
  assert.equal(
    reportGithub(context),
    '::warning file=deploy/web.yaml,line=3,title=palisade%3A warning reading input (cluster-api-warning)::deprecated\n',
  );
});

test('github: findings and problems on live objects are annotations without a file, naming the object', () => {
  const lines = reportGithub(FIXTURE_CONTEXT).trimEnd().split('\n');
  const commands = lines.map(parseCommand);
  const live = commands.filter((c) => c.properties['file'] === undefined);
  assert.equal(live.length, 5, 'two findings, one warning, one rule failure, one suppression problem');
  assert.ok(lines.includes('::error title=critical%3A Privileged containers (privileged-container)::Container "api" runs privileged%0ADeployment payments/api in cluster prod-eu (https://10.0.0.1:6443), field spec.template.spec.containers[0].securityContext.privileged%0AFix: Remove securityContext.privileged or set it to false.'));
  assert.deepEqual(live[0], {
    command: 'error',
    properties: { title: 'high: Bindings to cluster-admin (cluster-admin-binding)' },
    message: [
      'Binds "cluster-admin" to Group system:authenticated',
      'ClusterRoleBinding legacy-admin in cluster prod-eu (https://10.0.0.1:6443), field roleRef.name',
      'Fix: Bind a role with only the permissions the subject needs.',
    ].join('\n'),
  });
  assert.equal(live[2]!.command, 'warning');
  assert.equal(live[2]!.properties['title'], 'palisade: warning reading cluster prod-eu (cluster-forbidden)');
  assert.deepEqual(live[3], {
    command: 'error',
    properties: { title: 'palisade: rule secret-in-env failed' },
    message: 'Rule secret-in-env failed on Deployment payments/api in cluster prod-eu: env[3].value is not a string',
  });
  assert.deepEqual(live[4], {
    command: 'warning',
    properties: { title: 'palisade: unused suppression' },
    message: 'Suppression of host-network matched no finding (ClusterRoleBinding legacy-admin in cluster prod-eu)',
  });
  // No annotation points at the cluster label as if it were a file.
  assert.ok(commands.every((c) => !c.properties['file']?.startsWith('cluster')));
});

test('github: an error or a warning reading the cluster itself is an annotation without a file', () => {
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: {
      ...FIXTURE_REPORT,
      findings: [],
      errors: [{ code: 'cluster-list-failed', file: 'cluster:prod-eu', message: 'cannot list pods: HTTP 500' }],
      warnings: [{ code: 'cluster-forbidden', file: 'cluster:prod-eu', message: 'cannot list secrets: forbidden' }],
      ruleFailures: [],
      suppressionProblems: [],
    },
  };
  assert.equal(
    reportGithub(context),
    [
      '::error title=palisade%3A cannot read cluster prod-eu (cluster-list-failed)::cannot list pods: HTTP 500',
      '::warning title=palisade%3A warning reading cluster prod-eu (cluster-forbidden)::cannot list secrets: forbidden',
      '',
    ].join('\n'),
  );
});

test('github: escapes data and property values so text cannot end or inject commands', () => {
  assert.equal(escapeData('100% done\r\n::error::x'), '100%25 done%0D%0A::error::x');
  assert.equal(escapeProperty('a,b:c%\n'), 'a%2Cb%3Ac%25%0A');
  const evil: Finding = {
    ...FIXTURE_REPORT.findings[0]!,
    message: 'line one\n::error file=x::injected\r\n50%',
    title: 'Title, with: separators',
    location: { ...(FIXTURE_REPORT.findings[0]!.location as SourceLocation), file: 'dir,with:odd/%41.yaml' },
  };
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: { ...FIXTURE_REPORT, findings: [evil], errors: [], warnings: [], ruleFailures: [], suppressionProblems: [] },
  };
  const out = reportGithub(context);
  assert.equal(out.split('\n').length, 2, 'one command, one line');
  const command = parseCommand(out.trimEnd());
  assert.equal(command.properties['file'], 'dir,with:odd/%41.yaml');
  assert.equal(command.properties['title'], 'medium: Title, with: separators (run-as-non-root)');
  assert.ok(command.message.startsWith('line one\n::error file=x::injected\r\n50%\n'));
});

test('github: paths use forward slashes without a leading ./', () => {
  const finding: Finding = {
    ...FIXTURE_REPORT.findings[0]!,
    location: { ...(FIXTURE_REPORT.findings[0]!.location as SourceLocation), file: '.\\deploy\\web.yaml' },
  };
  const out = reportGithub({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: [finding] } });
  assert.match(out, /^::warning file=deploy\/web\.yaml,line=20,col=13,/);
});
