// `palisade rbac` end to end through the real binary, on the manifests of test/fixtures/rbac: who-can (aggregation,
// wildcards, `*/scale`, resourceNames, RoleBindings to ClusterRoles, cluster-scoped resources, implicit groups),
// can SUBJECT, paths, graph (DOT and JSON), input and usage errors. Live clusters are covered by the RBAC oracle test.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO, runCli } from './cli-helpers.ts';

const FIXTURES = 'test/fixtures/rbac';

interface Citation {
  file?: string;
  line?: number;
}
interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}
interface BindingJson {
  kind: string;
  namespace?: string;
  name: string;
  roleRef: { kind: string; name: string };
  evidence: string;
  at: Citation;
}
interface RuleJson {
  role: { kind: string; namespace?: string; name: string };
  index: number;
  verbs: string[];
  resources: string[];
  resourceNames: string[];
  summary: string;
  evidence: string;
  at: Citation;
}
interface WhoCanEntry {
  subject: Subject;
  implicitGroup: boolean;
  binding: BindingJson;
  rule: RuleJson;
}
interface WhoCanJson {
  request: Record<string, unknown>;
  scope: string;
  notes: string[];
  sources: { source: string; subjects: WhoCanEntry[]; namedOnly: WhoCanEntry[]; notes: string[] }[];
}
interface CanJson {
  subject: Subject & { user: string; groups: string[] };
  notes: string[];
  sources: {
    source: string;
    masters: boolean;
    scopes: { scope: string; namespace?: string; rules: { as: Subject; binding: BindingJson; rule: RuleJson; noEffect?: string[] }[] }[];
    capabilities: { id: string; scope: string; namespace?: string; via: { binding: BindingJson; rule: RuleJson }[] }[];
    workloads: { kind: string; namespace: string; name: string; tokenMounted: boolean; at: Citation }[];
  }[];
}
interface GraphJson {
  sources: {
    source: string;
    nodes: { id: string; kind: string; label: string; attributes: Record<string, unknown> }[];
    edges: { from: string; to: string; kind: string }[];
  }[];
}

function rbacJson<T>(args: readonly string[]): T {
  const result = runCli(['rbac', ...args, '--format', 'json']);
  assert.equal(result.code, 0, `exit ${result.code}: ${result.stderr}`);
  assert.equal(result.stderr, '');
  return JSON.parse(result.stdout) as T;
}

function whoCan(...args: string[]): WhoCanJson {
  return rbacJson<WhoCanJson>(['who-can', ...args, FIXTURES]);
}

function subjects(answer: WhoCanJson, list: 'subjects' | 'namedOnly' = 'subjects'): string[] {
  assert.equal(answer.sources.length, 1);
  return answer.sources[0]![list].map((entry) => `${entry.subject.kind} ${entry.subject.namespace ? `${entry.subject.namespace}/` : ''}${entry.subject.name}`);
}

function lineOf(citation: Citation): string {
  assert.ok(citation.file !== undefined && citation.line !== undefined, JSON.stringify(citation));
  return readFileSync(join(REPO, citation.file), 'utf8').split('\n')[citation.line - 1]!;
}

function assertUsageError(args: readonly string[], pattern: RegExp): void {
  const result = runCli(args);
  assert.equal(result.code, 2, `${args.join(' ')}: exit ${result.code}`);
  assert.equal(result.stdout, '');
  assert.equal(result.stderr.split('\n').filter(Boolean).length, 1, `one line: ${result.stderr}`);
  assert.match(result.stderr, /^palisade: /);
  assert.match(result.stderr, pattern);
}

