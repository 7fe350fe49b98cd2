// `palisade netpol` end to end through the real binary, on test/fixtures/netpol: a small app (frontend and backend in
// shop, a database in data, an ingress controller; default deny, allow rules with named ports, an Ingress and a
// LoadBalancer Service) in `before/`, the same app after a change in `after/` (files reorganised; the frontend now
// reaches the database, the backend no longer does), and edge cases in `extras/` (an ambiguous name, a host-network
// DaemonSet, a single Pod, an undefined named port, a CiliumNetworkPolicy). reach verdicts and reasons with
// file:line, matrix JSON/CSV/class shapes and cells, diff and its exit codes, graph determinism, usage errors.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadAll } from 'js-yaml';
import { REPO, runCli, tempDir } from './cli-helpers.ts';

const BEFORE = 'test/fixtures/netpol/before';
const AFTER = 'test/fixtures/netpol/after';
const EXTRAS = 'test/fixtures/netpol/extras';

/** 1-based line of the first line containing `text` at or after the line containing `after`. */
function lineOf(file: string, text: string, after?: string): number {
  const lines = readFileSync(join(REPO, file), 'utf8').split('\n');
  const start = after === undefined ? 0 : lines.findIndex((line) => line.includes(after));
  assert.ok(start >= 0, `${after} in ${file}`);
  const index = lines.findIndex((line, i) => i >= start && line.includes(text));
  assert.ok(index >= 0, `${text} in ${file}`);
  return index + 1;
}

interface Citation {
  file?: string;
  line?: number;
}
interface PolicyJson {
  namespace: string;
  name: string;
  policyTypes: string[];
  at: Citation;
}
interface RuleJson {
  policy: { namespace: string; name: string };
  direction: string;
  index: number;
  path: string;
  peers: string[] | 'all';
  ports: string;
  at: Citation;
}
interface SideJson {
  endpoint: string | null;
  status: string;
  isolatedBy: PolicyJson[];
  allowedBy: { rule: RuleJson; peer: { index: number; path: string; text: string; at: Citation } | null; certainty: string; ports: string }[];
  ports: string;
  possiblePorts: string;
}
interface ReachJson {
  query: { from: string; to: string; port: string | null };
  sources: {
    source: string;
    from: Record<string, unknown>;
    to: Record<string, unknown>;
    verdict: string;
    ports: string;
    unknownPorts: string;
    policyVerdict: string;
    egress: SideJson;
    ingress: SideJson;
    foreign: { kind: string; name: string }[];
    exposedBy: { kind: string; name: string; text: string }[];
    notes: { code: string; message: string }[];
  }[];
}
interface ResultJson {
  verdict: string;
  ports: string;
  unknownPorts: string;
}
interface ExternalJson {
  status: string;
  verdict: string;
  entries: { ports: string; addresses: string }[];
  allowedBy: RuleJson[];
  foreign: string[];
}
interface MatrixJson {
  by: string;
  port: string | null;
  sources: {
    source: string;
    workloads: { id: string; namespace: string; kind: string; name: string; class: number; singlePod: boolean; at: Citation }[];
    results: ResultJson[];
    matrix: number[][];
    external: { workload: string; egress: ExternalJson; ingress: ExternalJson; exposedBy: { kind: string; text: string }[] }[];
    summary: { workloads: number; classes: number; pairs: number; allowed: number; unknown: number; denied: number };
  }[];
}
interface ClassMatrixJson {
  by: string;
  sources: {
    classes: { index: number; namespace: string; rowKey: number; columnKey: number; workloads: string[]; singlePod: string[] }[];
    results: ResultJson[];
    defaults: (number | null)[][];
    exceptions: [number, number, number][];
    external: { class: number; egress: ExternalJson; ingress: ExternalJson }[];
    summary: { pairs: number; allowed: number; rowKeys: number; columnKeys: number };
  }[];
}
interface DiffJson {
  old: { input: string; workloads: number };
  new: { input: string; workloads: number };
  workloads: { common: number; added: string[]; removed: string[] };
  opened: { from: string; to: string; ports: string; before: ResultJson | null; after: ResultJson | null; allowedBy: { direction: string; status: string; rules: RuleJson[] }[] }[];
  closed: { from: string; to: string; ports: string; before: ResultJson | null; after: ResultJson | null }[];
  external: { opened: unknown[]; closed: unknown[] };
  summary: Record<string, number>;
  failOnOpen: boolean;
  exitCode: number;
}

