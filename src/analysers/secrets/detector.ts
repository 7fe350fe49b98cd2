// A secret detector is data: what it finds, the keywords that must occur before its pattern runs, the pattern,
// and the examples that prove it. The catalogue test checks every one of them.

export type DetectorSeverity = 'critical' | 'high' | 'medium' | 'low';

/** Checks a detector can ask for beyond its pattern, by name, so detectors stay plain data. */
export type DetectorCheck = 'jwt-structure' | 'kubernetes-token' | 'not-example' | 'base64-decodes';

export interface DetectorSpec {
  /** Stable kebab-case id, provider first: `aws-access-key-id`, `github-fine-grained-pat`. */
  readonly id: string;
  /** What the secret is, as a user names it: "AWS access key ID". */
  readonly title: string;
  /** One or two sentences: what the credential grants and where it comes from. */
  readonly description: string;
  /** Default `high`. `critical` for credentials that usually grant broad cloud or cluster control. */
  readonly severity?: DetectorSeverity;
  /**
   * Lower-case literals; the pattern runs only on text that contains one of them (case-insensitively). Prefer
   * the token's own fixed prefix (`ghp_`, `xoxb-`, `akia`); fall back to the provider's name near the value.
   */
  readonly keywords: readonly string[];
  /**
   * JavaScript RegExp source. The secret is the named group `secret` if there is one, else the whole match.
   * Linear-time discipline (checked by the catalogue test): every quantifier is bounded (`{0,40}`, never `*`,
   * `+` or `{n,}`), at most 4,096 (65,536 after a literal prefix of 8 characters, for PEM bodies); a quantified group contains only fixed-count quantifiers; no back-references.
   * Names in any case: `anyCase('api_key')`, not `(?i:...)`.
   * Use `(?<![A-Za-z0-9])` / `(?![A-Za-z0-9])` for token boundaries where `\b` is wrong (`_`, `-` in tokens).
   */
  readonly pattern: string;
  /** `i` to ignore case in the whole pattern (for just the keyword part, use `anyCase()`). */
  readonly flags?: 'i';
  /** Minimum Shannon entropy of the secret, in bits per character (e.g. 3.0); below it the match is dropped. */
  readonly entropy?: number;
  /** RegExp sources: a secret matching any of them is a known non-secret (documented examples, test values). */
  readonly allowlist?: readonly string[];
  readonly checks?: readonly DetectorCheck[];
  /** Texts that must produce a finding from this detector, and texts that must not. */
  readonly examples: {
    readonly positive: readonly string[];
    readonly negative: readonly string[];
  };
}

export interface CompiledDetector {
  readonly spec: DetectorSpec;
  readonly id: string;
  readonly severity: DetectorSeverity;
  readonly keywords: readonly string[];
  /** Global (`g`) so one text is scanned once for all its matches. */
  readonly regex: RegExp;
  readonly allowlist: readonly RegExp[];
}

export function compileDetector(spec: DetectorSpec): CompiledDetector {
  const problems = lintPattern(spec.pattern);
  if (problems.length > 0) throw new Error(`detector ${spec.id}: ${problems.join('; ')}`);
  return {
    spec,
    id: spec.id,
    severity: spec.severity ?? 'high',
    keywords: spec.keywords.map((keyword) => keyword.toLowerCase()),
    regex: new RegExp(spec.pattern, `g${spec.flags ?? ''}`),
    allowlist: (spec.allowlist ?? []).map((source) => new RegExp(source)),
  };
}

/**
 * A name matched in any letter case, written out as `[Aa][Pp][Ii]` rather than with an inline `(?i:...)` group:
 * V8 (Node 24) mis-matches some inline-modifier groups, e.g. `/(?:_|Z)(?i:a_?(?:k_?)?s)/.test('_A_S')` is false.
 * The source may hold groups, alternatives, `?` and character classes without letters.
 */
export function anyCase(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === '\\') {
      out += char + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (/[A-Za-z]/.test(char)) throw new Error(`anyCase: letter in a character class of ${source}`);
      if (char === ']') inClass = false;
      out += char;
    } else if (char === '[') {
      inClass = true;
      out += char;
    } else if (/[A-Za-z]/.test(char)) {
      out += `[${char.toUpperCase()}${char.toLowerCase()}]`;
    } else {
      out += char;
    }
  }
  return `(?:${out})`;
}

