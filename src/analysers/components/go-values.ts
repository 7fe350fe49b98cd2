// Go's scalar parsers as the components apply them to flag values and config fields: strconv.ParseBool,
// strconv.ParseInt with base 0 (what pflag's int32/int64 flags call) and time.ParseDuration. A value these reject
// makes the component exit at start-up, so callers report it rather than guess.

/** strconv.ParseBool: `1 t T TRUE true True` and `0 f F FALSE false False`; anything else is undefined. */
export function parseGoBool(text: string): boolean | undefined {
  switch (text) {
    case '1':
    case 't':
    case 'T':
    case 'TRUE':
    case 'true':
    case 'True':
      return true;
    case '0':
    case 'f':
    case 'F':
    case 'FALSE':
    case 'false':
    case 'False':
      return false;
    default:
      return undefined;
  }
}

/** Go's rule for `_` in base-0 literals: only between digits, or between a base prefix and a digit. */
function underscoreOk(text: string): boolean {
  let s = text;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let saw: '^' | '0' | '_' | '!' = '^';
  let i = 0;
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'bBoOxX'.includes(s[1]!)) {
    i = 2;
    saw = '0';
    hex = s[1] === 'x' || s[1] === 'X';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && /[a-fA-F]/.test(c))) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

const DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * strconv.ParseInt(text, 0, bits): optional sign, `0x`/`0o`/`0b` prefixes, a leading `0` for octal, `_` separators.
 * Undefined when Go would return an error (syntax or range).
 */
export function parseGoInt(text: string, bits: 32 | 64): number | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '') return undefined;
  let base = 10;
  if (s[0] === '0') {
    const marker = s[1]?.toLowerCase();
    if (s.length >= 3 && marker === 'b') [base, s] = [2, s.slice(2)];
    else if (s.length >= 3 && marker === 'o') [base, s] = [8, s.slice(2)];
    else if (s.length >= 3 && marker === 'x') [base, s] = [16, s.slice(2)];
    else [base, s] = [8, s.slice(1)];
  }
  let value = 0n;
  let underscores = false;
  for (const c of s) {
    if (c === '_') {
      underscores = true;
      continue;
    }
    const digit = DIGITS.indexOf(c.toLowerCase());
    if (digit === -1 || digit >= base) return undefined;
    value = value * BigInt(base) + BigInt(digit);
  }
  if (underscores && !underscoreOk(text)) return undefined;
  const limit = 1n << BigInt(bits - 1);
  const signed = negative ? -value : value;
  if (signed >= limit || signed < -limit) return undefined;
  return Number(signed);
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ns: 1e-9,
  us: 1e-6,
  'µs': 1e-6, // U+00B5 micro sign
  'μs': 1e-6, // U+03BC Greek mu
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
};

/**
 * time.ParseDuration, in seconds: a sequence of decimal numbers with units (`300ms`, `1h30m`, `-1.5h`); `0` is the
 * only unitless value Go accepts.
 */
export function parseGoDuration(text: string): number | undefined {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  while (s !== '') {
    const match = /^(\d*)(?:\.(\d*))?/.exec(s)!;
    const [number, whole = '', fraction] = match;
    if (whole === '' && (fraction === undefined || fraction === '')) return undefined;
    s = s.slice(number.length);
    const unit = /^[^\d.]+/.exec(s)?.[0];
    if (unit === undefined) return undefined;
    const scale = DURATION_UNITS[unit];
    if (scale === undefined) return undefined;
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction ?? ''}0`) * scale;
  }
  return sign * total;
}
