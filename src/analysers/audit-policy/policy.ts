// The audit policy file (`--audit-policy-file`, audit.k8s.io/v1 Policy) read as kube-apiserver reads it: decoded
// into typed rules, with the problems that make the API server refuse the file. Upstream:
// staging/src/k8s.io/apiserver/pkg/audit/policy/reader.go (LoadPolicyFromBytes: decode, ValidatePolicy, "loaded
// illegal policy with 0 rules") and staging/src/k8s.io/apiserver/pkg/apis/audit/validation/validation.go.
import { isJsonObject, type JsonValue, type Path } from '../../core/model.ts';

export const AUDIT_LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

export const AUDIT_STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof AUDIT_STAGES)[number];

export function isAuditLevel(value: unknown): value is AuditLevel {
  return typeof value === 'string' && (AUDIT_LEVELS as readonly string[]).includes(value);
}

/** Whether `level` records at least what `minimum` records (None < Metadata < Request < RequestResponse). */
export function levelAtLeast(level: AuditLevel, minimum: AuditLevel): boolean {
  return AUDIT_LEVELS.indexOf(level) >= AUDIT_LEVELS.indexOf(minimum);
}

/** One `resources[]` entry. `group` "" is the core group; there is no group wildcard. */
export interface AuditGroupResources {
  readonly group: string;
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
}

export interface AuditPolicyRule {
  /** Position in `rules`. */
  readonly index: number;
  /** Undefined when missing or not one of the four levels (a validation error upstream). */
  readonly level: AuditLevel | undefined;
  readonly users: readonly string[];
  readonly userGroups: readonly string[];
  readonly verbs: readonly string[];
  readonly resources: readonly AuditGroupResources[];
  readonly namespaces: readonly string[];
  readonly nonResourceURLs: readonly string[];
  readonly omitStages: readonly string[];
}

/** Why kube-apiserver would refuse the file: `path` points at the field, `message` says what is wrong with it. */
export interface AuditPolicyProblem {
  readonly path: Path;
  readonly message: string;
}

export interface AuditPolicy {
  readonly rules: readonly AuditPolicyRule[];
  /** Whether `rules` is present (an empty list counts as present). */
  readonly hasRulesField: boolean;
  /** Policy-wide `omitStages`, united with each rule's own. */
  readonly omitStages: readonly string[];
  readonly problems: readonly AuditPolicyProblem[];
}

// NameIsDNSSubdomain (apimachinery validation): at most 253 characters of lower-case RFC 1123 labels.
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function describe(value: JsonValue): string {
  return JSON.stringify(value);
}

