// Writes docs/rules/<id>.md and docs/rules/README.md from the rule catalogue.
//   node scripts/generate-rule-docs.ts
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALL_RULES } from '../src/rules/index.ts';
import { ruleDocument, ruleIndexDocument } from '../src/rules/rule-docs.ts';

const dir = resolve(import.meta.dirname, '..', 'docs', 'rules');
mkdirSync(dir, { recursive: true });
for (const name of readdirSync(dir)) if (name.endsWith('.md')) rmSync(join(dir, name));
for (const rule of ALL_RULES) writeFileSync(join(dir, `${rule.meta.id}.md`), ruleDocument(rule));
writeFileSync(join(dir, 'README.md'), ruleIndexDocument(ALL_RULES));
console.log(`wrote ${ALL_RULES.length} rule pages to ${dir}`);
