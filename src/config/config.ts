import { isJsonObject, isSeverity, SEVERITIES, type JsonObject, type JsonValue, type Path, type Severity } from '../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, type PodTemplateLocation } from '../core/pod-templates.ts';
import type { AnyRule, KubeMinorVersion, OptionSpec } from '../core/rule-api.ts';
import { parseKubeMinorVersion } from '../core/settings.ts';

/** The `.palisade.yaml` settings after validation. */
export interface PalisadeConfig {
  readonly failOn?: Severity;
  readonly pssVersion?: KubeMinorVersion;
  readonly disabledRules: readonly string[];
  readonly enabledRules: readonly string[];
  readonly severity: Readonly<Record<string, Severity>>;
  readonly ruleOptions: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly podTemplates: readonly PodTemplateLocation[];
  readonly suppressions: readonly ConfigSuppression[];
  readonly allowInlineSuppressions: boolean;
}

/** A suppression entry: which findings (rule × resource × path) it covers, why, and until when. */
export interface ConfigSuppression {
  readonly index: number;
  /** 1-based line of the entry in the config file, when known. */
  readonly line?: number;
  readonly rule: string;
  readonly kind?: string;
  readonly namespace?: string;
  /** Glob: `*` matches any run of characters. */
  readonly name?: string;
  /** Glob over the finding's location path. */
  readonly path?: string;
  readonly reason: string;
  /** ISO date (YYYY-MM-DD); the suppression stops applying after this day. */
  readonly expires?: string;
}

export const EMPTY_CONFIG: PalisadeConfig = {
  disabledRules: [],
  enabledRules: [],
  severity: {},
  ruleOptions: {},
  podTemplates: [],
  suppressions: [],
  allowInlineSuppressions: true,
};

/** A config problem: the key path it concerns and what is wrong. */
export interface ConfigIssue {
  readonly path: Path;
  readonly message: string;
}

export class ConfigValidationError extends Error {
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map((issue) => issue.message).join('; '));
    this.issues = issues;
  }
}

const TOP_LEVEL_KEYS = [
  'failOn',
  'pssVersion',
  'disabledRules',
  'enabledRules',
  'severity',
  'registries',
  'rules',
  'podTemplates',
  'suppressions',
  'allowInlineSuppressions',
] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

function optionMatches(spec: OptionSpec, value: unknown): boolean {
  switch (spec.type) {
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'string[]':
      return Array.isArray(value) && value.every((item) => typeof item === 'string');
  }
}

function parseDottedPath(text: string): Path | undefined {
  if (!/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/.test(text)) return undefined;
  return text.split('.');
}

