// reach() evidence (what the CLI explains with): which policies isolate each side, which rule and peer allowed what,
// notes for named ports towards addresses, foreign policies and host-network pods; targets; and external access
// per class (allowed outside addresses split by port).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate } from '../../core/pod-templates.ts';
import { parseManifests } from '../../source/index.ts';
import { formatAddresses } from './cidr.ts';
import { externalAccess, externalVerdict } from './classes.ts';
import { buildNetworkModel, type NetworkModel } from './model.ts';
import { formatPorts, parsePortQuery, type PortQuery } from './ports.ts';
import { OUTSIDE, externalTarget, reach, resolveTarget, targetLabel } from './reachability.ts';

function model(text: string): NetworkModel {
  const parsed = parseManifests({ file: 'test.yaml', text });
  assert.deepEqual(parsed.errors, []);
  return buildNetworkModel(parsed.objects, parsed.objects.map((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined));
}

const m = model(`
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: w, image: i, ports: [{containerPort: 8080, name: http}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: node, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: a, image: i}]}
---
apiVersion: v1
kind: Pod
metadata: {name: x, namespace: cil}
spec: {containers: [{name: a, image: i}]}
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: c, namespace: cil}
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: nobody}}}, {podSelector: {matchLabels: {app: client}}}]
      ports: [{port: http}]
    - from: [{ipBlock: {cidr: 203.0.113.0/24}}]
      ports: [{port: 443}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: client, namespace: shop}
spec:
  podSelector: {matchLabels: {app: client}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
      ports: [{port: 443}, {port: 80, endPort: 90}]
    - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
      ports: [{port: 80}, {port: http}]
    - to: [{podSelector: {}}]
`);

const one = (ref: string) => {
  const targets = resolveTarget(m, ref);
  assert.equal(targets.length, 1, ref);
  return targets[0]!;
};
const port = (text: string) => parsePortQuery(text) as PortQuery;

describe('reach() evidence', () => {
  test('each side: status, isolating policies, the rule and peer that allowed, the common ports', () => {
    const result = reach(m, one('shop/client'), one('shop/web'), port('tcp/8080'));
    assert.equal(result.verdict, 'allowed');
    assert.equal(formatPorts(result.ports), 'tcp/8080');
    assert.equal(result.egress.status, 'isolated');
    assert.deepEqual(result.egress.isolatedBy.map((p) => p.id), ['shop/client']);
    assert.deepEqual(result.egress.allowedBy.map((a) => `${a.policy.id} egress[${a.rule.index}] ${a.peer?.index ?? '*'} ${formatPorts(a.ports)}`), ['shop/client egress[2] 0 all ports']);
    assert.deepEqual(result.ingress.allowedBy.map((a) => `${a.policy.id} ingress[${a.rule.index}] peer ${a.peer?.index} ${a.certainty} ${formatPorts(a.ports)}`), ['shop/web ingress[0] peer 1 sure tcp/8080']);
    assert.equal(reach(m, one('shop/client'), one('shop/web'), port('tcp/8081')).verdict, 'denied');
  });

  test('towards an address: ipBlock rules with the addresses they match; named ports there are a note', () => {
    const result = reach(m, one('shop/client'), one('ip:10.1.2.3'));
    assert.equal(formatPorts(result.ports), 'tcp/80-90,443');
    assert.deepEqual(result.egress.allowedBy.map((a) => formatAddresses(a.addresses!)), ['10.1.2.3/32', '10.1.2.3/32']);
    assert.deepEqual(result.notes.map((n) => n.code), ['named-port-external']);
    assert.equal(result.ingress.status, 'external');
    assert.equal(targetLabel(result.to), 'ip:10.1.2.3');
  });

  test('a CIDR source is allowed when some address of it is', () => {
    assert.equal(reach(m, externalTarget('203.0.0.0/8')!, one('shop/web'), port('tcp/443')).verdict, 'allowed');
    assert.equal(reach(m, externalTarget('198.51.100.0/24')!, one('shop/web'), port('tcp/443')).verdict, 'denied');
    assert.equal(reach(m, OUTSIDE, one('shop/web')).verdict, 'allowed');
  });

  test('foreign policies: unknown, with the NetworkPolicy-only verdict kept', () => {
    const result = reach(m, one('shop/client'), one('cil/x'), port('tcp/80'));
    assert.equal(result.verdict, 'unknown');
    assert.equal(result.policyVerdict, 'denied');
    assert.deepEqual(result.foreign.map((f) => f.id), ['CiliumNetworkPolicy/cil/c']);
  });

  test('host network: not subject to policies; towards an isolated pod only possibly allowed', () => {
    const result = reach(m, one('node/agent'), one('shop/web'), port('tcp/8080'));
    assert.equal(result.egress.status, 'host-network');
    assert.equal(result.verdict, 'unknown');
    assert.ok(result.notes.some((n) => n.code === 'host-network-source'));
    assert.equal(reach(m, one('shop/web'), one('node/agent')).verdict, 'allowed');
  });

  test('targets: ns/name, ns/Kind/name, ip: and bare CIDRs', () => {
    assert.deepEqual(resolveTarget(m, 'shop/Pod/web').map(targetLabel), ['shop/Pod/web']);
    assert.deepEqual(resolveTarget(m, '10.0.0.0/8').map(targetLabel), ['ip:10.0.0.0/8']);
    assert.deepEqual(resolveTarget(m, 'ip:nope'), []);
    assert.deepEqual(resolveTarget(m, 'shop/nope'), []);
  });
});

describe('external access', () => {
  test('egress: allowed outside addresses split by port, named ports left out', () => {
    const access = externalAccess(m.endpointById.get('shop/Pod/client')!, 'egress');
    assert.equal(access.status, 'isolated');
    assert.equal(access.verdict, 'allowed');
    assert.deepEqual(
      access.entries.map((e) => `${formatPorts(e.ports)} → ${formatAddresses(e.addresses)}`).sort(),
      ['tcp/80 → 0.0.0.0/0', 'tcp/81-90,443 → 10.0.0.0/8'],
    );
    assert.equal(access.namedPortRules.length, 1);
    assert.equal(externalVerdict(access, externalTarget('8.8.8.8')!.addresses, port('tcp/80')), 'allowed');
    assert.equal(externalVerdict(access, externalTarget('8.8.8.8')!.addresses, port('tcp/443')), 'denied');
  });

  test('ingress: named ports resolve against the endpoint itself; non-isolated and host-network are open', () => {
    const web = externalAccess(m.endpointById.get('shop/Pod/web')!, 'ingress');
    assert.deepEqual(web.entries.map((e) => `${formatPorts(e.ports)} → ${formatAddresses(e.addresses)}`), ['tcp/443 → 203.0.113.0/24']);
    assert.equal(externalAccess(m.endpointById.get('node/Pod/agent')!, 'ingress').status, 'host-network');
    assert.equal(externalAccess(m.endpointById.get('shop/Pod/client')!, 'ingress').status, 'not-isolated');
    assert.equal(externalAccess(m.endpointById.get('cil/Pod/x')!, 'ingress').verdict, 'unknown');
  });
});
