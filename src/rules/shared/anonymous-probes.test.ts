import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isServed, probeKind } from './anonymous-probes.ts';

test('probe paths: health, version, resources and everything else', () => {
  assert.equal(probeKind('/healthz'), 'health');
  assert.equal(probeKind('/livez/etcd'), 'health');
  assert.equal(probeKind('/readyz?verbose'), 'health');
  assert.equal(probeKind('/version'), 'version');
  assert.equal(probeKind('/version/'), 'version');
  assert.equal(probeKind('/api/v1/namespaces?limit=1'), 'resource');
  assert.equal(probeKind('/api/v1/namespaces/default/pods'), 'resource');
  assert.equal(probeKind('/apis/apps/v1/deployments?limit=1'), 'resource');
  assert.equal(probeKind('/api'), 'other');
  assert.equal(probeKind('/api/v1'), 'other');
  assert.equal(probeKind('/apis'), 'other');
  assert.equal(probeKind('/apis/apps/v1'), 'other');
  assert.equal(probeKind('/openapi/v2'), 'other');
  assert.equal(probeKind('/metrics'), 'other');
  assert.ok(isServed(200) && isServed(206) && !isServed(0) && !isServed(401) && !isServed(403));
});
