// Command lines parsed into flags the way the components read them: spf13/pflag for the Kubernetes components,
// Go's flag package for etcd. Every occurrence keeps the token it was written in, so a finding can point at the
// container command element, the systemd line or the process that carried it.

import type { Path } from '../../core/model.ts';
import { parseGoBool } from './go-values.ts';

/** A `command`/`args` element of a container: `['spec','containers',0,'command',3]`. */
export interface ContainerFlagSource {
  readonly type: 'container';
  readonly path: Path;
  /** Paths of the `env` entries whose values `$(NAME)` references in this element brought in. */
  readonly env?: readonly Path[];
}

/** A place in a text file (a systemd unit, drop-in or environment file). Lines are 1-based. */
export interface FileFlagSource {
  readonly type: 'file';
  readonly file: string;
  readonly line: number;
  /** Set when the text came from a variable: where the command line referenced it (`$KUBELET_KUBEADM_ARGS`). */
  readonly via?: VariableReference;
}

export interface VariableReference {
  readonly variable: string;
  readonly file: string;
  readonly line: number;
}

/** An argument of a running process, from /proc/<pid>/cmdline. */
export interface ProcessFlagSource {
  readonly type: 'process';
  readonly pid: number;
  /** Index in the process's argv (0 is the executable). */
  readonly index: number;
}

/** An argument list with no better origin (a user's input, a test). */
export interface ArgvFlagSource {
  readonly type: 'argv';
  readonly index: number;
}

export type FlagSource = ContainerFlagSource | FileFlagSource | ProcessFlagSource | ArgvFlagSource;

/** One word of a command line with where it was written. */
export interface ArgToken {
  readonly text: string;
  readonly source: FlagSource;
}

/**
 * How a flag takes its value:
 * - `bool`: `--x` alone is true, `--x=false`; never takes the next word (pflag and Go's flag both).
 * - `optional`: like bool but any value (`--version`, `--version=raw`).
 * - `string`: scalar (also ints, durations, paths); `--x v` takes the next word whatever it is; the last wins.
 * - `list`: pflag StringSlice: each value is a CSV record; the first occurrence replaces the default, later ones append.
 * - `array`: pflag StringArray: each occurrence is one element, no comma splitting.
 * - `map`: `k=v,k2=v2` pairs, merged across occurrences (ConfigurationMap, MapStringString).
 * - `gates`: like map with boolean values that must parse (`--feature-gates`, MapStringBool).
 */
export type FlagKind = 'bool' | 'optional' | 'string' | 'list' | 'array' | 'map' | 'gates';

/** `pflag`: Kubernetes components (`_` in names reads as `-`; one dash is a shorthand). `goflag`: etcd (one or two dashes alike). */
export type FlagDialect = 'pflag' | 'goflag';

export interface FlagGrammar {
  readonly dialect: FlagDialect;
  /** Kinds of the flags this component is known to define; others are parsed by a heuristic. */
  readonly kinds: Readonly<Record<string, FlagKind>>;
}

export const GENERIC_PFLAG_GRAMMAR: FlagGrammar = { dialect: 'pflag', kinds: {} };

export interface FlagOccurrence {
  /** Canonical name: no dashes, and for pflag `_` normalised to `-` as the components' normalize func does. */
  readonly name: string;
  /** The flag as written before any `=`: `--anonymous_auth`, `-v`. */
  readonly written: string;
  readonly value: string;
  /** `inline`: `--x=v`; `separate`: `--x v`; `implicit`: `--x` alone (value `true`). */
  readonly form: 'inline' | 'separate' | 'implicit';
  /** The token holding the flag name. */
  readonly source: FlagSource;
  /** The token holding the value: the next token for `separate`, else the flag's own. */
  readonly valueSource: FlagSource;
  /** Index of the flag's token in the parsed token list. */
  readonly index: number;
}

