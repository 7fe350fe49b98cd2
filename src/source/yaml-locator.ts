import { isMap, isScalar, isSeq, isAlias, LineCounter, parseDocument, type Node as YamlNode, type Document } from 'yaml';
import type { Position } from '../core/inventory.ts';
import type { Path } from '../core/model.ts';

// Finding a path's position in YAML text. A full `yaml` AST for every document is too slow for the scan budget,
// so positions are found on demand by a scanner of block-style YAML over the document's lines. It gives up
// (returns undefined) on anything it does not fully understand — flow collections on the path, aliases, explicit
// keys, tabs, keys whose resolved value could differ from their text — and the `yaml` package then answers
// exactly, parsing that one document once. A differential test holds the scanner to the `yaml` package's answers.

interface Cursor {
  readonly line: number;
  readonly col: number;
}

const PLAIN_KEY_NEEDS_RESOLUTION = /^(?:[-+.]?\d|~$|null$|Null$|NULL$|[yYnN]$|yes$|Yes$|YES$|no$|No$|NO$|on$|On$|ON$|off$|Off$|OFF$|true$|True$|TRUE$|false$|False$|FALSE$|<<$)/;

function indentOf(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  if (text.charCodeAt(i) === 9) return -1;
  return i;
}

function isSpaceOrEnd(text: string, index: number): boolean {
  const c = text.charCodeAt(index);
  return Number.isNaN(c) || c === 32 || c === 9;
}

/** True when the text from `col` on is empty or a comment. */
function restIsEmpty(text: string, col: number): boolean {
  let i = col;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i >= text.length || text.charCodeAt(i) === 35 /* # */;
}

