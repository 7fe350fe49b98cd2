// RBAC rule matching exactly as the API server's authorizer does it (kubernetes pkg/apis/rbac/v1/
// evaluation_helpers.go): VerbMatches, APIGroupMatches, ResourceMatches (with `*/subresource`),
// ResourceNameMatches and NonResourceURLMatches (trailing `*` is a prefix).
import { asArray, asObject, type JsonValue } from '../../core/model.ts';

export interface PolicyRule {
  readonly verbs: readonly string[];
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly resourceNames: readonly string[];
  readonly nonResourceURLs: readonly string[];
}

/** A request as the authorizer sees it: a resource request, or a non-resource URL. */
export type RequestAttributes =
  | {
      readonly kind: 'resource';
      readonly verb: string;
      readonly apiGroup: string;
      readonly resource: string;
      readonly subresource?: string;
      readonly name?: string;
      /** Empty or absent: a cluster-scoped request, or one across all namespaces. */
      readonly namespace?: string;
    }
  | { readonly kind: 'nonResource'; readonly verb: string; readonly path: string };

function strings(value: JsonValue | undefined): string[] {
  return asArray(value).filter((item): item is string => typeof item === 'string');
}

export function parsePolicyRule(value: JsonValue | undefined): PolicyRule {
  const rule = asObject(value) ?? {};
  return {
    verbs: strings(rule['verbs']),
    apiGroups: strings(rule['apiGroups']),
    resources: strings(rule['resources']),
    resourceNames: strings(rule['resourceNames']),
    nonResourceURLs: strings(rule['nonResourceURLs']),
  };
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.some((v) => v === '*' || v === verb);
}

export function apiGroupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.some((g) => g === '*' || g === group);
}

export function resourceMatches(rule: PolicyRule, combinedResource: string, subresource: string): boolean {
  for (const ruleResource of rule.resources) {
    if (ruleResource === '*' || ruleResource === combinedResource) return true;
    if (subresource === '') continue;
    // `*/scale` matches the scale subresource of every resource; `*/*` only a subresource literally named `*`.
    if (ruleResource.length === subresource.length + 2 && ruleResource.startsWith('*/') && ruleResource.endsWith(subresource)) return true;
  }
  return false;
}

export function resourceNameMatches(rule: PolicyRule, name: string): boolean {
  return rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
}

export function nonResourceURLMatches(rule: PolicyRule, path: string): boolean {
  return rule.nonResourceURLs.some((url) => url === '*' || url === path || (url.endsWith('*') && path.startsWith(url.replace(/\*+$/, ''))));
}

export function ruleAllows(rule: PolicyRule, request: RequestAttributes): boolean {
  if (request.kind === 'nonResource') return verbMatches(rule, request.verb) && nonResourceURLMatches(rule, request.path);
  const subresource = request.subresource ?? '';
  const combined = subresource === '' ? request.resource : `${request.resource}/${subresource}`;
  return (
    verbMatches(rule, request.verb) &&
    apiGroupMatches(rule, request.apiGroup) &&
    resourceMatches(rule, combined, subresource) &&
    resourceNameMatches(rule, request.name ?? '')
  );
}

/** Rules are compared whole when aggregating (the controller skips exact duplicates). */
export function ruleKey(rule: PolicyRule): string {
  return JSON.stringify([rule.verbs, rule.apiGroups, rule.resources, rule.resourceNames, rule.nonResourceURLs]);
}
