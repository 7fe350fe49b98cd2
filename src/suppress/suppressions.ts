import type { ConfigSuppression } from '../config/config.ts';
import type { Finding, SuppressedFinding, Suppression } from '../core/findings.ts';
import { originLabel, type InventoryObject } from '../core/inventory.ts';
import { asObject, locationSource, type ObjectRef } from '../core/model.ts';
import type { SuppressionProblem } from '../core/report.ts';

/** The one annotation key for inline suppressions. Value: one `rule-id[,rule-id]: reason` per line. */
export const SUPPRESS_ANNOTATION = 'palisade.dev/suppress';

export interface SuppressionInput {
  readonly findings: readonly Finding[];
  readonly objects: readonly InventoryObject[];
  readonly entries: readonly ConfigSuppression[];
  readonly configFile: string | undefined;
  readonly allowInline: boolean;
  readonly knownRules: ReadonlySet<string>;
  /** Today as YYYY-MM-DD: an entry whose `expires` is before today no longer applies. */
  readonly today: string;
}

export interface SuppressionResult {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly problems: readonly SuppressionProblem[];
}

interface InlineSuppression {
  readonly rules: readonly string[];
  readonly reason: string;
  used: Set<string>;
}

function objectKey(file: string, ref: ObjectRef): string {
  return [file, ref.apiVersion, ref.kind, ref.namespace ?? '', ref.name].join('\u0000');
}

/** Glob with `*` only; everything else literal. */
export function globMatches(pattern: string, text: string): boolean {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`).test(text);
}

function entryMatches(entry: ConfigSuppression, finding: Finding): boolean {
  return (
    (entry.rule === '*' || entry.rule === finding.ruleId) &&
    (entry.kind === undefined || entry.kind === finding.resource.kind) &&
    (entry.namespace === undefined || globMatches(entry.namespace, finding.resource.namespace ?? '')) &&
    (entry.name === undefined || globMatches(entry.name, finding.resource.name)) &&
    (entry.path === undefined || globMatches(entry.path, finding.location.path))
  );
}

function describeEntry(entry: ConfigSuppression): string {
  const scope = [entry.kind, entry.namespace, entry.name].filter((part) => part !== undefined).join('/');
  return `suppression #${entry.index + 1} (rule ${entry.rule}${scope ? `, ${scope}` : ''})`;
}

function parseInline(
  object: InventoryObject,
  knownRules: ReadonlySet<string>,
  allowInline: boolean,
  problems: SuppressionProblem[],
): InlineSuppression[] {
  const value = asObject(asObject(object.object['metadata'])?.['annotations'])?.[SUPPRESS_ANNOTATION];
  if (value === undefined) return [];
  const invalid = (message: string): void => {
    problems.push({ kind: 'invalid', source: 'annotation', message, ...annotationPlace(object), resource: object.ref });
  };
  if (!allowInline) {
    invalid(`inline suppressions are disabled (allowInlineSuppressions: false); the ${SUPPRESS_ANNOTATION} annotation is ignored`);
    return [];
  }
  if (typeof value !== 'string') {
    invalid(`${SUPPRESS_ANNOTATION} must be a string of lines "rule-id[,rule-id]: reason"`);
    return [];
  }
  const result: InlineSuppression[] = [];
  for (const text of value.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
    const colon = text.indexOf(':');
    const rules = (colon === -1 ? text : text.slice(0, colon)).split(',').map((r) => r.trim()).filter((r) => r !== '');
    const reason = colon === -1 ? '' : text.slice(colon + 1).trim();
    if (reason === '') {
      invalid(`${SUPPRESS_ANNOTATION}: "${text}" has no reason; write "rule-id: why this is acceptable"`);
      continue;
    }
    const unknown = rules.filter((rule) => !knownRules.has(rule));
    if (unknown.length > 0 || rules.length === 0) {
      invalid(`${SUPPRESS_ANNOTATION}: unknown rule ${unknown.length ? unknown.map((r) => JSON.stringify(r)).join(', ') : '(none given)'}`);
      continue;
    }
    result.push({ rules, reason, used: new Set() });
  }
  return result;
}

/** Splits findings into kept and suppressed, and reports invalid, expired and unused suppressions. */
/** The file and line of an object's suppress annotation; live objects have no line. */
function annotationPlace(object: InventoryObject): { file: string; line?: number } {
  if (object.origin.type === 'cluster') return { file: originLabel(object.origin) };
  return { file: object.origin.file, line: object.locator.locate(['metadata', 'annotations', SUPPRESS_ANNOTATION]).line };
}

export function applySuppressions(input: SuppressionInput): SuppressionResult {
  const problems: SuppressionProblem[] = [];
  const inlineByObject = new Map<string, { object: InventoryObject; entries: InlineSuppression[] }>();
  for (const object of input.objects) {
    const entries = parseInline(object, input.knownRules, input.allowInline, problems);
    if (entries.length > 0) inlineByObject.set(objectKey(originLabel(object.origin), object.ref), { object, entries });
  }

  const active: ConfigSuppression[] = [];
  for (const entry of input.entries) {
    if (entry.expires !== undefined && entry.expires < input.today) {
      problems.push({
        kind: 'expired',
        source: 'config',
        message: `${describeEntry(entry)} expired on ${entry.expires}; its findings are reported again`,
        file: input.configFile ?? '.palisade.yaml',
        ...(entry.line !== undefined ? { line: entry.line } : {}),
      });
    } else {
      active.push(entry);
    }
  }
  const usedEntries = new Set<ConfigSuppression>();

  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const finding of input.findings) {
    let suppression: Suppression | undefined;
    const inline = inlineByObject.size === 0 ? undefined : inlineByObject.get(objectKey(locationSource(finding.location), finding.resource));
    const inlineEntry = inline?.entries.find((entry) => entry.rules.includes(finding.ruleId));
    if (inlineEntry) {
      inlineEntry.used.add(finding.ruleId);
      suppression = { source: 'annotation', reason: inlineEntry.reason };
    } else {
      const entry = active.find((candidate) => entryMatches(candidate, finding));
      if (entry) {
        usedEntries.add(entry);
        suppression = { source: 'config', reason: entry.reason, ...(entry.expires !== undefined ? { expires: entry.expires } : {}) };
      }
    }
    if (suppression) suppressed.push({ ...finding, suppression });
    else findings.push(finding);
  }

  for (const { object, entries } of inlineByObject.values()) {
    for (const entry of entries) {
      const unused = entry.rules.filter((rule) => !entry.used.has(rule));
      if (unused.length === 0) continue;
      problems.push({
        kind: 'unused',
        source: 'annotation',
        message: `${SUPPRESS_ANNOTATION} suppresses ${unused.join(', ')} but no such finding was reported on this object; remove it`,
        ...annotationPlace(object),
        resource: object.ref,
      });
    }
  }
  for (const entry of active) {
    if (usedEntries.has(entry)) continue;
    problems.push({
      kind: 'unused',
      source: 'config',
      message: `${describeEntry(entry)} matched no finding; remove it`,
      file: input.configFile ?? '.palisade.yaml',
      ...(entry.line !== undefined ? { line: entry.line } : {}),
    });
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)));
  return { findings, suppressed, problems };
}
