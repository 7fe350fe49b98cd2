import yaml from 'js-yaml';

// Kubernetes reads YAML through sigs.k8s.io/yaml, i.e. go-yaml v2 with YAML 1.1 scalar resolution. Matching it
// matters for a security tool: `privileged: yes` and `hostNetwork: on` are `true` to the API server.

const TRUE_WORDS = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);

const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && (TRUE_WORDS.has(data) || FALSE_WORDS.has(data)),
  construct: (data: string) => TRUE_WORDS.has(data),
  predicate: (value: unknown) => typeof value === 'boolean',
  represent: (value: object) => (value.valueOf() ? 'true' : 'false'),
});

const INT_PATTERNS: readonly [RegExp, number][] = [
  [/^[-+]?0b[01_]+$/, 2],
  [/^[-+]?0x[0-9a-fA-F_]+$/, 16],
  [/^[-+]?0o[0-7_]+$/, 8],
  [/^[-+]?0[0-7_]+$/, 8],
  [/^[-+]?(?:0|[1-9][0-9_]*)$/, 10],
];

function parseInt11(data: string): number | undefined {
  const first = data.charCodeAt(0);
  // Most plain scalars are words: only digits and signs can start an integer.
  if (!((first >= 48 && first <= 57) || first === 43 || first === 45)) return undefined;
  for (const [pattern, radix] of INT_PATTERNS) {
    if (!pattern.test(data)) continue;
    let digits = data.replace(/_/g, '');
    let sign = 1;
    if (digits.startsWith('-') || digits.startsWith('+')) {
      if (digits.startsWith('-')) sign = -1;
      digits = digits.slice(1);
    }
    if (radix === 2 || radix === 16 || (radix === 8 && digits.startsWith('0o'))) digits = digits.slice(2);
    const value = digits === '' ? Number.NaN : sign * Number.parseInt(digits, radix);
    return Number.isNaN(value) ? undefined : value;
  }
  return undefined;
}

const int11 = new yaml.Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: unknown) => typeof data === 'string' && parseInt11(data) !== undefined,
  construct: (data: string) => parseInt11(data),
  predicate: (value: unknown) => typeof value === 'number' && Number.isInteger(value),
  represent: (value: object) => String(value),
});

// js-yaml exports its built-in types at runtime; @types/js-yaml does not declare them.
const builtin = (yaml as unknown as { types: Record<'null' | 'float' | 'merge', yaml.Type> }).types;

/** null, YAML 1.1 booleans and integers, floats and merge keys; no timestamps (they stay strings, as in JSON). */
export const KUBERNETES_YAML_SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [builtin.null, bool11, int11, builtin.float, builtin.merge],
});
