import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyStoredValue } from './etcd-check.ts';

test('a stored value is encrypted when a provider prefix opens it, plain text otherwise', () => {
  assert.deepEqual(classifyStoredValue('/registry/secrets/a/b', Buffer.from('k8s:enc:aescbc:v1:key1:\x8f\x12\x00')), {
    status: 'encrypted',
    key: '/registry/secrets/a/b',
    provider: 'aescbc',
    keyName: 'key1',
  });
  assert.deepEqual(classifyStoredValue('/registry/secrets/a/b', Buffer.from('k8s:enc:kms:v2:kms-plugin:\x0a\x20')), {
    status: 'encrypted',
    key: '/registry/secrets/a/b',
    provider: 'kms',
    keyName: 'kms-plugin',
  });
  // The protobuf envelope of an unencrypted object, and JSON as older servers wrote it.
  assert.deepEqual(classifyStoredValue('/registry/secrets/a/b', Buffer.from('k8s\x00\x0a\x0c\x0a\x02v1\x12\x06Secret')), { status: 'plaintext', key: '/registry/secrets/a/b' });
  assert.deepEqual(classifyStoredValue('/registry/secrets/a/b', Buffer.from('{"kind":"Secret"}')), { status: 'plaintext', key: '/registry/secrets/a/b' });
  // A lookalike without the provider and key fields is not an encryption prefix.
  assert.equal(classifyStoredValue('k', Buffer.from('k8s:enc:')).status, 'plaintext');
});
