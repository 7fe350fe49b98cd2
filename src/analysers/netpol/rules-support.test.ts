// The helpers of the netpol-* rules: evidence text, which peers the input holds completely, Services and Ingress
// backends, cluster DNS and network plugin recognition.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InventoryObject } from '../../core/inventory.ts';
import { parseLabelSelector } from '../../core/label-selector.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate, type PodTemplate } from '../../core/pod-templates.ts';
import { parseManifests } from '../../source/index.ts';
import { networkModels } from './index.ts';
import type { NetworkModel, SelectorPeer } from './model.ts';
import {
  clusterDns,
  detectNetworkPlugins,
  fromCluster,
  ingressBackendsOf,
  listText,
  peerDestinations,
  pinnedNames,
  rulePortEntries,
  selectorText,
  servicesOf,
  targetPortOf,
} from './rules-support.ts';

function load(text: string, file = 'test.yaml'): { objects: InventoryObject[]; templates: PodTemplate[]; model: NetworkModel } {
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, []);
  const objects = [...parsed.objects];
  const templates = objects.map((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined);
  const model = [...networkModels(objects, templates).values()][0]!;
  return { objects, templates, model };
}

const pod = (name: string, namespace: string, labels: string, ports = ''): string =>
  `---\napiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: ${namespace}, labels: ${labels}}\nspec:\n  containers:\n  - name: c\n    image: i${ports ? `\n    ports: ${ports}` : ''}\n`;

function peer(namespace: string, namespaceSelector?: string, podSelector?: string): SelectorPeer {
  return {
    kind: 'selector',
    index: 0,
    path: [],
    namespace,
    ...(namespaceSelector ? { namespaceSelector: parseLabelSelector(JSON.parse(namespaceSelector)) } : {}),
    ...(podSelector ? { podSelector: parseLabelSelector(JSON.parse(podSelector)) } : {}),
  };
}

describe('text', () => {
  test('selectors in kubectl notation, lists capped', () => {
    assert.equal(selectorText(parseLabelSelector({})), '{}');
    assert.equal(
      selectorText(
        parseLabelSelector({
          matchLabels: { tier: 'web', app: 'shop' },
          matchExpressions: [
            { key: 'env', operator: 'In', values: ['prod', 'dev'] },
            { key: 'x', operator: 'NotIn', values: ['a'] },
            { key: 'y', operator: 'Exists' },
            { key: 'z', operator: 'DoesNotExist' },
          ],
        }),
      ),
      '{app=shop, tier=web, env in (dev,prod), x notin (a), y, !z}',
    );
    assert.equal(listText(['a', 'b', 'c', 'd', 'e']), 'a, b, c and 2 more');
    assert.equal(listText(['a', 'b']), 'a, b');
  });
});

