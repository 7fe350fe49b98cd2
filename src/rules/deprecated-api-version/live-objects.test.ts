// The live-object path of the deprecated API rules: the fixture loader only makes objects read from files, so live
// objects (origin cluster, judged by their last-applied-configuration annotation against their cluster's version)
// are built here and run through the engine directly.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { runRules } from '../../core/engine.ts';
import { deepFreeze, NO_POSITION_LOCATOR, refOf, type InventoryObject, type Origin } from '../../core/inventory.ts';
import type { JsonObject } from '../../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../../core/pod-templates.ts';
import { defaultOptions, type AnyRule, type ScanSettings } from '../../core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from '../../core/settings.ts';
import { rule as servedRule } from '../deprecated-api-served/rule.ts';
import { LAST_APPLIED_ANNOTATION } from '../shared/deprecated-apis.ts';
import { rule } from './rule.ts';

const LIVE: Origin = { type: 'cluster', cluster: { context: 'test', server: 'https://x' } };
const OTHER_CLUSTER: Origin = { type: 'cluster', cluster: { context: 'other', server: 'https://y' } };
const LAST_APPLIED_PATH = 'metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]';

function live(object: JsonObject, origin: Origin = LIVE): InventoryObject {
  const ref = refOf(object);
  assert.ok(ref);
  return { ref, object: deepFreeze(object), origin, locator: NO_POSITION_LOCATOR };
}

function clusterInfo(gitVersion: string, servedAPIVersions: readonly string[] = ['v1', 'apps/v1']): InventoryObject {
  return live({
    apiVersion: 'palisade.dev/v1alpha1',
    kind: 'ClusterInfo',
    metadata: { name: 'test' },
    spec: { server: 'https://x', serverVersion: { major: '1', minor: gitVersion.split('.')[1] ?? '', gitVersion }, servedAPIVersions },
  });
}

/** A live object as the API server returns it (in `served`), last applied as `applied` (no annotation when undefined). */
function applied(kind: string, name: string, served: string, appliedVersion: string | undefined, origin: Origin = LIVE): InventoryObject {
  const annotations: JsonObject =
    appliedVersion === undefined
      ? {}
      : { [LAST_APPLIED_ANNOTATION]: JSON.stringify({ apiVersion: appliedVersion, kind, metadata: { name, namespace: 'shop' } }) };
  return live({ apiVersion: served, kind, metadata: { name, namespace: 'shop', uid: `uid-${name}`, annotations } }, origin);
}

