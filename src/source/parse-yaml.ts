import yaml from 'js-yaml';
import type { JsonValue } from '../core/model.ts';
import { KUBERNETES_YAML_SCHEMA } from './kubernetes-yaml-schema.ts';
import type { DocumentChunk } from './split-documents.ts';

export interface DocumentProblem {
  readonly code: 'yaml-syntax' | 'duplicate-key' | 'alias-limit';
  /** 1-based line in the file. */
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedDocument {
  readonly chunk: DocumentChunk;
  /** Undefined when the document could not be parsed (see problems). */
  readonly value: JsonValue | undefined;
  readonly problems: readonly DocumentProblem[];
  /** True when a mapping repeats a key; the last value wins, as in a JSON decoder. */
  readonly hasDuplicateKeys: boolean;
}

/** Aliases may reuse nodes; beyond this many nodes after expansion a document is refused (billion laughs). */
export const MAX_EXPANDED_NODES = 1_000_000;

function isYamlException(error: unknown): error is yaml.YAMLException {
  return error instanceof yaml.YAMLException;
}

function problemFrom(error: yaml.YAMLException, chunk: DocumentChunk, code: DocumentProblem['code']): DocumentProblem {
  const mark = error.mark as { line?: number; column?: number } | undefined;
  const line = (mark?.line ?? 0) + chunk.startLine + 1;
  const column = (mark?.column ?? 0) + 1;
  return { code, line, column, message: error.reason || error.message };
}

/** Counts nodes as if aliases were expanded, visiting each shared node once (memoised), so it cannot blow up. */
function expandedSize(value: unknown, memo: Map<object, number>, limit: number): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = memo.get(value);
  if (known !== undefined) return known;
  memo.set(value, limit + 1); // a cycle counts as over the limit
  let size = 1;
  for (const child of Object.values(value)) {
    size += expandedSize(child, memo, limit);
    if (size > limit) break;
  }
  memo.set(value, size);
  return size;
}

function load(text: string, json: boolean): unknown {
  return yaml.load(text, { schema: KUBERNETES_YAML_SCHEMA, json });
}

/** js-yaml recurses; absurdly deep nesting overflows the stack. That is bad input, not a crash. */
function unexpectedProblem(error: unknown, chunk: DocumentChunk): DocumentProblem {
  const reason = error instanceof RangeError ? 'the document is nested too deeply' : String(error);
  return { code: 'yaml-syntax', line: chunk.startLine + 1, column: 1, message: `cannot parse: ${reason}` };
}

export function parseYamlDocument(chunk: DocumentChunk): ParsedDocument {
  const problems: DocumentProblem[] = [];
  let value: unknown;
  let hasDuplicateKeys = false;
  try {
    value = load(chunk.text, false);
  } catch (error) {
    if (!isYamlException(error)) return { chunk, value: undefined, problems: [unexpectedProblem(error, chunk)], hasDuplicateKeys };
    if (/duplicated mapping key/.test(error.reason)) {
      problems.push({ ...problemFrom(error, chunk, 'duplicate-key'), message: `${error.reason} (the last value is used, as the API server's JSON decoding would)` });
      hasDuplicateKeys = true;
      try {
        value = load(chunk.text, true);
      } catch (second) {
        if (!isYamlException(second)) return { chunk, value: undefined, problems: [unexpectedProblem(second, chunk)], hasDuplicateKeys };
        return { chunk, value: undefined, problems: [problemFrom(second, chunk, 'yaml-syntax')], hasDuplicateKeys };
      }
    } else {
      return { chunk, value: undefined, problems: [problemFrom(error, chunk, 'yaml-syntax')], hasDuplicateKeys };
    }
  }
  let tooLarge = false;
  try {
    tooLarge = chunk.text.includes('*') && expandedSize(value, new Map(), MAX_EXPANDED_NODES) > MAX_EXPANDED_NODES;
  } catch (error) {
    return { chunk, value: undefined, problems: [unexpectedProblem(error, chunk)], hasDuplicateKeys };
  }
  if (tooLarge) {
    problems.push({
      code: 'alias-limit',
      line: chunk.startLine + 1,
      column: 1,
      message: `YAML aliases expand to more than ${MAX_EXPANDED_NODES.toLocaleString('en-US')} nodes (an alias bomb?); document skipped`,
    });
    return { chunk, value: undefined, problems, hasDuplicateKeys };
  }
  return { chunk, value: value as JsonValue, problems, hasDuplicateKeys };
}
