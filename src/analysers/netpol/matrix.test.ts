// The matrix against the reference: random clusters (namespaces with and without labels, workloads with random labels,
// named ports and hostNetwork, policies with every kind of selector, peer, port and policyTypes form, foreign
// policies now and then) and, for every ordered pair of endpoints, matrix.result must equal reach() — verdict, sure
// ports and unknown ports — under both ipBlockPods settings. Also: external access against reach() for outside
// addresses, classes, self pairs, and the decomposition's bookkeeping.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate } from '../../core/pod-templates.ts';
import { parseManifests } from '../../source/index.ts';
import { endpointClasses, externalVerdict } from './classes.ts';
import { matrix, SELF_RESULT } from './matrix.ts';
import { buildNetworkModel, type NetworkModel } from './model.ts';
import { formatPorts, portsEqual, type PortQuery } from './ports.ts';
import { random } from './random-cluster.testing.ts';
import { externalTarget, reach, verdictOf } from './reachability.ts';

function randomCluster(seed: number): JsonObject[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  const namespaces = ['a', 'b', 'c', 'd'].slice(0, 2 + Math.floor(rnd() * 3));
  const objects: JsonObject[] = [];
  for (const ns of namespaces) {
    if (chance(0.8)) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: chance(0.6) ? { env: pick(['dev', 'prod']) } : {} } });
  }
  const labelPool = (): Record<string, string> => {
    const labels: Record<string, string> = {};
    if (chance(0.8)) labels['app'] = pick(['web', 'api', 'db']);
    if (chance(0.4)) labels['tier'] = pick(['front', 'back']);
    return labels;
  };
  const selector = (): JsonObject => {
    const roll = rnd();
    if (roll < 0.25) return {};
    if (roll < 0.6) return { matchLabels: { app: pick(['web', 'api', 'db']) } };
    if (roll < 0.75) return { matchExpressions: [{ key: 'tier', operator: pick(['NotIn', 'In']), values: [pick(['front', 'back'])] }] };
    if (roll < 0.85) return { matchExpressions: [{ key: pick(['tier', 'app']), operator: pick(['Exists', 'DoesNotExist']) }] };
    return { matchLabels: { tier: pick(['front', 'back']) } };
  };
  const nsSelector = (): JsonObject => {
    const roll = rnd();
    if (roll < 0.3) return {};
    if (roll < 0.6) return { matchLabels: { 'kubernetes.io/metadata.name': pick(namespaces) } };
    if (roll < 0.8) return { matchLabels: { env: pick(['dev', 'prod']) } };
    return { matchExpressions: [{ key: 'env', operator: pick(['NotIn', 'DoesNotExist']), ...(chance(0.5) ? { values: ['prod'] } : { values: [] }) }] };
  };
  const count = 4 + Math.floor(rnd() * 9);
  for (let i = 0; i < count; i++) {
    const ns = pick(namespaces);
    const ports: JsonObject[] = [];
    if (chance(0.6)) ports.push({ containerPort: pick([80, 8080, 9090]), name: 'http' });
    if (chance(0.3)) ports.push({ containerPort: 53, name: 'dns', protocol: pick(['UDP', 'TCP']) });
    if (chance(0.3)) ports.push({ containerPort: 443 });
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: ns, labels: labelPool() },
      spec: { hostNetwork: chance(0.1), containers: [{ name: 'c', image: 'i', ports }] },
    });
  }
  const peer = (): JsonObject => {
    const roll = rnd();
    if (roll < 0.3) return { podSelector: selector() };
    if (roll < 0.5) return { namespaceSelector: nsSelector() };
    if (roll < 0.8) return { namespaceSelector: nsSelector(), podSelector: selector() };
    if (roll < 0.95) return { ipBlock: pick([{ cidr: '0.0.0.0/0' }, { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, { cidr: '::/0' }, { cidr: '192.0.2.0/24' }]) };
    return {};
  };
  const portList = (): JsonObject[] => {
    const list: JsonObject[] = [];
    const n = Math.floor(rnd() * 3);
    for (let i = 0; i < n; i++) {
      const roll = rnd();
      if (roll < 0.35) list.push({ port: pick([80, 443, 8080, 9090]) });
      else if (roll < 0.55) list.push({ port: pick(['http', 'dns']), ...(chance(0.5) ? { protocol: pick(['UDP', 'TCP']) } : {}) });
      else if (roll < 0.7) list.push({ port: 8000, endPort: pick([8080, 9000]) });
      else if (roll < 0.85) list.push({ protocol: pick(['UDP', 'SCTP', 'TCP']) });
      else list.push({ protocol: 'UDP', port: 53 });
    }
    return list;
  };
  const rule = (field: 'from' | 'to'): JsonObject => {
    const roll = rnd();
    const peers = roll < 0.2 ? undefined : roll < 0.25 ? [] : Array.from({ length: 1 + Math.floor(rnd() * 2) }, peer);
    const ports = portList();
    return { ...(peers !== undefined ? { [field]: peers } : {}), ...(ports.length > 0 || chance(0.3) ? { ports } : {}) };
  };
  const policies = Math.floor(rnd() * 7);
  for (let i = 0; i < policies; i++) {
    const spec: Record<string, unknown> = { podSelector: selector() };
    const typesRoll = rnd();
    if (typesRoll < 0.25) spec['policyTypes'] = ['Ingress'];
    else if (typesRoll < 0.45) spec['policyTypes'] = ['Egress'];
    else if (typesRoll < 0.65) spec['policyTypes'] = ['Ingress', 'Egress'];
    else if (typesRoll < 0.7) spec['policyTypes'] = [];
    if (chance(0.7)) spec['ingress'] = Array.from({ length: Math.floor(rnd() * 3) }, () => rule('from'));
    if (chance(0.6)) spec['egress'] = Array.from({ length: Math.floor(rnd() * 3) }, () => rule('to'));
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: pick(namespaces) }, spec: spec as JsonObject });
  }
  if (chance(0.15)) objects.push({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'cnp', namespace: pick(namespaces) }, spec: {} });
  return objects;
}

