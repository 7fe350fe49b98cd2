import assert from 'node:assert/strict';
import { runRules, type EngineResult } from '../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../core/pod-templates.ts';
import { defaultOptions, type AnyRule } from '../core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from '../core/settings.ts';
import { parseManifests } from '../source/index.ts';

/** One rule, with its defaults, run on a manifest text by the engine; the text must parse and the rule not throw. */
export function runRuleOnText(rule: AnyRule, text: string, file = 'input.yaml'): EngineResult {
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, []);
  const result = runRules({
    inventory: { objects: parsed.objects },
    rules: [{ rule, severity: rule.meta.defaultSeverity, options: defaultOptions(rule) }],
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, []);
  return result;
}

/** `path  message` of every finding one rule reports on a manifest text, sorted. */
export function ruleFindings(rule: AnyRule, text: string, file = 'input.yaml'): string[] {
  return runRuleOnText(rule, text, file).findings.map((f) => `${f.location.path}  ${f.message}`).sort();
}