/** Validates the parsed YAML of a config file against the rule catalogue; throws ConfigValidationError. */
export function validateConfig(raw: JsonValue | undefined, rules: readonly AnyRule[]): PalisadeConfig {
  if (raw === undefined || raw === null) return EMPTY_CONFIG;
  const issues: ConfigIssue[] = [];
  if (!isJsonObject(raw)) throw new ConfigValidationError([{ path: [], message: `the config must be a mapping, not ${describe(raw)}` }]);
  const rulesById = new Map(rules.map((rule) => [rule.meta.id, rule]));
  const knownRule = (id: unknown, path: Path): id is string => {
    if (typeof id === 'string' && rulesById.has(id)) return true;
    issues.push({ path, message: `${path.join('.')}: unknown rule ${JSON.stringify(id)} (see \`palisade rules\`)` });
    return false;
  };

  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) {
      issues.push({ path: [key], message: `${key}: unknown key (expected one of ${TOP_LEVEL_KEYS.join(', ')})` });
    }
  }

  let failOn: Severity | undefined;
  if (raw['failOn'] !== undefined) {
    if (isSeverity(raw['failOn']) || raw['failOn'] === 'none') failOn = raw['failOn'] === 'none' ? undefined : (raw['failOn'] as Severity);
    else issues.push({ path: ['failOn'], message: `failOn: expected one of ${SEVERITIES.join(', ')}, got ${describe(raw['failOn'])}` });
  }

  let pssVersion: KubeMinorVersion | undefined;
  if (raw['pssVersion'] !== undefined) {
    const text = typeof raw['pssVersion'] === 'number' ? String(raw['pssVersion']) : raw['pssVersion'];
    pssVersion = typeof text === 'string' ? parseKubeMinorVersion(text) : undefined;
    if (!pssVersion) issues.push({ path: ['pssVersion'], message: `pssVersion: expected "1.N" (a known Kubernetes minor version) or "latest", got ${describe(raw['pssVersion'])}` });
  }

  const ruleList = (key: 'disabledRules' | 'enabledRules'): string[] => {
    const value = raw[key];
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      issues.push({ path: [key], message: `${key}: expected a list of rule ids, got ${describe(value)}` });
      return [];
    }
    return value.filter((id, index): id is string => knownRule(id, [key, index]));
  };
  const disabledRules = ruleList('disabledRules');
  const enabledRules = ruleList('enabledRules');

  const severity: Record<string, Severity> = {};
  if (raw['severity'] !== undefined) {
    const value = raw['severity'];
    if (!isJsonObject(value)) issues.push({ path: ['severity'], message: `severity: expected a mapping of rule id to severity, got ${describe(value)}` });
    else {
      for (const [id, level] of Object.entries(value)) {
        if (!knownRule(id, ['severity', id])) continue;
        if (isSeverity(level)) severity[id] = level;
        else issues.push({ path: ['severity', id], message: `severity.${id}: expected one of ${SEVERITIES.join(', ')}, got ${describe(level)}` });
      }
    }
  }

  const ruleOptions: Record<string, Record<string, unknown>> = {};
  const setOption = (ruleId: string, option: string, value: unknown, path: Path): void => {
    const rule = rulesById.get(ruleId);
    const spec = rule?.options[option];
    if (!rule) return;
    if (!spec) {
      const known = Object.keys(rule.options);
      issues.push({ path, message: `${path.join('.')}: rule ${ruleId} has no option ${JSON.stringify(option)}${known.length ? ` (options: ${known.join(', ')})` : ' (it takes no options)'}` });
      return;
    }
    if (!optionMatches(spec, value)) {
      issues.push({ path, message: `${path.join('.')}: expected ${spec.type}, got ${describe(value)}` });
      return;
    }
    (ruleOptions[ruleId] ??= {})[option] = value;
  };
  if (raw['rules'] !== undefined) {
    const value = raw['rules'];
    if (!isJsonObject(value)) issues.push({ path: ['rules'], message: `rules: expected a mapping of rule id to options, got ${describe(value)}` });
    else {
      for (const [id, options] of Object.entries(value)) {
        if (!knownRule(id, ['rules', id])) continue;
        if (!isJsonObject(options)) {
          issues.push({ path: ['rules', id], message: `rules.${id}: expected a mapping of option names to values, got ${describe(options)}` });
          continue;
        }
        for (const [option, optionValue] of Object.entries(options)) setOption(id, option, optionValue, ['rules', id, option]);
      }
    }
  }
  if (raw['registries'] !== undefined) {
    const value = raw['registries'];
    const allowed = isJsonObject(value) ? value['allowed'] : undefined;
    if (!isJsonObject(value) || Object.keys(value).some((k) => k !== 'allowed')) {
      issues.push({ path: ['registries'], message: `registries: expected a mapping with the key "allowed" (a list of registries)` });
    } else if (!Array.isArray(allowed) || !allowed.every((item) => typeof item === 'string')) {
      issues.push({ path: ['registries', 'allowed'], message: `registries.allowed: expected a list of registry names, got ${describe(allowed)}` });
    } else if (rulesById.has('image-registry-allowlist')) {
      setOption('image-registry-allowlist', 'allowedRegistries', allowed, ['registries', 'allowed']);
    }
  }

  const podTemplates: PodTemplateLocation[] = [];
  if (raw['podTemplates'] !== undefined) {
    const value = raw['podTemplates'];
    if (!Array.isArray(value)) issues.push({ path: ['podTemplates'], message: `podTemplates: expected a list of {group, kind, path}, got ${describe(value)}` });
    else {
      value.forEach((entry, index) => {
        const at = ['podTemplates', index];
        if (!isJsonObject(entry)) {
          issues.push({ path: at, message: `podTemplates[${index}]: expected a mapping with group, kind and path` });
          return;
        }
        const unknown = Object.keys(entry).filter((k) => !['group', 'kind', 'path'].includes(k));
        for (const key of unknown) issues.push({ path: [...at, key], message: `podTemplates[${index}].${key}: unknown key (expected group, kind, path)` });
        const { group, kind, path } = entry;
        const parsedPath = typeof path === 'string' ? parseDottedPath(path) : undefined;
        if (typeof kind !== 'string' || kind === '') issues.push({ path: [...at, 'kind'], message: `podTemplates[${index}].kind: expected the kind name` });
        if (group !== undefined && typeof group !== 'string') issues.push({ path: [...at, 'group'], message: `podTemplates[${index}].group: expected an API group name such as example.com` });
        if (!parsedPath) issues.push({ path: [...at, 'path'], message: `podTemplates[${index}].path: expected a dotted path to the pod template such as spec.template` });
        if (typeof kind === 'string' && kind !== '' && parsedPath && (group === undefined || typeof group === 'string')) {
          podTemplates.push(typeof group === 'string' ? { group, kind, path: parsedPath } : { kind, path: parsedPath });
        }
      });
    }
  }

  const suppressions: ConfigSuppression[] = [];
  if (raw['suppressions'] !== undefined) {
    const value = raw['suppressions'];
    if (!Array.isArray(value)) issues.push({ path: ['suppressions'], message: `suppressions: expected a list, got ${describe(value)}` });
    else value.forEach((entry, index) => {
      const parsed = validateSuppression(entry, index, issues, knownRule);
      if (parsed) suppressions.push(parsed);
    });
  }

  let allowInlineSuppressions = true;
  if (raw['allowInlineSuppressions'] !== undefined) {
    if (typeof raw['allowInlineSuppressions'] === 'boolean') allowInlineSuppressions = raw['allowInlineSuppressions'];
    else issues.push({ path: ['allowInlineSuppressions'], message: `allowInlineSuppressions: expected true or false, got ${describe(raw['allowInlineSuppressions'])}` });
  }

  if (issues.length > 0) throw new ConfigValidationError(issues);
  return {
    ...(failOn !== undefined ? { failOn } : {}),
    ...(pssVersion !== undefined ? { pssVersion } : {}),
    disabledRules,
    enabledRules,
    severity,
    ruleOptions,
    podTemplates,
    suppressions,
    allowInlineSuppressions,
  };
}

