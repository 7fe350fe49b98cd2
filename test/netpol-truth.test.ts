// NetworkPolicy truth table: every case in test/fixtures/netpol-truth/*.yaml is a small cluster (Namespaces,
// workloads, NetworkPolicies, sometimes foreign policies) with header lines
//
//   # case: <the semantic point exercised, citing the doc section>
//   # expect: <from> -> <to> <port> <verdict>
//
// where <from>/<to> is `ns/name` of a workload (any kind; unique within its namespace in a case) or `ip:<address>`,
// <port> is `tcp/80`, `udp/53`, `sctp/9000` or `any` (allowed if some port is), and <verdict> is allowed, denied or
// unknown. Each expectation is checked against reach() (the reference semantics) and against the matrix (the
// class-based computation every rule and command uses for whole clusters): both must give the expected verdict.
// A mismatch names the case file and line and explains what the analyser saw.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  buildNetworkModel,
  describeRuleMatch,
  externalVerdict,
  formatPorts,
  isExternal,
  matrix,
  parsePortQuery,
  reach,
  resolveTarget,
  type NetworkModel,
  type PortQuery,
  type ReachResult,
  type SideResult,
  type Target,
} from '../src/analysers/netpol/index.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate } from '../src/core/pod-templates.ts';
import { parseManifests } from '../src/source/index.ts';
import { REPO } from './cli-helpers.ts';

const DIRECTORY = join(REPO, 'test', 'fixtures', 'netpol-truth');
const VERDICTS = ['allowed', 'denied', 'unknown'] as const;
type ExpectedVerdict = (typeof VERDICTS)[number];

interface Expectation {
  readonly line: number;
  readonly text: string;
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly verdict: ExpectedVerdict;
}

interface TruthCase {
  readonly file: string;
  readonly description: string | undefined;
  readonly expectations: readonly Expectation[];
  /** Header lines that do not parse. */
  readonly malformed: readonly string[];
  readonly text: string;
}

const EXPECT = /^#\s*expect:\s*(\S+)\s+->\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;

/** Header: the comment lines before the first document. */
export function parseCase(file: string, text: string): TruthCase {
  const expectations: Expectation[] = [];
  const malformed: string[] = [];
  let description: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line === '---') continue;
    if (!line.startsWith('#')) break;
    const where = `${file}:${i + 1}`;
    if (/^#\s*case:/.test(line)) {
      description = line.replace(/^#\s*case:\s*/, '');
    } else if (/^#\s*expect:/.test(line)) {
      const match = EXPECT.exec(line);
      const verdict = match?.[4] as ExpectedVerdict | undefined;
      if (!match || !verdict || !VERDICTS.includes(verdict) || !parsePortQuery(match[3]!)) {
        malformed.push(`${where}: expected "# expect: <from> -> <to> <tcp/80|udp/53|sctp/9000|any> <allowed|denied|unknown>", got: ${line}`);
        continue;
      }
      expectations.push({ line: i + 1, text: line.replace(/^#\s*expect:\s*/, ''), from: match[1]!, to: match[2]!, port: match[3]!, verdict });
    }
  }
  return { file, description, expectations, malformed, text };
}

function buildModel(truth: TruthCase): NetworkModel {
  const parsed = parseManifests({ file: truth.file, text: truth.text });
  assert.deepEqual(parsed.errors, [], `${truth.file}: the manifests must parse`);
  const templates = parsed.objects.map((object) => findPodTemplate(object, BUILTIN_POD_TEMPLATE_LOCATIONS)).filter((t) => t !== undefined);
  return buildNetworkModel(parsed.objects, templates);
}

function describeSide(side: SideResult): string {
  const who = side.endpoint ? `${side.endpoint.id} ` : '';
  if (side.status !== 'isolated') return `${side.direction}: ${who}${side.status}`;
  const allowed = side.allowedBy.map((m) => `${describeRuleMatch(m)} → ${formatPorts(m.ports)}`);
  return `${side.direction}: ${who}isolated by ${side.isolatedBy.map((p) => p.id).join(', ')}; ${allowed.length ? `allowed by ${allowed.join('; ')}` : 'no rule matches'}`;
}

function explain(result: ReachResult): string {
  const lines = [
    `ports allowed: ${formatPorts(result.ports)}; unknown: ${formatPorts(result.unknownPorts)}`,
    describeSide(result.egress),
    describeSide(result.ingress),
    ...result.notes.map((note) => `note: ${note.message}`),
  ];
  return lines.map((line) => `      ${line}`).join('\n');
}

/** The matrix's answer for the same question (external ends through the per-class external access). */
function matrixVerdict(model: NetworkModel, from: Target, to: Target, port: PortQuery | undefined): string | undefined {
  const m = matrix(model);
  if (!isExternal(from) && !isExternal(to)) return m.verdict(from, to, port);
  if (!isExternal(from) && isExternal(to)) return externalVerdict(m.external(from, 'egress'), to.addresses, port);
  if (isExternal(from) && !isExternal(to)) return externalVerdict(m.external(to, 'ingress'), from.addresses, port);
  return undefined;
}

function check(truth: TruthCase): string[] {
  const failures = [...truth.malformed];
  if (!truth.description) failures.push(`${truth.file}: no "# case:" line`);
  if (truth.expectations.length === 0) failures.push(`${truth.file}: no "# expect:" lines`);
  const model = buildModel(truth);
  for (const expectation of truth.expectations) {
    const where = `${truth.file}:${expectation.line}`;
    const resolve = (ref: string): Target | string => {
      const targets = resolveTarget(model, ref);
      if (targets.length === 1) return targets[0]!;
      if (targets.length === 0) {
        const namespace = ref.split('/')[0]!;
        const known = model.endpoints.filter((e) => e.namespace === namespace).map((e) => e.id || '(unnamed)');
        return `${ref} names no workload or address (workloads of ${namespace}: ${known.join(', ') || 'none'}; an unquoted y/n/yes/no/on/off is a YAML 1.1 boolean, not a name)`;
      }
      return `${ref} names ${targets.length} workloads (${targets.map((t) => (isExternal(t) ? t.text : t.id)).join(', ')})`;
    };
    const from = resolve(expectation.from);
    const to = resolve(expectation.to);
    if (typeof from === 'string' || typeof to === 'string') {
      failures.push(`${where}: ${expectation.text}: ${[from, to].filter((t) => typeof t === 'string').join('; ')}`);
      continue;
    }
    const query = parsePortQuery(expectation.port)!;
    const port = 'any' in query ? undefined : query;
    const result = reach(model, from, to, port);
    if (result.verdict !== expectation.verdict) {
      failures.push(`${where}: ${expectation.text}: reach() says ${result.verdict}\n${explain(result)}`);
      continue;
    }
    const fromMatrix = matrixVerdict(model, from, to, port);
    if (fromMatrix !== undefined && fromMatrix !== expectation.verdict) {
      failures.push(`${where}: ${expectation.text}: reach() agrees but the matrix says ${fromMatrix}`);
    }
  }
  return failures;
}

const files = readdirSync(DIRECTORY).filter((name) => name.endsWith('.yaml')).sort();

describe('NetworkPolicy truth table', () => {
  test('there are cases', () => {
    assert.ok(files.length > 0, `no cases in ${DIRECTORY}`);
  });
  for (const file of files) {
    test(file, () => {
      const truth = parseCase(file, readFileSync(join(DIRECTORY, file), 'utf8'));
      const failures = check(truth);
      if (failures.length > 0) assert.fail(`${truth.description ?? file}\n${failures.join('\n')}`);
    });
  }
});
