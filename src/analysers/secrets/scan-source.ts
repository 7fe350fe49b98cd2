import { refOf, type Position } from '../../core/inventory.ts';
import { asArray, formatPath, getAtPath, isJsonObject, type JsonValue, type ObjectRef, type Path } from '../../core/model.ts';
import { JsonLocator } from '../../source/json-locator.ts';
import { parseYamlDocument } from '../../source/parse-yaml.ts';
import { splitDocuments } from '../../source/split-documents.ts';
import { YamlDocumentLocator } from '../../source/yaml-locator.ts';
import { detectorInfo } from './catalogue.ts';
import type { DetectorSeverity } from './detector.ts';
import { redactSecret, type RedactedSecret } from './redact.ts';
import { scanDocumentSecrets, type SecretHit, type SecretLayer } from './scan-object.ts';
import { scanText } from './scan-text.ts';

/** A secret found in a file: where (line, column, YAML path), what, and a redacted view of it. */
export interface LocatedSecret {
  readonly detectorId: string;
  readonly title: string;
  readonly severity: DetectorSeverity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path of the field, for structured files (YAML, JSON). */
  readonly path?: string;
  /** The Kubernetes object holding it, when there is one. */
  readonly resource?: ObjectRef;
  readonly layer: SecretLayer;
  readonly inner?: string;
  readonly redacted: RedactedSecret;
}

