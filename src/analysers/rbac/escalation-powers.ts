// The RBAC powers escalation paths are built from, each defined as the requests that exercise it (so wildcards,
// `*/subresource` and resourceNames are judged by the authorizer's own matching), and the powers of a role,
// computed once per role. See escalation.ts for how identities combine them into steps.
import { isClusterAdminRule } from './capabilities.ts';
import type { EffectiveRule, RoleEntry } from './model.ts';
import { ruleAllows, type PolicyRule, type RequestAttributes } from './policy-rule.ts';

export type PowerId =
  | 'cluster-admin'
  | 'create-pods'
  | 'run-in-pods'
  | 'read-secrets'
  | 'create-secrets'
  | 'request-tokens'
  | 'impersonate-serviceaccounts'
  | 'impersonate-users'
  | 'impersonate-groups'
  | 'nodes-proxy'
  | 'bind-clusterroles'
  | 'bind-roles'
  | 'create-clusterrolebindings'
  | 'create-rolebindings'
  | 'escalate-clusterroles'
  | 'update-clusterroles'
  | 'escalate-roles'
  | 'update-roles'
  | 'create-csr'
  | 'approve-csr'
  | 'approve-signer'
  | 'write-mutating-webhooks';

/**
 * How a rule's resourceNames bear on a request:
 * - `none`: the request carries no name (create of a new object), so a rule limited by name never allows it;
 * - `restrict`: the request names an object and the names matter (which ServiceAccount, which role);
 * - `ignore`: the request names an object, but any one object will do (patch some Deployment to change its pods).
 */
type NameMode = 'none' | 'restrict' | 'ignore';

interface PowerRequest {
  readonly verbs: readonly string[];
  readonly apiGroup: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly names: NameMode;
}

export interface PowerDefinition {
  readonly id: PowerId;
  /** Cluster-scoped resources (or requests without a namespace): a RoleBinding grants nothing on them. */
  readonly clusterScoped: boolean;
  readonly requests: readonly PowerRequest[];
}

const RBAC = 'rbac.authorization.k8s.io';
const CERTIFICATES = 'certificates.k8s.io';

const POD_CONTROLLERS: readonly { apiGroup: string; resource: string }[] = [
  ...['deployments', 'replicasets', 'statefulsets', 'daemonsets'].map((resource) => ({ apiGroup: 'apps', resource })),
  ...['jobs', 'cronjobs'].map((resource) => ({ apiGroup: 'batch', resource })),
  { apiGroup: '', resource: 'replicationcontrollers' },
];

