import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingControls, runRules } from './engine.ts';
import { NO_POSITION_LOCATOR, type InventoryObject } from './inventory.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from './pod-templates.ts';
import { defineRule } from './rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from './settings.ts';

const object: InventoryObject = {
  ref: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'flags' },
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags', namespace: 'shop' }, data: { a: '1', b: '2', c: '3' } },
  origin: { type: 'file', file: 'flags.yaml', documentIndex: 0, pathInDocument: [] },
  locator: NO_POSITION_LOCATOR,
};

// One rule covering two controls, one per message, as the CIS flag rules do; the third report names a control the
// rule does not declare.
const rule = defineRule({
  meta: {
    id: 'two-controls',
    title: 'Two controls',
    category: 'cluster',
    defaultSeverity: 'medium',
    rationale: 'r',
    remediation: 'r',
    controls: ['cis-k8s/1.2.1', 'cis-k8s/1.2.2'],
    messages: { a: 'a', b: 'b', all: 'all' },
    example: { bad: '', good: '' },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'ConfigMap' }] },
  check(context) {
    context.report({ messageId: 'a', path: ['data', 'a'], controls: ['cis-k8s/1.2.1'] });
    context.report({ messageId: 'b', path: ['data', 'b'], controls: ['cis-k8s/1.2.2'] });
    context.report({ messageId: 'all', path: ['data', 'c'] });
    context.report({ messageId: 'a', path: ['data'], controls: ['cis-k8s/9.9.9'] });
  },
});

test('a report may name the controls it is about; otherwise the rule declares them', () => {
  const result = runRules({
    inventory: { objects: [object] },
    rules: [{ rule, severity: 'medium', options: {} }],
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: [],
  });
  assert.deepEqual(
    result.findings.map((finding) => [finding.location.path, finding.controls]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    [
      ['data.a', ['cis-k8s/1.2.1']],
      ['data.b', ['cis-k8s/1.2.2']],
      ['data.c', ['cis-k8s/1.2.1', 'cis-k8s/1.2.2']],
    ],
  );
  // A control the rule does not declare is the rule's bug: reported as a rule failure, the scan goes on.
  assert.deepEqual(result.failures.map((failure) => failure.message), ['rule two-controls reported control cis-k8s/9.9.9, which its meta.controls does not list']);
});

// Evidence: what each rule judged, counted by the engine (RuleEvaluation), which compliance statuses rest on.

function objectOf(apiVersion: string, kind: string, name: string, extra: Record<string, unknown> = {}): InventoryObject {
  return {
    ref: { apiVersion, kind, namespace: 'shop', name },
    object: { apiVersion, kind, metadata: { name, namespace: 'shop' }, ...extra },
    origin: { type: 'file', file: `${name}.yaml`, documentIndex: 0, pathInDocument: [] },
    locator: NO_POSITION_LOCATOR,
  };
}

const pod = objectOf('v1', 'Pod', 'web', { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } });
const deployment = objectOf('apps/v1', 'Deployment', 'api', { spec: { template: { spec: { containers: [{ name: 'api', image: 'api:1' }] } } } });
const service = objectOf('v1', 'Service', 'api');
const otherService = objectOf('v1', 'Service', 'web');
const configMap = objectOf('v1', 'ConfigMap', 'settings');
const inventory = [pod, deployment, service, otherService, configMap];

const meta = (id: string, controls: readonly string[], requires?: string) => ({
  id,
  title: id,
  category: 'cluster' as const,
  defaultSeverity: 'low' as const,
  rationale: 'r',
  remediation: 'r',
  controls,
  messages: { m: 'm' },
  example: { bad: '', good: '' },
  ...(requires !== undefined ? { requires } : {}),
});

function evaluate(rules: readonly ReturnType<typeof defineRule>[], objects: readonly InventoryObject[] = inventory) {
  return runRules({
    inventory: { objects },
    rules: rules.map((rule) => ({ rule, severity: rule.meta.defaultSeverity, options: {} })),
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
}

test('object, pod template and container rules count every subject they are invoked on', () => {
  const rules = [
    defineRule({ meta: meta('services', ['cis-k8s/5.1.1']), scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] }, check() {} }),
    defineRule({ meta: meta('templates', ['cis-k8s/5.1.2']), scope: { type: 'podTemplate' }, check() {} }),
    defineRule({ meta: meta('containers', ['cis-k8s/5.1.3']), scope: { type: 'container' }, check() {} }),
    // evaluated() means nothing for a rule without `requires`: the engine counts its subjects itself.
    defineRule({ meta: meta('calls-evaluated', ['cis-k8s/5.1.4']), scope: { type: 'container' }, check: (context) => context.evaluated(['cis-k8s/5.1.4']) }),
  ];
  const result = evaluate(rules);
  assert.deepEqual(result.failures, []);
  assert.deepEqual(
    result.evaluations.map(({ id, subjects, controls }) => ({ id, subjects, controls })),
    [
      { id: 'services', subjects: 2, controls: undefined },
      { id: 'templates', subjects: 2, controls: undefined },
      { id: 'containers', subjects: 3, controls: undefined },
      { id: 'calls-evaluated', subjects: 3, controls: undefined },
    ],
  );
});