const SUPPRESSION_KEYS = ['rule', 'kind', 'namespace', 'name', 'path', 'reason', 'expires'];

function validateSuppression(
  entry: JsonValue,
  index: number,
  issues: ConfigIssue[],
  knownRule: (id: unknown, path: Path) => boolean,
): ConfigSuppression | undefined {
  const at = ['suppressions', index];
  const label = `suppressions[${index}]`;
  if (!isJsonObject(entry)) {
    issues.push({ path: at, message: `${label}: expected a mapping with rule, reason and optionally kind, namespace, name, path, expires` });
    return undefined;
  }
  const before = issues.length;
  for (const key of Object.keys(entry)) {
    if (!SUPPRESSION_KEYS.includes(key)) issues.push({ path: [...at, key], message: `${label}.${key}: unknown key (expected ${SUPPRESSION_KEYS.join(', ')})` });
  }
  const text = (key: string): string | undefined => {
    const value = (entry as JsonObject)[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
    issues.push({ path: [...at, key], message: `${label}.${key}: expected a non-empty string, got ${describe(value)}` });
    return undefined;
  };
  const rule = text('rule');
  if (rule === undefined && entry['rule'] === undefined) issues.push({ path: at, message: `${label}: missing "rule"` });
  else if (rule !== undefined && rule !== '*') knownRule(rule, [...at, 'rule']);
  const reason = text('reason');
  if (entry['reason'] === undefined) issues.push({ path: at, message: `${label}: a suppression needs a "reason"` });
  const expiresRaw = entry['expires'];
  const expires = typeof expiresRaw === 'string' ? expiresRaw : undefined;
  if (expiresRaw !== undefined && (expires === undefined || !ISO_DATE.test(expires) || Number.isNaN(Date.parse(expires)))) {
    issues.push({ path: [...at, 'expires'], message: `${label}.expires: expected a date YYYY-MM-DD, got ${describe(expiresRaw)}` });
  }
  const kind = text('kind');
  const namespace = text('namespace');
  const name = text('name');
  const path = text('path');
  if (issues.length > before || rule === undefined || reason === undefined) return undefined;
  return {
    index,
    rule,
    reason,
    ...(kind !== undefined ? { kind } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(expires !== undefined ? { expires } : {}),
  };
}

/** Built-in pod template locations followed by the configured ones. */
export function podTemplateLocations(config: PalisadeConfig): readonly PodTemplateLocation[] {
  return [...BUILTIN_POD_TEMPLATE_LOCATIONS, ...config.podTemplates];
}
