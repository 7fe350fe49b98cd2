// A snapshot of a live scan: the collected objects as one `kind: List` JSON document, which `palisade scan FILE`
// reads back. Secret values never reach it: data and stringData values are emptied, also inside the
// last-applied-configuration annotation, where kubectl apply keeps a copy of them.
import { asObject, isJsonObject, LAST_APPLIED_ANNOTATION, SNAPSHOT_REDACTED_ANNOTATION, type JsonObject, type JsonValue } from '../../core/model.ts';

export { LAST_APPLIED_ANNOTATION };
/** Set on each Secret of a snapshot: its values were removed. */
export const REDACTED_ANNOTATION = SNAPSHOT_REDACTED_ANNOTATION;

function blankValues(map: JsonValue | undefined): JsonValue | undefined {
  if (!isJsonObject(map)) return map;
  return Object.fromEntries(Object.keys(map).map((key) => [key, '']));
}

function redactSecretFields(secret: JsonObject): JsonObject {
  const result: Record<string, JsonValue> = { ...secret };
  for (const field of ['data', 'stringData'] as const) {
    const blanked = blankValues(secret[field]);
    if (blanked !== undefined) result[field] = blanked;
  }
  return result;
}

function redactLastApplied(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    return isJsonObject(parsed) ? JSON.stringify(redactSecretFields(parsed)) : '';
  } catch {
    return '';
  }
}

/** A Secret with its values removed (keys kept); any other object unchanged. */
export function redactForSnapshot(object: JsonObject): JsonObject {
  if (object['kind'] !== 'Secret' || (object['apiVersion'] !== 'v1' && object['apiVersion'] !== undefined)) return object;
  const redacted = redactSecretFields(object);
  const metadata = asObject(object['metadata']) ?? {};
  const annotations = asObject(metadata['annotations']) ?? {};
  const lastApplied = annotations[LAST_APPLIED_ANNOTATION];
  return {
    ...redacted,
    metadata: {
      ...metadata,
      annotations: {
        ...annotations,
        ...(typeof lastApplied === 'string' ? { [LAST_APPLIED_ANNOTATION]: redactLastApplied(lastApplied) } : {}),
        [REDACTED_ANNOTATION]: 'data and stringData values removed by palisade --save-snapshot',
      },
    },
  };
}

/** The snapshot text in pieces (one per object), so a large cluster is never held as one string. */
export function* snapshotChunks(objects: Iterable<JsonObject>): Generator<string> {
  yield '{\n  "apiVersion": "v1",\n  "kind": "List",\n  "items": [';
  let first = true;
  for (const object of objects) {
    const text = JSON.stringify(redactForSnapshot(object), null, 2).replaceAll('\n', '\n    ');
    yield `${first ? '' : ','}\n    ${text}`;
    first = false;
  }
  yield '\n  ]\n}\n';
}