test('an inventory rule with kinds counts the objects of those kinds; one without kinds or requires counts every object', () => {
  const rules = [
    defineRule({ meta: meta('service-kinds', ['cis-k8s/5.3.2']), scope: { type: 'inventory', kinds: [{ group: '', kind: 'Service' }, { group: 'apps', kind: 'Deployment' }] }, check() {} }),
    defineRule({ meta: meta('wrong-group', ['cis-k8s/5.3.2']), scope: { type: 'inventory', kinds: [{ group: 'extensions', kind: 'Deployment' }] }, check() {} }),
    defineRule({ meta: meta('everything', ['cis-k8s/5.3.2']), scope: { type: 'inventory' }, check() {} }),
  ];
  const result = evaluate(rules);
  assert.deepEqual(
    result.evaluations.map(({ id, subjects }) => [id, subjects]),
    [
      ['service-kinds', 3],
      ['wrong-group', 0],
      ['everything', 5],
    ],
  );
  // The kinds also count as looked at: the ConfigMap is the only object no rule applies to.
  assert.deepEqual(result.unevaluated.map((object) => object.ref.name), ['settings']);
});

test('a rule with requires counts only what it says it judged, and the controls it judged when only some', () => {
  const controls = ['cis-k8s/1.1.1', 'cis-k8s/1.1.3', 'nsa-cisa/network-separation'];
  const rules = [
    // Invoked on every Service, with kinds, yet judges nothing: no evidence.
    defineRule({ meta: meta('silent', controls, 'a kube-apiserver command line'), scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] }, check() {} }),
    defineRule({ meta: meta('silent-inventory', controls, 'a kube-apiserver command line'), scope: { type: 'inventory', kinds: [{ group: '', kind: 'Service' }] }, check() {} }),
    // Two files judged, each on its own control; a finding too.
    defineRule({
      meta: meta('files', controls, 'node files'),
      scope: { type: 'inventory' },
      check(context) {
        context.evaluated(['cis-k8s/1.1.3']);
        context.evaluated(['cis-k8s/1.1.1', 'nsa-cisa/network-separation']);
        context.evaluated(['cis-k8s/1.1.3']);
        context.report({ messageId: 'm', path: [], object: configMap, controls: ['cis-k8s/1.1.3'] });
      },
    }),
    // A subset once and everything once: everything.
    defineRule({
      meta: meta('all-once', controls, 'node files'),
      scope: { type: 'object', kinds: [{ group: '', kind: 'Service' }] },
      check(context, object) {
        context.evaluated(object.ref.name === 'api' ? ['cis-k8s/1.1.1'] : undefined);
      },
    }),
  ];
  const result = evaluate(rules);
  assert.deepEqual(result.failures, []);
  assert.deepEqual(
    result.evaluations.map(({ id, subjects, controls }) => ({ id, subjects, controls })),
    [
      { id: 'silent', subjects: 0, controls: undefined },
      { id: 'silent-inventory', subjects: 0, controls: undefined },
      { id: 'files', subjects: 3, controls: ['cis-k8s/1.1.1', 'cis-k8s/1.1.3', 'nsa-cisa/network-separation'] },
      { id: 'all-once', subjects: 2, controls: undefined },
    ],
  );
  // The finding's controls are narrowed per framework: the CIS control it names, and the rule's NSA control.
  assert.deepEqual(result.findings.map((finding) => finding.controls), [['cis-k8s/1.1.3', 'nsa-cisa/network-separation']]);
});

test('evaluated() with a control the rule does not declare is a rule failure, and counts nothing', () => {
  const rule = defineRule({
    meta: meta('undeclared', ['cis-k8s/1.1.1'], 'node files'),
    scope: { type: 'object', kinds: [{ group: '', kind: 'ConfigMap' }] },
    check(context) {
      context.evaluated(['cis-k8s/1.1.1', 'cis-k8s/9.9.9']);
    },
  });
  const result = evaluate([rule]);
  assert.deepEqual(
    result.failures.map(({ ruleId, resource, message }) => ({ ruleId, name: resource?.name, message })),
    [{ ruleId: 'undeclared', name: 'settings', message: 'rule undeclared evaluated control cis-k8s/9.9.9, which its meta.controls does not list' }],
  );
  assert.deepEqual(result.evaluations.map(({ subjects, controls }) => ({ subjects, controls })), [{ subjects: 0, controls: undefined }]);
});

test('findingControls narrows the frameworks a report names and keeps the rule\'s controls of every other framework', () => {
  const ruleControls = ['cis-k8s/1.2.1', 'cis-k8s/1.2.2', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'mitre-attack/T1190'];
  assert.deepEqual(findingControls(ruleControls, undefined), ruleControls);
  assert.deepEqual(findingControls(ruleControls, ['cis-k8s/1.2.2']), ['cis-k8s/1.2.2', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'mitre-attack/T1190']);
  assert.deepEqual(findingControls(ruleControls, ['cis-k8s/1.2.1', 'mitre-attack/T1190']), ['cis-k8s/1.2.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1190']);
});
