import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fingerprintOf, semanticPath } from './findings.ts';

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

test('semantic paths name list items by what identifies them', () => {
  const pod = {
    spec: {
      containers: [
        { name: 'web', volumeMounts: [{ name: 'host', mountPath: '/a' }, { name: 'host', mountPath: '/b', subPath: 'b' }], ports: [{ containerPort: 8080 }] },
      ],
    },
  };
  assert.equal(semanticPath(pod, ['spec', 'containers', 0, 'volumeMounts', 1]), '.spec.containers[name=web].volumeMounts[mountPath=/b]');
  assert.equal(semanticPath(pod, ['spec', 'containers', 0, 'ports', 0, 'hostPort']), '.spec.containers[name=web].ports[containerPort=8080].hostPort');
  assert.equal(semanticPath({ args: ['a', 'b'] }, ['args', 1]), '.args[1]');
  // Sets of plain values by value; the cluster's anonymous probes by path.
  const capabilities = { securityContext: { capabilities: { add: ['NET_RAW', 'SYS_ADMIN'] } } };
  assert.equal(semanticPath(capabilities, ['securityContext', 'capabilities', 'add', 1]), '.securityContext.capabilities.add[=SYS_ADMIN]');
  const info = { spec: { servedAPIVersions: ['v1', 'apps/v1'], anonymousAccess: { probes: [{ path: '/version', status: 200 }] } } };
  assert.equal(semanticPath(info, ['spec', 'servedAPIVersions', 1]), '.spec.servedAPIVersions[=apps/v1]');
  assert.equal(semanticPath(info, ['spec', 'anonymousAccess', 'probes', 0, 'status']), '.spec.anonymousAccess.probes[path=/version].status');
});

test('fingerprints survive reordering and tell apart two mounts of one volume', () => {
  const mounts = [{ name: 'host', mountPath: '/a' }, { name: 'host', mountPath: '/b' }];
  const one = { spec: { containers: [{ name: 'sidecar' }, { name: 'web', volumeMounts: mounts }] } };
  const other = { spec: { containers: [{ name: 'web', volumeMounts: [...mounts].reverse() }, { name: 'sidecar' }] } };
  const a = fingerprintOf('writable-host-path', ref, one, ['spec', 'containers', 1, 'volumeMounts', 0]);
  const b = fingerprintOf('writable-host-path', ref, one, ['spec', 'containers', 1, 'volumeMounts', 1]);
  assert.notEqual(a, b);
  assert.equal(fingerprintOf('writable-host-path', ref, other, ['spec', 'containers', 0, 'volumeMounts', 1]), a);
  assert.notEqual(fingerprintOf('other-rule', ref, one, ['spec', 'containers', 1, 'volumeMounts', 0]), a);
});
