import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import type { JsonValue, Path } from '../core/model.ts';
import { parseYamlDocument } from './parse-yaml.ts';
import { splitDocuments } from './split-documents.ts';
import { AstYamlLocator, FastYamlLocator } from './yaml-locator.ts';

// The fast scanner must agree with the `yaml` package's AST wherever it answers; where it cannot tell, it must
// say so (undefined) rather than guess. Checked on every path of every YAML file in the repository's fixtures
// and the Pod Security conformance data.

function* allPaths(value: JsonValue, prefix: Path = []): Generator<Path> {
  yield prefix;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* allPaths(value[i] as JsonValue, [...prefix, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) yield* allPaths(child, [...prefix, key]);
  }
}

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

function compare(text: string, label: string): { answered: number; gaveUp: number; mismatches: string[] } {
  const lines = text.split('\n');
  const chunks = splitDocuments(text);
  let answered = 0;
  let gaveUp = 0;
  const mismatches: string[] = [];
  chunks.forEach((chunk, index) => {
    const parsed = parseYamlDocument(chunk);
    if (parsed.value === undefined) return;
    const end = index + 1 < chunks.length ? chunks[index + 1]!.startLine : lines.length;
    const fast = new FastYamlLocator(lines, chunk.startLine, end, parsed.hasDuplicateKeys);
    const ast = new AstYamlLocator(chunk.text, chunk.startLine);
    for (const path of allPaths(parsed.value)) {
      const quick = fast.find(path);
      if (!quick) {
        gaveUp++;
        continue;
      }
      answered++;
      const exact = ast.find(path);
      if (quick.line !== exact.line || quick.col !== exact.col) {
        mismatches.push(`${label} doc ${index} ${JSON.stringify(path)}: scanner ${quick.line + 1}:${quick.col + 1}, yaml ${exact.line + 1}:${exact.col + 1}`);
      }
    }
  });
  return { answered, gaveUp, mismatches };
}

test('the fast locator agrees with the yaml AST on tricky block YAML', () => {
  const text = [
    '# leading comment',
    '---',
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- apiVersion: apps/v1',
    '  kind: Deployment',
    '  metadata: {name: web}',
    '  spec:',
    '    template:',
    '      spec:',
    '        containers:',
    '          - name: a',
    '            args: ["--x", "--y"]',
    '            env:',
    '            -   name: "QUOTED"',
    "                value: 'it''s'",
    '            resources: {limits: {cpu: 1, "memory": 2Gi}, requests: {cpu: "a,b", x: [1, {y: z}, \'q\']}}',
    '            ports: [ {containerPort: 80, hostPort: 80}, {name: "http:x", containerPort: 8080} ]',
    '            command:',
    '            - sh',
    '            - -c',
    '            - |',
    '              echo hi',
    '              key: not a key',
    '            securityContext: &sc',
    '              privileged: true',
    '          - name: b',
    '            securityContext: *sc',
    '          -',
    '            name: c',
    '            "image": x',
    '- kind: Service  # trailing comment',
    '  apiVersion: v1',
    '  metadata:',
    '    name: svc',
    '    annotations:',
    '      example.com/a: "1"',
    '      ? explicit',
    '      : value',
    '...',
    '--- ',
    'kind: Pod',
    'spec:',
    '  containers:',
    '  - - nested',
    '    - seq',
    '  - name: x',
  ].join('\n');
  const { answered, mismatches } = compare(text, 'inline');
  assert.deepEqual(mismatches, []);
  assert.ok(answered > 40, `the scanner answered only ${answered} paths`);
});

test('the fast locator agrees with the yaml AST on every fixture and conformance file', () => {
  const roots = [resolve(import.meta.dirname, '..'), resolve(import.meta.dirname, '../../examples'), resolve(import.meta.dirname, '../../../shared/conformance/pod-security')];
  let answered = 0;
  let gaveUp = 0;
  const mismatches: string[] = [];
  let files = 0;
  for (const root of roots) {
    let list: string[];
    try {
      list = yamlFiles(root);
    } catch {
      continue;
    }
    for (const file of list) {
      files++;
      const result = compare(readFileSync(file, 'utf8'), file);
      answered += result.answered;
      gaveUp += result.gaveUp;
      mismatches.push(...result.mismatches);
    }
  }
  assert.ok(files > 100, `expected the conformance data and fixtures, found ${files} files`);
  assert.deepEqual(mismatches.slice(0, 20), []);
  assert.ok(answered > 10 * gaveUp, `the scanner gave up too often: ${gaveUp} of ${answered + gaveUp} paths`);
});