const MAX_REPEAT = 4096;
/** Bodies of PEM blocks and the like: allowed only after a literal prefix, so they start where it occurs. */
const MAX_REPEAT_AFTER_PREFIX = 65536;
const LITERAL_PREFIX = /^(?:[A-Za-z0-9 _:=,"'@#%&<>~`-]|\\[-./*+?()[\]{}|^$])+/;

/**
 * Finds what could make a pattern backtrack badly: unbounded or huge quantifiers, variable quantifiers inside a
 * quantified group, back-references. A pattern that passes runs in time linear in the text for a fixed pattern
 * (each start position does bounded work). Returns the problems, empty when the pattern is acceptable.
 */
export function lintPattern(source: string): string[] {
  const problems: string[] = [];
  try {
    new RegExp(source);
  } catch (error) {
    return [`does not compile: ${(error as Error).message}`];
  }
  if (/\(\?[ims]*-?[ims]+:/.test(source)) problems.push('inline modifier groups such as (?i:…) are not allowed (V8 mis-matches some); use anyCase()');
  const hasLongPrefix = (LITERAL_PREFIX.exec(source)?.[0].length ?? 0) >= 8;
  // A stack of open groups: whether each contains a variable-count quantifier.
  const groups: { variable: boolean }[] = [];
  let lastGroupVariable = false;
  let i = 0;
  const quantifierAt = (at: number): { end: number; variable: boolean; bound: number } | undefined => {
    const char = source[at];
    if (char === '*' || char === '+') return { end: at + 1, variable: true, bound: Infinity };
    if (char === '?') return { end: at + 1, variable: true, bound: 1 };
    if (char === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
      if (!match) return undefined;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === '' ? Infinity : Number(match[3]);
      return { end: at + match[0].length, variable: max !== min, bound: max };
    }
    return undefined;
  };
  while (i < source.length) {
    const char = source[i]!;
    let atomEnd = i + 1;
    let atomIsGroup = false;
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') problems.push('back-references are not allowed');
      atomEnd = i + 2;
      if (next === 'u' && source[i + 2] === '{') atomEnd = source.indexOf('}', i) + 1;
      else if (next === 'u') atomEnd = i + 6;
      else if (next === 'x') atomEnd = i + 4;
      else if (next === 'p' || next === 'P') atomEnd = source.indexOf('}', i) + 1;
    } else if (char === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      while (j < source.length && source[j] !== ']') j += source[j] === '\\' ? 2 : 1;
      atomEnd = j + 1;
    } else if (char === '(') {
      groups.push({ variable: false });
      const lookaround = /^\(\?(?:<?[=!]|<[A-Za-z]\w*>|:|[ims-]+:)?/.exec(source.slice(i));
      i += lookaround ? lookaround[0].length : 1;
      continue;
    } else if (char === ')') {
      const group = groups.pop();
      lastGroupVariable = group?.variable ?? false;
      atomIsGroup = true;
    } else if (char === '|') {
      i++;
      continue;
    }
    const quantifier = quantifierAt(atomEnd);
    if (quantifier) {
      if (quantifier.bound === Infinity) problems.push(`unbounded quantifier at ${atomEnd} (use {0,N})`);
      else if (quantifier.bound > (hasLongPrefix ? MAX_REPEAT_AFTER_PREFIX : MAX_REPEAT)) {
        problems.push(`quantifier above ${hasLongPrefix ? MAX_REPEAT_AFTER_PREFIX : MAX_REPEAT} at ${atomEnd}`);
      }
      // `(a{1,3}){4}` and `(a{1,3})?` stay cheap; `(a{1,3}){1,9}` can split the same text many ways.
      if (atomIsGroup && lastGroupVariable && quantifier.variable && quantifier.bound > 1) {
        problems.push(`variable quantifier on a group that holds a variable quantifier at ${atomEnd}`);
      }
      if (quantifier.variable || atomIsGroup && lastGroupVariable) {
        const enclosing = groups[groups.length - 1];
        if (enclosing) enclosing.variable = true;
      }
      let end = quantifier.end;
      if (source[end] === '?') end++; // lazy
      i = end;
      continue;
    }
    if (atomIsGroup && lastGroupVariable) {
      const enclosing = groups[groups.length - 1];
      if (enclosing) enclosing.variable = true;
    }
    i = atomEnd;
  }
  return problems;
}