function reachJson(args: readonly string[]): ReachJson['sources'][number] {
  const result = runCli(['netpol', 'reach', '--format', 'json', ...args]);
  assert.equal(result.code, 0, result.stderr);
  const parsed = JSON.parse(result.stdout) as ReachJson;
  assert.equal(parsed.sources.length, 1);
  return parsed.sources[0]!;
}

function cell(source: MatrixJson['sources'][number], from: string, to: string): ResultJson {
  const i = source.workloads.findIndex((w) => w.id === from);
  const j = source.workloads.findIndex((w) => w.id === to);
  assert.ok(i >= 0 && j >= 0, `${from} and ${to} in the matrix`);
  return source.results[source.matrix[i]![j]!]!;
}

describe('palisade netpol', () => {
  test('help lists the subcommands; palisade --help lists netpol', () => {
    const help = runCli(['netpol', '--help']);
    assert.equal(help.code, 0);
    for (const sub of ['reach', 'matrix', 'diff', 'graph']) assert.match(help.stdout, new RegExp(`^  ${sub} `, 'm'));
    assert.equal(runCli(['netpol']).code, 2, 'no subcommand: usage, exit 2');
    assert.match(runCli(['--help']).stdout, /netpol SUBCOMMAND/);
    assert.equal(runCli(['help', 'netpol']).stdout, help.stdout);
    for (const sub of ['reach', 'matrix', 'diff', 'graph']) {
      const subHelp = runCli(['netpol', sub, '--help']);
      assert.equal(subHelp.code, 0);
      assert.match(subHelp.stdout, new RegExp(`^Usage: palisade netpol ${sub} `));
      assert.match(subHelp.stdout, /Exit codes:/);
    }
  });
});

