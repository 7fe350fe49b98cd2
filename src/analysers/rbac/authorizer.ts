// The API server's RBAC authorizer over a model (plugin/pkg/auth/authorizer/rbac: ClusterRoleBindings for every
// request, RoleBindings of the request's namespace when it has one), plus the system:masters bypass that the
// server's authorizer chain applies before RBAC.
import type { BindingEntry, BindingSubject, EffectiveRule, RbacModel } from './model.ts';
import { subjectKey, type SubjectKind } from './model.ts';
import { ruleAllows, type RequestAttributes } from './policy-rule.ts';

/** Who is asking: a user name and its groups, as an authenticator reports them. */
export interface UserInfo {
  readonly name: string;
  readonly groups: readonly string[];
}

export const MASTERS_GROUP = 'system:masters';
export const AUTHENTICATED_GROUP = 'system:authenticated';
export const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
export const ANONYMOUS_USER = 'system:anonymous';

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export function serviceAccountUser(namespace: string, name: string): UserInfo {
  return { name: `${SERVICE_ACCOUNT_PREFIX}${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, AUTHENTICATED_GROUP] };
}

/** `system:serviceaccount:ns:name` → { namespace, name }. */
export function parseServiceAccountUser(user: string): { namespace: string; name: string } | undefined {
  if (!user.startsWith(SERVICE_ACCOUNT_PREFIX)) return undefined;
  const [namespace, name, ...rest] = user.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
  return namespace && name && rest.length === 0 ? { namespace, name } : undefined;
}

/** The identity a binding subject stands for: a ServiceAccount with its implicit groups, any user authenticated. */
export function userForSubject(kind: SubjectKind, name: string, namespace?: string): UserInfo {
  if (kind === 'ServiceAccount') return serviceAccountUser(namespace ?? 'default', name);
  if (kind === 'Group') {
    // Any member of the group: it is authenticated, unless the group is the unauthenticated one.
    if (name === UNAUTHENTICATED_GROUP) return { name: ANONYMOUS_USER, groups: [UNAUTHENTICATED_GROUP] };
    return { name: '', groups: name === AUTHENTICATED_GROUP ? [AUTHENTICATED_GROUP] : [name, AUTHENTICATED_GROUP] };
  }
  if (name === ANONYMOUS_USER) return { name, groups: [UNAUTHENTICATED_GROUP] };
  return { name, groups: [AUTHENTICATED_GROUP] };
}

/** A rule that reaches a user through a binding: the evidence for every answer. */
export interface Grant {
  readonly binding: BindingEntry;
  readonly subject: BindingSubject;
  readonly rule: EffectiveRule;
}

function subjectMatches(subject: BindingSubject, user: UserInfo): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount':
      return subject.namespace !== undefined && user.name === `${SERVICE_ACCOUNT_PREFIX}${subject.namespace}:${subject.name}`;
  }
}

/** Bindings that name this user, its ServiceAccount identity or one of its groups. */
export function bindingsForUser(model: RbacModel, user: UserInfo): BindingEntry[] {
  const keys = [subjectKey('User', user.name), ...user.groups.map((group) => subjectKey('Group', group))];
  const account = parseServiceAccountUser(user.name);
  if (account) keys.push(subjectKey('ServiceAccount', account.name, account.namespace));
  const found = new Set<BindingEntry>();
  for (const key of keys) for (const binding of model.bindingsBySubject.get(key) ?? []) found.add(binding);
  return [...found];
}

/**
 * Every grant that applies to the user in a namespace (undefined: cluster-wide, i.e. ClusterRoleBindings only),
 * in the authorizer's order: ClusterRoleBindings, then the namespace's RoleBindings.
 */
export function grantsFor(model: RbacModel, user: UserInfo, namespace: string | undefined): Grant[] {
  const grants: Grant[] = [];
  const bindings = bindingsForUser(model, user);
  for (const pass of ['ClusterRoleBinding', 'RoleBinding'] as const) {
    for (const binding of bindings) {
      if (binding.kind !== pass) continue;
      if (pass === 'RoleBinding' && (namespace === undefined || namespace === '' || binding.namespace !== namespace)) continue;
      const subject = binding.subjects.find((candidate) => subjectMatches(candidate, user));
      if (!subject || !binding.role) continue;
      for (const rule of binding.role.rules) grants.push({ binding, subject, rule });
    }
  }
  return grants;
}

export type Decision = { readonly allowed: false } | { readonly allowed: true; readonly via: 'system:masters' } | { readonly allowed: true; readonly via: Grant };

export function authorize(model: RbacModel, user: UserInfo, request: RequestAttributes): Decision {
  if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, via: MASTERS_GROUP };
  const namespace = request.kind === 'resource' ? request.namespace : undefined;
  for (const grant of grantsFor(model, user, namespace)) {
    if (ruleAllows(grant.rule.rule, request)) return { allowed: true, via: grant };
  }
  return { allowed: false };
}

/** Who can make this request: every binding subject some rule of whose role allows it (plus system:masters). */
export function whoCan(model: RbacModel, request: RequestAttributes): Grant[] {
  const namespace = request.kind === 'resource' ? request.namespace : undefined;
  const grants: Grant[] = [];
  for (const binding of model.bindings) {
    if (!binding.role) continue;
    if (binding.kind === 'RoleBinding' && (namespace === undefined || namespace === '' || binding.namespace !== namespace)) continue;
    const rule = binding.role.rules.find((candidate) => ruleAllows(candidate.rule, request));
    if (!rule) continue;
    for (const subject of binding.subjects) {
      // A ServiceAccount subject without a namespace (in a ClusterRoleBinding) is nobody: the authorizer matches it to no user.
      if (subject.kind === 'ServiceAccount' && subject.namespace === undefined) continue;
      grants.push({ binding, subject, rule });
    }
  }
  return grants;
}
