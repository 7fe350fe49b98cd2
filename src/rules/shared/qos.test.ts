import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import { computeQosClass, requirementsQosClass } from './qos.ts';

const both = (cpu: string, memory: string): JsonObject => ({ cpu, memory });
const container = (name: string, resources?: JsonObject): JsonObject =>
  resources ? { name, image: 'app:1', resources } : { name, image: 'app:1' };

describe('computeQosClass', () => {
  test('no requests or limits anywhere: BestEffort', () => {
    assert.equal(computeQosClass({ containers: [container('a'), container('b', {})] }), 'BestEffort');
  });

  test('no containers at all: BestEffort', () => {
    assert.equal(computeQosClass({}), 'BestEffort');
  });

  test('cpu and memory requests equal limits in every container: Guaranteed', () => {
    const resources = { requests: both('500m', '256Mi'), limits: both('500m', '256Mi') };
    assert.equal(computeQosClass({ containers: [container('a', resources), container('b', resources)] }), 'Guaranteed');
  });

  test('equality is by value, not by spelling', () => {
    const resources = { requests: both('1', '1Gi'), limits: both('1000m', '1073741824') };
    assert.equal(computeQosClass({ containers: [container('a', resources)] }), 'Guaranteed');
  });

  test('limits without requests default the requests to the limits: Guaranteed', () => {
    assert.equal(computeQosClass({ containers: [container('a', { limits: both('1', '1Gi') })] }), 'Guaranteed');
  });

  test('a request for one resource keeps it from being defaulted', () => {
    const resources = { requests: { cpu: '100m' }, limits: both('1', '1Gi') };
    assert.equal(computeQosClass({ containers: [container('a', resources)] }), 'Burstable');
  });

  test('only a cpu limit: Burstable', () => {
    assert.equal(computeQosClass({ containers: [container('a', { limits: { cpu: '1' } })] }), 'Burstable');
  });

  test('requests without limits: Burstable', () => {
    assert.equal(computeQosClass({ containers: [container('a', { requests: both('1', '1Gi') })] }), 'Burstable');
  });

  test('one Guaranteed and one BestEffort container: Burstable', () => {
    const spec = { containers: [container('a', { limits: both('1', '1Gi') }), container('b')] };
    assert.equal(computeQosClass(spec), 'Burstable');
  });

  test('init containers count', () => {
    const guaranteed = { limits: both('1', '1Gi') };
    assert.equal(
      computeQosClass({ initContainers: [container('init')], containers: [container('a', guaranteed)] }),
      'Burstable',
    );
    assert.equal(
      computeQosClass({ initContainers: [container('init', guaranteed)], containers: [container('a', guaranteed)] }),
      'Guaranteed',
    );
    assert.equal(
      computeQosClass({ initContainers: [container('init', { requests: { memory: '64Mi' } })], containers: [container('a')] }),
      'Burstable',
    );
  });

  test('ephemeral containers do not count', () => {
    const spec = { containers: [container('a', { limits: both('1', '1Gi') })], ephemeralContainers: [container('debug')] };
    assert.equal(computeQosClass(spec), 'Guaranteed');
  });

  test('zero quantities count as unset', () => {
    assert.equal(computeQosClass({ containers: [container('a', { limits: both('0', '0') })] }), 'BestEffort');
    assert.equal(
      computeQosClass({ containers: [container('a', { requests: both('0', '0'), limits: both('0', '0') })] }),
      'BestEffort',
    );
  });

  test('resources other than cpu and memory do not count', () => {
    const resources = { limits: { 'ephemeral-storage': '1Gi', 'nvidia.com/gpu': '1', 'hugepages-2Mi': '100Mi' } };
    assert.equal(computeQosClass({ containers: [container('a', resources)] }), 'BestEffort');
    const guaranteed = { limits: { ...both('1', '1Gi'), 'ephemeral-storage': '2Gi' }, requests: { 'ephemeral-storage': '1Gi' } };
    assert.equal(computeQosClass({ containers: [container('a', guaranteed)] }), 'Guaranteed');
  });

  test('YAML numbers are quantities', () => {
    assert.equal(computeQosClass({ containers: [container('a', { requests: { cpu: 1, memory: '1Gi' }, limits: { cpu: '1000m', memory: '1Gi' } })] }), 'Guaranteed');
  });

  test('pod-level resources decide when present', () => {
    const spec = { resources: { limits: both('2', '2Gi') }, containers: [container('a'), container('b', { requests: { cpu: '100m' } })] };
    assert.equal(computeQosClass(spec), 'Guaranteed');
    assert.equal(computeQosClass({ resources: { requests: both('1', '1Gi') }, containers: [container('a', { limits: both('1', '1Gi') })] }), 'Burstable');
    assert.equal(computeQosClass({ resources: {}, containers: [container('a', { limits: both('1', '1Gi') })] }), 'BestEffort');
  });
});

describe('requirementsQosClass', () => {
  test('one resource set and the other not: Burstable', () => {
    assert.equal(requirementsQosClass({ requests: { memory: '1Gi' }, limits: { memory: '1Gi' } }), 'Burstable');
  });
  test('undefined: BestEffort', () => {
    assert.equal(requirementsQosClass(undefined), 'BestEffort');
  });
});