describe('palisade rbac who-can', () => {
  test('without -n: ClusterRoleBindings only, through an aggregated ClusterRole and an implicit group', () => {
    const answer = whoCan('list', 'pods');
    assert.equal(answer.scope, 'cluster-wide');
    assert.deepEqual(answer.request, { verb: 'list', apiGroup: '', resource: 'pods', namespaced: true });
    // alice's RoleBinding (to the ClusterRole node-reader) does not count without a namespace.
    assert.deepEqual(subjects(answer), ['Group platform-admins', 'Group system:serviceaccounts:monitoring', 'ServiceAccount shop/ops']);
    const monitoring = answer.sources[0]!.subjects.find((entry) => entry.subject.name === 'system:serviceaccounts:monitoring')!;
    assert.equal(monitoring.implicitGroup, true);
    assert.equal(monitoring.binding.kind, 'ClusterRoleBinding');
    assert.equal(monitoring.binding.name, 'monitoring');
    assert.equal(monitoring.binding.roleRef.name, 'monitoring');
    // The rule is cited where it is written: in the ClusterRole the aggregated one takes it from.
    assert.deepEqual(monitoring.rule.role, { kind: 'ClusterRole', name: 'monitoring-pods' });
    assert.match(lineOf(monitoring.rule.at), /^- apiGroups: \[""\]/);
    assert.match(lineOf(monitoring.binding.at), /^roleRef:/);
    assert.ok(answer.notes.some((note) => /ClusterRoleBindings only/.test(note)));
    assert.ok(answer.notes.some((note) => /system:masters can do everything/.test(note)));
    assert.ok(answer.sources[0]!.notes.some((note) => /system:serviceaccounts:monitoring is implicit: every ServiceAccount of namespace monitoring.*\(in the input: prometheus\)/.test(note)));
  });

  test('with -n: RoleBindings of the namespace count, a RoleBinding to a ClusterRole included', () => {
    const answer = whoCan('list', 'pods', '-n', 'shop');
    assert.equal(answer.scope, 'namespace');
    assert.equal(answer.request['namespace'], 'shop');
    assert.deepEqual(subjects(answer), [
      'User alice',
      'Group platform-admins',
      'Group system:serviceaccounts:monitoring',
      'ServiceAccount shop/builder',
      'ServiceAccount shop/ops',
    ]);
    const alice = answer.sources[0]!.subjects.find((entry) => entry.subject.name === 'alice')!;
    assert.equal(alice.binding.kind, 'RoleBinding');
    assert.equal(alice.binding.roleRef.kind, 'ClusterRole');
    assert.deepEqual(alice.rule.role, { kind: 'ClusterRole', name: 'node-reader' });
    assert.equal(alice.rule.index, 1);
  });

  test('a RoleBinding to a ClusterRole grants nothing on a cluster-scoped resource', () => {
    const answer = whoCan('get', 'nodes', '-n', 'shop');
    assert.equal(answer.scope, 'cluster-wide');
    assert.equal(answer.request['namespaced'], false);
    assert.equal(answer.request['namespace'], undefined);
    assert.ok(!subjects(answer).includes('User alice'), 'alice is bound to node-reader only by a RoleBinding');
    assert.deepEqual(subjects(answer), ['Group platform-admins', 'ServiceAccount shop/ops']);
    assert.ok(answer.notes.some((note) => /nodes is cluster-scoped: only ClusterRoleBindings grant it/.test(note)));
  });

  test('*/scale matches the scale subresource of any resource of its group, and nothing else', () => {
    const scale = whoCan('update', 'deployments/scale');
    assert.deepEqual(scale.request, { verb: 'update', apiGroup: 'apps', resource: 'deployments', subresource: 'scale', namespaced: true });
    const autoscaler = scale.sources[0]!.subjects.find((entry) => entry.subject.name === 'autoscaler');
    assert.ok(autoscaler, 'the */scale rule allows deployments/scale');
    assert.deepEqual(autoscaler.rule.resources, ['*/scale']);
    assert.deepEqual(subjects(whoCan('patch', 'statefulsets.apps', '--subresource', 'scale')), subjects(scale));
    assert.ok(!subjects(whoCan('update', 'deployments.apps')).includes('ServiceAccount kube-system/autoscaler'));
    // Another group: the rule names apps only.
    assert.ok(!subjects(whoCan('update', 'widgets.example.com/scale')).includes('ServiceAccount kube-system/autoscaler'));
  });

  test('resourceNames: listed apart without --name, allowed with the right name only', () => {
    const any = whoCan('get', 'secrets', '-n', 'shop');
    assert.ok(!subjects(any).includes('Group devs'));
    assert.deepEqual(subjects(any, 'namedOnly'), ['Group devs']);
    assert.deepEqual(any.sources[0]!.namedOnly[0]!.rule.resourceNames, ['db-password']);
    assert.ok(subjects(whoCan('get', 'secrets', '-n', 'shop', '--name', 'db-password')).includes('Group devs'));
    assert.ok(!subjects(whoCan('get', 'secrets', '-n', 'shop', '--name', 'api-key')).includes('Group devs'));
  });

  test('pods/exec, and non-resource URLs with a trailing *', () => {
    const exec = whoCan('create', 'pods/exec', '-n', 'shop');
    assert.ok(subjects(exec).includes('ServiceAccount shop/builder'));
    assert.ok(!subjects(whoCan('create', 'pods/attach', '-n', 'shop')).includes('ServiceAccount shop/builder'));
    const metrics = whoCan('get', '/metrics/cadvisor');
    assert.deepEqual(metrics.request, { verb: 'get', nonResourceURL: '/metrics/cadvisor' });
    assert.deepEqual(subjects(metrics), ['Group platform-admins', 'Group system:serviceaccounts:monitoring', 'ServiceAccount shop/ops']);
    assert.deepEqual(metrics.sources[0]!.subjects[1]!.rule.role, { kind: 'ClusterRole', name: 'monitoring-metrics' });
  });

  test('the table cites file:line and is sorted; output is byte-identical across runs', () => {
    const first = runCli(['rbac', 'who-can', 'list', 'pods', '-n', 'shop', FIXTURES]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Who can list pods in namespace shop \(5\):/);
    assert.match(first.stdout, /User alice\s+RoleBinding\/shop\/node-readers \(test\/fixtures\/rbac\/bindings\.yaml:\d+\)\s+ClusterRole\/node-reader rules\[1\] \(test\/fixtures\/rbac\/roles\.yaml:\d+\)/);
    assert.match(first.stdout, /Group system:serviceaccounts:monitoring \(implicit\)/);
    assert.match(first.stdout, /system:masters can do everything/);
    const order = ['User alice', 'Group platform-admins', 'Group system:serviceaccounts:monitoring', 'ServiceAccount shop/builder', 'ServiceAccount shop/ops'].map((text) => first.stdout.indexOf(text));
    assert.deepEqual(order, [...order].sort((a, b) => a - b));
    // The same files in another order: the same answer.
    const files = ['workloads.yaml', 'escalation.yaml', 'bindings.yaml', 'roles.yaml'].map((name) => `${FIXTURES}/${name}`);
    const second = runCli(['rbac', 'who-can', 'list', 'pods', '-n', 'shop', ...files]);
    assert.equal(second.stdout, first.stdout);
  });
});