export interface Flag {
  readonly name: string;
  /** The kind the grammar gives, or `unknown` when the grammar does not list the flag. */
  readonly kind: FlagKind | 'unknown';
  /** Every occurrence, in command-line order. */
  readonly occurrences: readonly FlagOccurrence[];
  /** The occurrence that decides a scalar: the last one. */
  readonly last: FlagOccurrence;
  /** `last.value`. */
  readonly value: string;
}

export type FlagProblemCode =
  | 'bad-syntax'
  | 'missing-value'
  | 'invalid-bool'
  | 'invalid-list'
  | 'invalid-gates'
  | 'value-looks-like-flag'
  | 'single-dash-long-flag'
  | 'unexpected-argument';

export interface FlagProblem {
  readonly code: FlagProblemCode;
  readonly token: ArgToken;
  readonly message: string;
}

export interface ParsedFlags {
  readonly grammar: FlagGrammar;
  /** By canonical name, in order of first occurrence. */
  readonly flags: ReadonlyMap<string, Flag>;
  readonly occurrences: readonly FlagOccurrence[];
  /** Words that are not flags or flag values (after `--`, or a value a boolean flag did not take). */
  readonly positionals: readonly ArgToken[];
  /** What would make the component refuse its command line, or read it differently from how it looks. */
  readonly problems: readonly FlagProblem[];
}

/** A list element with the token it came from. */
export interface SourcedValue<T = string> {
  readonly value: T;
  readonly source: FlagSource;
}

export function argvTokens(args: readonly string[]): readonly ArgToken[] {
  return args.map((text, index) => ({ text, source: { type: 'argv', index } }));
}

/** /proc/<pid>/cmdline: arguments separated (and terminated) by NUL. The executable is token 0. */
export function procCmdlineTokens(pid: number, cmdline: string): readonly ArgToken[] {
  const parts = cmdline.split('\0');
  if (parts.at(-1) === '') parts.pop();
  return parts.map((text, index) => ({ text, source: { type: 'process', pid, index } }));
}

/**
 * Parses the arguments after the executable. pflag semantics: `--` ends the flags; a known value flag takes the
 * next word even when it starts with `-` (reported); a bool flag never takes the next word (`--anonymous-auth false`
 * leaves `false` as an argument, which the components refuse). Flags the grammar does not know take the next word
 * only when it does not start with `-`, else they read as booleans. Go's flag package (etcd) also stops at the
 * first non-flag word.
 */
