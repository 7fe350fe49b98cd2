// The command line systemd starts a service with (the kubelet's), read from its unit file and drop-ins the way
// systemd reads them: systemd.syntax(7) line continuations and comments, `[Service]` ExecStart= (an empty value
// resets the list), Environment= and EnvironmentFile= (files override Environment=, in order), and the
// `$VAR`/`${VAR}` substitution systemd.service(5) describes. Every argv token keeps the file and line it came from.
// Ported from systemd's conf-parser.c, extract-word.c, env-file.c and env-util.c (replace_env_argv); no I/O: the
// caller passes the texts.

import { compareStrings } from '../../core/model.ts';
import type { ArgToken, FileFlagSource } from './flags.ts';

export interface TextFile {
  readonly file: string;
  readonly text: string;
}

export type SystemdProblemCode =
  /** A line systemd cannot parse (section header, missing `=`, unbalanced quotes, bad escape): it is ignored or the unit fails to load. */
  | 'syntax-error'
  /** An assignment outside any section. */
  | 'outside-section'
  /** Environment= or an environment file assigns a name that is not a valid variable name: ignored. */
  | 'invalid-assignment'
  /** EnvironmentFile= names a file the caller does not have and that is not optional (`-`): systemd refuses to start the service. */
  | 'environment-file-missing'
  /** An optional (`-`) environment file is missing: skipped, as systemd does. */
  | 'optional-environment-file-missing'
  /** EnvironmentFile= with a relative path: ignored. */
  | 'relative-environment-file'
  /** `$NAME` or `${NAME}` in ExecStart= names an unset variable (`$NAME` then vanishes, `${NAME}` becomes empty). */
  | 'unset-variable'
  /** `$NAME` alone where NAME is not a valid variable name: the word is dropped. */
  | 'invalid-variable'
  /** `%` specifiers other than `%%` are left as written. */
  | 'unresolved-specifier'
  /** More than one command is left after resets: systemd refuses this unless Type=oneshot. The last one is used. */
  | 'multiple-exec-start'
  | 'no-exec-start'
  /** A drop-in that systemd does not read (not `*.conf`), or one shadowed by an earlier one with the same name. */
  | 'ignored-drop-in';

export interface SystemdProblem {
  readonly code: SystemdProblemCode;
  readonly file: string;
  /** 1-based; 0 when the problem is about the file as a whole. */
  readonly line: number;
  readonly message: string;
}

/** One `Key=value` of a unit file. */
export interface UnitDirective {
  readonly file: string;
  readonly section: string;
  readonly key: string;
  /** The value with surrounding whitespace removed and continuation lines joined (each `\` became a space). */
  readonly value: string;
  /** The line of the key. */
  readonly line: number;
  /** Where physical lines start within `value`: `{ offset: 0, line }` first. */
  readonly lines: readonly { readonly offset: number; readonly line: number }[];
}

const WHITESPACE = ' \t\n\r';
const isSpace = (c: string | undefined): boolean => c !== undefined && c !== '' && WHITESPACE.includes(c);

/** Line of a character offset of a directive's value. */
export function lineOfOffset(directive: Pick<UnitDirective, 'lines'>, offset: number): number {
  let line = directive.lines[0]?.line ?? 0;
  for (const start of directive.lines) {
    if (start.offset > offset) break;
    line = start.line;
  }
  return line;
}

/**
 * A unit file as directives, per systemd.syntax(7): `#`/`;` comments, `[Section]` headers, `Key=value` with
 * whitespace around `=` ignored, a trailing unescaped backslash joining the next line (replaced by a space), and
 * comment lines inside a continuation skipped.
 */
