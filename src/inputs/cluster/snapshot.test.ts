import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deepFreeze } from '../../core/inventory.ts';
import type { JsonObject } from '../../core/model.ts';
import { parseManifests } from '../../source/index.ts';
import { LAST_APPLIED_ANNOTATION, REDACTED_ANNOTATION, redactForSnapshot, snapshotChunks } from './snapshot.ts';

// Values that must never appear in a snapshot, in every form they take in a live Secret.
const DATA_VALUE = 'c3VwZXJzZWNyZXQtZGF0YQ=='; // base64 of "supersecret-data"
const STRING_DATA_VALUE = 'hunter2-string-data';
const TOKEN_VALUE = 'dG9rZW4tdmFsdWUtNDI='; // base64 of "token-value-42"
const SECRET_VALUES = [DATA_VALUE, STRING_DATA_VALUE, TOKEN_VALUE, 'supersecret-data', 'token-value-42'];

function lastApplied(object: JsonObject): string {
  // kubectl apply stores the applied manifest as compact JSON with a trailing newline.
  return `${JSON.stringify(object)}\n`;
}

function liveSecret(): JsonObject {
  return deepFreeze({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db',
      namespace: 'shop',
      uid: '6d1c1c2e-0a3b-4b7e-9d57-7f0f2b9a0c01',
      annotations: {
        team: 'shop',
        [LAST_APPLIED_ANNOTATION]: lastApplied({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db', namespace: 'shop' },
          type: 'Opaque',
          data: { password: DATA_VALUE, token: TOKEN_VALUE },
          stringData: { dsn: STRING_DATA_VALUE },
        }),
      },
    },
    type: 'Opaque',
    data: { password: DATA_VALUE, token: TOKEN_VALUE },
    stringData: { dsn: STRING_DATA_VALUE },
  });
}

const configMap: JsonObject = deepFreeze({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop', annotations: { [LAST_APPLIED_ANNOTATION]: '{"data":{"mode":"fast"}}' } },
  data: { mode: 'fast' },
});

const deployment: JsonObject = deepFreeze({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', uid: 'a1' },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'MODE', value: 'fast' }] }] } } },
});

function assertNoSecretValue(text: string): void {
  for (const value of SECRET_VALUES) assert.ok(!text.includes(value), `secret value ${value} leaked into: ${text}`);
}

test('a Secret loses its data and stringData values, keeps its keys and is marked as redacted', () => {
  const secret = liveSecret();
  const redacted = redactForSnapshot(secret);
  assert.deepEqual(redacted['data'], { password: '', token: '' });
  assert.deepEqual(redacted['stringData'], { dsn: '' });
  assert.equal(redacted['type'], 'Opaque');
  const metadata = redacted['metadata'] as JsonObject;
  assert.equal(metadata['name'], 'db');
  assert.equal(metadata['uid'], '6d1c1c2e-0a3b-4b7e-9d57-7f0f2b9a0c01');
  const annotations = metadata['annotations'] as JsonObject;
  assert.equal(annotations['team'], 'shop');
  assert.equal(typeof annotations[REDACTED_ANNOTATION], 'string');
  assert.notEqual(annotations[REDACTED_ANNOTATION], '');
  assertNoSecretValue(JSON.stringify(redacted));
  // The input (frozen, as inventory objects are) is untouched.
  assert.deepEqual(secret, liveSecret());
});

test('the last-applied-configuration copy of a Secret is redacted too, and stays JSON with the keys', () => {
  const annotations = (redactForSnapshot(liveSecret())['metadata'] as JsonObject)['annotations'] as JsonObject;
  const text = annotations[LAST_APPLIED_ANNOTATION];
  assert.equal(typeof text, 'string');
  assertNoSecretValue(text as string);
  assert.deepEqual(JSON.parse(text as string), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'db', namespace: 'shop' },
    type: 'Opaque',
    data: { password: '', token: '' },
    stringData: { dsn: '' },
  });
});

test('an unparseable last-applied-configuration annotation is emptied rather than kept', () => {
  const secret: JsonObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'broken', annotations: { [LAST_APPLIED_ANNOTATION]: `{"data":{"password":"${DATA_VALUE}"` } },
    data: { password: DATA_VALUE },
  };
  const annotations = (redactForSnapshot(secret)['metadata'] as JsonObject)['annotations'] as JsonObject;
  assert.equal(annotations[LAST_APPLIED_ANNOTATION], '');
  // JSON that is not an object (a string holding the value) is emptied as well.
  const quoted: JsonObject = { ...secret, metadata: { name: 'quoted', annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(DATA_VALUE) } } };
  assert.equal(((redactForSnapshot(quoted)['metadata'] as JsonObject)['annotations'] as JsonObject)[LAST_APPLIED_ANNOTATION], '');
});