export function parseFlags(tokens: readonly ArgToken[], grammar: FlagGrammar = GENERIC_PFLAG_GRAMMAR): ParsedFlags {
  const occurrences: FlagOccurrence[] = [];
  const positionals: ArgToken[] = [];
  const problems: FlagProblem[] = [];
  const problem = (code: FlagProblemCode, token: ArgToken, message: string) => problems.push({ code, token, message });
  let terminated = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const text = token.text;
    if (terminated) {
      positionals.push(token);
      continue;
    }
    if (text === '--') {
      terminated = true;
      continue;
    }
    if (text.length < 2 || !text.startsWith('-')) {
      positionals.push(token);
      // Go's flag package stops at the first non-flag argument; pflag keeps parsing (interspersed).
      if (grammar.dialect === 'goflag') terminated = true;
      continue;
    }
    const dashes = text.startsWith('--') ? 2 : 1;
    const body = text.slice(dashes);
    if (body === '' || body.startsWith('-') || body.startsWith('=')) {
      problem('bad-syntax', token, `bad flag syntax: ${text}`);
      continue;
    }
    const equals = body.indexOf('=');
    let written = equals === -1 ? body : body.slice(0, equals);
    let inline = equals === -1 ? undefined : body.slice(equals + 1);
    if (grammar.dialect === 'pflag' && dashes === 1 && written.length > 1) {
      // pflag reads one dash as shorthand letters: `-v2` is `-v 2`; anything else longer is refused.
      if (inline === undefined && /^v\d+$/.test(written)) {
        inline = written.slice(1);
        written = 'v';
      } else {
        problem('single-dash-long-flag', token, `${text}: one dash introduces shorthand letters in this component, which refuses it`);
      }
    }
    const name = grammar.dialect === 'pflag' ? written.replaceAll('_', '-') : written;
    const kind = grammar.kinds[name];
    const flagText = `${'-'.repeat(dashes)}${written}`;
    const index = i;
    let value: string;
    let form: FlagOccurrence['form'];
    let valueSource = token.source;
    if (inline !== undefined) {
      value = inline;
      form = 'inline';
    } else if (kind === 'bool' || kind === 'optional') {
      value = 'true';
      form = 'implicit';
    } else if (kind !== undefined) {
      const next = tokens[i + 1];
      if (next === undefined) {
        problem('missing-value', token, `flag needs an argument: ${flagText}`);
        continue;
      }
      if (next.text.length > 1 && next.text.startsWith('-')) {
        problem('value-looks-like-flag', next, `${flagText} takes ${JSON.stringify(next.text)} as its value, not as a flag`);
      }
      value = next.text;
      valueSource = next.source;
      form = 'separate';
      i++;
    } else {
      const next = tokens[i + 1];
      if (next !== undefined && !next.text.startsWith('-')) {
        value = next.text;
        valueSource = next.source;
        form = 'separate';
        i++;
      } else {
        value = 'true';
        form = 'implicit';
      }
    }
    occurrences.push({ name, written: flagText, value, form, source: token.source, valueSource, index });
    if (kind === 'bool' && parseGoBool(value) === undefined) {
      problem('invalid-bool', token, `invalid boolean ${JSON.stringify(value)} for ${flagText}`);
    } else if (kind === 'list' && readCsvRecord(value) === undefined) {
      problem('invalid-list', token, `${flagText}: ${JSON.stringify(value)} is not a valid comma-separated list (quotes)`);
    } else if (kind === 'gates') {
      const bad = splitPairs(value).find((pair) => !pair.hasEquals || parseGoBool(pair.value) === undefined);
      if (bad) problem('invalid-gates', token, `${flagText}: ${JSON.stringify(bad.text)} is not a name=bool pair`);
    }
  }
  // No component takes arguments: the Kubernetes commands refuse any, and etcd refuses what its flag parsing leaves.
  for (const token of positionals) {
    problem('unexpected-argument', token, `${JSON.stringify(token.text)} is not a flag: the component takes no arguments and refuses to start`);
  }
  const flags = new Map<string, { name: string; kind: FlagKind | 'unknown'; occurrences: FlagOccurrence[] }>();
  for (const occurrence of occurrences) {
    let flag = flags.get(occurrence.name);
    if (!flag) {
      flag = { name: occurrence.name, kind: grammar.kinds[occurrence.name] ?? 'unknown', occurrences: [] };
      flags.set(occurrence.name, flag);
    }
    flag.occurrences.push(occurrence);
  }
  const frozen = new Map<string, Flag>();
  for (const [name, flag] of flags) {
    const last = flag.occurrences.at(-1)!;
    frozen.set(name, Object.freeze({ name, kind: flag.kind, occurrences: Object.freeze(flag.occurrences), last, value: last.value }));
  }
  return Object.freeze({
    grammar,
    flags: frozen,
    occurrences: Object.freeze(occurrences),
    positionals: Object.freeze(positionals),
    problems: Object.freeze(problems),
  });
}

/** The flag by any spelling of its name (`--anonymous_auth`, `anonymous-auth`). */
export function getFlag(parsed: ParsedFlags, name: string): Flag | undefined {
  let key = name.replace(/^--?/, '');
  if (parsed.grammar.dialect === 'pflag') key = key.replaceAll('_', '-');
  return parsed.flags.get(key);
}

/** The decisive (last) value of a flag, or undefined when it is not set. */
export function flagValue(parsed: ParsedFlags, name: string): string | undefined {
  return getFlag(parsed, name)?.value;
}