describe('palisade rbac can', () => {
  test('a ServiceAccount: its rules by scope with evidence, risky capabilities and the workloads running as it', () => {
    const answer = rbacJson<CanJson>(['can', 'serviceaccount:shop:builder', FIXTURES]);
    assert.deepEqual(answer.subject, {
      kind: 'ServiceAccount',
      name: 'builder',
      namespace: 'shop',
      user: 'system:serviceaccount:shop:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
    });
    const source = answer.sources[0]!;
    assert.equal(source.masters, false);
    assert.deepEqual(source.scopes.map((scope) => `${scope.scope} ${scope.namespace ?? ''} ${scope.rules.length}`), ['cluster-wide  0', 'namespace shop 3']);
    const rules = source.scopes[1]!.rules;
    assert.deepEqual(rules.map((entry) => entry.rule.summary), ['get,list,create,update,patch deployments.apps', 'get,list,create pods', 'create pods/exec']);
    for (const entry of rules) {
      assert.deepEqual(entry.binding.name, 'deployers');
      assert.deepEqual(entry.as, { kind: 'ServiceAccount', name: 'builder', namespace: 'shop' });
      assert.match(lineOf(entry.rule.at), /^- apiGroups:/);
    }
    assert.deepEqual(source.capabilities.map((hit) => `${hit.id} ${hit.scope} ${hit.namespace ?? ''}`), ['create-pods namespace shop', 'create-workloads namespace shop', 'exec-pods namespace shop']);
    assert.deepEqual(source.workloads.map((workload) => `${workload.kind} ${workload.namespace}/${workload.name} ${workload.tokenMounted}`), ['Deployment shop/builder-app true']);
    assert.match(lineOf(source.workloads[0]!.at), /^apiVersion: apps\/v1/);
  });

  test('system:serviceaccount:NS:NAME works too, and grants through implicit groups say so', () => {
    const answer = rbacJson<CanJson>(['can', 'system:serviceaccount:monitoring:prometheus', FIXTURES]);
    const cluster = answer.sources[0]!.scopes[0]!;
    assert.equal(cluster.scope, 'cluster-wide');
    assert.deepEqual(cluster.rules.map((entry) => entry.rule.summary), ['get URLs /metrics, /metrics/*', 'get,list,watch pods, services, endpoints']);
    for (const entry of cluster.rules) assert.deepEqual(entry.as, { kind: 'Group', name: 'system:serviceaccounts:monitoring' });
    assert.deepEqual(answer.sources[0]!.workloads.map((workload) => workload.tokenMounted), [false]);
    const table = runCli(['rbac', 'can', 'system:serviceaccount:monitoring:prometheus', FIXTURES]);
    assert.match(table.stdout, /as Group system:serviceaccounts:monitoring → ClusterRole\/monitoring-pods rules\[0\] \(test\/fixtures\/rbac\/roles\.yaml:\d+\)/);
    assert.match(table.stdout, /Deployment monitoring\/prometheus \(token not mounted\)/);
  });

  test('a user bound through a RoleBinding to a ClusterRole: cluster-scoped rules are marked as having no effect', () => {
    const answer = rbacJson<CanJson>(['can', 'user:alice', FIXTURES]);
    const shop = answer.sources[0]!.scopes.find((scope) => scope.namespace === 'shop')!;
    assert.deepEqual(shop.rules.map((entry) => [entry.rule.summary, entry.noEffect ?? []]), [
      ['get,list nodes', ['nodes']],
      ['get,list pods', []],
    ]);
  });

  test('cluster-admin through a group: every capability, summarised in the table', () => {
    const answer = rbacJson<CanJson>(['can', 'group:platform-admins', FIXTURES]);
    assert.equal(answer.sources[0]!.capabilities[0]!.id, 'cluster-admin');
    assert.ok(answer.sources[0]!.capabilities.some((hit) => hit.id === 'nodes-proxy' && hit.scope === 'cluster-wide'));
    const table = runCli(['rbac', 'can', 'group:platform-admins', FIXTURES]);
    assert.match(table.stdout, /cluster-admin cluster-wide: everything, everywhere/);
    assert.match(table.stdout, /and the \d+ other capabilities that follow from it/);
  });
});

