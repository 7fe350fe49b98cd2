import { deepFreeze, refOf, type InventoryObject, type Locator } from '../core/inventory.ts';
import { asObject, isJsonObject, type JsonObject, type JsonValue, type ObjectRef, type Path } from '../core/model.ts';
import type { InputError, SkippedInput } from '../core/report.ts';
import { JsonLocator } from './json-locator.ts';
import { parseYamlDocument } from './parse-yaml.ts';
import { splitDocuments } from './split-documents.ts';
import { YamlDocumentLocator } from './yaml-locator.ts';

export interface ParsedSource {
  readonly objects: readonly InventoryObject[];
  readonly errors: readonly InputError[];
  readonly skipped: readonly SkippedInput[];
}

export interface SourceText {
  /** Display name used in findings (a relative path, or `<stdin>`). */
  readonly file: string;
  readonly text: string;
  /** Parse as JSON (a `.json` file); YAML otherwise. JSON-looking YAML input is detected either way. */
  readonly json?: boolean;
  /**
   * For rendered output (helm, kustomize): where the user edits an object, so findings point there instead of
   * into the rendered stream. Given the object and its document's `# Source:` template (helm), it returns the
   * source file and a locator into it, or undefined to keep the rendered position.
   */
  readonly mapObject?: (object: JsonObject, ref: ObjectRef, template: string | undefined) => MappedObject | undefined;
}

/** Where a rendered object is written in the files the user edits. */
export interface MappedObject {
  readonly file: string;
  readonly locator: Locator;
}

interface DocumentLocator {
  locate(path: Path): { line: number; column: number };
}

const HELM_SOURCE = /^# Source: (.+)$/m;

function normalise(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.includes('\r') ? withoutBom.replace(/\r\n?/g, '\n') : withoutBom;
}

/** JSON.parse reports "at position N" (V8); turn it into a line and column. */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } {
  const match = /position (\d+)/.exec(message);
  const offset = match ? Number(match[1]) : 0;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function itemRef(list: JsonObject, item: JsonObject): JsonObject {
  // Typed lists from the API (e.g. `DeploymentList`) leave apiVersion and kind off their items.
  const listKind = typeof list['kind'] === 'string' ? list['kind'] : '';
  if (typeof item['kind'] === 'string' && typeof item['apiVersion'] === 'string') return item;
  if (listKind === 'List' || !listKind.endsWith('List')) return item;
  return { apiVersion: list['apiVersion'] ?? '', kind: listKind.slice(0, -'List'.length), ...item };
}

function collectObjects(
  value: JsonValue | undefined,
  file: string,
  documentIndex: number,
  documentLine: number,
  template: string | undefined,
  locator: DocumentLocator,
  objects: InventoryObject[],
  skipped: SkippedInput[],
  mapObject?: SourceText['mapObject'],
): void {
  if (value === null || value === undefined) return;
  const add = (object: JsonObject, pathInDocument: Path): void => {
    const ref = refOf(object);
    const line = locator.locate(pathInDocument).line;
    if (!ref) {
      skipped.push({ file, line, reason: 'not a Kubernetes object: it has no apiVersion and kind' });
      return;
    }
    const mapped = mapObject?.(object, ref, template);
    const objectLocator: Locator = mapped?.locator ?? {
      locate: (path) => locator.locate(pathInDocument.length === 0 ? path : [...pathInDocument, ...path]),
    };
    objects.push({
      ref,
      object: deepFreeze(object),
      origin: {
        type: 'file',
        file: mapped?.file ?? file,
        documentIndex,
        pathInDocument,
        ...(template !== undefined ? { template } : {}),
      },
      locator: objectLocator,
    });
  };
  if (!isJsonObject(value)) {
    skipped.push({ file, line: documentLine, reason: `not a Kubernetes object: the document is a ${Array.isArray(value) ? 'list' : 'scalar'}` });
    return;
  }
  const kind = value['kind'];
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value['items'])) {
    (value['items'] as readonly JsonValue[]).forEach((item, index) => {
      const object = asObject(item);
      if (object) add(itemRef(value, object), ['items', index]);
      else skipped.push({ file, line: locator.locate(['items', index]).line, reason: `item ${index} of the ${kind} is not an object` });
    });
    return;
  }
  add(value, []);
}

/** Parses manifest text (YAML streams, JSON, `kind: List`, `kubectl get -o yaml|json` output) into objects. */
export function parseManifests(source: SourceText): ParsedSource {
  const text = normalise(source.text);
  const objects: InventoryObject[] = [];
  const errors: InputError[] = [];
  const skipped: SkippedInput[] = [];
  const { file } = source;

  const trimmed = text.trimStart();
  if (source.json || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value = JSON.parse(text) as JsonValue;
      const locator = new JsonLocator(text);
      const documents = Array.isArray(value) ? value : [value];
      if (Array.isArray(value)) {
        value.forEach((item, index) => {
          const inner: DocumentLocator = { locate: (path) => locator.locate([index, ...path]) };
          collectObjects(item, file, index, locator.locate([index]).line, undefined, inner, objects, skipped);
        });
      } else {
        collectObjects(documents[0], file, 0, 1, undefined, locator, objects, skipped);
      }
      return { objects, errors, skipped };
    } catch (error) {
      if (source.json) {
        const message = error instanceof Error ? error.message : String(error);
        errors.push({ code: 'yaml-syntax', file, ...jsonErrorPosition(text, message), message: `invalid JSON: ${message}` });
        return { objects, errors, skipped };
      }
      // Not JSON after all: YAML flow style is parsed below.
    }
  }

  const lines = text.split('\n');
  const chunks = splitDocuments(text);
  chunks.forEach((chunk, position) => {
    const parsed = parseYamlDocument(chunk);
    for (const problem of parsed.problems) {
      errors.push({ code: problem.code, file, line: problem.line, column: problem.column, message: problem.message });
    }
    if (parsed.value === undefined) return;
    const endLine = position + 1 < chunks.length ? chunks[position + 1]!.startLine : lines.length;
    const locator = new YamlDocumentLocator(lines, chunk.startLine, endLine, parsed.hasDuplicateKeys);
    const template = HELM_SOURCE.exec(chunk.text.slice(0, 2048))?.[1]?.trim();
    collectObjects(parsed.value, file, chunk.index, chunk.startLine + 1, template, locator, objects, skipped, source.mapObject);
  });
  return { objects, errors, skipped };
}