function modelOf(objects: readonly JsonObject[]): NetworkModel {
  const parsed = parseManifests({ file: 'random.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), json: true });
  assert.deepEqual(parsed.errors, []);
  const templates = parsed.objects.map((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined);
  return buildNetworkModel(parsed.objects, templates);
}

const QUERIES: (PortQuery | undefined)[] = [undefined, { protocol: 'TCP', port: 80 }, { protocol: 'TCP', port: 8080 }, { protocol: 'UDP', port: 53 }, { protocol: 'SCTP', port: 9000 }];
const ADDRESSES = ['8.8.8.8', '10.0.0.5', '10.1.0.5', '192.0.2.1', '2001:db8::1', '0.0.0.0/0'];

describe('matrix agrees with reach() on random clusters', () => {
  // Threshold 0: every peer is big (all pairs through the group defaults); a huge one: every peer small (exceptions).
  const variants = [
    { ipBlockPods: 'no-match', bigPeerThreshold: undefined },
    { ipBlockPods: 'unknown', bigPeerThreshold: undefined },
    { ipBlockPods: 'no-match', bigPeerThreshold: 0 },
    { ipBlockPods: 'unknown', bigPeerThreshold: 0 },
    { ipBlockPods: 'no-match', bigPeerThreshold: 1e9 },
    { ipBlockPods: 'no-match', bigPeerThreshold: 2 },
  ] as const;
  for (const { ipBlockPods, bigPeerThreshold } of variants) {
    test(`every ordered pair of endpoints (ipBlockPods ${ipBlockPods}, bigPeerThreshold ${bigPeerThreshold ?? 'default'})`, () => {
      let pairs = 0;
      let bigPeers = 0;
      const verdicts = { allowed: 0, denied: 0, unknown: 0 };
      for (let seed = 1; seed <= 300; seed++) {
        const model = modelOf(randomCluster(seed));
        const m = matrix(model, bigPeerThreshold === undefined ? { ipBlockPods } : { ipBlockPods, bigPeerThreshold });
        bigPeers += m.stats.bigPeers;
        const rows = new Map(m.classes.map((cls) => [cls.index, m.row(cls)]));
        for (const from of model.endpoints) {
          for (const to of model.endpoints) {
            const expected = reach(model, from, to, undefined, { ipBlockPods });
            const actual = m.result(from, to);
            const where = `seed ${seed}: ${from.id} -> ${to.id}`;
            assert.equal(actual.verdict, expected.verdict, where);
            assert.ok(portsEqual(actual.ports, expected.ports), `${where}: ports ${formatPorts(actual.ports)} vs ${formatPorts(expected.ports)}`);
            assert.ok(portsEqual(actual.unknownPorts, expected.unknownPorts), `${where}: unknown ${formatPorts(actual.unknownPorts)} vs ${formatPorts(expected.unknownPorts)}`);
            if (from !== to) assert.equal(rows.get(m.classOf(from).index)![m.classOf(to).index], actual, `${where}: row() and result() agree`);
            for (const port of QUERIES) assert.equal(m.verdict(from, to, port), reach(model, from, to, port, { ipBlockPods }).verdict, `${where} ${JSON.stringify(port)}`);
            verdicts[actual.verdict]++;
            pairs++;
          }
        }
      }
      assert.ok(pairs > 10_000, `${pairs} pairs`);
      assert.ok(verdicts.allowed > 1000 && verdicts.denied > 1000 && verdicts.unknown > 100, JSON.stringify(verdicts));
      if (bigPeerThreshold === 0) assert.ok(bigPeers > 100, `big peers exercised (${bigPeers})`);
    });
  }

  test('external access agrees with reach() for outside addresses', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const model = modelOf(randomCluster(seed));
      const m = matrix(model);
      for (const endpoint of model.endpoints) {
        for (const text of ADDRESSES) {
          const outside = externalTarget(text)!;
          for (const port of QUERIES) {
            const where = `seed ${seed}: ${endpoint.id} / ${text} ${JSON.stringify(port)}`;
            assert.equal(externalVerdict(m.external(endpoint, 'egress'), outside.addresses, port), reach(model, endpoint, outside, port).verdict, `egress ${where}`);
            assert.equal(externalVerdict(m.external(endpoint, 'ingress'), outside.addresses, port), reach(model, outside, endpoint, port).verdict, `ingress ${where}`);
          }
        }
      }
    }
  });
});

describe('matrix', () => {
  const model = modelOf([
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a1', namespace: 'x', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a2', namespace: 'x', labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'x', labels: { app: 'b' } }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, name: 'http' }] }] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'x' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'b', namespace: 'x' }, spec: { podSelector: { matchLabels: { app: 'b' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'a' } } }], ports: [{ port: 'http' }] }] } },
  ]);

  test('endpoints with the same labels share a class; self pairs are allowed, pairs within a class follow the policies', () => {
    const classes = endpointClasses(model);
    assert.equal(classes.classes.length, 2);
    const [a1, a2, b] = ['x/Pod/a1', 'x/Pod/a2', 'x/Pod/b'].map((id) => model.endpointById.get(id)!);
    assert.equal(classes.classOf(a1!), classes.classOf(a2!));
    const m = matrix(model);
    assert.equal(m.result(a1!, a1!), SELF_RESULT);
    assert.equal(m.verdict(a1!, a2!), 'denied');
    assert.equal(formatPorts(m.result(a1!, b!).ports), 'tcp/80');
    assert.equal(m.verdict(b!, a1!), 'denied');
    assert.equal([...m.pairs()].length, 9);
    assert.equal([...m.classPairs()].length, 4);
    assert.equal(matrix(model), m, 'memoised per model');
    assert.equal(verdictOf(m.result(a1!, b!).ports, m.result(a1!, b!).unknownPorts, { protocol: 'TCP', port: 81 }), 'denied');
  });
});