export function parseUnitFile(unit: TextFile): { readonly directives: readonly UnitDirective[]; readonly problems: readonly SystemdProblem[] } {
  const directives: UnitDirective[] = [];
  const problems: SystemdProblem[] = [];
  let section: string | undefined;
  let continuation: { text: string; starts: { offset: number; line: number }[] } | undefined;
  const physical = unit.text.split(/\r\n|\r|\n/);

  const parseLogical = (text: string, starts: readonly { offset: number; line: number }[]) => {
    const firstLine = starts[0]!.line;
    let lead = 0;
    while (isSpace(text[lead])) lead++;
    let end = text.length;
    while (end > lead && isSpace(text[end - 1])) end--;
    const line = text.slice(lead, end);
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    if (line.startsWith('[')) {
      if (!line.endsWith(']')) {
        problems.push({ code: 'syntax-error', file: unit.file, line: firstLine, message: `invalid section header ${JSON.stringify(line)}` });
        section = undefined;
        return;
      }
      section = line.slice(1, -1);
      return;
    }
    const equals = line.indexOf('=');
    if (equals === -1) {
      problems.push({ code: 'syntax-error', file: unit.file, line: firstLine, message: `missing '=' in ${JSON.stringify(line)}, line ignored` });
      return;
    }
    if (section === undefined) {
      problems.push({ code: 'outside-section', file: unit.file, line: firstLine, message: `assignment outside of a section, ignored` });
      return;
    }
    let valueStart = equals + 1;
    while (isSpace(line[valueStart])) valueStart++;
    const offset = lead + valueStart;
    const lines = [{ offset: 0, line: lineOfOffset({ lines: starts }, offset) }];
    for (const start of starts) if (start.offset > offset) lines.push({ offset: start.offset - offset, line: start.line });
    directives.push({
      file: unit.file,
      section,
      key: line.slice(0, equals).trim(),
      value: line.slice(valueStart),
      line: lineOfOffset({ lines: starts }, lead),
      lines,
    });
  };

  physical.forEach((text, index) => {
    const lineNumber = index + 1;
    if (continuation) {
      let lead = 0;
      while (isSpace(text[lead])) lead++;
      if (text[lead] === '#' || text[lead] === ';') return;
      continuation.starts.push({ offset: continuation.text.length, line: lineNumber });
      continuation.text += text;
    } else {
      continuation = { text, starts: [{ offset: 0, line: lineNumber }] };
    }
    let escaped = false;
    for (const c of continuation.text) escaped = escaped ? false : c === '\\';
    if (escaped) {
      continuation.text = `${continuation.text.slice(0, -1)} `;
      return;
    }
    parseLogical(continuation.text, continuation.starts);
    continuation = undefined;
  });
  if (continuation) parseLogical(continuation.text, continuation.starts);
  return { directives, problems };
}

interface Word {
  readonly text: string;
  /** Offset of the word's first character. */
  readonly start: number;
}

type Extracted =
  | { readonly kind: 'word'; readonly word: Word; readonly next: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly offset: number; readonly message: string };

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
  s: ' ',
};

/** systemd's cunescape_one: the escape after a backslash at `at`, or undefined when systemd rejects it. */
function cunescapeOne(text: string, at: number): { text: string; length: number } | undefined {
  const c = text[at];
  if (c === undefined) return undefined;
  const simple = SIMPLE_ESCAPES[c];
  if (simple !== undefined) return { text: simple, length: 1 };
  const code = (digits: string, base: number, pattern: RegExp) => {
    if (!pattern.test(digits)) return undefined;
    const value = Number.parseInt(digits, base);
    return value === 0 || value > 0x10ffff ? undefined : String.fromCodePoint(value);
  };
  let decoded: string | undefined;
  let length = 0;
  if (c === 'x') [decoded, length] = [code(text.slice(at + 1, at + 3), 16, /^[0-9a-fA-F]{2}$/), 3];
  else if (c === 'u') [decoded, length] = [code(text.slice(at + 1, at + 5), 16, /^[0-9a-fA-F]{4}$/), 5];
  else if (c === 'U') [decoded, length] = [code(text.slice(at + 1, at + 9), 16, /^[0-9a-fA-F]{8}$/), 9];
  else if (c >= '0' && c <= '7') [decoded, length] = [code(text.slice(at, at + 3), 8, /^[0-7]{3}$/), 3];
  return decoded === undefined ? undefined : { text: decoded, length };
}

/**
 * systemd's extract_first_word with EXTRACT_UNQUOTE: words split at whitespace; `'…'` and `"…"` may start anywhere
 * in a word and are removed; a backslash escapes the next character (C escapes with `cunescape`), also inside
 * quotes. Without `relax`, an unbalanced quote or a trailing backslash is an error.
 */
function extractFirstWord(text: string, position: number, options: { readonly cunescape: boolean; readonly relax: boolean }): Extracted {
  let i = position;
  while (isSpace(text[i])) i++;
  if (i >= text.length) return { kind: 'end' };
  const start = i;
  let out = '';
  let quote = '';
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      if (i + 1 >= text.length) {
        if (options.relax) {
          i++;
          break;
        }
        return { kind: 'error', offset: i, message: 'trailing backslash' };
      }
      if (options.cunescape) {
        const escape = cunescapeOne(text, i + 1);
        if (!escape) return { kind: 'error', offset: i, message: `invalid escape \\${text[i + 1]}` };
        out += escape.text;
        i += 1 + escape.length;
      } else {
        out += text[i + 1];
        i += 2;
      }
      continue;
    }
    if (quote !== '') {
      if (c === quote) quote = '';
      else out += c;
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      i++;
      continue;
    }
    if (isSpace(c)) break;
    out += c;
    i++;
  }
  if (quote !== '' && !options.relax) return { kind: 'error', offset: start, message: 'unbalanced quotes' };
  let next = i;
  while (isSpace(text[next])) next++;
  return { kind: 'word', word: { text: out, start }, next };
}

