// Representative requests to ask a policy about. A policy is finite: beyond the users, groups, namespaces and
// object names it names, every other value behaves alike, so one stand-in for "any other" plus each named value
// covers every outcome a rule can reach for the requesters chosen.
import type { AuditRequest } from './evaluate.ts';
import type { AuditPolicy } from './policy.ts';

/** A namespace, user and object name no real policy names: the stand-in for "any other". */
export const OTHER_NAMESPACE = 'palisade-probe-namespace';
export const OTHER_NAME = 'palisade-probe-object';
const OTHER_USER = 'palisade-probe-user';
const AUTHENTICATED = 'system:authenticated';

export interface Requester {
  readonly user: string;
  readonly groups: readonly string[];
  /** How a message names it: "an ordinary user", "a service account", `user "x"` … */
  readonly description: string;
}

/** A person with no special group, and a workload's ServiceAccount in `namespace` (what a stolen pod token acts as). */
export function ordinaryRequesters(namespace: string): Requester[] {
  const home = namespace === '' ? OTHER_NAMESPACE : namespace;
  return [
    { user: OTHER_USER, groups: [AUTHENTICATED], description: 'an ordinary user' },
    {
      user: `system:serviceaccount:${home}:palisade-probe`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${home}`, AUTHENTICATED],
      description: 'a service account',
    },
  ];
}

/** The ordinary requesters, then one per user and group the policy names (with the groups of the rule naming them). */
export function allRequesters(policy: AuditPolicy, namespace: string): Requester[] {
  const out = ordinaryRequesters(namespace);
  const seen = new Set(out.map(requesterKey));
  const add = (requester: Requester): void => {
    const key = requesterKey(requester);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(requester);
    }
  };
  for (const rule of policy.rules) {
    const groups = [...new Set([...rule.userGroups, AUTHENTICATED])];
    for (const user of rule.users) add({ user, groups, description: `user "${user}"` });
    if (rule.users.length === 0) {
      for (const group of rule.userGroups) add({ user: OTHER_USER, groups: [group, AUTHENTICATED], description: `a member of group "${group}"` });
    }
  }
  return out;
}

function requesterKey(requester: Requester): string {
  return `${requester.user}\u0000${[...requester.groups].sort().join('\u0000')}`;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The stand-in namespace, kube-system, then every non-empty namespace the policy names. */
export function probeNamespaces(policy: AuditPolicy): string[] {
  const named = sortedUnique(policy.rules.flatMap((rule) => rule.namespaces)).filter((ns) => ns !== '' && ns !== 'kube-system');
  return [OTHER_NAMESPACE, 'kube-system', ...named];
}

/** The stand-in object name, then every resourceName the policy names. */
export function probeNames(policy: AuditPolicy): string[] {
  const named = sortedUnique(policy.rules.flatMap((rule) => rule.resources.flatMap((entry) => entry.resourceNames))).filter((name) => name !== OTHER_NAME);
  return [OTHER_NAME, ...named];
}

/** What to ask about: a resource (or subresource) of a group, and the verbs. */
export interface ProbeTarget {
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

export interface Probe {
  readonly request: AuditRequest;
  readonly target: ProbeTarget;
  readonly requester: Requester;
  /** Requests sharing a context differ only in target and verb. */
  readonly context: string;
}

// Verbs on a collection carry no object name (RequestInfo sets none); on a subresource every verb names the object.
const COLLECTION_VERBS: ReadonlySet<string> = new Set(['list', 'watch', 'create', 'deletecollection']);
// Across all namespaces (namespace ""), only list and watch exist for a namespaced resource.
const ALL_NAMESPACE_VERBS: ReadonlySet<string> = new Set(['list', 'watch']);

export function targetLabel(target: ProbeTarget): string {
  return target.subresource === undefined ? target.resource : `${target.resource}/${target.subresource}`;
}

/**
 * Every request of the targets' verbs, for each namespace (the probe namespaces, then "" for cluster-scoped
 * targets and all-namespace lists), requester and object name. Ordered from the most ordinary case on.
 */
export function probeRequests(policy: AuditPolicy, targets: readonly ProbeTarget[], requesters: (namespace: string) => Requester[]): Probe[] {
  const probes: Probe[] = [];
  const names = probeNames(policy);
  for (const namespace of [...probeNamespaces(policy), '']) {
    for (const requester of requesters(namespace)) {
      for (const name of names) {
        const context = `${namespace}\u0000${requester.user}\u0000${requester.groups.join(',')}\u0000${name}`;
        for (const target of targets) {
          if (namespace !== '' && !target.namespaced) continue;
          for (const verb of target.verbs) {
            if (namespace === '' && target.namespaced && !ALL_NAMESPACE_VERBS.has(verb)) continue;
            const named = target.subresource !== undefined || !COLLECTION_VERBS.has(verb);
            if (!named && name !== OTHER_NAME) continue;
            const request: AuditRequest = {
              user: requester.user,
              groups: requester.groups,
              verb,
              apiGroup: target.apiGroup,
              resource: target.resource,
              ...(target.subresource === undefined ? {} : { subresource: target.subresource }),
              namespace,
              name: named ? name : '',
            };
            probes.push({ request, target, requester, context });
          }
        }
      }
    }
  }
  return probes;
}

/** ' named "x"' (a named object), then ' in namespace "y"' or ' across all namespaces'; '' for the stand-ins and cluster scope. */
export function whereText(probe: Probe): string {
  const namespace = probe.request.namespace ?? '';
  const name = probe.request.name ?? '';
  let text = name !== '' && name !== OTHER_NAME ? ` named "${name}"` : '';
  if (namespace === '' && probe.target.namespaced) text += ' across all namespaces';
  else if (namespace !== '' && namespace !== OTHER_NAMESPACE) text += ` in namespace "${namespace}"`;
  return text;
}