export const POWERS: readonly PowerDefinition[] = [
  {
    id: 'create-pods',
    clusterScoped: false,
    requests: [
      { verbs: ['create'], apiGroup: '', resource: 'pods', names: 'none' },
      ...POD_CONTROLLERS.map((controller) => ({ verbs: ['create'], ...controller, names: 'none' as const })),
      // Changing an existing controller's pod template (its serviceAccountName) is as good as creating one.
      ...POD_CONTROLLERS.map((controller) => ({ verbs: ['update', 'patch'], ...controller, names: 'ignore' as const })),
    ],
  },
  {
    // Running code in a pod that already exists, as its ServiceAccount: exec, attach (get counts: websocket
    // upgrades were authorised as get), an ephemeral container, or a new image on a container (images are mutable).
    id: 'run-in-pods',
    clusterScoped: false,
    requests: [
      { verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'exec', names: 'restrict' },
      { verbs: ['create', 'get'], apiGroup: '', resource: 'pods', subresource: 'attach', names: 'restrict' },
      { verbs: ['update', 'patch'], apiGroup: '', resource: 'pods', subresource: 'ephemeralcontainers', names: 'restrict' },
      { verbs: ['update', 'patch'], apiGroup: '', resource: 'pods', names: 'restrict' },
    ],
  },
  { id: 'read-secrets', clusterScoped: false, requests: [{ verbs: ['get', 'list', 'watch'], apiGroup: '', resource: 'secrets', names: 'restrict' }] },
  { id: 'create-secrets', clusterScoped: false, requests: [{ verbs: ['create'], apiGroup: '', resource: 'secrets', names: 'none' }] },
  {
    id: 'request-tokens',
    clusterScoped: false,
    requests: [{ verbs: ['create'], apiGroup: '', resource: 'serviceaccounts', subresource: 'token', names: 'restrict' }],
  },
  // Impersonation is authorised with the ServiceAccount's namespace for serviceaccounts, with none for users/groups.
  { id: 'impersonate-serviceaccounts', clusterScoped: false, requests: [{ verbs: ['impersonate'], apiGroup: '', resource: 'serviceaccounts', names: 'restrict' }] },
  { id: 'impersonate-users', clusterScoped: true, requests: [{ verbs: ['impersonate'], apiGroup: '', resource: 'users', names: 'restrict' }] },
  { id: 'impersonate-groups', clusterScoped: true, requests: [{ verbs: ['impersonate'], apiGroup: '', resource: 'groups', names: 'restrict' }] },
  { id: 'nodes-proxy', clusterScoped: true, requests: [{ verbs: ['get', 'create'], apiGroup: '', resource: 'nodes', subresource: 'proxy', names: 'restrict' }] },
  // bind and escalate are checked in the namespace of the binding or role being written.
  { id: 'bind-clusterroles', clusterScoped: false, requests: [{ verbs: ['bind'], apiGroup: RBAC, resource: 'clusterroles', names: 'restrict' }] },
  { id: 'bind-roles', clusterScoped: false, requests: [{ verbs: ['bind'], apiGroup: RBAC, resource: 'roles', names: 'restrict' }] },
  { id: 'create-clusterrolebindings', clusterScoped: true, requests: [{ verbs: ['create'], apiGroup: RBAC, resource: 'clusterrolebindings', names: 'none' }] },
  { id: 'create-rolebindings', clusterScoped: false, requests: [{ verbs: ['create'], apiGroup: RBAC, resource: 'rolebindings', names: 'none' }] },
  { id: 'escalate-clusterroles', clusterScoped: true, requests: [{ verbs: ['escalate'], apiGroup: RBAC, resource: 'clusterroles', names: 'restrict' }] },
  { id: 'update-clusterroles', clusterScoped: true, requests: [{ verbs: ['update', 'patch'], apiGroup: RBAC, resource: 'clusterroles', names: 'restrict' }] },
  { id: 'escalate-roles', clusterScoped: false, requests: [{ verbs: ['escalate'], apiGroup: RBAC, resource: 'roles', names: 'restrict' }] },
  { id: 'update-roles', clusterScoped: false, requests: [{ verbs: ['update', 'patch'], apiGroup: RBAC, resource: 'roles', names: 'restrict' }] },
  { id: 'create-csr', clusterScoped: true, requests: [{ verbs: ['create'], apiGroup: CERTIFICATES, resource: 'certificatesigningrequests', names: 'none' }] },
  {
    // The requester names its own CSR, so a rule limited to some names still approves it.
    id: 'approve-csr',
    clusterScoped: true,
    requests: [{ verbs: ['update', 'patch'], apiGroup: CERTIFICATES, resource: 'certificatesigningrequests', subresource: 'approval', names: 'ignore' }],
  },
  { id: 'approve-signer', clusterScoped: true, requests: [{ verbs: ['approve'], apiGroup: CERTIFICATES, resource: 'signers', names: 'restrict' }] },
  {
    id: 'write-mutating-webhooks',
    clusterScoped: true,
    requests: [
      { verbs: ['create'], apiGroup: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', names: 'none' },
      { verbs: ['update', 'patch'], apiGroup: 'admissionregistration.k8s.io', resource: 'mutatingwebhookconfigurations', names: 'ignore' },
    ],
  },
];

/** One power a rule of a role grants. */
export interface RoleFact {
  readonly power: PowerId;
  readonly clusterScoped: boolean;
  /** The names the power is limited to; empty: every name. */
  readonly names: readonly string[];
  readonly rule: EffectiveRule;
  /** The request that matched, for messages: `create pods`, `patch deployments.apps`, `create serviceaccounts/token`. */
  readonly request: string;
}

function requestLabel(request: PowerRequest, verb: string): string {
  const resource = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  return `${verb} ${request.apiGroup === '' ? resource : `${resource}.${request.apiGroup}`}`;
}

function attributes(request: PowerRequest, verb: string): RequestAttributes {
  return {
    kind: 'resource',
    verb,
    apiGroup: request.apiGroup,
    resource: request.resource,
    ...(request.subresource !== undefined ? { subresource: request.subresource } : {}),
  };
}

/** The power a rule grants through one of the definition's requests, or undefined. */
function matchPower(rule: PolicyRule, power: PowerDefinition): { names: readonly string[]; request: string } | undefined {
  const unnamed = rule.resourceNames.length === 0 ? rule : { ...rule, resourceNames: [] };
  for (const request of power.requests) {
    if (request.names === 'none' && rule.resourceNames.length > 0) continue;
    for (const verb of request.verbs) {
      if (!ruleAllows(unnamed, attributes(request, verb))) continue;
      return { names: request.names === 'restrict' ? rule.resourceNames : [], request: requestLabel(request, verb) };
    }
  }
  return undefined;
}

const factsByRole = new WeakMap<RoleEntry, readonly RoleFact[]>();

/** Every power the role's effective rules grant, in rule order (memoised per role). */
export function roleFacts(role: RoleEntry): readonly RoleFact[] {
  const cached = factsByRole.get(role);
  if (cached) return cached;
  const facts: RoleFact[] = [];
  for (const rule of role.rules) {
    if (rule.rule.nonResourceURLs.length > 0 && rule.rule.resources.length === 0) continue;
    if (isClusterAdminRule(rule.rule)) {
      facts.push({ power: 'cluster-admin', clusterScoped: true, names: [], rule, request: '* * (every verb on every resource)' });
    }
    for (const power of POWERS) {
      const match = matchPower(rule.rule, power);
      if (match) facts.push({ power: power.id, clusterScoped: power.clusterScoped, names: match.names, rule, request: match.request });
    }
  }
  factsByRole.set(role, facts);
  return facts;
}

/** Whether a power limited to `names` (empty: all) covers `name`. */
export function namesAllow(names: readonly string[], name: string): boolean {
  return names.length === 0 || names.includes(name);
}