describe('palisade netpol reach', () => {
  const policies = `${BEFORE}/shop/policies.yaml`;
  const db = `${BEFORE}/data/db.yaml`;

  test('allowed: both sides, the isolating policies and the rule, peer and ports that allow, with file:line', () => {
    const answer = reachJson(['--from', 'shop/frontend', '--to', 'shop/backend', '--port', '9000/tcp', BEFORE]);
    assert.equal(answer.verdict, 'allowed');
    assert.equal(answer.ports, 'tcp/9000', 'the named port api resolves to 9000 on the backend');
    assert.equal(answer.to['id'], 'shop/Deployment/backend');
    assert.equal(answer.egress.status, 'isolated');
    assert.deepEqual(answer.egress.isolatedBy.map((p) => p.name), ['allow-dns', 'default-deny', 'frontend']);
    const deny = answer.egress.isolatedBy.find((p) => p.name === 'default-deny')!;
    assert.deepEqual(deny.at, { file: policies, line: lineOf(policies, 'podSelector', 'name: default-deny') });
    assert.equal(answer.egress.allowedBy.length, 1);
    const egress = answer.egress.allowedBy[0]!;
    assert.equal(egress.rule.path, 'spec.egress[0]');
    assert.deepEqual(egress.rule.policy, { namespace: 'shop', name: 'frontend' });
    assert.equal(egress.rule.ports, 'tcp/api');
    assert.equal(egress.ports, 'tcp/9000');
    assert.equal(egress.peer?.text, 'podSelector {app=backend}');
    assert.deepEqual(egress.rule.at, { file: policies, line: lineOf(policies, '- to:', 'name: frontend') });
    const ingress = answer.ingress.allowedBy[0]!;
    assert.equal(ingress.rule.path, 'spec.ingress[0]');
    assert.deepEqual(ingress.rule.policy, { namespace: 'shop', name: 'backend' });
    assert.ok(answer.notes.some((n) => n.code === 'labels-decide'));

    const text = runCli(['netpol', 'reach', '--from', 'shop/frontend', '--to', 'shop/Deployment/backend', '-p', '9000', BEFORE]);
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^shop\/Deployment\/frontend → shop\/Deployment\/backend, tcp\/9000: allowed/);
    assert.ok(text.stdout.includes(`NetworkPolicy shop/frontend spec.egress[0] to podSelector {app=backend}  ${policies}:${lineOf(policies, '- podSelector', 'name: frontend')}`), text.stdout);
  });

  test('denied: the isolating policies of each side named, with file:line, and why', () => {
    const answer = reachJson(['--from', 'shop/frontend', '--to', 'data/db', BEFORE]);
    assert.equal(answer.verdict, 'denied');
    assert.equal(answer.ports, 'none');
    assert.equal(answer.ingress.status, 'isolated');
    assert.deepEqual(answer.ingress.allowedBy, []);
    const isolating = answer.ingress.isolatedBy.find((p) => p.name === 'default-deny-ingress')!;
    assert.deepEqual(isolating.policyTypes, ['Ingress']);
    assert.deepEqual(isolating.at, { file: db, line: lineOf(db, 'podSelector', 'name: default-deny-ingress') });
    assert.deepEqual(answer.egress.allowedBy, []);

    const text = runCli(['netpol', 'reach', '--from', 'shop/frontend', '--to', 'data/db', BEFORE]);
    assert.match(text.stdout, /: denied\n/);
    assert.ok(text.stdout.includes(`NetworkPolicy data/default-deny-ingress  ${db}:${lineOf(db, 'podSelector', 'name: default-deny-ingress')}`), text.stdout);
    assert.match(text.stdout, /no rule of them allows shop\/Deployment\/frontend/);
    assert.match(text.stdout, /^Denied by both sides\.$/m);
  });

  test('a port the pair does not share: denied on that port, with the ports each side allows', () => {
    const answer = reachJson(['--from', 'shop/backend', '--to', 'data/db', '--port', '80', BEFORE]);
    assert.equal(answer.verdict, 'denied');
    assert.equal(answer.ports, 'tcp/5432', 'every allowed port is listed, whatever --port asks');
    const text = runCli(['netpol', 'reach', '--from', 'shop/backend', '--to', 'data/db', '--port', '80', BEFORE]);
    assert.match(text.stdout, /tcp\/80: denied \(allowed on: tcp\/5432\)/);
    assert.match(text.stdout, /Denied on tcp\/80 by both sides/);
  });

  test('outside: an address, anywhere; the Ingress and LoadBalancer Service that expose a workload are noted', () => {
    const frontend = reachJson(['--from', 'outside', '--to', 'shop/frontend', BEFORE]);
    assert.equal(frontend.verdict, 'denied');
    assert.equal(frontend.egress.status, 'external');
    assert.deepEqual(frontend.exposedBy.map((e) => e.text), ['Ingress shop/web (host shop.example.com) → Service frontend']);
    assert.ok(frontend.notes.some((n) => n.code === 'exposed-by-ingress' && n.message.includes("ingress controller's pods")));
    const controller = reachJson(['--from', 'ip:203.0.113.9', '--to', 'ingress-nginx/controller', '--port', '443', BEFORE]);
    assert.equal(controller.verdict, 'allowed');
    assert.deepEqual(controller.from, { address: '203.0.113.9' });
    assert.ok(controller.notes.some((n) => n.code === 'exposed-by-service'));
    const egress = reachJson(['--from', 'data/db', '--to', 'ip:2001:db8::/32', BEFORE]);
    assert.equal(egress.verdict, 'allowed', 'db egress is not isolated');
  });

  test('a workload to itself: two of its replicas follow the policies; a single pod always reaches itself', () => {
    const db = reachJson(['--from', 'data/db', '--to', 'data/db', BEFORE]);
    assert.equal(db.verdict, 'denied', 'the 3 replicas of db are cut off from each other by default-deny-ingress');
    const text = runCli(['netpol', 'reach', '--from', 'data/db', '--to', 'data/db', BEFORE]);
    assert.match(text.stdout, /^data\/StatefulSet\/db → data\/StatefulSet\/db \(between two of its pods\), any port: denied/);
    const probe = reachJson(['--from', 'lab/probe', '--to', 'lab/probe', EXTRAS]);
    assert.equal(probe.verdict, 'allowed');
    assert.equal(probe.egress.status, 'self');
  });

  test('notes: named ports a destination does not define, host network, foreign policies', () => {
    const named = reachJson(['--from', 'lab/probe', '--to', 'lab/StatefulSet/web', EXTRAS]);
    assert.equal(named.verdict, 'denied');
    assert.ok(named.notes.some((n) => n.code === 'named-port-undefined'), JSON.stringify(named.notes));
    assert.equal(reachJson(['--from', 'lab/probe', '--to', 'lab/Deployment/web', EXTRAS]).ports, 'tcp/9090');
    const host = reachJson(['--from', 'lab/agent', '--to', 'lab/Deployment/web', EXTRAS]);
    assert.equal(host.verdict, 'unknown');
    assert.equal(host.egress.status, 'host-network');
    assert.ok(host.notes.some((n) => n.code === 'host-network-source'));
    const foreign = reachJson(['--from', 'lab/probe', '--to', 'mesh/api', EXTRAS]);
    assert.equal(foreign.verdict, 'unknown');
    assert.equal(foreign.policyVerdict, 'allowed');
    assert.deepEqual(foreign.foreign.map((f) => `${f.kind}/${f.name}`), ['CiliumNetworkPolicy/api-l7']);
  });

  test('reads stdin like scan', () => {
    const input = ['namespaces.yaml', 'shop/frontend.yaml', 'shop/backend.yaml', 'shop/policies.yaml'].map((f) => readFileSync(join(REPO, BEFORE, f), 'utf8')).join('\n---\n');
    const result = runCli(['netpol', 'reach', '--from', 'shop/frontend', '--to', 'shop/backend', '-f', 'json', '-'], { input });
    assert.equal(result.code, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as ReachJson).sources[0]!.verdict, 'allowed');
  });
});