describe('peers', () => {
  test('pinnedNames: matchLabels and In on kubernetes.io/metadata.name, intersected', () => {
    assert.deepEqual(pinnedNames(parseLabelSelector({ matchLabels: { 'kubernetes.io/metadata.name': 'a' } })), ['a']);
    assert.deepEqual(
      pinnedNames(parseLabelSelector({ matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['b', 'a', 'c'] }], matchLabels: { 'kubernetes.io/metadata.name': 'a' } })),
      ['a'],
    );
    assert.equal(pinnedNames(parseLabelSelector({ matchLabels: { team: 'a' } })), undefined);
  });

  const input = load(
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: platform, labels: {team: sre}}\n' +
      pod('web', 'shop', '{app: web}') +
      pod('collector', 'platform', '{app: otel}'),
  );

  test('a podSelector of the own namespace is complete when the input has workloads there', () => {
    const inShop = peerDestinations(input.model, peer('shop', undefined, '{"matchLabels": {"app": "api"}}'), false);
    assert.deepEqual([inShop.endpoints.length, inShop.complete], [0, true]);
    const elsewhere = peerDestinations(input.model, peer('billing', undefined, '{"matchLabels": {"app": "api"}}'), false);
    assert.equal(elsewhere.complete, false);
    assert.equal(peerDestinations(input.model, peer('billing', undefined, '{}'), true).complete, true);
  });

  test('namespaceSelectors: complete only when they pin names the input knows', () => {
    const byName = peerDestinations(input.model, peer('shop', '{"matchLabels": {"kubernetes.io/metadata.name": "platform"}}'), false);
    assert.deepEqual([byName.namespaces, byName.endpoints.map((e) => e.id), byName.complete], [['platform'], ['platform/Pod/collector'], true]);
    // The Namespace object says team=sre: a selector asking for another team matches no namespace, surely.
    const wrongTeam = peerDestinations(input.model, peer('shop', '{"matchLabels": {"kubernetes.io/metadata.name": "platform", "team": "obs"}}'), false);
    assert.deepEqual([wrongTeam.namespaces, wrongTeam.complete], [[], true]);
    // No Namespace object for shop: its other labels are unknown.
    const unknown = peerDestinations(input.model, peer('x', '{"matchLabels": {"kubernetes.io/metadata.name": "shop", "team": "obs"}}'), false);
    assert.deepEqual([unknown.namespaces, unknown.complete], [[], false]);
    assert.equal(peerDestinations(input.model, peer('x', '{"matchLabels": {"team": "sre"}}'), false).complete, false);
    assert.equal(peerDestinations(input.model, peer('x', '{"matchLabels": {"team": "sre"}}'), true).complete, true);
  });

  test('rulePortEntries reads the entries as written', () => {
    const { model } = load(
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ns}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - {port: 53}\n    - {port: dns, protocol: UDP}\n    - {port: 8000, endPort: 8080}\n    - {protocol: ICMP}\n',
    );
    assert.deepEqual(
      rulePortEntries(model.policies[0]!.ingress[0]!).map((e) => [e.index, e.protocolWritten, e.protocol, e.port, e.endPort]),
      [
        [0, false, 'TCP', 53, undefined],
        [1, true, 'UDP', 'dns', undefined],
        [2, false, 'TCP', 8000, 8080],
      ],
    );
  });
});

describe('Services, Ingresses and DNS', () => {
  const input = load(
    'apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  type: NodePort\n  selector: {app: web}\n  ports:\n  - {name: http, port: 80, targetPort: http, nodePort: 30080}\n  - {port: 9100}\n' +
      '---\napiVersion: v1\nkind: Service\nmetadata: {name: manual, namespace: shop}\nspec:\n  ports:\n  - {port: 5432}\n' +
      '---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a, namespace: shop}\nspec:\n  defaultBackend: {service: {name: web, port: {name: http}}}\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend: {service: {name: web, port: {number: 80}}}\n' +
      '---\napiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: old, namespace: shop}\nspec:\n  backend: {serviceName: web, servicePort: 80}\n' +
      pod('web', 'shop', '{app: web}', '[{name: http, containerPort: 8080}]') +
      pod('coredns', 'kube-system', '{k8s-app: kube-dns}', '[{name: dns, containerPort: 53, protocol: UDP}]'),
  );

  test('servicesOf: selectors, ports with defaults, endpoints; targetPortOf resolves names per endpoint', () => {
    const services = servicesOf(input.model, input.objects);
    assert.deepEqual(services.map((s) => [s.id, s.type, s.selector, s.endpoints.map((e) => e.id)]), [
      ['shop/manual', 'ClusterIP', undefined, []],
      ['shop/web', 'NodePort', { app: 'web' }, ['shop/Pod/web']],
    ]);
    const web = services[1]!;
    assert.deepEqual(web.ports.map((p) => [p.port, p.protocol, p.targetPort, p.nodePort]), [
      [80, 'TCP', 'http', 30080],
      [9100, 'TCP', 9100, undefined],
    ]);
    assert.equal(targetPortOf(web.ports[0]!, web.endpoints[0]!), 8080);
  });

  test('ingressBackendsOf: v1 and v1beta1 backends with hosts', () => {
    assert.deepEqual(
      ingressBackendsOf(input.model, input.objects).map((b) => [b.object.ref.name, b.path.join('.'), b.service, b.port, b.host]),
      [
        ['a', 'spec.defaultBackend', 'web', 'http', undefined],
        ['a', 'spec.rules.0.http.paths.0.backend', 'web', 80, 'shop.example.com'],
        ['old', 'spec.backend', 'web', 80, undefined],
      ],
    );
  });

  test('clusterDns: without the kube-dns Service, the kube-system pods labelled k8s-app=kube-dns on 53', () => {
    const dns = clusterDns(input.model, input.objects);
    assert.deepEqual(dns.targets.map((t) => [t.endpoint.id, t.udp, t.tcp]), [['kube-system/Pod/coredns', [53], [53]]]);
  });

  test('clusterDns: through the Service, on the pod ports it forwards to', () => {
    const { model, objects } = load(
      'apiVersion: v1\nkind: Service\nmetadata: {name: dns-default, namespace: openshift-dns}\nspec:\n  selector: {dns: default}\n  ports:\n  - {name: dns, port: 53, protocol: UDP, targetPort: dns}\n  - {name: dns-tcp, port: 53, protocol: TCP, targetPort: dns-tcp}\n  - {name: metrics, port: 9154, targetPort: 9154}\n' +
        pod('dns-default', 'openshift-dns', '{dns: default}', '[{name: dns, containerPort: 5353, protocol: UDP}, {name: dns-tcp, containerPort: 5353}]'),
    );
    const dns = clusterDns(model, objects);
    assert.deepEqual(dns.targets.map((t) => [t.endpoint.id, t.udp, t.tcp]), [['openshift-dns/Pod/dns-default', [5353], [5353]]]);
    assert.equal(dns.description, 'Service openshift-dns/dns-default → Pod openshift-dns/dns-default');
  });

  test('fromCluster: live objects and the objects of a file holding a ClusterInfo', () => {
    const snapshot = load('apiVersion: palisade.dev/v1alpha1\nkind: ClusterInfo\nmetadata: {name: prod}\nspec: {server: "https://x"}\n' + pod('a', 'ns', '{}'), 'snap.yaml');
    assert.equal(fromCluster(snapshot.objects[1]!, snapshot.objects), true);
    assert.equal(fromCluster(input.objects[0]!, input.objects), false);
  });
});

