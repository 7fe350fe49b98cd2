import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import { normaliseLiveObject } from './normalise.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

// An item of `GET /apis/apps/v1/deployments` as the API server sends it: no apiVersion or kind of its own.
function deploymentItem(): JsonObject {
  return {
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: '0b7e3c1a-5f0e-4a52-9d5e-2f1f4c1e9a11',
      resourceVersion: '4711',
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED]: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}', team: 'shop' },
      managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
    },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    status: { replicas: 2, readyReplicas: 2, conditions: [{ type: 'Available', status: 'True' }] },
  };
}

test('a list item gets the apiVersion and kind of its list, first, and loses status and managedFields', () => {
  const item = deploymentItem();
  const normalised = normaliseLiveObject(item, 'apps/v1', 'Deployment');
  assert.deepEqual(Object.keys(normalised), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.deepEqual(normalised, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'shop',
      uid: '0b7e3c1a-5f0e-4a52-9d5e-2f1f4c1e9a11',
      resourceVersion: '4711',
      labels: { app: 'web' },
      annotations: { [LAST_APPLIED]: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}}', team: 'shop' },
    },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
  });
  // metadata keeps its own key order, minus managedFields.
  assert.deepEqual(Object.keys(normalised['metadata'] as JsonObject), ['name', 'namespace', 'uid', 'resourceVersion', 'labels', 'annotations']);
});

test('the input object is not changed', () => {
  const item = deploymentItem();
  const before = structuredClone(item);
  normaliseLiveObject(item, 'apps/v1', 'Deployment');
  assert.deepEqual(item, before);
  // Frozen input (inventory objects are frozen) must be accepted too.
  const frozen = Object.freeze({ ...deploymentItem(), metadata: Object.freeze(deploymentItem()['metadata'] as JsonObject) });
  assert.doesNotThrow(() => normaliseLiveObject(frozen, 'apps/v1', 'Deployment'));
});

test('the list’s apiVersion and kind win over any the item carries, and keys after metadata keep their order', () => {
  const normalised = normaliseLiveObject(
    { data: { a: '1' }, kind: 'Wrong', metadata: { name: 'cm' }, apiVersion: 'wrong/v0', binaryData: {}, immutable: true },
    'v1',
    'ConfigMap',
  );
  assert.deepEqual(Object.keys(normalised), ['apiVersion', 'kind', 'data', 'metadata', 'binaryData', 'immutable']);
  assert.equal(normalised['apiVersion'], 'v1');
  assert.equal(normalised['kind'], 'ConfigMap');
  assert.deepEqual(normalised['data'], { a: '1' });
});

test('metadata without managedFields is kept as the same object; non-object metadata passes through', () => {
  const metadata = { name: 'ns' };
  assert.equal(normaliseLiveObject({ metadata }, 'v1', 'Namespace')['metadata'], metadata);
  assert.deepEqual(normaliseLiveObject({ metadata: null }, 'v1', 'Namespace'), { apiVersion: 'v1', kind: 'Namespace', metadata: null });
  assert.deepEqual(normaliseLiveObject({}, 'v1', 'Namespace'), { apiVersion: 'v1', kind: 'Namespace' });
});

test('fields named status below the top level stay (only the object’s own status is dropped)', () => {
  const normalised = normaliseLiveObject({ metadata: { name: 'x' }, spec: { status: 'keep' } }, 'example.com/v1', 'Widget');
  assert.deepEqual(normalised['spec'], { status: 'keep' });
});