describe('palisade netpol matrix', () => {
  test('--format json: workloads, interned results, a row of result indices per workload, outside access', () => {
    const result = runCli(['netpol', 'matrix', '--format', 'json', BEFORE]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as MatrixJson;
    assert.equal(parsed.by, 'workload');
    assert.equal(parsed.port, null);
    const source = parsed.sources[0]!;
    assert.deepEqual(
      source.workloads.map((w) => w.id),
      ['data/StatefulSet/db', 'ingress-nginx/Deployment/controller', 'shop/Deployment/backend', 'shop/Deployment/frontend'],
    );
    assert.deepEqual(source.workloads[0]!.at, { file: `${BEFORE}/data/db.yaml`, line: 1 });
    assert.equal(source.matrix.length, 4);
    assert.ok(source.matrix.every((row) => row.length === 4));
    assert.deepEqual(cell(source, 'shop/Deployment/backend', 'data/StatefulSet/db'), { verdict: 'allowed', ports: 'tcp/5432', unknownPorts: 'none' });
    assert.deepEqual(cell(source, 'ingress-nginx/Deployment/controller', 'shop/Deployment/frontend'), { verdict: 'allowed', ports: 'tcp/8080', unknownPorts: 'none' });
    assert.equal(cell(source, 'shop/Deployment/frontend', 'data/StatefulSet/db').verdict, 'denied');
    assert.equal(cell(source, 'data/StatefulSet/db', 'data/StatefulSet/db').verdict, 'denied', 'the diagonal: two replicas');
    assert.deepEqual(source.summary, { workloads: 4, classes: 4, pairs: 16, allowed: 5, unknown: 0, denied: 11 });
    const frontend = source.external.find((e) => e.workload === 'shop/Deployment/frontend')!;
    assert.equal(frontend.egress.verdict, 'denied');
    assert.equal(frontend.ingress.status, 'isolated');
    assert.deepEqual(frontend.exposedBy.map((e) => e.kind), ['Ingress']);
    const controller = source.external.find((e) => e.workload === 'ingress-nginx/Deployment/controller')!;
    assert.deepEqual(controller.ingress.entries, [{ ports: 'all ports', addresses: '0.0.0.0/0, ::/0' }]);

    const port = JSON.parse(runCli(['netpol', 'matrix', '-f', 'json', '--port', '8080', BEFORE]).stdout) as MatrixJson;
    assert.equal(port.port, 'tcp/8080');
    assert.equal(cell(port.sources[0]!, 'shop/Deployment/backend', 'data/StatefulSet/db').verdict, 'denied', 'verdicts for the port');
    assert.equal(cell(port.sources[0]!, 'shop/Deployment/backend', 'data/StatefulSet/db').ports, 'tcp/5432');
  });

  test('--format csv: one line per ordered pair and per workload to and from outside', () => {
    const result = runCli(['netpol', 'matrix', '--format', 'csv', BEFORE]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'from,to,verdict,ports,unknown_ports');
    assert.equal(lines.length, 1 + 16 + 4 + 4);
    assert.ok(lines.includes('shop/Deployment/backend,data/StatefulSet/db,allowed,tcp/5432,none'));
    assert.ok(lines.includes('shop/Deployment/frontend,data/StatefulSet/db,denied,none,none'));
    assert.ok(lines.includes('outside,ingress-nginx/Deployment/controller,allowed,all ports,none'));
    assert.ok(lines.includes('shop/Deployment/frontend,outside,denied,none,none'));
  });

  test('--by class: classes, defaults per (row key, column key) and the exceptions reproduce every cell', () => {
    const workloads = (JSON.parse(runCli(['netpol', 'matrix', '-f', 'json', BEFORE]).stdout) as MatrixJson).sources[0]!;
    const result = runCli(['netpol', 'matrix', '-f', 'json', '--by', 'class', BEFORE]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as ClassMatrixJson;
    assert.equal(parsed.by, 'class');
    const source = parsed.sources[0]!;
    const classOf = new Map(source.classes.flatMap((c) => c.workloads.map((w) => [w, c] as const)));
    const exceptions = new Map(source.exceptions.map(([from, to, id]) => [`${from},${to}`, id]));
    for (const from of workloads.workloads) {
      for (const to of workloads.workloads) {
        const s = classOf.get(from.id)!;
        const d = classOf.get(to.id)!;
        const id = from.id === to.id && s.singlePod.includes(from.id) ? undefined : (exceptions.get(`${s.index},${d.index}`) ?? source.defaults[s.rowKey]![d.columnKey]!);
        const expected = cell(workloads, from.id, to.id);
        if (id === undefined) assert.equal(expected.verdict, 'allowed');
        else assert.deepEqual(source.results[id], expected, `${from.id} -> ${to.id}`);
      }
    }
    assert.equal(source.summary.pairs, 16);
  });

  test('table: the grid with a legend, the connections with their ports, outside and exposure; -n restricts rows and columns', () => {
    const result = runCli(['netpol', 'matrix', BEFORE]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /✓ allowed {2}✗ denied {2}\? unknown/);
    assert.match(result.stdout, /^3 {2}shop\/Deployment\/backend +✓ ✗ ✗ ✗$/m);
    assert.match(result.stdout, /shop\/Deployment\/frontend → shop\/Deployment\/backend +tcp\/9000/);
    assert.match(result.stdout, /ingress-nginx\/Deployment\/controller +everything \(not isolated\) +everything \(not isolated\) +Service ingress-nginx\/ingress-nginx-controller \(LoadBalancer\)/);
    const shop = runCli(['netpol', 'matrix', '-n', 'shop', BEFORE]);
    assert.equal(shop.code, 0);
    assert.match(shop.stdout, /^1 {2}shop\/Deployment\/backend/m);
    assert.doesNotMatch(shop.stdout, /data\/StatefulSet\/db/);
  });
});

describe('palisade netpol diff', () => {
  test('before → after opens frontend → db and closes backend → db; workloads matched across moved files', () => {
    const result = runCli(['netpol', 'diff', BEFORE, AFTER]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /^4 workloads in both; 0 added; 0 removed$/m);
    assert.match(result.stdout, /^Opened \(1 connection\):\n {2}\+ shop\/Deployment\/frontend → data\/StatefulSet\/db {2}tcp\/5432 {2}\(denied → allowed\)$/m);
    assert.match(result.stdout, /^Closed \(1 connection\):\n {2}- shop\/Deployment\/backend → data\/StatefulSet\/db {2}tcp\/5432 {2}\(allowed → denied\)$/m);
    assert.ok(result.stdout.includes(`now egress: NetworkPolicy shop/frontend spec.egress[1] (${AFTER}/network-policies.yaml:`), result.stdout);
    assert.match(result.stdout, /^Result: the change opens 1 connection; closes 1 connection\.$/m);

    const json = runCli(['netpol', 'diff', '--format', 'json', BEFORE, AFTER]);
    const parsed = JSON.parse(json.stdout) as DiffJson;
    assert.deepEqual(parsed.workloads, { common: 4, added: [], removed: [] });
    assert.deepEqual(
      parsed.opened.map((c) => [c.from, c.to, c.ports, c.before?.verdict, c.after?.verdict]),
      [['shop/Deployment/frontend', 'data/StatefulSet/db', 'tcp/5432', 'denied', 'allowed']],
    );
    assert.deepEqual(
      parsed.closed.map((c) => [c.from, c.to, c.ports, c.before?.verdict, c.after?.verdict]),
      [['shop/Deployment/backend', 'data/StatefulSet/db', 'tcp/5432', 'allowed', 'denied']],
    );
    assert.deepEqual(parsed.opened[0]!.allowedBy.map((side) => side.rules.map((r) => `${r.policy.name} ${r.path}`)), [['frontend spec.egress[1]'], ['db spec.ingress[0]']]);
    assert.deepEqual(parsed.external, { opened: [], closed: [] });
    assert.equal(parsed.exitCode, 0);
  });

  test('--fail-on-open: exit 1 when the change opens something, 0 when it does not', () => {
    const opens = runCli(['netpol', 'diff', '--fail-on-open', BEFORE, AFTER]);
    assert.equal(opens.code, 1);
    assert.match(opens.stdout, /Failing \(--fail-on-open\)\.$/m);
    assert.equal((JSON.parse(runCli(['netpol', 'diff', '--fail-on-open', '-f', 'json', BEFORE, AFTER]).stdout) as DiffJson).exitCode, 1);
    const back = runCli(['netpol', 'diff', '--fail-on-open', AFTER, BEFORE]);
    assert.equal(back.code, 1, 'the reverse change opens backend → db');
    const same = runCli(['netpol', 'diff', '--fail-on-open', BEFORE, `${AFTER}/app.yaml`]);
    assert.equal(same.code, 1, 'dropping every policy opens everything');
    const none = runCli(['netpol', 'diff', '--fail-on-open', BEFORE, BEFORE]);
    assert.equal(none.code, 0);
    assert.match(none.stdout, /^No change in reachability\.$/m);
  });

  test('a snapshot as OLD: its ReplicaSets and Pods count as their Deployment, so workloads compare by identity', () => {
    const files = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? files(join(dir, name)) : [join(dir, name)]));
    const items = files(join(REPO, BEFORE)).flatMap((file) => loadAll(readFileSync(file, 'utf8')) as Record<string, unknown>[]);
    const frontend = items.find((o) => o['kind'] === 'Deployment' && (o['metadata'] as { name: string }).name === 'frontend')! as { spec: { template: { metadata: { labels: Record<string, string> } } } };
    const labels = { ...frontend.spec.template.metadata.labels, 'pod-template-hash': '5d8f7c9b6' };
    const owner = (kind: string, name: string): Record<string, unknown>[] => [{ apiVersion: 'apps/v1', kind, name, uid: `uid-${name}`, controller: true }];
    items.push(
      { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'frontend-5d8f7c9b6', namespace: 'shop', ownerReferences: owner('Deployment', 'frontend') }, spec: { replicas: 2, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'frontend-5d8f7c9b6-x2x9p', namespace: 'shop', labels, ownerReferences: owner('ReplicaSet', 'frontend-5d8f7c9b6') }, spec: { containers: [{ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } },
    );
    const snapshot = join(tempDir(), 'before.json');
    writeFileSync(snapshot, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }, null, 2));
    const result = runCli(['netpol', 'diff', '-f', 'json', snapshot, AFTER]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as DiffJson;
    assert.deepEqual(parsed.workloads, { common: 4, added: [], removed: [] });
    assert.deepEqual(parsed.opened.map((c) => `${c.from} -> ${c.to} ${c.ports}`), ['shop/Deployment/frontend -> data/StatefulSet/db tcp/5432']);
    assert.deepEqual(parsed.closed.map((c) => `${c.from} -> ${c.to} ${c.ports}`), ['shop/Deployment/backend -> data/StatefulSet/db tcp/5432']);
  });

  test('added and removed workloads open and close all their connections', () => {
    const result = runCli(['netpol', 'diff', '-f', 'json', `${BEFORE}/shop`, BEFORE]);
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as DiffJson;
    assert.deepEqual(parsed.workloads.added, ['data/StatefulSet/db', 'ingress-nginx/Deployment/controller']);
    assert.ok(parsed.opened.some((c) => c.from === 'ingress-nginx/Deployment/controller' && c.to === 'shop/Deployment/frontend' && c.before === null && c.ports === 'tcp/8080'));
    assert.ok((parsed.external.opened as { workload: string }[]).some((c) => c.workload === 'ingress-nginx/Deployment/controller'));
  });
});

