import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runRules } from '../../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../../core/pod-templates.ts';
import { defaultOptions } from '../../core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from '../../core/settings.ts';
import { parseManifests } from '../../source/index.ts';
import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

test('messages never contain key material', () => {
  const dir = join(import.meta.dirname, 'fixtures', 'invalid');
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    const text = readFileSync(file, 'utf8');
    const secrets = [...text.matchAll(/secret:\s*(\S.*)$/gm)].map((m) => m[1]!.trim());
    const parsed = parseManifests({ file, text });
    const result = runRules({
      inventory: { objects: parsed.objects },
      rules: [{ rule, severity: rule.meta.defaultSeverity, options: defaultOptions(rule) }],
      settings: DEFAULT_SCAN_SETTINGS,
      podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
    });
    for (const finding of result.findings) {
      for (const secret of secrets) assert.ok(!finding.message.includes(secret), `${name}: ${finding.messageId} prints a key`);
      assert.doesNotMatch(finding.message, /secret is secure|this is password|abcdefghij/, `${name}: prints decoded key text`);
    }
  }
});
