import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runRules } from '../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../core/pod-templates.ts';
import { defaultOptions, type AnyRule, type ScanSettings } from '../core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS, parseKubeMinorVersion } from '../core/settings.ts';
import { parseManifests } from '../source/index.ts';

// ESLint's RuleTester, for our fixtures. Headers at the top of a fixture:
//   # expect: <messageId> <location.path>   one line per finding the rule must report (invalid fixtures)
//   # options: {"name": value}              rule options for this fixture
//   # pss-version: 1.N                      Pod Security Standards version for this fixture
//   # today: YYYY-MM-DD                     the scan's date, for rules that judge dates

export interface FixtureExpectations {
  readonly expected: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly settings: ScanSettings;
}

export function readFixtureHeader(text: string): FixtureExpectations {
  const expected: string[] = [];
  let options: Record<string, unknown> = {};
  let settings = DEFAULT_SCAN_SETTINGS;
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
  }
  return { expected: expected.sort(), options, settings };
}

/** Runs one rule on one fixture file; returns `messageId path` strings, sorted. */
export function runRuleOnFixture(rule: AnyRule, file: string): { actual: string[]; header: FixtureExpectations } {
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
  return { actual: result.findings.map((f) => `${f.messageId} ${f.location.path}`).sort(), header };
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
        assert.deepEqual(runRuleOnFixture(rule, file).actual, []);
      });
    }
    for (const file of invalid) {
      test(`invalid: ${file.slice(ruleDir.length + 1)}`, () => {
        const { actual, header } = runRuleOnFixture(rule, file);
        assert.ok(header.expected.length > 0, 'an invalid fixture needs `# expect: <messageId> <path>` lines');
        assert.deepEqual(actual, header.expected);
      });
    }
    test('every message id is exercised by an invalid fixture', () => {
      const expectedIds = new Set(invalid.flatMap((file) => readFixtureHeader(readFileSync(file, 'utf8')).expected.map((e) => e.split(' ')[0]!)));
      assert.deepEqual([...expectedIds].filter((id) => !(id in rule.meta.messages)), [], 'fixtures expect unknown message ids');
      assert.deepEqual(Object.keys(rule.meta.messages).filter((id) => !expectedIds.has(id)).sort(), [], 'messages never exercised');
    });
  });
}