test('a Secret without metadata, annotations or data still gets the redacted annotation and nothing else', () => {
  const redacted = redactForSnapshot({ apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token' });
  assert.deepEqual(Object.keys(redacted), ['apiVersion', 'kind', 'type', 'metadata']);
  assert.deepEqual(Object.keys(redacted['metadata'] as JsonObject), ['annotations']);
  assert.deepEqual(Object.keys((redacted['metadata'] as JsonObject)['annotations'] as JsonObject), [REDACTED_ANNOTATION]);
  // A Secret read from a typed list may lack apiVersion (before normalisation): still a Secret.
  assert.deepEqual(redactForSnapshot({ kind: 'Secret', data: { a: DATA_VALUE } })['data'], { a: '' });
});

test('objects other than core v1 Secrets are returned as they are (the same object)', () => {
  assert.equal(redactForSnapshot(configMap), configMap);
  assert.equal(redactForSnapshot(deployment), deployment);
  const customSecret: JsonObject = { apiVersion: 'example.com/v1', kind: 'Secret', metadata: { name: 'x' }, data: { a: 'b' } };
  assert.equal(redactForSnapshot(customSecret), customSecret);
});

function snapshotText(objects: readonly JsonObject[]): string {
  return [...snapshotChunks(objects)].join('');
}

test('the joined chunks are one JSON List document with the items, for zero, one and several objects', () => {
  for (const objects of [[], [deployment], [deployment, configMap, liveSecret()]]) {
    const text = snapshotText(objects);
    const parsed = JSON.parse(text) as JsonObject;
    assert.deepEqual(Object.keys(parsed), ['apiVersion', 'kind', 'items']);
    assert.equal(parsed['apiVersion'], 'v1');
    assert.equal(parsed['kind'], 'List');
    assert.deepEqual(parsed['items'], objects.map((object) => redactForSnapshot(object)));
    assert.ok(text.endsWith('\n'));
  }
});

test('snapshotChunks yields one chunk per object between the opening and closing chunks', () => {
  assert.equal([...snapshotChunks([])].length, 2);
  assert.equal([...snapshotChunks([deployment, configMap, liveSecret()])].length, 5);
  // Reads any iterable lazily: a generator of objects works.
  function* objects(): Generator<JsonObject> {
    yield deployment;
    yield configMap;
  }
  assert.deepEqual((JSON.parse(snapshotText([...objects()])) as JsonObject)['items'], [deployment, configMap]);
});

test('a snapshot read back by the manifest parser gives the objects back, with no secret value in the text', () => {
  const objects = [deployment, configMap, liveSecret()];
  const text = snapshotText(objects);
  assertNoSecretValue(text);
  const parsed = parseManifests({ file: 'snapshot.json', text, json: true });
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.skipped, []);
  assert.deepEqual(
    parsed.objects.map((object) => object.object),
    objects.map((object) => redactForSnapshot(object)),
  );
  assert.deepEqual(
    parsed.objects.map((object) => object.ref),
    [
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' },
      { apiVersion: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' },
    ],
  );
  assert.deepEqual(
    parsed.objects.map((object) => object.origin),
    [0, 1, 2].map((index) => ({ type: 'file', file: 'snapshot.json', documentIndex: 0, pathInDocument: ['items', index] })),
  );
  // Sniffed as JSON without the hint too, and positions point into the text (the items are on their own lines).
  const sniffed = parseManifests({ file: 'snapshot', text });
  assert.deepEqual(sniffed.objects.map((object) => object.object), parsed.objects.map((object) => object.object));
  const lines = text.split('\n');
  for (const object of sniffed.objects) {
    const { line } = object.locator.locate(['metadata', 'name']);
    assert.ok(lines[line - 1]?.includes(`"name": "${object.ref.name}"`), `line ${line} is ${lines[line - 1]}`);
  }
});

test('an empty snapshot parses to no objects and no errors', () => {
  const parsed = parseManifests({ file: 'empty.json', text: snapshotText([]), json: true });
  assert.deepEqual(parsed.objects, []);
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.skipped, []);
});
