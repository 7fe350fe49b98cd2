// The data the HTML report's script reads, as compact JSON embedded in a <script type="application/json">:
// findings as tuples whose repeated parts (rule texts, resources, files, control lists) are tables of their own,
// so 50,000 findings stay a few megabytes and parse in a blink. Every `<` is written \u003c (and U+2028/U+2029
// escaped), so no string of the report can close the script element. Pure.
import type { Finding, SuppressedFinding } from '../../core/findings.ts';
import { clusterLabel, isClusterLocation, SEVERITIES } from '../../core/model.ts';
import type { ReportContext } from '../../core/report.ts';

/**
 * The layout of a finding tuple (app.ts reads the same positions): rule (index into `rules`), severity (index into
 * `severities`), message, resource (index into `resources`), source (index into `sources`: the file, or
 * `cluster:<context>`), line, column (0 on live objects), path, controls (index into `controls`), fingerprint,
 * template (Helm), uid (live objects); suppressed findings add suppression source, reason and expiry.
 */
export const FINDING_TUPLE = ['rule', 'severity', 'message', 'resource', 'source', 'line', 'column', 'path', 'controls', 'fingerprint', 'template', 'uid', 'suppressionSource', 'reason', 'expires'] as const;

export const DATA_VERSION = 1;

/** JSON that can sit inside a <script> element: `<`, U+2028 and U+2029 escaped (still the same JSON value). */
export function scriptSafe(json: string): string {
  return json.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

class Interner<K> {
  readonly values: K[] = [];
  readonly #ids = new Map<string, number>();
  id(key: string, value: () => K): number {
    let id = this.#ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.values.push(value());
      this.#ids.set(key, id);
    }
    return id;
  }
}

type Tuple = (string | number)[];

/** The embedded data, in pieces (each already script-safe); their concatenation is one JSON object. */
export function* dataChunks(context: ReportContext, batch = 2000): Generator<string> {
  const { report } = context;
  const rationale = new Map(context.rules.map((rule) => [rule.id, rule.rationale]));
  const rules = new Interner<[string, string, string, string, string]>();
  const resources = new Interner<[string, string, string, string]>();
  const sources = new Interner<string>();
  const controls = new Interner<readonly string[]>();
  const servers: Record<string, string> = {};
  const severityIndex = new Map(SEVERITIES.map((severity, index) => [severity, index]));

  const tuple = (finding: Finding): Tuple => {
    const rule = rules.id(`${finding.ruleId}\u0000${finding.title}\u0000${finding.category}\u0000${finding.remediation}`, () => [
      finding.ruleId,
      finding.title,
      finding.category,
      finding.remediation,
      rationale.get(finding.ruleId) ?? '',
    ]);
    const { resource, location } = finding;
    const resourceId = resources.id(`${resource.apiVersion}\u0000${resource.kind}\u0000${resource.namespace ?? ''}\u0000${resource.name}`, () => [
      resource.apiVersion,
      resource.kind,
      resource.namespace ?? '',
      resource.name,
    ]);
    const controlsId = controls.id(finding.controls.join('\u0000'), () => finding.controls);
    if (isClusterLocation(location)) {
      const label = clusterLabel(location.cluster);
      servers[label] = location.cluster.server;
      const source = sources.id(label, () => label);
      return [rule, severityIndex.get(finding.severity)!, finding.message, resourceId, source, 0, 0, location.path, controlsId, finding.fingerprint, '', location.object.uid ?? ''];
    }
    const source = sources.id(location.file, () => location.file);
    return [rule, severityIndex.get(finding.severity)!, finding.message, resourceId, source, location.line, location.column, location.path, controlsId, finding.fingerprint, location.template ?? '', ''];
  };
  const suppressedTuple = (finding: SuppressedFinding): Tuple => [
    ...tuple(finding),
    finding.suppression.source,
    finding.suppression.reason,
    finding.suppression.expires ?? '',
  ];

  // Findings first (they fill the tables), the tables after them.
  yield `{"v":${DATA_VERSION},"severities":${JSON.stringify(SEVERITIES)},"findings":[`;
  yield* tuples(report.findings, tuple, batch);
  yield '],"suppressed":[';
  yield* tuples(report.suppressed, suppressedTuple, batch);
  yield `],"rules":${scriptSafe(JSON.stringify(rules.values))}`;
  yield `,"resources":${scriptSafe(JSON.stringify(resources.values))}`;
  yield `,"sources":${scriptSafe(JSON.stringify(sources.values))}`;
  yield `,"servers":${scriptSafe(JSON.stringify(servers))}`;
  yield `,"controls":${scriptSafe(JSON.stringify(controls.values))}`;
  yield `,"graphs":${scriptSafe(JSON.stringify(report.graphs ?? {}))}}`;
}

function* tuples<T>(items: readonly T[], toTuple: (item: T) => Tuple, batch: number): Generator<string> {
  for (let start = 0; start < items.length; start += batch) {
    const parts: string[] = [];
    for (let i = start; i < Math.min(items.length, start + batch); i++) parts.push(JSON.stringify(toTuple(items[i]!)));
    yield `${start === 0 ? '' : ','}${scriptSafe(parts.join(','))}`;
  }
}