function skipSpaces(text: string, col: number): number {
  let i = col;
  while (i < text.length && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
  return i;
}

interface KeyToken {
  readonly key: string;
  /** Column just after the `:`. */
  readonly valueCol: number;
}

/** Parses a mapping key at `col`; undefined when the text there is not a key this scanner can read exactly. */
function parseKey(text: string, col: number): KeyToken | undefined {
  const first = text[col];
  if (first === undefined) return undefined;
  let key: string;
  let end: number;
  if (first === '"') {
    let i = col + 1;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) return undefined;
    const raw = text.slice(col, i + 1);
    if (/\\[^"\\/bfnrtu]/.test(raw)) return undefined;
    try {
      key = JSON.parse(raw) as string;
    } catch {
      return undefined;
    }
    end = skipSpaces(text, i + 1);
  } else if (first === "'") {
    let i = col + 1;
    for (;;) {
      const quote = text.indexOf("'", i);
      if (quote === -1) return undefined;
      if (text[quote + 1] === "'") {
        i = quote + 2;
        continue;
      }
      key = text.slice(col + 1, quote).replace(/''/g, "'");
      end = skipSpaces(text, quote + 1);
      break;
    }
  } else {
    if ('[]{}&*!|>%@`#,?-'.includes(first) && !(first === '-' && !isSpaceOrEnd(text, col + 1))) return undefined;
    let i = col;
    for (;;) {
      const colon = text.indexOf(':', i);
      if (colon === -1) return undefined;
      if (isSpaceOrEnd(text, colon + 1)) {
        end = colon;
        break;
      }
      i = colon + 1;
    }
    key = text.slice(col, end).trimEnd();
    if (key === '' || / #/.test(key) || PLAIN_KEY_NEEDS_RESOLUTION.test(key)) return undefined;
  }
  if (text[end] !== ':' || !isSpaceOrEnd(text, end + 1)) return undefined;
  return { key, valueCol: end + 1 };
}


/** Column just past the flow value (scalar, quoted or nested collection) starting at `col`; -1 if it does not end on this line. */
function flowValueEnd(text: string, col: number): number {
  let depth = 0;
  let i = col;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      const close = c === '"' ? text.indexOf('"', i + 1) : text.indexOf("'", i + 1);
      if (close === -1) return -1;
      if (c === '"' && text[close - 1] === '\\') return -1;
      i = close + 1;
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === ',' && depth === 0) return i;
    else if (c === '#' && text[i - 1] === ' ') return -1;
    i++;
  }
  return -1;
}

/**
 * One entry of a single-line flow collection (`{a: 1, b: [x]}` or `[a, b]`) starting at `col`: the position of
 * the key (mappings) or item (sequences) and of its value. Undefined for anything not on one line.
 */
function flowEntry(text: string, col: number, segment: string | number): { position: number; value: number } | undefined {
  const isMapping = text[col] === '{';
  if (isMapping !== (typeof segment === 'string')) return undefined;
  let i = col + 1;
  let index = 0;
  for (;;) {
    i = skipSpaces(text, i);
    const c = text[i];
    if (c === undefined || c === '#') return undefined;
    if (c === '}' || c === ']') return undefined;
    const start = i;
    let valueStart = i;
    if (isMapping) {
      let key: string;
      if (c === '"' || c === "'") {
        const end = flowValueEnd(text, i);
        if (end === -1) return undefined;
        const raw = text.slice(i, end).trimEnd();
        if (c === '"') {
          if (/\\[^"\\/bfnrtu]/.test(raw)) return undefined;
          try {
            key = JSON.parse(raw) as string;
          } catch {
            return undefined;
          }
        } else key = raw.slice(1, -1).replace(/''/g, "'");
        i = skipSpaces(text, i + raw.length);
        if (text[i] !== ':') return undefined;
      } else {
        let k = i;
        while (k < text.length && !',{}[]'.includes(text[k]!) && !(text[k] === ':' && (isSpaceOrEnd(text, k + 1) || ',{}[]'.includes(text[k + 1] ?? ' ')))) k++;
        if (text[k] !== ':') return undefined;
        key = text.slice(i, k).trimEnd();
        if (key === '' || '&*!|>%@`?-'.includes(key[0]!) || PLAIN_KEY_NEEDS_RESOLUTION.test(key)) return undefined;
        i = k;
      }
      valueStart = skipSpaces(text, i + 1);
      const end = flowValueEnd(text, valueStart);
      if (end === -1) return undefined;
      if (key === segment) return { position: start, value: valueStart };
      i = skipSpaces(text, end);
    } else {
      if ('&*!'.includes(c)) return undefined;
      const end = flowValueEnd(text, i);
      if (end === -1) return undefined;
      if (index === segment) return { position: start, value: start };
      index++;
      i = skipSpaces(text, end);
    }
    if (text[i] === ',') i++;
    else return undefined;
  }
}

interface Step {
  readonly position: Cursor;
  readonly value: Cursor | undefined;
}

export class FastYamlLocator {
  private readonly lines: readonly string[];
  private readonly startLine: number;
  private readonly endLine: number;
  private readonly takeLastKey: boolean;

  /** `lines` are the whole file's lines; the document spans [startLine, endLine). */
  constructor(lines: readonly string[], startLine: number, endLine: number, takeLastKey: boolean) {
    this.lines = lines;
    this.startLine = startLine;
    this.endLine = endLine;
    this.takeLastKey = takeLastKey;
  }

  // Findings arrive container by container: resume from the longest prefix shared with the previous path.
  private lastPath: Path = [];
  private lastSteps: Step[] = [];
  private rootCursor: Cursor | undefined | null = null;

  /** 0-based cursor of the node at `path`, or undefined when this scanner cannot tell exactly. */
  find(path: Path): Cursor | undefined {
    if (this.rootCursor === null) this.rootCursor = this.root();
    let shared = 0;
    while (shared < path.length && shared < this.lastSteps.length && path[shared] === this.lastPath[shared]) shared++;
    const steps = this.lastSteps.slice(0, shared);
    this.lastPath = path;
    this.lastSteps = steps;
    let node = shared === 0 ? this.rootCursor : steps[shared - 1]!.value;
    let position = shared === 0 ? this.rootCursor : steps[shared - 1]!.position;
    for (let i = shared; i < path.length; i++) {
      const segment = path[i]!;
      if (!node) return undefined;
      const step = typeof segment === 'number' ? this.seqItem(node, segment) : this.mapEntry(node, segment);
      if (!step) return undefined;
      steps.push(step);
      position = step.position;
      node = step.value;
    }
    return position;
  }

  private root(): Cursor | undefined {
    for (let j = this.startLine; j < this.endLine; j++) {
      const text = this.lines[j]!;
      if (text.startsWith('%')) continue;
      if (/^---(?:[ \t]|$)/.test(text)) {
        if (!restIsEmpty(text, 3)) return undefined;
        continue;
      }
      if (restIsEmpty(text, 0)) continue;
      const indent = indentOf(text);
      return indent < 0 ? undefined : { line: j, col: indent };
    }
    return undefined;
  }

  /** The first content at or after (line, col), on this line or a following one. */
  private contentFrom(line: number, col: number): Cursor | undefined {
    const text = this.lines[line]!;
    if (!restIsEmpty(text, col)) return { line, col: skipSpaces(text, col) };
    for (let j = line + 1; j < this.endLine; j++) {
      const next = this.lines[j]!;
      if (restIsEmpty(next, 0)) continue;
      const indent = indentOf(next);
      return indent < 0 ? undefined : { line: j, col: indent };
    }
    return undefined;
  }

  /** Skips anchors and tags in front of a node. */
  private skipProperties(cursor: Cursor): Cursor | undefined {
    let current = cursor;
    for (;;) {
      const text = this.lines[current.line]!;
      const c = text[current.col];
      if (c !== '&' && c !== '!') return current;
      let end = current.col;
      while (end < text.length && !isSpaceOrEnd(text, end)) end++;
      const next = this.contentFrom(current.line, end);
      if (!next) return undefined;
      current = next;
    }
  }

  private flow(start: Cursor, segment: string | number): { position: Cursor; value: Cursor | undefined } | undefined {
    const found = flowEntry(this.lines[start.line]!, start.col, segment);
    if (!found) return undefined;
    return { position: { line: start.line, col: found.position }, value: { line: start.line, col: found.value } };
  }

  private mapEntry(node: Cursor, key: string): { position: Cursor; value: Cursor | undefined } | undefined {
    const start = this.skipProperties(node);
    if (!start) return undefined;
    if (this.lines[start.line]![start.col] === '{') return this.flow(start, key);
    const indent = start.col;
    let match: { position: Cursor; valueCol: number } | undefined;
    for (let j = start.line; j < this.endLine; j++) {
      const text = this.lines[j]!;
      if (j !== start.line) {
        if (restIsEmpty(text, 0)) continue;
        const lineIndent = indentOf(text);
        if (lineIndent < 0) return undefined;
        if (lineIndent < indent) break;
        if (lineIndent > indent) continue;
        if (text[indent] === '-' && isSpaceOrEnd(text, indent + 1)) continue; // `key:\n- item` at the key's indent
      }
      const token = parseKey(text, indent);
      if (!token) return undefined;
      if (token.key === key) {
        match = { position: { line: j, col: indent }, valueCol: token.valueCol };
        if (!this.takeLastKey) break;
      }
    }
    if (!match) return undefined;
    const value = this.contentFrom(match.position.line, match.valueCol);
    if (!value) return { position: match.position, value: undefined };
    const nested =
      value.line === match.position.line ||
      value.col > indent ||
      (value.col === indent && this.lines[value.line]![indent] === '-' && isSpaceOrEnd(this.lines[value.line]!, indent + 1));
    return { position: match.position, value: nested ? value : undefined };
  }

  private seqItem(node: Cursor, index: number): { position: Cursor; value: Cursor | undefined } | undefined {
    const start = this.skipProperties(node);
    if (!start) return undefined;
    if (this.lines[start.line]![start.col] === '[') return this.flow(start, index);
    const indent = start.col;
    const first = this.lines[start.line]!;
    if (first[indent] !== '-' || !isSpaceOrEnd(first, indent + 1)) return undefined;
    let count = -1;
    for (let j = start.line; j < this.endLine; j++) {
      const text = this.lines[j]!;
      if (j !== start.line) {
        if (restIsEmpty(text, 0)) continue;
        const lineIndent = indentOf(text);
        if (lineIndent < 0) return undefined;
        if (lineIndent < indent) break;
        if (lineIndent > indent) continue;
        if (text[indent] !== '-' || !isSpaceOrEnd(text, indent + 1)) break;
      }
      count++;
      if (count !== index) continue;
      const content = this.contentFrom(j, indent + 1);
      if (!content || (content.line !== j && content.col <= indent)) {
        return { position: { line: j, col: indent }, value: undefined };
      }
      return { position: content, value: content };
    }
    return undefined;
  }
}

/** Exact positions from the `yaml` package's AST of one document; slow, so only used when the scanner gives up. */
export class AstYamlLocator {
  private readonly document: Document.Parsed;
  private readonly lineCounter = new LineCounter();
  private readonly startLine: number;

  constructor(text: string, startLine: number) {
    this.document = parseDocument(text, { lineCounter: this.lineCounter, uniqueKeys: false, strict: false, prettyErrors: false });
    this.startLine = startLine;
  }

  /** 0-based cursor of the deepest node on `path` that exists. */
  find(path: Path): Cursor {
    let node: unknown = this.document.contents;
    let offset = (node as YamlNode | null)?.range?.[0] ?? 0;
    for (const segment of path) {
      if (isAlias(node)) node = node.resolve(this.document);
      if (isMap(node)) {
        const pair = node.items.findLast((item) => (isScalar(item.key) ? String(item.key.value) : String(item.key)) === String(segment));
        if (!pair) break;
        offset = (pair.key as YamlNode | null)?.range?.[0] ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as YamlNode | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    const { line, col } = this.lineCounter.linePos(offset);
    return { line: this.startLine + line - 1, col: col - 1 };
  }
}

/** Locates paths in one YAML document: the fast scanner first, the `yaml` AST (built once, lazily) otherwise. */
export class YamlDocumentLocator {
  private readonly fast: FastYamlLocator;
  private ast: AstYamlLocator | undefined;
  private readonly text: () => string;
  private readonly startLine: number;

  constructor(lines: readonly string[], startLine: number, endLine: number, takeLastKey: boolean) {
    this.fast = new FastYamlLocator(lines, startLine, endLine, takeLastKey);
    this.startLine = startLine;
    this.text = () => lines.slice(startLine, endLine).join('\n');
  }

  locate(path: Path): Position {
    const cursor = this.fast.find(path) ?? this.astLocator().find(path);
    return { line: cursor.line + 1, column: cursor.col + 1 };
  }

  astLocator(): AstYamlLocator {
    this.ast ??= new AstYamlLocator(this.text(), this.startLine);
    return this.ast;
  }

  fastLocator(): FastYamlLocator {
    return this.fast;
  }
}