describe('palisade rbac paths', () => {
  test('a ServiceAccount that can create Deployments in a namespace with a cluster-admin ServiceAccount', () => {
    const answer = rbacJson<{ sources: { source: string; paths: { summary: string; length: number; start: { kind: string; identity: Subject }; steps: { action: string; to: unknown }[] }[] }[] }>(['paths', FIXTURES]);
    const paths = answer.sources[0]!.paths;
    const builder = paths.find((path) => path.start.kind === 'subject' && path.start.identity.name === 'builder');
    assert.ok(builder, JSON.stringify(paths.map((path) => path.summary)));
    assert.equal(builder.steps[0]!.action, 'create-pods');
    assert.deepEqual(builder.steps[0]!.to, { kind: 'ServiceAccount', namespace: 'shop', name: 'ops' });
    assert.equal(builder.steps.at(-1)!.to, 'cluster-admin');
    assert.ok(paths.some((path) => path.start.kind === 'workload'), 'the builder Deployment mounts its token');
    const table = runCli(['rbac', 'paths', FIXTURES]);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /ServiceAccount shop\/builder: cluster-admin in 1 step/);
    assert.match(table.stdout, /RoleBinding\/shop\/deployers \(test\/fixtures\/rbac\/bindings\.yaml:\d+\)/);
  });
});