/** Reads a list of strings as Go's JSON decoder would: absent or null is empty; anything else that is not a list of strings fails decoding. */
function stringList(value: JsonValue | undefined, path: Path, problems: AuditPolicyProblem[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be a list of strings, not ${describe(value)}` });
    return [];
  }
  const out: string[] = [];
  (value as readonly JsonValue[]).forEach((item, index) => {
    if (typeof item === 'string') out.push(item);
    else problems.push({ path: [...path, index], message: `must be a string, not ${describe(item)}` });
  });
  return out;
}

function optionalString(value: JsonValue | undefined, path: Path, problems: AuditPolicyProblem[]): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  problems.push({ path, message: `must be a string, not ${describe(value)}` });
  return '';
}

function parseGroupResources(value: JsonValue, path: Path, problems: AuditPolicyProblem[]): AuditGroupResources {
  if (!isJsonObject(value)) {
    problems.push({ path, message: `must be a mapping with group, resources and resourceNames, not ${describe(value)}` });
    return { group: '', resources: [], resourceNames: [] };
  }
  const group = optionalString(value['group'], [...path, 'group'], problems);
  const resources = stringList(value['resources'], [...path, 'resources'], problems);
  const resourceNames = stringList(value['resourceNames'], [...path, 'resourceNames'], problems);
  if (group !== '' && (group.length > 253 || !DNS_SUBDOMAIN.test(group))) {
    problems.push({ path: [...path, 'group'], message: `"${group}" is not an API group name (a lower-case DNS subdomain, no version and no wildcard)` });
  }
  if (resourceNames.length > 0 && resources.length === 0) {
    problems.push({ path: [...path, 'resourceNames'], message: 'resourceNames requires at least one resource' });
  }
  return { group, resources, resourceNames };
}

function parseRule(value: JsonValue, index: number, problems: AuditPolicyProblem[]): AuditPolicyRule {
  const path: Path = ['rules', index];
  const rule = isJsonObject(value) ? value : {};
  if (!isJsonObject(value)) problems.push({ path, message: `must be a mapping, not ${describe(value)}` });

  let level: AuditLevel | undefined;
  const rawLevel = rule['level'];
  if (rawLevel === undefined || rawLevel === null || rawLevel === '') {
    if (isJsonObject(value)) problems.push({ path: [...path, 'level'], message: 'level is required (None, Metadata, Request or RequestResponse)' });
  } else if (isAuditLevel(rawLevel)) {
    level = rawLevel;
  } else {
    problems.push({ path: [...path, 'level'], message: `level ${describe(rawLevel)} is not one of None, Metadata, Request, RequestResponse (case matters)` });
  }

  const rawResources = rule['resources'];
  let resources: AuditGroupResources[] = [];
  if (Array.isArray(rawResources)) {
    resources = (rawResources as readonly JsonValue[]).map((entry, i) => parseGroupResources(entry, [...path, 'resources', i], problems));
  } else if (rawResources !== undefined && rawResources !== null) {
    problems.push({ path: [...path, 'resources'], message: `must be a list of {group, resources, resourceNames}, not ${describe(rawResources)}` });
  }

  const nonResourceURLs = stringList(rule['nonResourceURLs'], [...path, 'nonResourceURLs'], problems);
  nonResourceURLs.forEach((url, i) => {
    if (url === '*') return;
    if (!url.startsWith('/')) problems.push({ path: [...path, 'nonResourceURLs', i], message: `"${url}" must begin with "/"` });
    if (url !== '' && url.slice(0, -1).includes('*')) {
      problems.push({ path: [...path, 'nonResourceURLs', i], message: `"${url}" has a "*" that is not its last character` });
    }
  });
  const namespaces = stringList(rule['namespaces'], [...path, 'namespaces'], problems);
  if (nonResourceURLs.length > 0 && (resources.length > 0 || namespaces.length > 0)) {
    problems.push({ path: [...path, 'nonResourceURLs'], message: 'a rule cannot apply to both resources (or namespaces) and non-resource URLs' });
  }

  const omitStages = stringList(rule['omitStages'], [...path, 'omitStages'], problems);
  omitStages.forEach((stage, i) => {
    if (!(AUDIT_STAGES as readonly string[]).includes(stage)) {
      problems.push({ path: [...path, 'omitStages', i], message: `stage "${stage}" is not one of ${AUDIT_STAGES.join(', ')}` });
    }
  });

  return {
    index,
    level,
    users: stringList(rule['users'], [...path, 'users'], problems),
    userGroups: stringList(rule['userGroups'], [...path, 'userGroups'], problems),
    verbs: stringList(rule['verbs'], [...path, 'verbs'], problems),
    resources,
    namespaces,
    nonResourceURLs,
    omitStages,
  };
}

/** Decodes and validates a Policy object; never throws. Problems come in document order. */
export function parseAuditPolicy(value: JsonValue | undefined): AuditPolicy {
  const object = isJsonObject(value) ? value : {};
  const problems: AuditPolicyProblem[] = [];
  const rawRules = object['rules'];
  let rules: AuditPolicyRule[] = [];
  if (Array.isArray(rawRules)) {
    rules = (rawRules as readonly JsonValue[]).map((rule, index) => parseRule(rule, index, problems));
  } else if (rawRules !== undefined && rawRules !== null) {
    problems.push({ path: ['rules'], message: `must be a list of rules, not ${describe(rawRules)}` });
  }
  // Policy-wide omitStages are decoded but, unlike each rule's, not validated upstream (ValidatePolicy walks the rules only).
  const omitStages = stringList(object['omitStages'], ['omitStages'], problems);
  return { rules, hasRulesField: rawRules !== undefined && rawRules !== null, omitStages, problems };
}

/** Whether a rule has no selector at all, so it matches every request (checker.go ruleMatches falls through to true). */
export function isCatchAll(rule: AuditPolicyRule): boolean {
  return (
    rule.users.length === 0 &&
    rule.userGroups.length === 0 &&
    rule.verbs.length === 0 &&
    rule.resources.length === 0 &&
    rule.namespaces.length === 0 &&
    rule.nonResourceURLs.length === 0
  );
}
