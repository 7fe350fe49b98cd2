// Powers worth knowing about, each defined as the requests that exercise it, so that "does this role grant it"
// is answered by the authorizer's own matching (wildcards, `*/subresource`, resourceNames) rather than by string
// comparison. Shared by the RBAC rules, escalation paths and `palisade rbac can`.
import type { BindingEntry, EffectiveRule } from './model.ts';
import { ruleAllows, type PolicyRule, type RequestAttributes } from './policy-rule.ts';

export type CapabilityId =
  | 'read-secrets'
  | 'create-secrets'
  | 'create-pods'
  | 'create-workloads'
  | 'exec-pods'
  | 'attach-pods'
  | 'portforward-pods'
  | 'ephemeral-containers'
  | 'escalate-roles'
  | 'bind-roles'
  | 'impersonate'
  | 'nodes-proxy'
  | 'request-tokens'
  | 'create-csr'
  | 'approve-csr'
  | 'write-webhooks'
  | 'create-persistentvolumes'
  | 'delete-events';

interface RequestTemplate {
  readonly verbs: readonly string[];
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  /**
   * The API server checks this request without a namespace, so a RoleBinding grants nothing for it (escalate on
   * clusterroles; impersonating users, groups, uids and userextras — only serviceaccounts are checked in a namespace).
   */
  readonly clusterScoped?: boolean;
}

export interface Capability {
  readonly id: CapabilityId;
  /** What the power lets one do, for messages: "read every Secret", … */
  readonly description: string;
  /** Any one of these requests being allowed grants the capability. */
  readonly requests: readonly RequestTemplate[];
  /** Cluster-scoped resources: a RoleBinding grants nothing on them. */
  readonly clusterScoped: boolean;
}

const POD_CONTROLLERS: readonly RequestTemplate[] = [
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((resource) => ({ verbs: ['create', 'update', 'patch'], apiGroup: 'apps', resource })),
  ...['jobs', 'cronjobs'].map((resource) => ({ verbs: ['create', 'update', 'patch'], apiGroup: 'batch', resource })),
  { verbs: ['create', 'update', 'patch'], apiGroup: '', resource: 'replicationcontrollers' },
];