function splitWords(text: string): string[] {
  const words: string[] = [];
  let position = 0;
  for (;;) {
    const extracted = extractFirstWord(text, position, { cunescape: false, relax: true });
    if (extracted.kind !== 'word') return words;
    words.push(extracted.word.text);
    position = extracted.next;
  }
}

/** `%%` → `%`; other specifiers need the unit's context and are left as written (reported). */
function resolveSpecifiers(text: string, report: (specifier: string) => void): string {
  return text.replace(/%(.?)/gs, (match, letter: string) => {
    if (letter === '%') return '%';
    report(match);
    return match;
  });
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One variable assignment of an environment file. */
export interface EnvironmentAssignment {
  readonly name: string;
  readonly value: string;
  /** Line of the name. */
  readonly line: number;
}

/**
 * An EnvironmentFile= as systemd's env-file parser reads it: `KEY=VALUE` lines, `#`/`;` comments, whitespace around
 * the key and `=` ignored, trailing whitespace of unquoted values dropped, `'…'` literal, `"…"` with `\"` `\\` `\$`
 * `` \` `` escapes (other backslashes kept), a backslash-newline continuing the value. Lines without `=` and
 * invalid names are dropped (reported).
 */
export function parseEnvironmentFile(file: TextFile): { readonly assignments: readonly EnvironmentAssignment[]; readonly problems: readonly SystemdProblem[] } {
  type State = 'preKey' | 'key' | 'preValue' | 'value' | 'valueEscape' | 'single' | 'double' | 'doubleEscape' | 'comment' | 'commentEscape';
  const assignments: EnvironmentAssignment[] = [];
  const problems: SystemdProblem[] = [];
  const text = file.text;
  let state: State = 'preKey';
  let key = '';
  let value = '';
  let keyLine = 1;
  let line = 1;
  let lastKeyWhitespace = -1;
  let lastValueWhitespace = -1;
  const push = () => {
    const name = lastKeyWhitespace === -1 ? key : key.slice(0, lastKeyWhitespace);
    const finalValue = state === 'value' && lastValueWhitespace !== -1 ? value.slice(0, lastValueWhitespace) : value;
    if (VALID_NAME.test(name)) assignments.push({ name, value: finalValue, line: keyLine });
    else problems.push({ code: 'invalid-assignment', file: file.file, line: keyLine, message: `${JSON.stringify(name)} is not a valid variable name, ignored` });
    key = '';
    value = '';
  };
  const isNewline = (c: string) => c === '\n' || c === '\r';
  for (const c of text) {
    switch (state) {
      case 'preKey':
        if (c === '#' || c === ';') state = 'comment';
        else if (!isSpace(c)) {
          state = 'key';
          key = c;
          keyLine = line;
          lastKeyWhitespace = -1;
        }
        break;
      case 'key':
        if (isNewline(c)) {
          problems.push({ code: 'syntax-error', file: file.file, line: keyLine, message: `missing '=' after ${JSON.stringify(key.trim())}, line ignored` });
          state = 'preKey';
          key = '';
        } else if (c === '=') {
          state = 'preValue';
          value = '';
          lastValueWhitespace = -1;
        } else {
          if (!isSpace(c)) lastKeyWhitespace = -1;
          else if (lastKeyWhitespace === -1) lastKeyWhitespace = key.length;
          key += c;
        }
        break;
      case 'preValue':
        if (isNewline(c)) {
          push();
          state = 'preKey';
        } else if (c === "'") state = 'single';
        else if (c === '"') state = 'double';
        else if (c === '\\') state = 'valueEscape';
        else if (!isSpace(c)) {
          state = 'value';
          value += c;
        }
        break;
      case 'value':
        if (isNewline(c)) {
          push();
          state = 'preKey';
        } else if (c === '\\') {
          state = 'valueEscape';
          lastValueWhitespace = -1;
        } else {
          if (!isSpace(c)) lastValueWhitespace = -1;
          else if (lastValueWhitespace === -1) lastValueWhitespace = value.length;
          value += c;
        }
        break;
      case 'valueEscape':
        state = 'value';
        if (!isNewline(c)) value += c;
        break;
      case 'single':
        if (c === "'") state = 'preValue';
        else value += c;
        break;
      case 'double':
        if (c === '"') state = 'preValue';
        else if (c === '\\') state = 'doubleEscape';
        else value += c;
        break;
      case 'doubleEscape':
        state = 'double';
        if ('"\\`$'.includes(c)) value += c;
        else if (c !== '\n') value += `\\${c}`;
        break;
      case 'comment':
        if (c === '\\') state = 'commentEscape';
        else if (isNewline(c)) state = 'preKey';
        break;
      case 'commentEscape':
        state = isNewline(c) ? 'preKey' : 'comment';
        break;
    }
    if (c === '\n') line++;
  }
  if (state === 'preValue' || state === 'value' || state === 'valueEscape' || state === 'single' || state === 'double' || state === 'doubleEscape') push();
  return { assignments, problems };
}

/** Where a variable of the service's environment was set. */
export interface EnvironmentVariable {
  readonly value: string;
  readonly file: string;
  readonly line: number;
  readonly from: 'Environment' | 'EnvironmentFile';
}

export interface ExecStart {
  /** The argv systemd passes, argv[0] first, after `$VAR`/`${VAR}` substitution; each token with its file and line. */
  readonly argv: readonly ArgToken[];
  /** The program systemd executes (differs from argv[0] with the `@` prefix). */
  readonly path: string;
  /** The `-@:+!` prefixes of the command as written. */
  readonly prefixes: string;
  readonly file: string;
  readonly line: number;
}

export interface SystemdServiceInput {
  readonly unit: TextFile;
  /** Drop-in files (`<unit>.d/*.conf`), in any order; the same name twice keeps the first (list /etc before /run before /usr/lib). */
  readonly dropIns?: readonly TextFile[];
  /** The contents of files EnvironmentFile= names, by absolute path; undefined (or absent from the map) when missing. */
  readonly environmentFiles?: ReadonlyMap<string, string> | ((path: string) => string | undefined);
}

export interface SystemdService {
  readonly execStart: ExecStart | undefined;
  /** The environment ExecStart= sees from the unit (Environment= then EnvironmentFile=, later settings winning). */
  readonly environment: ReadonlyMap<string, EnvironmentVariable>;
  /** The files applied, in order: the unit, then its drop-ins by file name. */
  readonly files: readonly string[];
  readonly problems: readonly SystemdProblem[];
}

interface Command {
  readonly prefixes: string;
  readonly path: string;
  readonly separateArgv0: boolean;
  readonly words: readonly Word[];
  readonly directive: UnitDirective;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** ExecStart= as config_parse_exec reads it: prefixes on the first word, a lone `;` between commands, `\;` a literal `;`. */
function parseExecDirective(directive: UnitDirective, problems: SystemdProblem[]): Command[] | undefined {
  const text = directive.value;
  const problem = (offset: number, message: string) =>
    problems.push({ code: 'syntax-error', file: directive.file, line: lineOfOffset(directive, offset), message: `ExecStart=: ${message}` });
  const commands: Command[] = [];
  const options = { cunescape: true, relax: false };
  let position = 0;
  let semicolon: boolean;
  do {
    semicolon = false;
    const first = extractFirstWord(text, position, options);
    if (first.kind === 'error') {
      problem(first.offset, first.message);
      return undefined;
    }
    if (first.kind === 'end') break;
    position = first.next;
    if (first.word.text === ';') {
      semicolon = true;
      continue;
    }
    const prefixes = /^[-@:+!]*/.exec(first.word.text)![0];
    const path = first.word.text.slice(prefixes.length);
    if (path === '') {
      problem(first.word.start, 'empty executable path');
      return undefined;
    }
    const words: Word[] = prefixes.includes('@') ? [] : [{ text: path, start: first.word.start }];
    while (position < text.length) {
      if (text[position] === ';' && (position + 1 === text.length || isSpace(text[position + 1]))) {
        position++;
        while (isSpace(text[position])) position++;
        semicolon = true;
        break;
      }
      if (text[position] === '\\' && text[position + 1] === ';' && (position + 2 === text.length || isSpace(text[position + 2]))) {
        words.push({ text: ';', start: position });
        position += 2;
        while (isSpace(text[position])) position++;
        continue;
      }
      const next = extractFirstWord(text, position, options);
      if (next.kind === 'error') {
        problem(next.offset, next.message);
        return undefined;
      }
      if (next.kind === 'end') break;
      words.push(next.word);
      position = next.next;
    }
    if (words.length === 0) {
      problem(first.word.start, 'empty argv[0]');
      return undefined;
    }
    commands.push({ prefixes, path, separateArgv0: prefixes.includes('@'), words, directive });
  } while (semicolon);
  return commands;
}

/**
 * The service's ExecStart= command line with its environment, as systemd would run it. Drop-ins apply after the
 * unit, sorted by file name; only `[Service]` matters.
 */
export function resolveSystemdService(input: SystemdServiceInput): SystemdService {
  const problems: SystemdProblem[] = [];
  const files: TextFile[] = [input.unit];
  const seen = new Set<string>();
  const dropIns = [...(input.dropIns ?? [])]
    .map((file, order) => ({ file, order, name: baseName(file.file) }))
    .sort((a, b) => compareStrings(a.name, b.name) || a.order - b.order);
  for (const { file, name } of dropIns) {
    if (!name.endsWith('.conf')) {
      problems.push({ code: 'ignored-drop-in', file: file.file, line: 0, message: 'systemd reads only *.conf drop-ins' });
    } else if (seen.has(name)) {
      problems.push({ code: 'ignored-drop-in', file: file.file, line: 0, message: `shadowed by an earlier drop-in named ${name}` });
    } else {
      seen.add(name);
      files.push(file);
    }
  }

  let environmentAssignments: { name: string; variable: EnvironmentVariable }[] = [];
  let environmentFiles: { path: string; optional: boolean; directive: UnitDirective }[] = [];
  let commands: Command[] = [];
  for (const file of files) {
    const parsed = parseUnitFile(file);
    problems.push(...parsed.problems);
    for (const directive of parsed.directives) {
      if (directive.section !== 'Service') continue;
      if (directive.key === 'ExecStart') {
        if (directive.value === '') commands = [];
        else commands.push(...(parseExecDirective(directive, problems) ?? []));
      } else if (directive.key === 'Environment') {
        if (directive.value === '') {
          environmentAssignments = [];
          continue;
        }
        let position = 0;
        for (;;) {
          const extracted = extractFirstWord(directive.value, position, { cunescape: true, relax: false });
          if (extracted.kind === 'end') break;
          if (extracted.kind === 'error') {
            problems.push({ code: 'syntax-error', file: directive.file, line: lineOfOffset(directive, extracted.offset), message: `Environment=: ${extracted.message}, rest of the line ignored` });
            break;
          }
          position = extracted.next;
          const line = lineOfOffset(directive, extracted.word.start);
          const assignment = resolveSpecifiers(extracted.word.text, (specifier) =>
            problems.push({ code: 'unresolved-specifier', file: directive.file, line, message: `specifier ${specifier} left as written` }),
          );
          const equals = assignment.indexOf('=');
          const name = equals === -1 ? assignment : assignment.slice(0, equals);
          if (equals === -1 || !VALID_NAME.test(name)) {
            problems.push({ code: 'invalid-assignment', file: directive.file, line, message: `${JSON.stringify(assignment)} is not a valid NAME=value assignment, ignored` });
            continue;
          }
          environmentAssignments.push({ name, variable: { value: assignment.slice(equals + 1), file: directive.file, line, from: 'Environment' } });
        }
      } else if (directive.key === 'EnvironmentFile') {
        if (directive.value === '') {
          environmentFiles = [];
          continue;
        }
        const optional = directive.value.startsWith('-');
        const path = optional ? directive.value.slice(1) : directive.value;
        if (!path.startsWith('/')) {
          problems.push({ code: 'relative-environment-file', file: directive.file, line: directive.line, message: `EnvironmentFile=${directive.value}: path is not absolute, ignored` });
          continue;
        }
        environmentFiles.push({ path, optional, directive });
      }
    }
  }

  const environment = new Map<string, EnvironmentVariable>();
  for (const { name, variable } of environmentAssignments) environment.set(name, variable);
  const read = input.environmentFiles;
  for (const { path, optional, directive } of environmentFiles) {
    const text = typeof read === 'function' ? read(path) : read?.get(path);
    if (text === undefined) {
      problems.push(
        optional
          ? { code: 'optional-environment-file-missing', file: directive.file, line: directive.line, message: `${path} is missing; skipped as the '-' prefix allows` }
          : { code: 'environment-file-missing', file: directive.file, line: directive.line, message: `${path} is missing: systemd fails to start the service` },
      );
      continue;
    }
    const parsed = parseEnvironmentFile({ file: path, text });
    problems.push(...parsed.problems);
    for (const assignment of parsed.assignments) {
      environment.set(assignment.name, { value: assignment.value, file: path, line: assignment.line, from: 'EnvironmentFile' });
    }
  }

  const command = commands.at(-1);
  if (commands.length > 1) {
    problems.push({
      code: 'multiple-exec-start',
      file: command!.directive.file,
      line: command!.directive.line,
      message: `${commands.length} ExecStart= commands remain after resets; systemd refuses that unless Type=oneshot (the last one is used)`,
    });
  }
  if (!command) problems.push({ code: 'no-exec-start', file: input.unit.file, line: 0, message: 'no ExecStart= command' });
  const execStart = command ? expandCommand(command, environment, problems) : undefined;
  return Object.freeze({ execStart, environment, files: files.map((file) => file.file), problems: Object.freeze(problems) });
}

/** replace_env_argv: `$NAME` as a whole word splits the value into words; `${NAME}` anywhere stays one word; `$$` is `$`. */
function expandCommand(command: Command, environment: ReadonlyMap<string, EnvironmentVariable>, problems: SystemdProblem[]): ExecStart {
  const { directive } = command;
  const argv: ArgToken[] = [];
  const expand = !command.prefixes.includes(':');
  for (const word of command.words) {
    const line = lineOfOffset(directive, word.start);
    const here: FileFlagSource = { type: 'file', file: directive.file, line };
    const report = (specifier: string) =>
      problems.push({ code: 'unresolved-specifier', file: directive.file, line, message: `specifier ${specifier} left as written` });
    const text = resolveSpecifiers(word.text, report);
    if (!expand) {
      argv.push({ text, source: here });
      continue;
    }
    if (text.startsWith('$') && text[1] !== '{' && text[1] !== '$') {
      const name = text.slice(1);
      if (!VALID_NAME.test(name)) {
        problems.push({ code: 'invalid-variable', file: directive.file, line, message: `${text}: not a valid variable name, the word is dropped` });
        continue;
      }
      const variable = environment.get(name);
      if (!variable) {
        problems.push({ code: 'unset-variable', file: directive.file, line, message: `$${name} is not set: it expands to no words` });
        continue;
      }
      const via = { variable: name, file: directive.file, line };
      for (const part of splitWords(variable.value)) {
        argv.push({ text: part, source: { type: 'file', file: variable.file, line: variable.line, via } });
      }
      continue;
    }
    const replaced = replaceBracedVariables(text, environment);
    for (const name of replaced.unset) {
      problems.push({ code: 'unset-variable', file: directive.file, line, message: `\${${name}} is not set: it expands to an empty string` });
    }
    const last = replaced.used.at(-1);
    const variable = last === undefined ? undefined : environment.get(last);
    argv.push({
      text: replaced.text,
      source: variable ? { type: 'file', file: variable.file, line: variable.line, via: { variable: last!, file: directive.file, line } } : here,
    });
  }
  return Object.freeze({ argv: Object.freeze(argv), path: command.path, prefixes: command.prefixes, file: directive.file, line: directive.line });
}

/** systemd's replace_env without flags: `${NAME}` replaced (empty when unset), `$$` → `$`, `${NAME:-x}` and `$NAME` left as written. */
function replaceBracedVariables(text: string, environment: ReadonlyMap<string, EnvironmentVariable>): { text: string; used: string[]; unset: string[] } {
  let out = '';
  let word = 0;
  let state: 'word' | 'curly' | 'variable' = 'word';
  const used: string[] = [];
  const unset: string[] = [];
  for (let e = 0; e < text.length; e++) {
    const c = text[e];
    if (state === 'word') {
      if (c === '$') state = 'curly';
    } else if (state === 'curly') {
      if (c === '{') {
        out += text.slice(word, e - 1);
        word = e - 1;
        state = 'variable';
      } else if (c === '$') {
        out += text.slice(word, e);
        word = e + 1;
        state = 'word';
      } else {
        state = 'word';
      }
    } else if (c === '}') {
      const name = text.slice(word + 2, e);
      const variable = environment.get(name);
      if (variable) used.push(name);
      else unset.push(name);
      out += variable?.value ?? '';
      word = e + 1;
      state = 'word';
    } else if (c === ':') {
      state = 'word';
    }
  }
  return { text: out + text.slice(word), used, unset };
}
