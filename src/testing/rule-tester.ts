import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runRules } from '../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../core/pod-templates.ts';
import type { RuleEvaluation } from '../core/report.ts';
import { defaultOptions, type AnyRule, type ScanSettings } from '../core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS, parseKubeMinorVersion } from '../core/settings.ts';
import { parseManifests } from '../source/index.ts';

// ESLint's RuleTester, for our fixtures. Headers at the top of a fixture:
//   # expect: <messageId> <location.path>   one line per finding the rule must report (invalid fixtures)
//   # options: {"name": value}              rule options for this fixture
//   # pss-version: 1.N                      Pod Security Standards version for this fixture
//   # today: YYYY-MM-DD                     the scan's date, for rules that judge dates
//   # evaluated: N                          how many subjects the rule must count as judged (its evidence)
//   # evaluated-controls: all | <control>…  which of its controls that evidence covers (`all`: every one)
//
// A rule with `meta.requires` counts only what it says it judged (`context.evaluated()`): on every invalid fixture it
// must say so at least once, since a finding is a judgement and compliance must not see one without evidence.

export interface FixtureExpectations {
  readonly expected: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly settings: ScanSettings;
  /** `# evaluated: N`: the subjects the rule must have judged. */
  readonly evaluated?: number;
  /** `# evaluated-controls:`: the controls its evidence covers, sorted; `all` when it covers every control of the rule. */
  readonly evaluatedControls?: readonly string[] | 'all';
}

export function readFixtureHeader(text: string): FixtureExpectations {
  const expected: string[] = [];
  let options: Record<string, unknown> = {};
  let settings = DEFAULT_SCAN_SETTINGS;
  let evaluated: number | undefined;
  let evaluatedControls: readonly string[] | 'all' | undefined;
  for (const line of text.split('\n')) {
    if (!line.startsWith('#')) break;
    const expect = /^#\s*expect:\s*(\S+)\s+(\S+)\s*$/.exec(line);
    if (expect) expected.push(`${expect[1]} ${expect[2]}`);
    const option = /^#\s*options:\s*(\{.*\})\s*$/.exec(line);
    if (option) options = JSON.parse(option[1]!) as Record<string, unknown>;
    const version = /^#\s*pss-version:\s*(\S+)\s*$/.exec(line);
    if (version) {
      const parsed = parseKubeMinorVersion(version[1]!);
      assert.ok(parsed, `bad pss-version header: ${line}`);
      settings = { ...settings, pssVersion: parsed };
    }
    const today = /^#\s*today:\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(line);
    if (today) settings = { ...settings, today: today[1]! };
    const count = /^#\s*evaluated:\s*(\d+)\s*$/.exec(line);
    if (count) evaluated = Number(count[1]);
    const controls = /^#\s*evaluated-controls:\s*(.+?)\s*$/.exec(line);
    if (controls) evaluatedControls = controls[1] === 'all' ? 'all' : controls[1]!.split(/[\s,]+/).sort();
  }
  return {
    expected: expected.sort(),
    options,
    settings,
    ...(evaluated !== undefined ? { evaluated } : {}),
    ...(evaluatedControls !== undefined ? { evaluatedControls } : {}),
  };
}

export interface FixtureRun {
  /** `messageId path` of every finding, sorted. */
  readonly actual: string[];
  readonly header: FixtureExpectations;
  /** What the engine counted the rule as having judged: subjects, and the controls when only some were. */
  readonly evaluation: RuleEvaluation;
}

/** Runs one rule on one fixture file: its findings as `messageId path` strings, sorted, and its evidence. */
export function runRuleOnFixture(rule: AnyRule, file: string): FixtureRun {
  const text = readFileSync(file, 'utf8');
  const header = readFixtureHeader(text);
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, [], `fixture ${file} must parse cleanly`);
  assert.ok(parsed.objects.length > 0, `fixture ${file} holds no Kubernetes object`);
  const result = runRules({
    inventory: { objects: parsed.objects },
    rules: [{ rule, severity: rule.meta.defaultSeverity, options: { ...defaultOptions(rule), ...header.options } }],
    settings: header.settings,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, [], `rule threw on ${file}`);
  const evaluation = result.evaluations.find((candidate) => candidate.id === rule.meta.id);
  assert.ok(evaluation, `no evaluation of ${rule.meta.id}`);
  return { actual: result.findings.map((f) => `${f.messageId} ${f.location.path}`).sort(), header, evaluation };
}

/** The fixture's `# evaluated` and `# evaluated-controls` headers, when it has them. */
function assertEvidence(run: FixtureRun): void {
  const { header, evaluation } = run;
  if (header.evaluated !== undefined) assert.equal(evaluation.subjects, header.evaluated, 'subjects judged (# evaluated)');
  if (header.evaluatedControls !== undefined) {
    const actual = evaluation.controls === undefined ? 'all' : [...evaluation.controls].sort();
    assert.deepEqual(actual, header.evaluatedControls, 'controls judged (# evaluated-controls)');
  }
}

function fixtureFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => /\.(ya?ml|json)$/.test(name))
      .sort()
      .map((name) => join(dir, name));
  } catch {
    return [];
  }
}

/** Registers node:test cases for a rule folder holding `fixtures/valid` and `fixtures/invalid`. */
export function testRule(rule: AnyRule, ruleDir: string): void {
  const valid = fixtureFiles(join(ruleDir, 'fixtures', 'valid'));
  const invalid = fixtureFiles(join(ruleDir, 'fixtures', 'invalid'));
  describe(`rule ${rule.meta.id}`, () => {
    test('has valid and invalid fixtures', () => {
      assert.ok(valid.length > 0, 'no fixtures/valid/*.yaml');
      assert.ok(invalid.length > 0, 'no fixtures/invalid/*.yaml');
    });
    for (const file of valid) {
      test(`valid: ${file.slice(ruleDir.length + 1)}`, () => {
        const run = runRuleOnFixture(rule, file);
        assert.deepEqual(run.actual, []);
        assertEvidence(run);
      });
    }
    for (const file of invalid) {
      test(`invalid: ${file.slice(ruleDir.length + 1)}`, () => {
        const run = runRuleOnFixture(rule, file);
        const { actual, header, evaluation } = run;
        assert.ok(header.expected.length > 0, 'an invalid fixture needs `# expect: <messageId> <path>` lines');
        assert.deepEqual(actual, header.expected);
        if (rule.meta.requires !== undefined) {
          assert.ok(evaluation.subjects > 0, `${rule.meta.id} reported findings without saying what it judged: call context.evaluated() where it judges its subject`);
        }
        assertEvidence(run);
      });
    }
    test('every message id is exercised by an invalid fixture', () => {
      const expectedIds = new Set(invalid.flatMap((file) => readFixtureHeader(readFileSync(file, 'utf8')).expected.map((e) => e.split(' ')[0]!)));
      assert.deepEqual([...expectedIds].filter((id) => !(id in rule.meta.messages)), [], 'fixtures expect unknown message ids');
      assert.deepEqual(Object.keys(rule.meta.messages).filter((id) => !expectedIds.has(id)).sort(), [], 'messages never exercised');
    });
  });
}
