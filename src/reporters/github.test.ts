import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../core/findings.ts';
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

test('github: one annotation per finding, input error, rule failure and suppression problem', () => {
  const lines = reportGithub(FIXTURE_CONTEXT).split('\n');
  assert.equal(lines.pop(), '');
  const commands = lines.map(parseCommand);
  const r = FIXTURE_REPORT;
  assert.equal(commands.length, r.findings.length + r.errors.length + r.ruleFailures.length + r.suppressionProblems.length);
  assert.deepEqual(
    commands.slice(0, r.findings.length).map((c) => c.command),
    ['warning', 'notice', 'error', 'notice', 'error', 'notice', 'notice'],
  );
  assert.deepEqual(commands[4]!.properties, {
    file: 'deploy/web.yaml',
    line: '21',
    col: '25',
    title: 'critical: Privileged containers (privileged-container)',
  });
  assert.ok(commands[4]!.message.startsWith('Container "web" runs privileged\nDeployment prod/web, field '));
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
  assert.equal(reportGithub(EMPTY_CONTEXT), '');
});

test('github: escapes data and property values so text cannot end or inject commands', () => {
  assert.equal(escapeData('100% done\r\n::error::x'), '100%25 done%0D%0A::error::x');
  assert.equal(escapeProperty('a,b:c%\n'), 'a%2Cb%3Ac%25%0A');
  const evil: Finding = {
    ...FIXTURE_REPORT.findings[0]!,
    message: 'line one\n::error file=x::injected\r\n50%',
    title: 'Title, with: separators',
    location: { ...FIXTURE_REPORT.findings[0]!.location, file: 'dir,with:odd/%41.yaml' },
  };
  const context: ReportContext = {
    ...FIXTURE_CONTEXT,
    report: { ...FIXTURE_REPORT, findings: [evil], errors: [], ruleFailures: [], suppressionProblems: [] },
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
    location: { ...FIXTURE_REPORT.findings[0]!.location, file: '.\\deploy\\web.yaml' },
  };
  const out = reportGithub({ ...FIXTURE_CONTEXT, report: { ...FIXTURE_REPORT, findings: [finding] } });
  assert.match(out, /^::warning file=deploy\/web\.yaml,line=20,col=13,/);
});