describe('network plugins', () => {
  const daemonSet = (name: string, containers: string): string =>
    `---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ${name}, namespace: kube-system}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      containers:\n${containers}`;
  const plugins = (text: string): string[] => detectNetworkPlugins(load(text).templates).map((p) => `${p.name}: ${p.support}${p.detail ? ` (${p.detail})` : ''}`);

  test('recognised by name or image, with the settings that switch enforcement off', () => {
    assert.deepEqual(
      plugins(
        daemonSet('calico-node', '      - {name: calico-node, image: docker.io/calico/node:v3.28.2}\n') +
          daemonSet('canal', '      - {name: calico-node, image: docker.io/calico/node:v3.28.2}\n      - {name: kube-flannel, image: docker.io/flannel/flannel:v0.25.6}\n') +
          daemonSet('agent', '      - {name: agent, image: quay.io/cilium/cilium:v1.16.3}\n') +
          daemonSet('kube-router', '      - {name: kube-router, image: docker.io/cloudnativelabs/kube-router:v2.2.1, args: [--run-router=true, --run-firewall=false]}\n') +
          daemonSet('weave-net', '      - {name: weave, image: docker.io/weaveworks/weave-kube:2.8.1}\n') +
          daemonSet('aws-node', '      - {name: aws-node, image: amazon-k8s-cni:v1.19.2}\n      - {name: aws-eks-nodeagent, image: amazon/aws-network-policy-agent:v1.1.6, args: [--enable-network-policy, "true"]}\n') +
          daemonSet('kube-flannel-ds', '      - {name: kube-flannel, image: docker.io/flannel/flannel:v0.25.6}\n') +
          daemonSet('fluent-bit', '      - {name: fluent-bit, image: cr.fluentbit.io/fluent/fluent-bit:3.1.9}\n'),
      ),
      [
        'Calico: enforces',
        'Canal (Calico policy with flannel): enforces',
        'Cilium: enforces',
        'kube-router: does-not-enforce (runs with --run-firewall=false)',
        'Weave Net: does-not-enforce (has no weave-npc container)',
        'Amazon VPC CNI: enforces',
        'flannel: does-not-enforce',
      ],
    );
  });
});