/**
 * The elements of a list-valued flag as the component assembles them:
 * - `list` (StringSlice): every occurrence's CSV record, concatenated (a value that is not valid CSV falls back to
 *   plain comma splitting; parseFlags reports it);
 * - `array` (StringArray): one element per occurrence;
 * - `map`/`gates`: every occurrence's comma-separated items;
 * - anything else: the last occurrence split on commas, as components split plain string flags.
 * Elements are exact (no trimming): `a, b` gives `' b'`, which the component would also see. `--x=` gives none.
 */
export function listValue(flag: Flag): readonly SourcedValue[] {
  const items: SourcedValue[] = [];
  const add = (values: readonly string[], occurrence: FlagOccurrence) => {
    for (const value of values) items.push({ value, source: occurrence.valueSource });
  };
  switch (flag.kind) {
    case 'list':
      for (const occurrence of flag.occurrences) add(readCsvRecord(occurrence.value) ?? splitCommas(occurrence.value), occurrence);
      break;
    case 'array':
      for (const occurrence of flag.occurrences) add([occurrence.value], occurrence);
      break;
    case 'map':
    case 'gates':
      for (const occurrence of flag.occurrences) add(splitCommas(occurrence.value).filter((item) => item !== ''), occurrence);
      break;
    default:
      add(splitCommas(flag.last.value), flag.last);
  }
  return items;
}

/** `key=value` items merged across occurrences, later keys winning; keys and values trimmed as the map flags do. */
export function mapValue(flag: Flag): ReadonlyMap<string, SourcedValue> {
  const result = new Map<string, SourcedValue>();
  for (const occurrence of flag.occurrences) {
    for (const pair of splitPairs(occurrence.value)) {
      result.set(pair.key, { value: pair.value, source: occurrence.valueSource });
    }
  }
  return result;
}

/** A `--feature-gates`-style flag as name → boolean; pairs whose value is not a Go boolean are left out. */
export function gatesValue(flag: Flag): ReadonlyMap<string, SourcedValue<boolean>> {
  const result = new Map<string, SourcedValue<boolean>>();
  for (const [key, { value, source }] of mapValue(flag)) {
    const parsed = parseGoBool(value);
    if (parsed !== undefined) result.set(key, { value: parsed, source });
  }
  return result;
}

/** The flag's boolean value (strconv.ParseBool), or undefined when it does not parse. */
export function boolValue(flag: Flag): boolean | undefined {
  return parseGoBool(flag.value);
}

function splitCommas(value: string): string[] {
  return value === '' ? [] : value.split(',');
}

/** Comma-separated `key=value` items; an item without `=` is a key with an empty value (ConfigurationMap). */
function splitPairs(value: string): { text: string; key: string; value: string; hasEquals: boolean }[] {
  return splitCommas(value)
    .filter((text) => text !== '')
    .map((text) => {
      const equals = text.indexOf('=');
      if (equals === -1) return { text, key: text.trim(), value: '', hasEquals: false };
      return { text, key: text.slice(0, equals).trim(), value: text.slice(equals + 1).trim(), hasEquals: true };
    });
}

/**
 * One record of Go's encoding/csv reader (what pflag StringSlice uses): fields split on commas, `"…"` quoting with
 * `""` for a quote, a bare quote inside an unquoted field is an error, the record ends at a newline. `''` → `[]`.
 */
export function readCsvRecord(value: string): string[] | undefined {
  if (value === '') return [];
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (value[i] === '"') {
      i++;
      for (;;) {
        if (i >= value.length) return undefined;
        const c = value[i]!;
        if (c === '"') {
          if (value[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += c;
        i++;
      }
      const after = value[i];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') return undefined;
    } else {
      while (i < value.length && value[i] !== ',' && value[i] !== '\n' && value[i] !== '\r') {
        if (value[i] === '"') return undefined;
        field += value[i];
        i++;
      }
    }
    fields.push(field);
    if (value[i] === ',') {
      i++;
      continue;
    }
    return fields;
  }
}