export const CAPABILITIES: readonly Capability[] = [
  { id: 'read-secrets', description: 'read Secrets', requests: [{ verbs: ['get', 'list', 'watch'], apiGroup: '', resource: 'secrets' }], clusterScoped: false },
  { id: 'create-secrets', description: 'create Secrets (a service-account-token Secret mints a token for any ServiceAccount)', requests: [{ verbs: ['create'], apiGroup: '', resource: 'secrets' }], clusterScoped: false },
  { id: 'create-pods', description: 'create pods (running as any ServiceAccount of the namespace, mounting any Secret)', requests: [{ verbs: ['create'], apiGroup: '', resource: 'pods' }], clusterScoped: false },
  { id: 'create-workloads', description: 'create or change pod-creating workloads (Deployments, DaemonSets, Jobs, …)', requests: POD_CONTROLLERS, clusterScoped: false },
  { id: 'exec-pods', description: 'exec into pods', requests: [{ verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'exec' }], clusterScoped: false },
  { id: 'attach-pods', description: 'attach to pods', requests: [{ verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'attach' }], clusterScoped: false },
  { id: 'portforward-pods', description: 'port-forward to pods (bypassing NetworkPolicy)', requests: [{ verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'portforward' }], clusterScoped: false },
  { id: 'ephemeral-containers', description: 'add ephemeral (debug) containers to running pods', requests: [{ verbs: ['update', 'patch'], apiGroup: '', resource: 'pods', subresource: 'ephemeralcontainers' }], clusterScoped: false },
  {
    id: 'escalate-roles',
    description: 'escalate roles (add permissions it does not hold)',
    requests: [
      { verbs: ['escalate'], apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles', clusterScoped: true },
      { verbs: ['escalate'], apiGroup: 'rbac.authorization.k8s.io', resource: 'roles' },
    ],
    clusterScoped: false,
  },
  {
    id: 'bind-roles',
    description: 'bind roles it does not hold (up to cluster-admin)',
    requests: [{ verbs: ['bind'], apiGroup: 'rbac.authorization.k8s.io', resource: 'clusterroles' }, { verbs: ['bind'], apiGroup: 'rbac.authorization.k8s.io', resource: 'roles' }],
    clusterScoped: false,
  },
  {
    id: 'impersonate',
    description: 'impersonate users, groups or ServiceAccounts',
    requests: [
      { verbs: ['impersonate'], apiGroup: '', resource: 'users', clusterScoped: true },
      { verbs: ['impersonate'], apiGroup: '', resource: 'groups', clusterScoped: true },
      { verbs: ['impersonate'], apiGroup: '', resource: 'serviceaccounts' },
      { verbs: ['impersonate'], apiGroup: 'authentication.k8s.io', resource: 'uids', clusterScoped: true },
      { verbs: ['impersonate'], apiGroup: 'authentication.k8s.io', resource: 'userextras', clusterScoped: true },
    ],
    clusterScoped: false,
  },
  { id: 'nodes-proxy', description: 'reach the kubelet API through nodes/proxy (exec into any pod on a node; get is enough)', requests: [{ verbs: ['get', 'create'], apiGroup: '', resource: 'nodes', subresource: 'proxy' }], clusterScoped: true },
  { id: 'request-tokens', description: 'request tokens for ServiceAccounts', requests: [{ verbs: ['create'], apiGroup: '', resource: 'serviceaccounts', subresource: 'token' }], clusterScoped: false },
  { id: 'create-csr', description: 'create certificate signing requests', requests: [{ verbs: ['create'], apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests' }], clusterScoped: true },
  {
    id: 'approve-csr',
    description: 'approve certificate signing requests',
    requests: [{ verbs: ['update', 'patch'], apiGroup: 'certificates.k8s.io', resource: 'certificatesigningrequests', subresource: 'approval' }],
    clusterScoped: true,
  },
  {
    id: 'write-webhooks',
    description: 'create or change admission webhook configurations (see and rewrite every admitted object)',
    requests: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'].map((resource) => ({ verbs: ['create', 'update', 'patch'], apiGroup: 'admissionregistration.k8s.io', resource })),
    clusterScoped: true,
  },
  { id: 'create-persistentvolumes', description: 'create PersistentVolumes (a hostPath volume exposes a node\'s filesystem)', requests: [{ verbs: ['create'], apiGroup: '', resource: 'persistentvolumes' }], clusterScoped: true },
  {
    id: 'delete-events',
    description: 'delete events (hiding activity)',
    requests: [
      { verbs: ['delete', 'deletecollection'], apiGroup: '', resource: 'events' },
      { verbs: ['delete', 'deletecollection'], apiGroup: 'events.k8s.io', resource: 'events' },
    ],
    clusterScoped: false,
  },
];

export const CAPABILITY_BY_ID: ReadonlyMap<CapabilityId, Capability> = new Map(CAPABILITIES.map((capability) => [capability.id, capability]));

/** Every verb on every resource of every group: the cluster-admin rule. */
export function isClusterAdminRule(rule: PolicyRule): boolean {
  return rule.verbs.includes('*') && rule.apiGroups.includes('*') && rule.resources.includes('*') && rule.resourceNames.length === 0;
}

/** The request from a template, for one verb, with no resource name (the rule must allow any name). */
function requestOf(template: RequestTemplate, verb: string, namespace: string | undefined): RequestAttributes {
  return {
    kind: 'resource',
    verb,
    apiGroup: template.apiGroup,
    resource: template.resource,
    ...(template.subresource !== undefined ? { subresource: template.subresource } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/** create and deletecollection of a resource (not a subresource): the authorizer sees no name. */
export function unnamedRequest(template: { readonly subresource?: string }, verb: string): boolean {
  return (template.subresource ?? '') === '' && (verb === 'create' || verb === 'deletecollection');
}

/**
 * Whether a rule grants the capability. `anyName`: also count rules limited by resourceNames (a role that may
 * impersonate one named user still impersonates); otherwise the rule must allow every name. A named rule never
 * allows create or deletecollection of a resource itself: the request carries no name to match (subresources such
 * as pods/exec or serviceaccounts/token are requests on a named object, so they can be limited by name).
 */
export function ruleGrants(rule: PolicyRule, capability: Capability, anyName = true): boolean {
  for (const template of capability.requests) {
    for (const verb of template.verbs) {
      const request = requestOf(template, verb, undefined);
      if (ruleAllows(rule, request)) return true;
      if (anyName && rule.resourceNames.length > 0 && !unnamedRequest(template, verb) && ruleAllows({ ...rule, resourceNames: [] }, request)) return true;
    }
  }
  return false;
}

/** The first rule of a binding's role that grants the capability where the binding applies (none through a RoleBinding on cluster-scoped resources). */
export function bindingGrants(binding: BindingEntry, capability: Capability): EffectiveRule | undefined {
  if (!binding.role) return undefined;
  if (binding.kind === 'RoleBinding') {
    if (capability.clusterScoped) return undefined;
    const namespaced = { ...capability, requests: capability.requests.filter((template) => !template.clusterScoped) };
    return binding.role.rules.find((rule) => ruleGrants(rule.rule, namespaced));
  }
  return binding.role.rules.find((rule) => ruleGrants(rule.rule, capability));
}

/** Every capability a binding confers, with the rule that confers it. */
export function capabilitiesOfBinding(binding: BindingEntry): { capability: Capability; rule: EffectiveRule }[] {
  const found: { capability: Capability; rule: EffectiveRule }[] = [];
  for (const capability of CAPABILITIES) {
    const rule = bindingGrants(binding, capability);
    if (rule) found.push({ capability, rule });
  }
  return found;
}

/** Whether any rule of the binding is cluster-admin (`*` verbs on `*` resources in `*` groups), cluster-wide. */
export function bindingIsClusterAdmin(binding: BindingEntry): EffectiveRule | undefined {
  if (!binding.role || binding.kind !== 'ClusterRoleBinding') return undefined;
  return binding.role.rules.find((rule) => isClusterAdminRule(rule.rule));
}

