// The network model: policyTypes defaulting exactly as SetDefaults_NetworkPolicy does it, rules and peers as
// written ([] vs absent vs [{}]), what the API server would reject, endpoints (controller-owned objects, Jobs,
// finished pods, PodTemplates), namespaces and their automatic label, foreign policies and one model per source.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_POSITION_LOCATOR, type InventoryObject } from '../../core/inventory.ts';
import type { JsonObject } from '../../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate } from '../../core/pod-templates.ts';
import { parseManifests } from '../../source/index.ts';
import { formatAddresses } from './cidr.ts';
import { buildNetworkModel, buildNetworkModels, effectivePolicyTypes, findEndpoints, isIsolated, parseNetworkPolicy, type NetworkModel } from './model.ts';
import { formatPorts } from './ports.ts';

function objects(text: string): InventoryObject[] {
  const parsed = parseManifests({ file: 'test.yaml', text });
  assert.deepEqual(parsed.errors, []);
  return [...parsed.objects];
}

function model(text: string): NetworkModel {
  const list = objects(text);
  return buildNetworkModel(list, list.map((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined));
}

function policy(spec: string): ReturnType<typeof parseNetworkPolicy> & { problems: string[] } {
  const [object] = objects(`apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec: ${spec}\n`);
  const problems: Parameters<typeof parseNetworkPolicy>[1] = [];
  const parsed = parseNetworkPolicy(object!, problems);
  return Object.assign(parsed, { problems: problems.map((p) => `${p.code} ${p.path.join('.')}`) });
}

describe('policyTypes defaulting (SetDefaults_NetworkPolicy: len(policyTypes) == 0 → Ingress, + Egress if len(egress) != 0)', () => {
  const cases: [spec: JsonObject, types: string[], defaulted: boolean][] = [
    [{}, ['ingress'], true],
    [{ ingress: [{}] }, ['ingress'], true],
    [{ egress: [{}] }, ['ingress', 'egress'], true],
    [{ egress: [] }, ['ingress'], true],
    [{ egress: null }, ['ingress'], true],
    [{ policyTypes: [], egress: [{}] }, ['ingress', 'egress'], true],
    [{ policyTypes: [] }, ['ingress'], true],
    [{ policyTypes: null, egress: [{ to: [] }] }, ['ingress', 'egress'], true],
    [{ policyTypes: ['Egress'], ingress: [{}] }, ['egress'], false],
    [{ policyTypes: ['Ingress'], egress: [{}] }, ['ingress'], false],
    [{ policyTypes: ['Egress', 'Ingress'] }, ['egress', 'ingress'], false],
    [{ policyTypes: ['Egress', 'Egress'] }, ['egress'], false],
  ];
  for (const [spec, types, defaulted] of cases) {
    test(JSON.stringify(spec), () => {
      const result = effectivePolicyTypes(spec);
      assert.deepEqual([...result.types].sort(), [...types].sort());
      assert.equal(result.defaulted, defaulted);
    });
  }

  test('unknown types are dropped and reported', () => {
    const p = policy('{podSelector: {}, policyTypes: [ingress, Egress]}');
    assert.deepEqual(p.policyTypes, ['egress']);
    assert.deepEqual(p.problems, ['invalid-policy-type spec.policyTypes.0']);
  });
});

describe('rules, peers and ports as written', () => {
  test('[] and absent from/ports mean everything; [] rules mean no rule', () => {
    const p = policy('{podSelector: {}, ingress: [{}, {from: [], ports: []}], egress: []}');
    assert.equal(p.ingress.length, 2);
    assert.equal(p.ingress[0]!.peers, undefined);
    assert.equal(p.ingress[1]!.peers, undefined);
    assert.equal(p.ingress[1]!.allPorts, true);
    assert.equal(p.egress.length, 0);
  });

  test('peers: podSelector only (own namespace), namespaceSelector only, both, ipBlock', () => {
    const p = policy(`{podSelector: {}, ingress: [{from: [
      {podSelector: {matchLabels: {a: b}}},
      {namespaceSelector: {}},
      {namespaceSelector: {matchLabels: {t: x}}, podSelector: {}},
      {ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}}]}]}`);
    const peers = p.ingress[0]!.peers!;
    assert.deepEqual(peers.map((peer) => peer.kind), ['selector', 'selector', 'selector', 'ipBlock']);
    assert.deepEqual(peers[0], { kind: 'selector', index: 0, path: ['spec', 'ingress', 0, 'from', 0], namespace: 'ns', podSelector: { matchLabels: { a: 'b' }, matchExpressions: [] } });
    assert.equal(peers[1]!.kind === 'selector' && peers[1]!.podSelector, undefined);
    assert.ok(peers[2]!.kind === 'selector' && peers[2]!.namespaceSelector && peers[2]!.podSelector);
    assert.ok(peers[3]!.kind === 'ipBlock');
    assert.equal(peers[3]!.kind === 'ipBlock' && formatAddresses(peers[3]!.addresses).split(', ').length, 8);
    assert.deepEqual(p.problems, []);
  });

  test('what the API server rejects is reported and matches nothing', () => {
    const p = policy(`{podSelector: {}, ingress: [{from: [
      {},
      {ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}},
      {ipBlock: {cidr: 10.0.0.0/33}},
      {ipBlock: {cidr: 10.0.0.1/8, except: [11.0.0.0/16, bad]}}],
      ports: [{port: "80"}, {port: 0}, {port: 80, endPort: 79}, {port: http, endPort: 90}, {protocol: ICMP}, {endPort: 5}, {protocol: UDP, port: 53, endPort: 54}]}]}`);
    assert.deepEqual(p.ingress[0]!.peers!.map((peer) => peer.kind), ['invalid', 'invalid', 'invalid', 'ipBlock']);
    assert.equal(formatPorts(p.ingress[0]!.ports.numeric), 'udp/53-54');
    assert.deepEqual(p.problems, [
      'invalid-peer spec.ingress.0.from.0',
      'invalid-peer spec.ingress.0.from.1',
      'invalid-peer spec.ingress.0.from.2.ipBlock.cidr',
      'cidr-host-bits spec.ingress.0.from.3.ipBlock.cidr',
      'except-outside-cidr spec.ingress.0.from.3.ipBlock.except.0',
      'invalid-cidr spec.ingress.0.from.3.ipBlock.except.1',
      'invalid-port spec.ingress.0.ports.0.port',
      'invalid-port spec.ingress.0.ports.1.port',
      'invalid-port spec.ingress.0.ports.2.endPort',
      'invalid-port spec.ingress.0.ports.3.endPort',
      'invalid-port spec.ingress.0.ports.4.protocol',
      'invalid-port spec.ingress.0.ports.5.endPort',
    ]);
  });

  test('ports: protocol defaults to TCP, a port without number is the whole protocol, names kept per protocol', () => {
    const p = policy('{podSelector: {}, egress: [{ports: [{port: 443}, {protocol: SCTP}, {port: dns, protocol: UDP}, {port: 8000, endPort: 8080}]}]}');
    const ports = p.egress[0]!.ports;
    assert.equal(formatPorts(ports.numeric), 'tcp/443,8000-8080 sctp/all');
    assert.deepEqual(ports.named, [{ protocol: 'UDP', name: 'dns' }]);
  });
});

describe('endpoints and namespaces', () => {
  const text = `
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a, kubernetes.io/metadata.name: forged}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: w, image: i, ports: [{containerPort: 80, name: http}, {containerPort: 53, protocol: UDP, name: dns}]}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-1, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, uid: u, controller: true}]}
spec: {template: {metadata: {labels: {app: web}}, spec: {containers: [{name: w, image: i}]}}}
---
apiVersion: v1
kind: Pod
metadata: {name: web-1-x, namespace: shop, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-1, uid: v, controller: true}]}
spec: {containers: [{name: w, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: orphan-x, namespace: shop, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, uid: w, controller: true}]}
spec: {containers: [{name: w, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: done, namespace: shop}
spec: {containers: [{name: w, image: i}]}
status: {phase: Succeeded}
---
apiVersion: v1
kind: PodTemplate
metadata: {name: tpl, namespace: shop}
template: {spec: {containers: [{name: w, image: i}]}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: migrate}
spec: {template: {spec: {containers: [{name: m, image: i}], restartPolicy: Never}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec: {template: {metadata: {labels: {app: agent}}, spec: {hostNetwork: true, containers: [{name: a, image: i}]}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Egress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all, namespace: kube-system}
spec: {podSelector: {}}
---
apiVersion: extensions/v1beta1
kind: NetworkPolicy
metadata: {name: old, namespace: shop}
spec: {podSelector: {}}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: c, namespace: shop}
spec: {endpointSelector: {}}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: g}
spec: {selector: all()}
`;

  test('one endpoint per workload: controller-owned ReplicaSets and Pods, finished Pods and PodTemplates are left out', () => {
    const m = model(text);
    assert.deepEqual(m.endpoints.map((e) => e.id), ['default/Job/migrate', 'kube-system/DaemonSet/agent', 'shop/Deployment/web', 'shop/Pod/orphan-x']);
    assert.deepEqual(findEndpoints(m, 'shop/web').map((e) => e.id), ['shop/Deployment/web']);
    assert.deepEqual(findEndpoints(m, 'shop/deployment/web').map((e) => e.id), ['shop/Deployment/web']);
    assert.deepEqual(findEndpoints(m, 'shop/nope'), []);
  });

  test('labels, ports, hostNetwork, Job labels, isolation', () => {
    const m = model(text);
    const web = m.endpointById.get('shop/Deployment/web')!;
    assert.deepEqual(web.ports, [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 53, protocol: 'UDP', name: 'dns' }]);
    assert.deepEqual([...web.namedPorts], [['http/TCP', [80]], ['dns/UDP', [53]]]);
    assert.equal(isIsolated(web, 'egress'), true);
    assert.equal(isIsolated(web, 'ingress'), false);
    const job = m.endpointById.get('default/Job/migrate')!;
    assert.deepEqual(job.labels, { 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate' });
    const agent = m.endpointById.get('kube-system/DaemonSet/agent')!;
    assert.equal(agent.hostNetwork, true);
    assert.equal(agent.selectedBy.length, 1);
    assert.equal(isIsolated(agent, 'ingress'), false, 'policies do not apply to host-network pods');
  });

  test('namespaces: Namespace labels plus kubernetes.io/metadata.name (which cannot be forged), referenced ones too', () => {
    const m = model(text);
    assert.deepEqual([...m.namespaces.keys()], ['default', 'kube-system', 'shop']);
    assert.deepEqual(m.namespaces.get('shop')!.labels, { team: 'a', 'kubernetes.io/metadata.name': 'shop' });
    assert.deepEqual(m.namespaces.get('kube-system')!.labels, { 'kubernetes.io/metadata.name': 'kube-system' });
  });

  test('foreign policies: namespaced ones affect their namespace, cluster-wide ones every endpoint', () => {
    const m = model(text);
    assert.deepEqual(m.foreignPolicies.map((f) => f.id), ['CiliumNetworkPolicy/shop/c', 'GlobalNetworkPolicy/g']);
    assert.deepEqual(m.endpointById.get('shop/Deployment/web')!.foreign.map((f) => f.id), ['CiliumNetworkPolicy/shop/c', 'GlobalNetworkPolicy/g']);
    assert.deepEqual(m.endpointById.get('default/Job/migrate')!.foreign.map((f) => f.id), ['GlobalNetworkPolicy/g']);
    assert.deepEqual(m.problems.map((p) => p.code), ['unsupported-version']);
  });

  test('one model per source: files together, each cluster apart', () => {
    const fileObjects = objects(text);
    const live: InventoryObject = {
      ref: { apiVersion: 'v1', kind: 'Pod', namespace: 'prod', name: 'p' },
      object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'prod' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      origin: { type: 'cluster', cluster: { context: 'kind', server: 'https://kind:6443' } },
      locator: NO_POSITION_LOCATOR,
    };
    const all = [...fileObjects, live];
    const models = buildNetworkModels(all, all.map((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined));
    assert.deepEqual([...models.keys()], ['cluster:kind', 'files']);
    assert.deepEqual(models.get('cluster:kind')!.endpoints.map((e) => e.id), ['prod/Pod/p']);
    assert.equal(models.get('files')!.endpoints.length, 4);
  });
});