function run(subject: AnyRule, objects: readonly InventoryObject[], settings: ScanSettings = DEFAULT_SCAN_SETTINGS) {
  const result = runRules({
    inventory: { objects },
    rules: [{ rule: subject, severity: subject.meta.defaultSeverity, options: defaultOptions(subject) }],
    settings,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, []);
  return result.findings.map((finding) => ({
    messageId: finding.messageId,
    name: finding.resource.name,
    path: finding.location.path,
    message: finding.message,
  }));
}

describe('deprecated-api-version on live objects', () => {
  test('judges the last-applied apiVersion against the cluster version from its ClusterInfo', () => {
    const findings = run(rule, [
      clusterInfo('v1.28.3'),
      applied('Deployment', 'web', 'apps/v1', 'extensions/v1beta1'),
      applied('HorizontalPodAutoscaler', 'web', 'autoscaling/v2', 'autoscaling/v2beta2'),
    ]);
    const byMessage = (a: { message: string }, b: { message: string }) => (a.message < b.message ? -1 : 1);
    assert.deepEqual([...findings].sort(byMessage), [
      {
        messageId: 'removedApi',
        name: 'web',
        path: LAST_APPLIED_PATH,
        message:
          'last applied with kubectl as extensions/v1beta1 Deployment, which is no longer served from Kubernetes 1.16 (target 1.28, the cluster\'s version), so applying that manifest again fails; migrate to apps/v1',
      },
      {
        messageId: 'removedApi',
        name: 'web',
        path: LAST_APPLIED_PATH,
        message:
          'last applied with kubectl as autoscaling/v2beta2 HorizontalPodAutoscaler, which is no longer served from Kubernetes 1.26 (target 1.28, the cluster\'s version), so applying that manifest again fails; migrate to autoscaling/v2',
      },
    ].sort(byMessage));
  });

  test('a version deprecated at the cluster version but still served is reported with the release that removes it', () => {
    const findings = run(rule, [clusterInfo('v1.27.16'), applied('FlowSchema', 'batch', 'flowcontrol.apiserver.k8s.io/v1beta3', 'flowcontrol.apiserver.k8s.io/v1beta2')]);
    assert.deepEqual(findings, [
      {
        messageId: 'deprecatedApi',
        name: 'batch',
        path: LAST_APPLIED_PATH,
        // flowcontrol v1 is only served from 1.29: on 1.27 the guide's other replacement, v1beta3, is the one to use.
        message:
          'last applied with kubectl as flowcontrol.apiserver.k8s.io/v1beta2 FlowSchema, which is deprecated since Kubernetes 1.26 and no longer served from 1.29 (target 1.27, the cluster\'s version); migrate to flowcontrol.apiserver.k8s.io/v1beta3',
      },
    ]);
  });

  test('without a ClusterInfo for its cluster, a live object is judged against the scan target', () => {
    const findings = run(rule, [clusterInfo('v1.24.17'), applied('CronJob', 'nightly', 'batch/v1', 'batch/v1beta1', OTHER_CLUSTER)]);
    assert.deepEqual(
      findings.map((f) => [f.messageId, f.message]),
      [
        [
          'removedApi',
          'last applied with kubectl as batch/v1beta1 CronJob, which is no longer served from Kubernetes 1.25 (target 1.37), so applying that manifest again fails; migrate to batch/v1',
        ],
      ],
    );
  });

  test('live objects without a readable last-applied annotation are not judged, whatever version the server returns', () => {
    const broken = live({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'broken', namespace: 'shop', annotations: { [LAST_APPLIED_ANNOTATION]: '{not json' } },
    });
    const noVersion = live({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'no-version', namespace: 'shop', annotations: { [LAST_APPLIED_ANNOTATION]: '{"kind":"Deployment"}' } },
    });
    // On a 1.24 cluster policy/v1beta1 is what the server may still return; only what users apply counts.
    const served = applied('PodSecurityPolicy', 'restricted', 'policy/v1beta1', undefined);
    assert.deepEqual(run(rule, [clusterInfo('v1.24.17'), broken, noVersion, served]), []);
  });

  test('migration advice follows replacements that were removed in turn, and names the absence of a successor', () => {
    const findings = run(rule, [
      applied('FlowSchema', 'old', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta1'),
      applied('PodSecurityPolicy', 'psp', 'policy/v1beta1', 'extensions/v1beta1'),
    ]);
    assert.deepEqual(findings.map((f) => f.message.split('; ').at(-1)).sort(), [
      'migrate to flowcontrol.apiserver.k8s.io/v1',
      'there is no successor API: enforce the Pod Security Standards with Pod Security Admission (pod-security.kubernetes.io/enforce namespace labels) or a third-party admission controller instead',
    ]);
  });
});

describe('deprecated-api-served on a live cluster', () => {
  test('counts the live objects of its own cluster last applied in the served deprecated version', () => {
    const findings = run(servedRule, [
      clusterInfo('v1.30.14', ['apps/v1', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta3', 'v1']),
      applied('FlowSchema', 'batch', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta3'),
      applied('PriorityLevelConfiguration', 'low', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta3'),
      applied('FlowSchema', 'current', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1'),
      // Another cluster's object does not count.
      applied('FlowSchema', 'elsewhere', 'flowcontrol.apiserver.k8s.io/v1', 'flowcontrol.apiserver.k8s.io/v1beta3', OTHER_CLUSTER),
    ]);
    assert.deepEqual(findings, [
      {
        messageId: 'servedInUse',
        name: 'test',
        path: 'spec.servedAPIVersions[2]',
        message:
          'this cluster (Kubernetes 1.30.14) still serves flowcontrol.apiserver.k8s.io/v1beta3, deprecated for FlowSchema, PriorityLevelConfiguration (removed in 1.32); 2 object(s) in the inventory were authored in it, e.g. FlowSchema shop/batch: migrate to flowcontrol.apiserver.k8s.io/v1 before upgrading',
      },
    ]);
  });

  test('names the removal release of each kind when a group version mixes them', () => {
    const findings = run(servedRule, [clusterInfo('v1.15.12', ['apps/v1', 'extensions/v1beta1', 'v1'])]);
    assert.equal(findings.length, 1);
    assert.match(
      findings[0]!.message,
      /deprecated for DaemonSet, Deployment, NetworkPolicy, PodSecurityPolicy, ReplicaSet \(removed in 1\.16\); Ingress \(removed in 1\.22\); no object/,
    );
  });
});