describe('palisade rbac graph', () => {
  test('JSON: typed nodes, edges between them, aggregation, workloads and implicit groups', () => {
    const graph = rbacJson<GraphJson>(['graph', FIXTURES]).sources[0]!;
    const ids = new Set(graph.nodes.map((node) => node.id));
    assert.equal(ids.size, graph.nodes.length, 'ids are unique');
    for (const node of graph.nodes) {
      assert.deepEqual(Object.keys(node), ['id', 'kind', 'label', 'attributes']);
      assert.ok(['subject', 'binding', 'role', 'permission', 'workload'].includes(node.kind), node.kind);
    }
    for (const edge of graph.edges) {
      assert.deepEqual(Object.keys(edge), ['from', 'to', 'kind']);
      assert.ok(ids.has(edge.from) && ids.has(edge.to), JSON.stringify(edge));
    }
    const has = (from: string, to: string, kind: string): boolean => graph.edges.some((edge) => edge.from === from && edge.to === to && edge.kind === kind);
    assert.ok(has('serviceaccount:shop:builder', 'rolebinding:shop:deployers', 'subject-of'));
    assert.ok(has('rolebinding:shop:deployers', 'role:shop:deployer', 'role-ref'));
    assert.ok(has('role:shop:deployer', 'permission:create pods/exec', 'grants'));
    assert.ok(has('clusterrole:monitoring', 'clusterrole:monitoring-pods', 'aggregates'));
    assert.ok(has('clusterrole:monitoring', 'clusterrole:monitoring-metrics', 'aggregates'));
    assert.ok(has('workload:deployment.apps:shop:builder-app', 'serviceaccount:shop:builder', 'runs-as'));
    assert.ok(has('serviceaccount:monitoring:prometheus', 'group:system:serviceaccounts:monitoring', 'member-of'));
    assert.ok(has('rolebinding:shop:odd-names', 'role:shop:missing-role', 'role-ref'));
    const builder = graph.nodes.find((node) => node.id === 'workload:deployment.apps:shop:builder-app')!;
    assert.deepEqual(builder.attributes, {
      workloadKind: 'Deployment',
      apiVersion: 'apps/v1',
      name: 'builder-app',
      namespace: 'shop',
      serviceAccount: 'builder',
      tokenMounted: true,
      file: 'test/fixtures/rbac/workloads.yaml',
      line: 20,
    });
    assert.equal(graph.nodes.find((node) => node.id === 'role:shop:missing-role')!.attributes['missing'], true);
    assert.deepEqual(graph.nodes.find((node) => node.id === 'permission:create pods/exec')!.attributes['capabilities'], ['exec-pods']);
    const kinds = graph.nodes.map((node) => node.kind);
    assert.deepEqual(kinds, [...kinds].sort((a, b) => ['subject', 'binding', 'role', 'permission', 'workload'].indexOf(a) - ['subject', 'binding', 'role', 'permission', 'workload'].indexOf(b)));
  });

  test('DOT: valid-looking, escaped labels, a box per namespace, byte-identical for the same input in any order', () => {
    const first = runCli(['rbac', 'graph', FIXTURES]);
    assert.equal(first.code, 0, first.stderr);
    const dot = first.stdout;
    assert.match(dot, /^digraph "rbac" \{\n/);
    assert.match(dot, /\n\}\n$/);
    // Braces balance outside quoted strings, and every statement line ends with ; { or }.
    let depth = 0;
    for (const match of dot.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/[{}]/g)) {
      depth += match[0] === '{' ? 1 : -1;
      assert.ok(depth >= 0);
    }
    assert.equal(depth, 0);
    for (const line of dot.trimEnd().split('\n')) assert.match(line, /[;{}]$/, line);
    // A user name with a quote and a backslash is escaped, not cut short.
    assert.ok(dot.includes('"user:we\\"ird\\\\name" [label="User we\\"ird\\\\name"'), dot);
    assert.match(dot, /subgraph "cluster_ns_shop" \{\n\s+label="namespace shop";/);
    assert.match(dot, /"workload:deployment\.apps:shop:builder-app" -> "serviceaccount:shop:builder" \[style=bold, label="runs as"\];/);
    // Every node an edge names is declared.
    const declared = new Set([...dot.matchAll(/^\s+("(?:[^"\\]|\\.)*") \[label=/gm)].map((match) => match[1]));
    for (const match of dot.matchAll(/^\s+("(?:[^"\\]|\\.)*") -> ("(?:[^"\\]|\\.)*")/gm)) {
      assert.ok(declared.has(match[1]!) && declared.has(match[2]!), match[0]);
    }
    assert.equal(runCli(['rbac', 'graph', FIXTURES]).stdout, dot);
    const files = ['workloads.yaml', 'escalation.yaml', 'bindings.yaml', 'roles.yaml'].map((name) => `${FIXTURES}/${name}`);
    assert.equal(runCli(['rbac', 'graph', '--format', 'dot', ...files]).stdout, dot);
  });
});

describe('palisade rbac: help, usage and input errors', () => {
  test('rbac --help lists the subcommands; each has its own help', () => {
    const help = runCli(['rbac', '--help']);
    assert.equal(help.code, 0);
    for (const sub of ['who-can', 'can', 'paths', 'graph']) assert.match(help.stdout, new RegExp(`^  ${sub} `, 'm'));
    assert.equal(runCli(['rbac']).code, 2);
    const whoCanHelp = runCli(['rbac', 'who-can', '--help']);
    assert.equal(whoCanHelp.code, 0);
    assert.match(whoCanHelp.stdout, /^Usage: palisade rbac who-can VERB RESOURCE/);
    assert.match(whoCanHelp.stdout, /--subresource NAME/);
    assert.match(runCli(['--help']).stdout, /rbac SUBCOMMAND/);
  });

  test('usage errors: one line, exit 2', () => {
    assertUsageError(['rbac', 'can', 'bob', FIXTURES], /SUBJECT must be user:NAME, group:NAME or serviceaccount:NAMESPACE:NAME/);
    assertUsageError(['rbac', 'can', 'serviceaccount:shop', FIXTURES], /SUBJECT must be/);
    assertUsageError(['rbac', 'can'], /needs a SUBJECT/);
    assertUsageError(['rbac', 'who-can'], /needs VERB and RESOURCE/);
    assertUsageError(['rbac', 'who-can', 'get'], /needs VERB and RESOURCE/);
    assertUsageError(['rbac', 'who-can', 'get', 'pods'], /needs at least one PATH .* or --cluster/);
    assertUsageError(['rbac', 'who-can', 'get', 'pods/exec', '--subresource', 'log', FIXTURES], /names the subresource "exec" but --subresource says "log"/);
    assertUsageError(['rbac', 'who-can', 'get', 'pods', '--format', 'yaml', FIXTURES], /--format must be one of table, json/);
    assertUsageError(['rbac', 'who-can', 'get', 'pods', '--cluster', FIXTURES], /--cluster reads the live cluster and takes no PATH/);
    assertUsageError(['rbac', 'who-can', 'get', 'pods', '--context', 'x', FIXTURES], /--context only applies with --cluster/);
    assertUsageError(['rbac', 'graph', '--format', 'table', FIXTURES], /--format must be one of dot, json/);
    assertUsageError(['rbac', 'bogus'], /unknown rbac subcommand "bogus"/);
    assertUsageError(['rbac', 'who-can', 'get', 'pods', '--bogus', FIXTURES], /Unknown option '--bogus'/);
  });

  test('an unreadable input is one line on stderr and the rest is answered; nothing readable is exit 2', () => {
    const partly = runCli(['rbac', 'who-can', 'get', 'nodes', 'test/fixtures/rbac/missing.yaml', FIXTURES]);
    assert.equal(partly.code, 0);
    assert.equal(partly.stderr, 'palisade: test/fixtures/rbac/missing.yaml: no such file or directory (not-found)\n');
    assert.match(partly.stdout, /Group platform-admins/);
    const none = runCli(['rbac', 'can', 'user:alice', 'test/fixtures/rbac/missing.yaml']);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.equal(none.stderr, 'palisade: test/fixtures/rbac/missing.yaml: no such file or directory (not-found)\n');
    const stdin = runCli(['rbac', 'who-can', 'get', 'nodes', '-'], { input: readFileSync(join(REPO, FIXTURES, 'bindings.yaml'), 'utf8') });
    assert.equal(stdin.code, 0, stdin.stderr);
    assert.match(stdin.stdout, /No subject can get nodes through RBAC/);
  });
});
