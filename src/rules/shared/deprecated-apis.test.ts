import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deprecatedApiOf, DEPRECATED_APIS, migrationAdvice } from './deprecated-apis.ts';
import { compareMinor } from './kubernetes-version.ts';

test('the deprecated API table is well formed: unique entries, deprecation before removal, replacements resolvable', () => {
  assert.match(DEPRECATED_APIS.sourceDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(DEPRECATED_APIS.source.some((url) => url === 'https://kubernetes.io/docs/reference/using-api/deprecation-guide/'));
  const keys = new Set<string>();
  for (const api of DEPRECATED_APIS.apis) {
    const key = `${api.groupVersion} ${api.kind}`;
    assert.ok(!keys.has(key), `duplicate ${key}`);
    keys.add(key);
    assert.ok(compareMinor(api.deprecatedIn, api.removedIn) < 0, `${key}: deprecated before removed`);
    assert.ok(api.replacements.length > 0 || api.note, `${key}: a replacement or a note`);
    for (const replacement of api.replacements) assert.notEqual(replacement.groupVersion, api.groupVersion, key);
  }
  // Every section of the guide is represented.
  for (const removedIn of [16, 22, 25, 26, 27, 29, 32]) {
    assert.ok(DEPRECATED_APIS.apis.some((api) => api.removedIn.minor === removedIn), `removals in 1.${removedIn}`);
  }
});

test('migration advice at a target version', () => {
  const at = (minor: number) => ({ major: 1, minor });
  const flowV1beta1 = deprecatedApiOf(DEPRECATED_APIS, 'flowcontrol.apiserver.k8s.io/v1beta1', 'FlowSchema')!;
  assert.equal(migrationAdvice(DEPRECATED_APIS, flowV1beta1, at(26)), 'migrate to flowcontrol.apiserver.k8s.io/v1beta3');
  assert.equal(migrationAdvice(DEPRECATED_APIS, flowV1beta1, at(37)), 'migrate to flowcontrol.apiserver.k8s.io/v1');
  const flowV1beta2 = deprecatedApiOf(DEPRECATED_APIS, 'flowcontrol.apiserver.k8s.io/v1beta2', 'PriorityLevelConfiguration')!;
  assert.equal(migrationAdvice(DEPRECATED_APIS, flowV1beta2, at(27)), 'migrate to flowcontrol.apiserver.k8s.io/v1beta3');
  assert.equal(migrationAdvice(DEPRECATED_APIS, flowV1beta2, at(29)), 'migrate to flowcontrol.apiserver.k8s.io/v1');
  const hpa = deprecatedApiOf(DEPRECATED_APIS, 'autoscaling/v2beta1', 'HorizontalPodAutoscaler')!;
  assert.equal(migrationAdvice(DEPRECATED_APIS, hpa, at(22)), 'migrate to autoscaling/v2 (served from Kubernetes 1.23)');
  const oldPsp = deprecatedApiOf(DEPRECATED_APIS, 'extensions/v1beta1', 'PodSecurityPolicy')!;
  assert.equal(migrationAdvice(DEPRECATED_APIS, oldPsp, at(20)), 'migrate to policy/v1beta1');
  assert.match(migrationAdvice(DEPRECATED_APIS, oldPsp, at(25)), /^there is no successor API: enforce the Pod Security Standards with Pod Security Admission/);
  assert.equal(deprecatedApiOf(DEPRECATED_APIS, 'apps/v1', 'Deployment'), undefined);
});
