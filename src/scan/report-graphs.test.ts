// buildReportGraphs on real manifests: the cluster map links Ingress → Service → workload by the pod template's
// labels and colours each by its worst finding; the RBAC and network graphs appear only when their inputs exist;
// the network graph draws exactly the pairs a policy governs (the rest are counted in its note); every graph stays
// within its limits and the same input gives the same output, whatever the order of the objects.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { networkGraph, type NetworkGraph } from '../analysers/netpol/graph.ts';
import { matrix, networkModels } from '../analysers/netpol/index.ts';
import { randomCluster } from '../analysers/netpol/random-cluster.testing.ts';
import { makeFinding, type Finding } from '../core/findings.ts';
import type { InventoryObject } from '../core/inventory.ts';
import type { Path, Severity } from '../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate, type PodTemplate } from '../core/pod-templates.ts';
import type { ReportGraphs } from '../core/report-graphs.ts';
import { parseManifests } from '../source/index.ts';
import { buildReportGraphs, type ReportGraphOptions } from './report-graphs.ts';

interface Loaded {
  readonly objects: InventoryObject[];
  readonly templates: PodTemplate[];
}

function load(text: string, file = 'test.yaml'): Loaded {
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, []);
  const objects = [...parsed.objects];
  const templates = objects.flatMap((object) => findPodTemplate(object, BUILTIN_POD_TEMPLATE_LOCATIONS) ?? []);
  return { objects, templates };
}

const OPTIONS: ReportGraphOptions = { podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS };

function graphsOf(loaded: Loaded, findings: readonly Finding[] = [], options: Partial<ReportGraphOptions> = {}): ReportGraphs {
  return buildReportGraphs(loaded.objects, loaded.templates, findings, { ...OPTIONS, ...options });
}

function findingOn(loaded: Loaded, kind: string, name: string, severity: Severity, path: Path = []): Finding {
  const object = loaded.objects.find((o) => o.ref.kind === kind && o.ref.name === name);
  assert.ok(object, `no ${kind} ${name}`);
  return makeFinding({
    ruleId: `test-${severity}`,
    messageId: 'm',
    severity,
    title: 'A test finding',
    category: 'pod-security',
    message: `${kind} ${name} is ${severity}`,
    controls: [],
    remediation: 'Fix it.',
    object,
    path,
  });
}

const SHOP = `
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: not-the-pod-labels}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 8080, name: http}]}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec:
  type: NodePort
  selector: {app: db}
  ports: [{port: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: external, namespace: shop}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec:
  tls: [{hosts: [shop.example.com], secretName: shop-tls}]
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
      - path: /missing
        pathType: Prefix
        backend: {service: {name: not-in-input, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: admin, namespace: shop}
spec:
  defaultBackend: {service: {name: db, port: {number: 5432}}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: shop}
data: {a: b}
`;

const POLICIES = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-to-db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: db}}}]
    ports: [{port: 5432}]
  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    ports: [{port: 443}]
`;

const RBAC = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: deployer, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
- apiGroups: ["*"]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: deployer-everything}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
subjects: [{kind: ServiceAccount, name: deployer, namespace: shop}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get, list]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: User, name: alice}]
`;

