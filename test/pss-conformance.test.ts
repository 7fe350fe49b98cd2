import assert from 'node:assert/strict';
import { test } from 'node:test';
import { load } from 'js-yaml';
import { deepFreeze, refOf, type InventoryObject } from '../src/core/inventory.ts';
import { isJsonObject } from '../src/core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate, type PodTemplate } from '../src/core/pod-templates.ts';
import { evaluatePodSecurity, pssViolationsAtLevel, type PssLevel } from '../src/analysers/pss/index.ts';
import { runRules } from '../src/core/engine.ts';
import { defaultOptions } from '../src/core/rule-api.ts';
import { PSS_RULES } from '../src/rules/pss-rules.ts';
import { parseManifests } from '../src/source/index.ts';
import { conformanceMismatch, loadConformanceFixtures, type ConformanceFixture } from './pss-conformance-fixtures.ts';

function templateOf(fixture: ConformanceFixture): PodTemplate {
  const value = load(fixture.text);
  if (!isJsonObject(value)) throw new Error(`${fixture.id}: not a YAML mapping`);
  const ref = refOf(value);
  if (!ref) throw new Error(`${fixture.id}: no apiVersion/kind`);
  const object: InventoryObject = {
    ref,
    object: deepFreeze(value),
    origin: { type: 'file', file: fixture.file, documentIndex: 0, pathInDocument: [] },
    locator: { locate: () => ({ line: 1, column: 1 }) },
  };
  const template = findPodTemplate(object, BUILTIN_POD_TEMPLATE_LOCATIONS);
  if (!template) throw new Error(`${fixture.id}: no pod template`);
  return template;
}

const fixtures = loadConformanceFixtures();

test('the conformance corpus is present and complete', () => {
  assert.ok(fixtures.length > 4000, `expected ~4,500 fixtures, found ${fixtures.length}`);
  for (const level of ['baseline', 'restricted'] as const) {
    const minors = new Set(fixtures.filter((f) => f.level === level).map((f) => f.minor));
    assert.equal(minors.size, 38, `${level}: expected versions v1.0 … v1.37`);
  }
});

test('evaluator agrees with Pod Security Admission on every conformance fixture', () => {
  const mismatches: string[] = [];
  for (const fixture of fixtures) {
    const version = { major: 1, minor: fixture.minor } as const;
    const template = templateOf(fixture);
    const violations = evaluatePodSecurity(template, version);
    const mismatch = conformanceMismatch(fixture, violations.map((v) => v.level));
    if (mismatch) {
      mismatches.push(`${mismatch} [${violations.map((v) => `${v.check}: ${v.detail}`).join('; ')}]`);
      continue;
    }
    // PSA itself: the fixture is rejected exactly when a check enforced at its level (with overrides) fails.
    const enforced = pssViolationsAtLevel(template, fixture.level, version);
    if ((enforced.length > 0) !== (fixture.expectation === 'fail')) {
      mismatches.push(`${fixture.id}: ${enforced.length} violations of the checks enforced at ${fixture.level}`);
    }
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${fixtures.length} fixtures disagree:\n${mismatches.join('\n')}`);
});

test('the Pod Security rules, run through the source layer and the engine, agree on every fixture', () => {
  // A rule's level: baseline checks carry a pss-baseline control, restricted-only checks do not.
  const ruleLevel = new Map<string, PssLevel>(
    PSS_RULES.map((rule) => [rule.meta.id, rule.meta.controls.some((c) => c.startsWith('pss-baseline/')) ? 'baseline' : 'restricted']),
  );
  const rules = PSS_RULES.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: defaultOptions(rule) }));
  const mismatches: string[] = [];
  for (const fixture of fixtures) {
    const parsed = parseManifests({ file: fixture.file, text: fixture.text });
    if (parsed.errors.length > 0 || parsed.objects.length !== 1) {
      mismatches.push(`${fixture.id}: did not parse to one object`);
      continue;
    }
    const result = runRules({
      inventory: { objects: parsed.objects },
      rules,
      settings: { pssVersion: { major: 1, minor: fixture.minor } },
      podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
    });
    if (result.failures.length > 0) {
      mismatches.push(`${fixture.id}: rules threw: ${result.failures.map((f) => `${f.ruleId}: ${f.message}`).join('; ')}`);
      continue;
    }
    const mismatch = conformanceMismatch(fixture, result.findings.map((finding) => ruleLevel.get(finding.ruleId)!));
    if (mismatch) mismatches.push(`${mismatch} [${result.findings.map((f) => `${f.ruleId} ${f.location.path}`).join('; ')}]`);
  }
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${fixtures.length} fixtures disagree:\n${mismatches.join('\n')}`);
});
