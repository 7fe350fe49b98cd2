import { apiGroupOf, type InventoryObject } from './inventory.ts';
import {
  asObject,
  compareStrings,
  deepestExistingPath,
  formatPath,
  isClusterLocation,
  locationSource,
  severityRank,
  type FindingLocation,
  type ObjectRef,
  type Path,
  type Severity,
} from './model.ts';
import { hash128Hex } from './hash.ts';

export interface Finding {
  readonly ruleId: string;
  /** Which of the rule's messages this is; stable, unlike the rendered message. */
  readonly messageId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly category: string;
  readonly message: string;
  readonly resource: ObjectRef;
  readonly location: FindingLocation;
  readonly controls: readonly string[];
  readonly remediation: string;
  /** Stable across reformatting: rule id, object identity and a semantic path (list items by name), no lines. */
  readonly fingerprint: string;
}

export interface Suppression {
  readonly source: 'annotation' | 'config';
  readonly reason: string;
  readonly expires?: string;
}

export interface SuppressedFinding extends Finding {
  readonly suppression: Suppression;
}

/** Fields that identify an item of a list, by the list's key; `name` for any other list. */
const ITEM_IDENTITY: Readonly<Record<string, readonly string[]>> = {
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  ports: ['name', 'containerPort'],
  hostAliases: ['ip'],
  probes: ['path'],
};

/** Lists of plain values whose order means nothing: capabilities, the API versions a server serves. */
const VALUE_SETS = new Set(['add', 'drop', 'servedAPIVersions']);

/**
 * Replaces list indices by what identifies the item (`containers[name=web]`, `volumeMounts[mountPath=/data]`), so
 * that reordering or inserting containers, env vars, volumes or mounts does not change a fingerprint.
 */
export function semanticPath(root: unknown, path: Path): string {
  const parts: string[] = [];
  let current: unknown = root;
  let listKey = '';
  for (const segment of path) {
    if (typeof segment === 'number') {
      const item = Array.isArray(current) ? current[segment] : undefined;
      if (VALUE_SETS.has(listKey) && (typeof item === 'string' || typeof item === 'number')) {
        // Lists that are sets of plain values are named by value: reordering them changes nothing.
        parts.push(`[=${String(item)}]`);
        current = item;
        continue;
      }
      const fields = ITEM_IDENTITY[listKey] ?? ['name'];
      const field = fields.find((candidate) => {
        const value = asObject(item)?.[candidate];
        return typeof value === 'string' || typeof value === 'number';
      });
      parts.push(field === undefined ? `[${segment}]` : `[${field}=${String(asObject(item)?.[field])}]`);
      current = item;
    } else {
      parts.push(`.${segment}`);
      listKey = segment;
      current = asObject(current)?.[segment];
    }
  }
  return parts.join('');
}

export function fingerprintOf(ruleId: string, ref: ObjectRef, object: unknown, path: Path): string {
  const identity = [ruleId, apiGroupOf(ref.apiVersion), ref.kind, ref.namespace ?? '', ref.name, semanticPath(object, path)];
  return hash128Hex(identity.join('\u0000'));
}

export interface FindingInput {
  readonly ruleId: string;
  readonly messageId: string;
  readonly severity: Severity;
  readonly title: string;
  readonly category: string;
  readonly message: string;
  readonly controls: readonly string[];
  readonly remediation: string;
  readonly object: InventoryObject;
  readonly path: Path;
}

export function makeFinding(input: FindingInput): Finding {
  const { object } = input;
  const existing = deepestExistingPath(object.object, input.path);
  const path = formatPath(existing);
  const origin = object.origin;
  let location: FindingLocation;
  if (origin.type === 'cluster') {
    const ref = object.ref;
    const uid = origin.uid;
    const where = ref.namespace === undefined ? { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name } : { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name };
    location = { cluster: origin.cluster, object: uid === undefined ? where : { ...where, uid }, path };
  } else {
    const position = object.locator.locate(existing);
    const { file, template } = origin;
    // Literal shapes, not spreads: a finding is kept for the whole scan and spread objects are larger.
    location =
      template === undefined
        ? { file, line: position.line, column: position.column, path }
        : { file, line: position.line, column: position.column, path, template };
  }
  return {
    ruleId: input.ruleId,
    messageId: input.messageId,
    severity: input.severity,
    title: input.title,
    category: input.category,
    message: input.message,
    resource: object.ref,
    location,
    controls: input.controls,
    remediation: input.remediation,
    fingerprint: fingerprintOf(input.ruleId, object.ref, object.object, input.path),
  };
}


function compareLocations(a: FindingLocation, b: FindingLocation): number {
  const bySource = compareStrings(locationSource(a), locationSource(b));
  if (bySource !== 0) return bySource;
  if (isClusterLocation(a) || isClusterLocation(b)) {
    if (!isClusterLocation(a) || !isClusterLocation(b)) return isClusterLocation(a) ? 1 : -1;
    return (
      compareStrings(a.object.namespace ?? '', b.object.namespace ?? '') ||
      compareStrings(a.object.kind, b.object.kind) ||
      compareStrings(a.object.name, b.object.name) ||
      compareStrings(a.object.apiVersion, b.object.apiVersion) ||
      compareStrings(a.path, b.path)
    );
  }
  return a.line - b.line || a.column - b.column;
}

/** Where (file, line, column; or cluster, namespace, kind, name, path), then rule and fingerprint: total and independent of the order rules ran in. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareLocations(a.location, b.location) ||
    compareStrings(a.ruleId, b.ruleId) ||
    compareStrings(a.fingerprint, b.fingerprint) ||
    compareStrings(a.message, b.message)
  );
}

export function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) <= severityRank(threshold);
}
