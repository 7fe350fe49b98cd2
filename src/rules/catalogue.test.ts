import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONTROL_FRAMEWORKS, RULE_CATEGORIES } from '../core/rule-api.ts';
import { CIS_KUBERNETES } from '../analysers/compliance/benchmark.ts';
import { PSS_CHECKS } from '../analysers/pss/registry.ts';
import mitreAttack from '../data/frameworks/mitre-attack.json' with { type: 'json' };
import nsaCisa from '../data/frameworks/nsa-cisa.json' with { type: 'json' };
import { ALL_RULES } from './index.ts';
import { ruleDocument, ruleIndexDocument } from './rule-docs.ts';

const rulesDir = import.meta.dirname;
const docsDir = join(rulesDir, '..', '..', 'docs', 'rules');
const ruleFolders = readdirSync(rulesDir).filter((name) => statSync(join(rulesDir, name)).isDirectory() && existsSync(join(rulesDir, name, 'rule.ts')));

test('every rule folder is registered and every registered rule has its folder, test and fixtures', () => {
  const ids = ALL_RULES.map((rule) => rule.meta.id);
  assert.deepEqual([...ruleFolders].sort(), [...ids].sort());
  for (const id of ids) {
    assert.ok(existsSync(join(rulesDir, id, 'rule.test.ts')), `${id}: rule.test.ts`);
    assert.match(readFileSync(join(rulesDir, id, 'rule.test.ts'), 'utf8'), /testRule\(rule, import\.meta\.dirname\)/, `${id}: rule.test.ts runs the rule tester`);
  }
});

test('every CIS control a rule cites exists in the CIS Kubernetes Benchmark catalogue (v1.12 numbering)', () => {
  const known = new Set(CIS_KUBERNETES.recommendations.map((recommendation) => `cis-k8s/${recommendation.id}`));
  const unknown = ALL_RULES.flatMap(({ meta }) => meta.controls.filter((control) => control.startsWith('cis-k8s/') && !known.has(control)).map((control) => `${meta.id} ${control}`));
  assert.deepEqual(unknown, []);
});

test('every control a rule cites exists in its framework\'s catalogue (MITRE ATT&CK, NSA/CISA, Pod Security Standards)', () => {
  const known = new Set([
    ...mitreAttack.controls.map((control) => `mitre-attack/${control.id}`),
    ...nsaCisa.controls.map((control) => `nsa-cisa/${control.id}`),
    ...PSS_CHECKS.filter((check) => check.level === 'baseline').map((check) => `pss-baseline/${check.id}`),
    // Restricted includes every baseline check.
    ...PSS_CHECKS.map((check) => `pss-restricted/${check.id}`),
  ]);
  const unknown = ALL_RULES.flatMap(({ meta }) => meta.controls.filter((control) => !control.startsWith('cis-k8s/') && !known.has(control)).map((control) => `${meta.id} ${control}`));
  assert.deepEqual(unknown, []);
});

test('rule metadata is complete: unique kebab-case ids, known categories, framework-prefixed controls, examples', () => {
  const seen = new Set<string>();
  for (const { meta } of ALL_RULES) {
    assert.match(meta.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, meta.id);
    assert.ok(!seen.has(meta.id), `duplicate id ${meta.id}`);
    seen.add(meta.id);
    assert.ok((RULE_CATEGORIES as readonly string[]).includes(meta.category), `${meta.id}: category ${meta.category}`);
    for (const field of ['title', 'rationale', 'remediation'] as const) assert.ok(meta[field].trim().length > 10, `${meta.id}: ${field}`);
    assert.ok(meta.controls.length > 0, `${meta.id}: controls`);
    for (const control of meta.controls) {
      const [framework, id] = control.split('/');
      assert.ok((CONTROL_FRAMEWORKS as readonly string[]).includes(framework!) && id, `${meta.id}: control ${control}`);
    }
    assert.ok(Object.keys(meta.messages).length > 0, `${meta.id}: messages`);
    for (const messageId of Object.keys(meta.messages)) assert.match(messageId, /^[a-z][A-Za-z0-9]*$/, `${meta.id}: message id ${messageId} is not camelCase`);
    assert.ok(meta.example.bad.trim() && meta.example.good.trim(), `${meta.id}: example`);
  }
});

test('docs/rules is generated from the catalogue (run `node scripts/generate-rule-docs.ts`)', () => {
  for (const rule of ALL_RULES) {
    const file = join(docsDir, `${rule.meta.id}.md`);
    assert.ok(existsSync(file), `missing ${file}`);
    assert.equal(readFileSync(file, 'utf8'), ruleDocument(rule), `${file} is stale`);
  }
  assert.equal(readFileSync(join(docsDir, 'README.md'), 'utf8'), ruleIndexDocument(ALL_RULES));
  const pages = readdirSync(docsDir).filter((name) => name !== 'README.md');
  assert.deepEqual(pages.sort(), ALL_RULES.map((r) => `${r.meta.id}.md`).sort(), 'pages of removed rules');
});
