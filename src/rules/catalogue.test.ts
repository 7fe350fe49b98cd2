import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONTROL_FRAMEWORKS, RULE_CATEGORIES } from '../core/rule-api.ts';
import { FRAMEWORKS, frameworkById } from '../analysers/compliance/catalogue.ts';
import { PSS_CHECKS } from '../analysers/pss/registry.ts';
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

test('every rule\'s controls and the framework catalogues agree: a rule cites a control exactly when the control lists the rule', () => {
  const cited = new Set(ALL_RULES.flatMap(({ meta }) => meta.controls.map((control) => `${meta.id} ${control}`)));
  const listed = new Set(FRAMEWORKS.flatMap((framework) => framework.controls.flatMap((control) => control.rules.map((rule) => `${rule} ${framework.framework}/${control.id}`))));
  assert.deepEqual([...cited].filter((pair) => !listed.has(pair)).sort(), [], 'cited by a rule, not listed by the catalogue (or no such control)');
  assert.deepEqual([...listed].filter((pair) => !cited.has(pair)).sort(), [], 'listed by the catalogue, not cited by the rule (or no such rule)');
});

test('every framework catalogue is well formed: known framework, unique control ids, titles, known sections, sorted known rules', () => {
  const ruleIds = new Set(ALL_RULES.map((rule) => rule.meta.id));
  assert.deepEqual(FRAMEWORKS.map((framework) => framework.framework), [...CONTROL_FRAMEWORKS]);
  for (const framework of FRAMEWORKS) {
    assert.ok(framework.name.trim() && framework.version.trim() && framework.source.trim(), `${framework.framework}: name, version, source`);
    assert.ok(framework.controls.length > 0, `${framework.framework}: controls`);
    const sections = framework.sections ? new Set(framework.sections.map((section) => section.id)) : undefined;
    const seen = new Set<string>();
    for (const control of framework.controls) {
      const where = `${framework.framework}/${control.id}`;
      assert.ok(!seen.has(control.id), `${where}: duplicate`);
      seen.add(control.id);
      assert.ok(control.title.trim().length > 2, `${where}: title`);
      assert.ok(control.assessment === 'automated' || control.assessment === 'manual', `${where}: assessment`);
      if (sections) assert.ok(control.section !== undefined && sections.has(control.section), `${where}: section ${control.section}`);
      assert.deepEqual([...control.rules], [...new Set(control.rules)].sort(), `${where}: rules sorted, no duplicates`);
      for (const rule of control.rules) assert.ok(ruleIds.has(rule), `${where}: unknown rule ${rule}`);
    }
  }
});

test('the Pod Security Standards catalogues hold exactly the checks Pod Security Admission has (restricted includes baseline)', () => {
  assert.deepEqual(frameworkById('pss-baseline').controls.map((control) => control.id), PSS_CHECKS.filter((check) => check.level === 'baseline').map((check) => check.id));
  assert.deepEqual(frameworkById('pss-restricted').controls.map((control) => control.id), PSS_CHECKS.map((check) => check.id));
});

test('the CIS 1.12 catalogue has every recommendation once, in order, each within its section', () => {
  const cis = frameworkById('cis-k8s');
  assert.equal(cis.controls.length, 131);
  assert.ok(cis.controls.every((control) => control.id.startsWith(`${control.section}.`) || control.section === '2'));
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
