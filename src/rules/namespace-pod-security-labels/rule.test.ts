import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runRules } from '../../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../../core/pod-templates.ts';
import { readFixtureHeader, testRule } from '../../testing/rule-tester.ts';
import { parseManifests } from '../../source/index.ts';
import { rule } from './rule.ts';

testRule(rule, import.meta.dirname);

function messagesOf(text: string, file = 'test.yaml'): string[] {
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, []);
  const result = runRules({
    inventory: { objects: parsed.objects },
    rules: [{ rule, severity: rule.meta.defaultSeverity, options: {} }],
    settings: readFixtureHeader(text).settings,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, []);
  return result.findings.map((finding) => finding.message);
}

function fixtureMessages(name: string): string[] {
  return messagesOf(readFileSync(join(import.meta.dirname, 'fixtures', 'invalid', name), 'utf8'));
}

const NO_LABEL =
  'Namespace has no pod-security.kubernetes.io/enforce label, so only the cluster default is enforced ' +
  '(privileged unless an AdmissionConfiguration sets another); ';

describe('namespace-pod-security-labels messages', () => {
  test('all pod templates of the namespace pass restricted; other namespaces and unplaced objects do not count', () => {
    assert.deepEqual(fixtureMessages('restricted-pods.yaml'), [
      `${NO_LABEL}its pod templates (2) all pass restricted at v1.37: label it enforce=restricted`,
    ]);
  });

  test('a privileged pod: the strictest level is privileged, and the templates failing baseline are named', () => {
    assert.deepEqual(fixtureMessages('privileged-pod.yaml'), [
      `${NO_LABEL}the strictest level all its pod templates (3) meet at v1.37 is privileged, since baseline rejects 1 of them ` +
        '(DaemonSet/node-agent): label it enforce=privileged now, or fix those and label it enforce=baseline',
    ]);
  });

  test('baseline pods: the templates failing restricted are named', () => {
    assert.deepEqual(fixtureMessages('baseline-pods.yaml'), [
      `${NO_LABEL}the strictest level all its pod templates (2) meet at v1.37 is baseline, since restricted rejects 1 of them ` +
        '(Deployment/api): label it enforce=baseline now, or fix those and label it enforce=restricted',
    ]);
  });

  test('the scan\'s Pod Security Standards version decides', () => {
    assert.deepEqual(fixtureMessages('old-pss-version.yaml'), [
      `${NO_LABEL}its pod templates (1) all pass restricted at v1.18: label it enforce=restricted`,
    ]);
  });

  test('invalid levels are quoted as written', () => {
    assert.deepEqual(
      fixtureMessages('invalid-level.yaml').map((message) => message.split(',')[0]),
      ['pod-security.kubernetes.io/enforce is "Restricted"', 'pod-security.kubernetes.io/enforce is ""', 'pod-security.kubernetes.io/enforce is "strict"'],
    );
  });

  test('names are sorted and capped', () => {
    const pods = ['e', 'd', 'c', 'b', 'a']
      .map((name) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ns}\nspec:\n  hostIPC: true\n  containers: [{name: c, image: i}]\n`)
      .join('');
    assert.deepEqual(messagesOf(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n${pods}`), [
      `${NO_LABEL}the strictest level all its pod templates (5) meet at v1.37 is privileged, since baseline rejects 5 of them ` +
        '(Pod/a, Pod/b, Pod/c and 2 more): label it enforce=privileged now, or fix those and label it enforce=baseline',
    ]);
  });
});