describe('palisade netpol graph', () => {
  test('dot and json are byte-identical run to run; nodes by namespace, edges with ports', () => {
    const dot = runCli(['netpol', 'graph', BEFORE]);
    assert.equal(dot.code, 0, dot.stderr);
    assert.equal(runCli(['netpol', 'graph', BEFORE]).stdout, dot.stdout);
    assert.match(dot.stdout, /^digraph "netpol" \{/);
    assert.match(dot.stdout, /subgraph "cluster_ns_shop" \{/);
    assert.match(dot.stdout, /"shop\/Deployment\/frontend" -> "shop\/Deployment\/backend" \[label="tcp\/9000"\];/);
    assert.match(dot.stdout, /"outside" -> "ingress-nginx\/Deployment\/controller" \[label="all ports from anywhere"\];/);
    const json = runCli(['netpol', 'graph', '--format', 'json', BEFORE]);
    assert.equal(json.code, 0);
    assert.equal(runCli(['netpol', 'graph', '--format', 'json', BEFORE]).stdout, json.stdout);
    const graph = JSON.parse(json.stdout) as { sources: { nodes: { id: string; kind: string; namespace?: string }[]; edges: { from: string; to: string; ports: string; verdict: string }[] }[] };
    const { nodes, edges } = graph.sources[0]!;
    assert.deepEqual(nodes.map((n) => n.id), ['outside', 'data/StatefulSet/db', 'ingress-nginx/Deployment/controller', 'shop/Deployment/backend', 'shop/Deployment/frontend']);
    assert.ok(edges.some((e) => e.from === 'shop/Deployment/backend' && e.to === 'data/StatefulSet/db' && e.ports === 'tcp/5432'));
    assert.ok(!edges.some((e) => e.from === 'shop/Deployment/frontend' && e.to === 'data/StatefulSet/db'));
    const other = runCli(['netpol', 'graph', '--format', 'json', AFTER]);
    assert.ok((JSON.parse(other.stdout) as typeof graph).sources[0]!.edges.some((e) => e.from === 'shop/Deployment/frontend' && e.to === 'data/StatefulSet/db'));
  });
});

describe('palisade netpol usage and input errors', () => {
  const cases: [string, readonly string[], RegExp][] = [
    ['unknown subcommand', ['netpol', 'nope'], /unknown netpol subcommand "nope"/],
    ['reach without --from', ['netpol', 'reach', '--to', 'shop/frontend', BEFORE], /needs --from/],
    ['reach with an unknown workload', ['netpol', 'reach', '--from', 'shop/fronted', '--to', 'data/db', BEFORE], /--from shop\/fronted: no such workload; workloads in shop: shop\/Deployment\/backend, shop\/Deployment\/frontend/],
    ['reach with an unknown namespace', ['netpol', 'reach', '--from', 'shop/frontend', '--to', 'db/db', BEFORE], /no workload in namespace db; namespaces with workloads: data, ingress-nginx, shop/],
    ['reach with an ambiguous name', ['netpol', 'reach', '--from', 'lab/probe', '--to', 'lab/web', EXTRAS], /lab\/web names 2 workloads: lab\/Deployment\/web, lab\/StatefulSet\/web; give NS\/KIND\/NAME/],
    ['reach with a bad target', ['netpol', 'reach', '--from', 'frontend', '--to', 'data/db', BEFORE], /expected NS\/WORKLOAD or NS\/KIND\/NAME/],
    ['reach with a bad address', ['netpol', 'reach', '--from', 'ip:10.0.0.300', '--to', 'data/db', BEFORE], /not an IP address or CIDR/],
    ['reach with a bad port', ['netpol', 'reach', '--from', 'shop/frontend', '--to', 'data/db', '--port', 'http', BEFORE], /--port expects PORT\[\/PROTOCOL\]/],
    ['reach without input', ['netpol', 'reach', '--from', 'shop/frontend', '--to', 'data/db'], /needs at least one PATH/],
    ['reach with a missing path', ['netpol', 'reach', '--from', 'shop/frontend', '--to', 'data/db', 'test/fixtures/netpol/missing'], /missing: .*\(not-found\)/],
    ['matrix with a bad format', ['netpol', 'matrix', '--format', 'xml', BEFORE], /--format must be one of table, json, csv/],
    ['matrix --by class as a table', ['netpol', 'matrix', '--by', 'class', BEFORE], /--by class is a JSON form/],
    ['matrix -n of no workload', ['netpol', 'matrix', '-n', 'nowhere', BEFORE], /no workload in namespace nowhere/],
    ['diff with one path', ['netpol', 'diff', BEFORE], /needs OLD and NEW/],
    ['diff with --cluster', ['netpol', 'diff', '--cluster', BEFORE, AFTER], /Unknown option '--cluster'/],
    ['graph with an unknown option', ['netpol', 'graph', '--bogus', BEFORE], /Unknown option '--bogus'/],
  ];
  for (const [name, args, message] of cases) {
    test(`${name}: exit 2, one line on stderr`, () => {
      const result = runCli(args);
      assert.equal(result.code, 2, `${result.stdout}\n${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr.split('\n').filter((line) => line !== '').length, 1, result.stderr);
      assert.match(result.stderr, /^palisade: /);
      assert.match(result.stderr, message);
    });
  }
});