describe('cluster map', () => {
  test('links Ingress → Service → workload by the pod template labels', () => {
    const map = graphsOf(load(SHOP)).clusterMap;
    assert.ok(map);
    assert.equal(map.truncated, undefined);
    assert.deepEqual(map.namespaces.map((ns) => ns.name), ['shop']);
    const shop = map.namespaces[0]!;
    assert.deepEqual(shop.workloads.map((w) => w.id), ['Deployment/shop/web', 'StatefulSet/shop/db']);
    assert.deepEqual(
      shop.services.map((s) => [s.id, s.type, s.workloads]),
      [
        ['Service/shop/db', 'NodePort', ['StatefulSet/shop/db']],
        ['Service/shop/external', 'ExternalName', []],
        ['Service/shop/web', 'ClusterIP', ['Deployment/shop/web']],
      ],
    );
    assert.deepEqual(
      shop.ingresses.map((i) => [i.id, i.tls, i.services]),
      [
        ['Ingress/shop/admin', false, ['Service/shop/db']],
        ['Ingress/shop/shop', true, ['Service/shop/web']],
      ],
    );
  });

  test('colours each object by its worst finding; the namespace counts every finding in it', () => {
    const loaded = load(SHOP);
    const findings = [
      findingOn(loaded, 'Deployment', 'web', 'medium'),
      findingOn(loaded, 'Deployment', 'web', 'critical'),
      findingOn(loaded, 'Service', 'db', 'low'),
      findingOn(loaded, 'ConfigMap', 'settings', 'high'),
    ];
    const shop = graphsOf(loaded, findings).clusterMap!.namespaces[0]!;
    const web = shop.workloads.find((w) => w.name === 'web')!;
    assert.deepEqual({ findings: web.findings, worst: web.worst }, { findings: 2, worst: 'critical' });
    const db = shop.workloads.find((w) => w.name === 'db')!;
    assert.deepEqual({ findings: db.findings, worst: db.worst }, { findings: 0, worst: undefined });
    const dbService = shop.services.find((s) => s.name === 'db')!;
    assert.deepEqual({ findings: dbService.findings, worst: dbService.worst }, { findings: 1, worst: 'low' });
    assert.deepEqual({ findings: shop.findings, worst: shop.worst }, { findings: 4, worst: 'critical' });
  });

  test('objects written without a namespace land in default, with their findings', () => {
    const loaded = load('apiVersion: v1\nkind: Pod\nmetadata: {name: lone}\nspec:\n  containers: [{name: c, image: i}]\n');
    const graphs = graphsOf(loaded, [findingOn(loaded, 'Pod', 'lone', 'high')]);
    const ns = graphs.clusterMap!.namespaces[0]!;
    assert.equal(ns.name, 'default');
    assert.deepEqual(ns.workloads.map((w) => [w.id, w.worst]), [['Pod/default/lone', 'high']]);
    assert.equal(ns.worst, 'high');
  });
});

describe('which graphs appear', () => {
  test('nothing to draw: no graphs at all', () => {
    assert.deepEqual(graphsOf(load('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: x}\ndata: {a: b}\n')), {});
  });

  test('workloads without RBAC objects: a cluster map and a network graph, no RBAC graph', () => {
    const graphs = graphsOf(load(SHOP));
    assert.ok(graphs.clusterMap);
    assert.ok(graphs.network);
    assert.equal(graphs.rbac, undefined);
  });

  test('RBAC objects without workloads: only the RBAC graph', () => {
    const graphs = graphsOf(load(RBAC));
    assert.ok(graphs.rbac);
    assert.equal(graphs.network, undefined);
    assert.equal(graphs.clusterMap, undefined);
  });

  test('a ServiceAccount alone is not RBAC input', () => {
    assert.equal(graphsOf(load('apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa, namespace: x}\n')).rbac, undefined);
  });
});

