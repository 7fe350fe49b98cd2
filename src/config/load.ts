import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type { JsonValue } from '../core/model.ts';
import type { AnyRule } from '../core/rule-api.ts';
import { AstYamlLocator } from '../source/yaml-locator.ts';
import { ConfigValidationError, EMPTY_CONFIG, validateConfig, type PalisadeConfig } from './config.ts';

export const DEFAULT_CONFIG_FILE = '.palisade.yaml';

/** A config that cannot be used: the message names the file, the line and the bad key. */
export class ConfigError extends Error {}

export interface LoadedConfig {
  readonly config: PalisadeConfig;
  /** Display path of the config file, when one was read. */
  readonly file: string | undefined;
}

/** Reads `--config FILE`, else `.palisade.yaml` in the working directory when it exists. */
export function loadConfig(explicit: string | undefined, cwd: string, rules: readonly AnyRule[]): LoadedConfig {
  const file = explicit ?? DEFAULT_CONFIG_FILE;
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (explicit === undefined && code === 'ENOENT') return { config: EMPTY_CONFIG, file: undefined };
    throw new ConfigError(`${file}: cannot read the config file: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = document.errors[0];
  if (syntax) {
    const position = lineCounter.linePos(syntax.pos[0]);
    throw new ConfigError(`${file}:${position.line}:${position.col}: invalid YAML: ${syntax.message.split('\n')[0]}`);
  }
  const raw = document.toJS({ maxAliasCount: 100 }) as JsonValue | undefined;
  let config: PalisadeConfig;
  try {
    config = validateConfig(raw, rules);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    const locator = new AstYamlLocator(text, 0);
    const lines = error.issues.map((issue) => `${file}:${locator.find(issue.path).line + 1}: ${issue.message}`);
    throw new ConfigError(lines.join('\n'));
  }
  // Record each suppression's line so expired and unused entries can be pointed at.
  const suppressionsNode = isMap(document.contents) ? document.contents.get('suppressions', true) : undefined;
  if (isSeq(suppressionsNode)) {
    config = {
      ...config,
      suppressions: config.suppressions.map((entry) => {
        const node = suppressionsNode.items[entry.index] as { range?: [number, number, number] } | undefined;
        return node?.range ? { ...entry, line: lineCounter.linePos(node.range[0]).line } : entry;
      }),
    };
  }
  return { config, file };
}