/** Files this large are scanned as text only: parsing them for structure would cost more than it tells. */
const MAX_STRUCTURED_CHARS = 64 * 1024 * 1024;

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionAt(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

/** Secrets in plain text (env files, scripts, configs): positions from offsets. `only` limits the lines scanned. */
export function scanPlainText(file: string, text: string, lineFilter?: (line: string) => boolean): LocatedSecret[] {
  const starts = lineStartsOf(text);
  const located: LocatedSecret[] = [];
  const push = (detectorId: string, offset: number, secret: string): void => {
    const info = detectorInfo(detectorId);
    const position = positionAt(starts, offset);
    located.push({ detectorId, title: info.title, severity: info.severity, file, ...position, layer: 'value', redacted: redactSecret(secret) });
  };
  if (lineFilter === undefined) {
    for (const match of scanText(text)) push(match.detectorId, match.start, match.secret);
    return located;
  }
  starts.forEach((start, index) => {
    const end = index + 1 < starts.length ? starts[index + 1]! - 1 : text.length;
    const line = text.slice(start, end);
    if (!lineFilter(line)) return;
    for (const match of scanText(line)) push(match.detectorId, start + match.start, match.secret);
  });
  return located;
}

/**
 * Narrows a hit in a string field to the line and column of the secret itself: in a literal block scalar, the
 * line inside the block; in a plain or quoted one-line scalar, the column. Checked against the text, so escapes
 * or folding leave the field's own position.
 */
function refine(lines: readonly string[], field: Position, keyed: boolean, value: string, offset: number): Position {
  const line = lines[field.line - 1] ?? '';
  // The locator points at a member's key: the value starts after the `key:` separator.
  let valueColumn = field.column;
  if (keyed) {
    const separator = /^(?:"(?:[^"\\]|\\.){0,1000}"|'(?:[^']|''){0,1000}'|[^:#\n]{0,1000}?):(?:[ \t]{1,100}|$)/.exec(line.slice(field.column - 1));
    if (!separator) return field;
    valueColumn = field.column + separator[0].length;
  } else if (line.slice(field.column - 1).startsWith('- ')) {
    valueColumn = field.column + 2;
  }
  const at = line.slice(valueColumn - 1);
  const probe = value.slice(offset, offset + 8);
  if (/^[|][-+0-9]{0,2}\s*(?:#.*)?$/.test(at)) {
    const before = value.slice(0, offset);
    const lineIndex = field.line + (before.split('\n').length - 1);
    const content = lines[lineIndex] ?? '';
    const indent = content.length - content.trimStart().length;
    const column = indent + offset - (before.lastIndexOf('\n') + 1) + 1;
    return content.slice(column - 1).startsWith(probe) ? { line: lineIndex + 1, column } : field;
  }
  for (const shift of [0, 1]) {
    const column = valueColumn + shift + offset;
    if (line.slice(column - 1).startsWith(probe) && line.slice(valueColumn - 1 + shift).startsWith(value.slice(0, offset))) return { line: field.line, column };
  }
  return field;
}

interface DocumentView {
  readonly value: JsonValue;
  readonly locate: (path: Path) => Position;
}

function locateHits(file: string, lines: readonly string[], document: DocumentView, hits: readonly SecretHit[], prefix: Path, resource: ObjectRef | undefined): LocatedSecret[] {
  return hits.map((hit) => {
    const fullPath = [...prefix, ...hit.path];
    let position = document.locate(fullPath);
    const value = getAtPath(document.value, fullPath);
    if (hit.offsets && typeof value === 'string') {
      position = refine(lines, position, typeof fullPath[fullPath.length - 1] === 'string', value, hit.offsets.start);
    }
    return {
      detectorId: hit.detectorId,
      title: hit.title,
      severity: hit.severity,
      file,
      ...position,
      path: formatPath(fullPath),
      ...(resource ? { resource } : {}),
      layer: hit.layer,
      ...(hit.inner !== undefined ? { inner: hit.inner } : {}),
      redacted: hit.redacted,
    };
  });
}

function scanDocument(file: string, lines: readonly string[], document: DocumentView): LocatedSecret[] {
  const { value } = document;
  // `kind: List` (kubectl get -o yaml) and JSON arrays: each item is an object of its own.
  const items: [Path, JsonValue][] = Array.isArray(value)
    ? (value as readonly JsonValue[]).map((item, index) => [[index], item])
    : isJsonObject(value) && typeof value['kind'] === 'string' && value['kind'].endsWith('List') && Array.isArray(value['items'])
      ? asArray(value['items']).map((item, index) => [['items', index], item])
      : [[[], value]];
  return items.flatMap(([prefix, item]) => {
    const resource = isJsonObject(item) ? refOf(item) : undefined;
    return locateHits(file, lines, document, scanDocumentSecrets(item), prefix, resource);
  });
}

export interface SourceScan {
  readonly secrets: readonly LocatedSecret[];
  /** Documents that could not be parsed and were scanned as text instead. */
  readonly fellBackToText: boolean;
}

const COMMENT_LINE = /^\s*#/;

/**
 * Secrets in one file. YAML and JSON are read for structure (Kubernetes-aware: Secret data decoded, last-applied
 * parsed, SealedSecrets and SOPS left alone), plus their comment lines as text; anything else, or a document that
 * does not parse, is scanned as text.
 */
export function scanSourceForSecrets(file: string, rawText: string): SourceScan {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText.includes('\r') ? rawText.replace(/\r\n?/g, '\n') : rawText;
  const structured = /\.(?:ya?ml|json)$/i.test(file) && text.length <= MAX_STRUCTURED_CHARS;
  if (!structured) return { secrets: sortLocated(scanPlainText(file, text)), fellBackToText: false };
  const lines = text.split('\n');
  const secrets: LocatedSecret[] = [];
  let fellBackToText = false;
  const trimmed = text.trimStart();
  if (/\.json$/i.test(file) || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value = JSON.parse(text) as JsonValue;
      const locator = new JsonLocator(text);
      return { secrets: sortLocated(scanDocument(file, lines, { value, locate: (path) => locator.locate(path) })), fellBackToText };
    } catch {
      if (/\.json$/i.test(file)) return { secrets: sortLocated(scanPlainText(file, text)), fellBackToText: true };
    }
  }
  const chunks = splitDocuments(text);
  chunks.forEach((chunk, position) => {
    const parsed = parseYamlDocument(chunk);
    const endLine = position + 1 < chunks.length ? chunks[position + 1]!.startLine : lines.length;
    if (parsed.value === undefined || parsed.value === null) {
      if (parsed.problems.length > 0) {
        fellBackToText = true;
        const chunkText = lines.slice(chunk.startLine, endLine).join('\n');
        for (const hit of scanPlainText(file, chunkText)) secrets.push({ ...hit, line: hit.line + chunk.startLine });
      }
      return;
    }
    const locator = new YamlDocumentLocator(lines, chunk.startLine, endLine, parsed.hasDuplicateKeys);
    secrets.push(...scanDocument(file, lines, { value: parsed.value, locate: (path) => locator.locate(path) }));
  });
  // Comments are not part of any value; credentials are still left in them ("# old password: …").
  if (text.includes('#')) {
    const seen = new Set(secrets.map((secret) => `${secret.line}:${secret.detectorId}:${secret.redacted.hash}`));
    for (const hit of scanPlainText(file, text, (line) => COMMENT_LINE.test(line))) {
      if (!seen.has(`${hit.line}:${hit.detectorId}:${hit.redacted.hash}`)) secrets.push(hit);
    }
  }
  return { secrets: sortLocated(secrets), fellBackToText };
}

export function compareLocated(a: LocatedSecret, b: LocatedSecret): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.detectorId < b.detectorId ? -1 : a.detectorId > b.detectorId ? 1 : 0) || ((a.inner ?? '') < (b.inner ?? '') ? -1 : (a.inner ?? '') > (b.inner ?? '') ? 1 : 0);
}

function sortLocated(secrets: LocatedSecret[]): LocatedSecret[] {
  return secrets.sort(compareLocated);
}