describe('RBAC graph', () => {
  test('subjects → bindings → roles → permissions; cluster-admin power and who has it are risky', () => {
    const rbac = graphsOf(load(`${SHOP}\n---\n${RBAC}`)).rbac!;
    const node = (id: string) => {
      const found = rbac.nodes.find((n) => n.id === id);
      assert.ok(found, `no node ${id} in ${rbac.nodes.map((n) => n.id).join(', ')}`);
      return found;
    };
    assert.equal(node('permission:* *.*').risky, true);
    assert.match(node('permission:* *.*').detail ?? '', /cluster-admin/);
    assert.equal(node('serviceaccount:shop:deployer').risky, true);
    assert.equal(node('clusterrolebinding:deployer-everything').risky, true);
    assert.equal(node('user:alice').risky, undefined);
    assert.equal(node('rolebinding:shop:readers').namespace, 'shop');
    assert.equal(node('permission:get,list configmaps').risky, undefined);
    const edges = rbac.edges.map((e) => `${e.from} -${e.kind}-> ${e.to}`);
    assert.ok(edges.includes('serviceaccount:shop:deployer -subject-of-> clusterrolebinding:deployer-everything'));
    assert.ok(edges.includes('clusterrolebinding:deployer-everything -role-ref-> clusterrole:everything'));
    assert.ok(edges.includes('clusterrole:everything -grants-> permission:* *.*'));
    // Workloads run as the default ServiceAccount of their namespace.
    assert.ok(edges.some((e) => e.startsWith('workload:deployment.apps:shop:web -runs-as-> serviceaccount:shop:default')));
    for (const edge of rbac.edges) {
      assert.ok(node(edge.from) && node(edge.to), 'edges join drawn nodes');
    }
  });

  test('a large policy is cut to the limit: whole grants, cluster-admin power first', () => {
    const roles = Array.from({ length: 60 }, (_, i) =>
      [
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r${i}, namespace: ns${i % 3}}\nrules: [{apiGroups: [""], resources: [configmaps], verbs: [get], resourceNames: [c${i}]}]`,
        `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: b${i}, namespace: ns${i % 3}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: r${i}}\nsubjects: [{kind: User, name: u${i}}]`,
      ].join('\n---\n'),
    ).join('\n---\n');
    const rbac = graphsOf(load(`${RBAC}\n---\n${roles}`), [], { maxNodes: 30 }).rbac!;
    assert.equal(rbac.nodes.length, 30);
    assert.match(rbac.truncated ?? '', /^30 of \d+ nodes shown \(at most 30\): whole grants, those of cluster-admin power and of the most risky permissions first/);
    // Every binding drawn comes with its role and that role's permissions, and the subjects it names.
    const edges = new Set(rbac.edges.map((e) => `${e.from} ${e.kind} ${e.to}`));
    for (const binding of rbac.nodes.filter((n) => n.kind === 'binding')) {
      const name = binding.id.split(':').at(-1)!;
      if (!name.startsWith('b')) continue;
      const i = name.slice(1);
      assert.ok(edges.has(`${binding.id} role-ref role:${binding.namespace}:r${i}`), `${binding.id} → its role`);
      assert.ok(edges.has(`user:u${i} subject-of ${binding.id}`), `${binding.id} ← its subject`);
      assert.ok([...edges].some((e) => e.startsWith(`role:${binding.namespace}:r${i} grants permission:`)), `r${i} → its permission`);
    }
    const ids = new Set(rbac.nodes.map((n) => n.id));
    for (const id of ['permission:* *.*', 'clusterrole:everything', 'clusterrolebinding:deployer-everything', 'serviceaccount:shop:deployer']) assert.ok(ids.has(id), id);
    for (const edge of rbac.edges) assert.ok(ids.has(edge.from) && ids.has(edge.to));
  });
});

describe('network graph', () => {
  test('draws the pairs policies govern, with ports; open workloads are risky', () => {
    const network = graphsOf(load(`${SHOP}\n---\n${POLICIES}`)).network!;
    assert.deepEqual(network.nodes.map((n) => [n.id, n.kind, n.risky ?? false]), [
      ['outside', 'outside', false],
      ['shop/Deployment/web', 'workloads', false],
      ['shop/StatefulSet/db', 'workloads', false],
    ]);
    assert.deepEqual(
      network.edges.map((e) => [e.from, e.to, e.kind, e.label]),
      [
        ['shop/Deployment/web', 'outside', 'allowed', 'tcp/443 0.0.0.0/0'],
        ['shop/Deployment/web', 'shop/StatefulSet/db', 'allowed', 'tcp/5432'],
      ],
    );
    assert.equal(network.note, undefined);
    assert.match(network.nodes[2]!.detail ?? '', /ingress: isolated by shop\/default-deny, shop\/web-to-db/);
  });

  test('without policies nothing is drawn between workloads: the pairs are counted in the note', () => {
    const network = graphsOf(load(SHOP)).network!;
    assert.deepEqual(network.edges, []);
    assert.ok(network.nodes.filter((n) => n.kind === 'workloads').every((n) => n.risky === true));
    // web→db, db→web, and web→web (two replicas); not db→db (one pod: a pod to itself is not an edge).
    assert.match(network.note ?? '', /^3 pairs of workloads shown can connect because neither side is isolated/);
  });

  test('drawn edges plus the implied pairs are every pair that can connect (random clusters)', () => {
    for (let seed = 1; seed <= 120; seed++) {
      const parsed = parseManifests({ file: 'random.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: randomCluster(seed) }), json: true });
      const objects = [...parsed.objects];
      const templates = objects.flatMap((o) => findPodTemplate(o, BUILTIN_POD_TEMPLATE_LOCATIONS) ?? []);
      const graph = buildReportGraphs(objects, templates, [], { ...OPTIONS, maxNodes: 10_000, maxEdges: 1_000_000 }).network;
      if (!graph) continue;
      const full = networkGraphOf(objects, templates);
      const drawn = new Set(graph.edges.map((e) => `${e.from} ${e.to} ${e.kind}`));
      const open = new Map(full.nodes.map((n) => [n.id, n]));
      let implied = 0;
      for (const edge of full.edges) {
        const key = `${edge.from} ${edge.to} ${edge.verdict}`;
        if (drawn.has(key)) {
          drawn.delete(key);
          continue;
        }
        const from = open.get(edge.from)!;
        const to = open.get(edge.to)!;
        // Implied: under other policy APIs (unknown), or neither side restricts the pair.
        const foreign = (node: typeof from): boolean => (node.foreign?.length ?? 0) > 0;
        const openSide = (node: typeof from, direction: 'ingress' | 'egress'): boolean => node.kind === 'outside' || node.hostNetwork === true || !node.isolated?.[direction];
        assert.ok(foreign(from) || foreign(to) || (openSide(from, 'egress') && openSide(to, 'ingress')), `seed ${seed}: ${key} is neither drawn nor implied`);
        if (from.kind !== 'outside' && to.kind !== 'outside') implied++;
      }
      assert.deepEqual([...drawn], [], `seed ${seed}: drawn edges that cannot connect`);
      assert.equal(graph.note === undefined ? 0 : Number(/^([\d,]+) pair/.exec(graph.note)![1]!.replaceAll(',', '')), implied, `seed ${seed}: implied pairs`);
    }
  });
});

/** The netpol analyser's own graph of the same input: every pair that can connect. */
function networkGraphOf(objects: readonly InventoryObject[], templates: readonly PodTemplate[]): NetworkGraph {
  return networkGraph(matrix([...networkModels(objects, templates).values()][0]!));
}

describe('limits and determinism', () => {
  const big = (): string => {
    const docs: string[] = [];
    for (let i = 0; i < 90; i++) {
      const ns = `team-${i % 3}`;
      docs.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app-${i}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: app-${i}}}\n  template:\n    metadata: {labels: {app: app-${i}}}\n    spec:\n      containers: [{name: c, image: i}]`,
        `apiVersion: v1\nkind: Service\nmetadata: {name: app-${i}, namespace: ${ns}}\nspec:\n  selector: {app: app-${i}}\n  ports: [{port: 80}]`,
      );
    }
    return docs.join('\n---\n');
  };

  test('the cluster map keeps the namespaces with the worst findings, whole, within the limit', () => {
    const loaded = load(big());
    const findings = [findingOn(loaded, 'Deployment', 'app-2', 'critical'), findingOn(loaded, 'Deployment', 'app-1', 'low')];
    const map = graphsOf(loaded, findings, { maxNodes: 70 }).clusterMap!;
    // 60 objects per namespace: team-2 (critical) whole, then 10 of team-1 (low), team-0 left out.
    assert.deepEqual(map.namespaces.map((ns) => [ns.name, ns.workloads.length + ns.services.length, ns.omitted]), [
      ['team-1', 10, 50],
      ['team-2', 60, undefined],
    ]);
    assert.match(map.truncated ?? '', /^70 of 180 workloads, Services and Ingresses shown \(at most 70\).*namespace team-1 in part; 1 namespace left out: team-0$/);
    const team1 = map.namespaces[0]!;
    assert.ok(team1.workloads.some((w) => w.name === 'app-1'), 'the item with a finding is kept first');
    const kept = new Set(team1.workloads.map((w) => w.id));
    for (const service of team1.services) for (const id of service.workloads) assert.ok(kept.has(id));
  });

  test('the network graph stays within the limit', () => {
    const network = graphsOf(load(big()), [], { maxNodes: 50 }).network!;
    assert.equal(network.nodes.length, 50);
    assert.match(network.truncated ?? '', /^49 of 90 workload groups shown/);
  });

  test('same input, same output, whatever the order of the objects', () => {
    const text = `${SHOP}\n---\n${POLICIES}\n---\n${RBAC}\n---\n${big()}`;
    const a = load(text);
    const findings = [findingOn(a, 'Deployment', 'web', 'high'), findingOn(a, 'Deployment', 'app-7', 'critical')];
    const first = graphsOf(a, findings, { maxNodes: 100 });
    const b = load(text);
    assert.deepEqual(graphsOf(b, findings, { maxNodes: 100 }), first);
    const reversed: Loaded = { objects: [...b.objects].reverse(), templates: [...b.templates].reverse() };
    assert.deepEqual(JSON.stringify(graphsOf(reversed, [...findings].reverse(), { maxNodes: 100 })), JSON.stringify(first));
  });
});
