// metav1.LabelSelector as apimachinery evaluates it (LabelSelectorAsSelector): matchLabels and every expression.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { labelsOf, parseLabelSelector, selectorMatches, type Labels } from './label-selector.ts';

const NONE: Labels = {};

function matches(selector: unknown, labels: Labels): boolean {
  return selectorMatches(parseLabelSelector(selector), labels);
}

describe('parseLabelSelector', () => {
  test('reads matchLabels and matchExpressions', () => {
    assert.deepEqual(
      parseLabelSelector({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'Exists' }] }),
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'x', operator: 'Exists', values: [] },
        ],
      },
    );
  });

  test('absent, null and malformed selectors are empty', () => {
    const empty = { matchLabels: {}, matchExpressions: [] };
    assert.deepEqual(parseLabelSelector(undefined), empty);
    assert.deepEqual(parseLabelSelector(null), empty);
    assert.deepEqual(parseLabelSelector('app=web'), empty);
    assert.deepEqual(parseLabelSelector({ matchExpressions: ['app', null] }), empty);
  });
});

describe('selectorMatches', () => {
  test('the empty selector matches everything, label-less objects included', () => {
    assert.equal(matches({}, NONE), true);
    assert.equal(matches({}, { a: 'b' }), true);
    assert.equal(matches({ matchLabels: {}, matchExpressions: [] }, NONE), true);
  });

  test('matchLabels: every pair, exactly', () => {
    const selector = { matchLabels: { app: 'web', tier: 'front' } };
    assert.equal(matches(selector, { app: 'web', tier: 'front', extra: 'x' }), true);
    assert.equal(matches(selector, { app: 'web' }), false);
    assert.equal(matches(selector, { app: 'web', tier: 'back' }), false);
    assert.equal(matches(selector, { app: 'Web', tier: 'front' }), false);
    assert.equal(matches(selector, NONE), false);
  });

  test('matchLabels with an empty value needs the label, set to the empty string', () => {
    const selector = { matchLabels: { app: '' } };
    assert.equal(matches(selector, { app: '' }), true);
    assert.equal(matches(selector, NONE), false);
  });

  test('In: the label is set to one of the values; label-less objects never match', () => {
    const selector = { matchExpressions: [{ key: 'tier', operator: 'In', values: ['gold', 'silver'] }] };
    assert.equal(matches(selector, { tier: 'gold' }), true);
    assert.equal(matches(selector, { tier: 'silver' }), true);
    assert.equal(matches(selector, { tier: 'bronze' }), false);
    assert.equal(matches(selector, { other: 'gold' }), false);
    assert.equal(matches(selector, NONE), false);
  });

  test('NotIn: the label is absent or set to none of the values; label-less objects match', () => {
    const selector = { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['east'] }] };
    assert.equal(matches(selector, { zone: 'west' }), true);
    assert.equal(matches(selector, { zone: 'east' }), false);
    assert.equal(matches(selector, { other: 'east' }), true);
    assert.equal(matches(selector, NONE), true);
  });

  test('Exists and DoesNotExist look at the key only, whatever the value (even empty)', () => {
    const exists = { matchExpressions: [{ key: 'x', operator: 'Exists' }] };
    const absent = { matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] };
    assert.equal(matches(exists, { x: '' }), true);
    assert.equal(matches(exists, { x: 'y' }), true);
    assert.equal(matches(exists, NONE), false);
    assert.equal(matches(absent, { x: '' }), false);
    assert.equal(matches(absent, NONE), true);
    assert.equal(matches(absent, { y: 'x' }), true);
  });

  test('NotIn together with Exists: present and not one of the values', () => {
    const selector = {
      matchExpressions: [
        { key: 'zone', operator: 'NotIn', values: ['east'] },
        { key: 'zone', operator: 'Exists' },
      ],
    };
    assert.equal(matches(selector, { zone: 'west' }), true);
    assert.equal(matches(selector, { zone: 'east' }), false);
    assert.equal(matches(selector, NONE), false);
  });

  test('matchLabels and matchExpressions are ANDed', () => {
    const selector = { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'exclude', operator: 'DoesNotExist' }] };
    assert.equal(matches(selector, { app: 'web' }), true);
    assert.equal(matches(selector, { app: 'web', exclude: 'yes' }), false);
    assert.equal(matches(selector, { exclude: 'yes' }), false);
  });

  test('an unknown operator (which the API server rejects) matches nothing, label-less objects included', () => {
    for (const operator of ['in', 'Equals', 'Gt', '']) {
      const selector = { matchExpressions: [{ key: 'x', operator, values: ['1'] }] };
      assert.equal(matches(selector, { x: '1' }), false, operator);
      assert.equal(matches(selector, NONE), false, operator);
    }
  });

  test('a matchLabels value that is not a string (which the API server rejects) matches nothing', () => {
    // `aggregate: true` unquoted in YAML is a boolean: the API server refuses the object. Dropping the pair instead
    // would leave an empty selector, matching every object.
    const selector = { matchLabels: { aggregate: true } };
    assert.equal(matches(selector, { aggregate: 'true' }), false);
    assert.equal(matches(selector, NONE), false);
    assert.equal(matches({ matchLabels: { app: 'web', replicas: 3 } }, { app: 'web' }), false);
  });
});

describe('labelsOf', () => {
  test('reads metadata.labels, keeping string values only', () => {
    assert.deepEqual(labelsOf({ metadata: { labels: { app: 'web', n: 1, b: true, empty: '' } } }), { app: 'web', empty: '' });
  });

  test('objects without metadata or labels have none', () => {
    assert.deepEqual(labelsOf({}), {});
    assert.deepEqual(labelsOf({ metadata: {} }), {});
    assert.deepEqual(labelsOf({ metadata: { labels: null } }), {});
    assert.deepEqual(labelsOf({ metadata: 'x' }), {});
  });
});
