// Random clusters for the property tests of the netpol command helpers (factored.test.ts, diff.test.ts): namespaces
// with and without labels, Pods and Deployments (one or several replicas) with random labels, named ports and
// hostNetwork, policies with every kind of selector, peer, port and policyTypes form, a foreign policy now and then.
import type { JsonObject } from '../../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate } from '../../core/pod-templates.ts';
import { parseManifests } from '../../source/index.ts';
import { buildNetworkModel, type NetworkModel } from './model.ts';

export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomCluster(seed: number): JsonObject[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;
  const chance = (p: number): boolean => rnd() < p;
  const namespaces = ['a', 'b', 'c', 'd'].slice(0, 2 + Math.floor(rnd() * 3));
  const objects: JsonObject[] = [];
  for (const ns of namespaces) {
    if (chance(0.8)) objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: chance(0.6) ? { env: pick(['dev', 'prod']) } : {} } });
  }
  const labels = (): Record<string, string> => {
    const result: Record<string, string> = {};
    if (chance(0.8)) result['app'] = pick(['web', 'api', 'db']);
    if (chance(0.4)) result['tier'] = pick(['front', 'back']);
    return result;
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
    return { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] };
  };
  const count = 6 + Math.floor(rnd() * 14);
  for (let i = 0; i < count; i++) {
    const ports: JsonObject[] = [];
    if (chance(0.6)) ports.push({ containerPort: pick([80, 8080, 9090]), name: 'http' });
    if (chance(0.3)) ports.push({ containerPort: 53, name: 'dns', protocol: pick(['UDP', 'TCP']) });
    const podSpec = { hostNetwork: chance(0.1), containers: [{ name: 'c', image: 'i', ports }] };
    const metadata = { name: `w${i}`, namespace: pick(namespaces), labels: labels() };
    objects.push(
      chance(0.5)
        ? { apiVersion: 'v1', kind: 'Pod', metadata, spec: podSpec }
        : { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: metadata.name, namespace: metadata.namespace }, spec: { replicas: pick([1, 3]), template: { metadata: { labels: metadata.labels }, spec: podSpec } } },
    );
  }
  const peer = (): JsonObject => {
    const roll = rnd();
    if (roll < 0.3) return { podSelector: selector() };
    if (roll < 0.5) return { namespaceSelector: nsSelector() };
    if (roll < 0.8) return { namespaceSelector: nsSelector(), podSelector: selector() };
    return { ipBlock: pick([{ cidr: '0.0.0.0/0' }, { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, { cidr: '::/0' }]) };
  };
  const portList = (): JsonObject[] =>
    Array.from({ length: Math.floor(rnd() * 3) }, () => {
      const roll = rnd();
      if (roll < 0.4) return { port: pick([80, 443, 8080, 9090]) };
      if (roll < 0.65) return { port: pick(['http', 'dns']), ...(chance(0.5) ? { protocol: pick(['UDP', 'TCP']) } : {}) };
      if (roll < 0.8) return { port: 8000, endPort: pick([8080, 9000]) };
      return { protocol: pick(['UDP', 'SCTP']) };
    });
  const rule = (field: 'from' | 'to'): JsonObject => {
    const peers = chance(0.2) ? undefined : Array.from({ length: 1 + Math.floor(rnd() * 2) }, peer);
    const ports = portList();
    return { ...(peers ? { [field]: peers } : {}), ...(ports.length > 0 ? { ports } : {}) };
  };
  const policies = Math.floor(rnd() * 8);
  for (let i = 0; i < policies; i++) {
    const spec: Record<string, unknown> = { podSelector: selector() };
    const roll = rnd();
    if (roll < 0.3) spec['policyTypes'] = ['Ingress'];
    else if (roll < 0.5) spec['policyTypes'] = ['Egress'];
    else if (roll < 0.7) spec['policyTypes'] = ['Ingress', 'Egress'];
    if (chance(0.7)) spec['ingress'] = Array.from({ length: Math.floor(rnd() * 3) }, () => rule('from'));
    if (chance(0.6)) spec['egress'] = Array.from({ length: Math.floor(rnd() * 3) }, () => rule('to'));
    objects.push({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: `np${i}`, namespace: pick(namespaces) }, spec: spec as JsonObject });
  }
  if (chance(0.1)) objects.push({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'cnp', namespace: pick(namespaces) }, spec: {} });
  return objects;
}

export function modelOf(objects: readonly JsonObject[]): NetworkModel {
  const parsed = parseManifests({ file: 'random.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }), json: true });
  const templates = parsed.objects.map((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined);
  return buildNetworkModel(parsed.objects, templates);
}
