// Escalation paths: for every identity of an RBAC model, the shortest chain of steps that ends in cluster-admin
// power, with the binding and role rule behind every step.
//
// Exported API (stable: `palisade rbac paths` and the rbac-escalation-path rule are written against it):
//   findEscalationPaths(model, workloads, options?): EscalationPath[]
//       one source's model (buildRbacModel) and the workloads of the same source (workloadIdentity per pod
//       template; pass every template, controller-owned pods included: starts skip a workload whose controller is
//       in the list). `options.secrets`: the source's objects (or just its Secrets), for legacy token Secrets.
//   findEscalationPathsInInventory(objects, podTemplates, options?): EscalationPath[]
//       every source of a scan: builds the models, workloads and Secrets per source and concatenates the results.
//   formatPath(path): string[]        text lines: the start, then each step with its evidence indented
//   formatPathInline(path): string    one line: `ServiceAccount shop/ci → create pods in shop (…) → … → cluster-admin (…)`
//   describeIdentity(identity), describeStart(start), describeGrant(grant), describeEvidence(grants): the pieces
//       those use (evidence cites `Binding (file:line) → Role rules[i] (file:line)`, or `(built in)`, see below).
//   Types: IdentityRef, EscalationStart, StepAction, EscalationStep, EscalationPath, EscalationOptions.
//
// The goal, "cluster-admin", is deliberately narrow and exact: the identity is in group system:masters (which
// bypasses RBAC), or a ClusterRoleBinding grants it a rule with every verb on every resource of every API group
// (capabilities.ts isClusterAdminRule). Broad powers that are only equivalent to it in practice are steps, not the
// goal: each is shown with what it leads to.
//
// Identities (graph nodes): Users, Groups and ServiceAccounts; a ServiceAccount carries its implicit groups and
// every identity is in system:authenticated (authorizer.ts userForSubject). The ServiceAccounts of a namespace are
// those the input shows: ServiceAccount objects, ServiceAccounts named by bindings, workloads or token Secrets, and
// `default`, which every namespace has. "Any ServiceAccount of namespace N" is one node, so a power over a whole
// namespace costs one edge, not one per account.
//
// Roles: each binding's role with its effective rules (aggregation included, model.ts). A binding to the built-in
// ClusterRole cluster-admin, admin or edit that the input does not define uses a stand-in with the bootstrap
// policy's rules (escalation-builtins.ts), since manifests bind them without defining them.
//
// Steps (edges), each scope-aware (a RoleBinding's grant only works in its namespace, and grants nothing on
// cluster-scoped requests) and honouring resourceNames where the request carries a name:
//   impersonate groups (system:masters allowed) + impersonate some user or ServiceAccount → cluster-admin;
//     impersonate users → any User the input names; groups → the named Groups; serviceaccounts in N → SAs of N
//   bind a cluster-admin ClusterRole + create clusterrolebindings → cluster-admin; bind a ClusterRole that can
//     create pods cluster-wide → any SA; bind (in N) + create rolebindings in N → any SA of N (a RoleBinding to
//     cluster-admin, or a role that creates pods, gives every namespaced power there, of which creating a pod
//     running as any of N's ServiceAccounts is the one that leads further)
//   escalate + update a ClusterRole it is bound to by a ClusterRoleBinding → cluster-admin (by a RoleBinding in N,
//     or a Role of N → any SA of N)
//   create pods, or create/update/patch a pod controller, in N → any SA of N
//   create secrets in N → any SA of N (a kubernetes.io/service-account-token Secret gets a token minted)
//   get/list/watch secrets in N → the SAs of N that have a token Secret in the input
//   create serviceaccounts/token in N → SAs of N
//   exec/attach into pods, add ephemeral containers, or update/patch pods (swap an image) in N → the SA of every
//     workload of N whose token is mounted; get/create nodes/proxy → the same, in every namespace
//   create/update/patch mutatingwebhookconfigurations → cluster-admin: a mutating webhook can rewrite any pod it
//     admits (privileged, hostPath, any ServiceAccount of the namespace, including kube-system's)
//   create CSRs + approve them + approve for signer kubernetes.io/kube-apiserver-client → cluster-admin: that
//     signer puts no limit on the subject, so the certificate can name group system:masters
// Left out: node compromise through privileged or hostPath pods (it depends on admission, see the PSS rules);
// validating webhooks (they see and deny, not rewrite); bind or escalate limited by resourceNames to roles that
// neither are cluster-admin nor can create pods; escalate on aggregated ClusterRoles (the controller rewrites their
// rules); combining the powers of two different identities (e.g. one's CSR approved by another); ServiceAccounts
// the input does not show, other than `default`; exec or nodes/proxy limited to named pods or nodes is followed
// only to the Pods of the input with those names or that nodeName; impersonating uids/userextras;
// MutatingAdmissionPolicies; CRDs that create pods (Argo, Tekton, …); a user's membership of groups other than the
// implicit ones (the input does not say who is in a group: a Group is its own start).
//
// Shortest paths: one breadth-first search from the goal over reversed edges (0-1 weights: a step costs 1, picking
// a member of "any SA of N" or holding cluster-admin costs 0), so every identity gets its distance and next step in
// one pass, O(identities + edges). Each identity's powers are computed once, from per-role facts memoised per role.
import { formatRef, type InventoryObject } from '../../core/inventory.ts';
import { asArray, asObject, asString } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import { bindingsForUser, MASTERS_GROUP, userForSubject, type Grant, type UserInfo } from './authorizer.ts';
import { builtInClusterRole, isBuiltInStandIn } from './escalation-builtins.ts';
import { namesAllow, roleFacts, type PowerId, type RoleFact } from './escalation-powers.ts';
import { describeBinding, describeRule } from './evidence.ts';
import { rbacSources, sourceKeyOf } from './findings-helpers.ts';
import { roleKey, type BindingEntry, type BindingSubject, type RbacModel, type RoleEntry } from './model.ts';
import { workloadIdentity, type WorkloadIdentity } from './workloads.ts';

export type IdentityRef =
  | { readonly kind: 'User'; readonly name: string }
  | { readonly kind: 'Group'; readonly name: string }
  | { readonly kind: 'ServiceAccount'; readonly namespace: string; readonly name: string };

export type EscalationStart =
  /** A subject of a binding (bootstrap bindings left out unless asked for): the first binding naming it. */
  | { readonly kind: 'subject'; readonly identity: IdentityRef; readonly binding: BindingEntry; readonly subjectIndex: number }
  /** A workload whose pods mount their ServiceAccount's token: a compromised pod acts as `identity`. */
  | { readonly kind: 'workload'; readonly identity: IdentityRef; readonly workload: WorkloadIdentity };

export type StepAction =
  /** Terminal: a ClusterRoleBinding grants `*` on `*` in `*`. */
  | 'cluster-admin'
  /** Terminal: the identity is in group system:masters. */
  | 'system-masters'
  | 'impersonate-system-masters'
  | 'impersonate-user'
  | 'impersonate-group'
  | 'impersonate-serviceaccount'
  | 'bind-role'
  | 'escalate-role'
  | 'create-pods'
  | 'create-token-secret'
  | 'read-token-secret'
  | 'request-token'
  | 'run-in-pod'
  | 'nodes-proxy'
  | 'mutating-webhook'
  | 'approve-csr';

export interface EscalationStep {
  readonly from: IdentityRef;
  readonly action: StepAction;
  /** What is done, e.g. `create pods in shop`, `is cluster-admin`. */
  readonly description: string;
  /** Where the power is used; absent: cluster-wide. */
  readonly namespace?: string;
  /** The identity acted as next, or the goal. */
  readonly to: IdentityRef | 'cluster-admin';
  /** The grants that give the power (several when it takes several, e.g. bind + create clusterrolebindings). */
  readonly evidence: readonly Grant[];
  /** The object the step goes through: the token Secret read, the workload whose pod is entered. */
  readonly via?: InventoryObject;
}

export interface EscalationPath {
  readonly start: EscalationStart;
  /** In order; the last step's `to` is 'cluster-admin' (a terminal cluster-admin/system-masters step, or a goal action). */
  readonly steps: readonly EscalationStep[];
  /** Number of actions taken (terminal steps are states, not actions): at least 1. */
  readonly length: number;
  /**
   * Subjects only: the first step comes through a grant to this group, which is itself a start with a path no
   * longer than this one. Its path covers this one (the rule reports the group once instead of every member).
   */
  readonly coveredByGroup?: string;
}

export interface EscalationOptions {
  /** Objects of the same source; Secrets of type kubernetes.io/service-account-token among them are used. */
  readonly secrets?: readonly InventoryObject[];
  /** Also start from subjects of bootstrap bindings (Kubernetes' own components). Default false. */
  readonly includeBootstrap?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Identities

export function describeIdentity(identity: IdentityRef): string {
  return identity.kind === 'ServiceAccount' ? `ServiceAccount ${identity.namespace}/${identity.name}` : `${identity.kind} ${identity.name}`;
}

function identityKey(identity: IdentityRef): string {
  return identity.kind === 'ServiceAccount' ? `S:${identity.namespace}/${identity.name}` : `${identity.kind === 'User' ? 'U' : 'G'}:${identity.name}`;
}

function userOf(identity: IdentityRef): UserInfo {
  return identity.kind === 'ServiceAccount' ? userForSubject('ServiceAccount', identity.name, identity.namespace) : userForSubject(identity.kind, identity.name);
}

function subjectIdentity(subject: BindingSubject): IdentityRef | undefined {
  if (subject.kind !== 'ServiceAccount') return { kind: subject.kind, name: subject.name };
  return subject.namespace ? { kind: 'ServiceAccount', namespace: subject.namespace, name: subject.name } : undefined;
}

/** The subject of a binding that stands for the user (the authorizer's appliesTo). */
function matchingSubject(binding: BindingEntry, user: UserInfo): BindingSubject | undefined {
  return binding.subjects.find((subject) => {
    if (subject.kind === 'User') return subject.name === user.name;
    if (subject.kind === 'Group') return user.groups.includes(subject.name);
    return subject.namespace !== undefined && user.name === `system:serviceaccount:${subject.namespace}:${subject.name}`;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Powers of an identity

interface Held {
  readonly fact: RoleFact;
  readonly grant: Grant;
  /** Undefined: cluster-wide (a ClusterRoleBinding). */
  readonly namespace: string | undefined;
}

/** The binding's role; for a ClusterRole the input does not define, the built-in one of that name if there is one. */
function roleOf(binding: BindingEntry): RoleEntry | undefined {
  if (binding.role) return binding.role;
  return binding.roleRef.kind === 'ClusterRole' ? builtInClusterRole(binding.roleRef.name) : undefined;
}

/** The identity's powers by id; grants to the identity itself come before grants to its groups. */
function heldPowers(bindings: readonly BindingEntry[], user: UserInfo): Map<PowerId, Held[]> {
  const held = new Map<PowerId, Held[]>();
  for (const throughGroup of [false, true]) {
    for (const binding of bindings) {
      const role = roleOf(binding);
      if (!role) continue;
      const subject = matchingSubject(binding, user);
      if (!subject || (subject.kind === 'Group') !== throughGroup) continue;
      const namespace = binding.kind === 'RoleBinding' ? (binding.namespace ?? 'default') : undefined;
      for (const fact of roleFacts(role)) {
        if (namespace !== undefined && fact.clusterScoped) continue;
        const entry: Held = { fact, grant: { binding, subject, rule: fact.rule }, namespace };
        const list = held.get(fact.power);
        if (list) list.push(entry);
        else held.set(fact.power, [entry]);
      }
    }
  }
  return held;
}

/** Whether a grant applies in namespace `namespace` (cluster-wide ones apply everywhere). */
function appliesIn(held: Held, namespace: string): boolean {
  return held.namespace === undefined || held.namespace === namespace;
}

function inWhere(namespace: string | undefined): string {
  return namespace === undefined ? 'in every namespace' : `in ${namespace}`;
}

// ---------------------------------------------------------------------------------------------------------------
// The graph

const KUBE_APISERVER_CLIENT_SIGNER = 'kubernetes.io/kube-apiserver-client';
const TOKEN_SECRET_TYPE = 'kubernetes.io/service-account-token';
const TOKEN_SECRET_ANNOTATION = 'kubernetes.io/service-account.name';
/** Built-in ClusterRoles every cluster has (bootstrap policy), assumed when the input does not define them. */
const BUILTIN_ADMIN_ROLES: readonly string[] = ['cluster-admin'];
const BUILTIN_POD_ROLES: readonly string[] = ['cluster-admin', 'admin', 'edit'];

interface StepData {
  readonly action: StepAction;
  readonly description: string;
  readonly namespace?: string;
  readonly evidence: readonly Grant[];
}

interface Edge {
  readonly from: number;
  readonly to: number;
  readonly cost: 0 | 1;
  /** Absent on a choice edge (a set node picking one of its members). */
  readonly step?: StepData;
  readonly via?: InventoryObject;
}

type GraphNode = { readonly type: 'goal' } | { readonly type: 'identity'; readonly identity: IdentityRef } | { readonly type: 'set'; readonly key: string };

const GOAL = 0;

interface TokenSecret {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly secret: InventoryObject;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tokenSecretOf(object: InventoryObject): TokenSecret | undefined {
  if (object.ref.kind !== 'Secret' || object.ref.apiVersion !== 'v1' || object.object['type'] !== TOKEN_SECRET_TYPE) return undefined;
  const serviceAccount = asString(asObject(asObject(object.object['metadata'])?.['annotations'])?.[TOKEN_SECRET_ANNOTATION]);
  return serviceAccount ? { namespace: object.ref.namespace ?? 'default', serviceAccount, secret: object } : undefined;
}

function controllerOwner(object: InventoryObject): string | undefined {
  for (const value of asArray(asObject(object.object['metadata'])?.['ownerReferences'])) {
    const owner = asObject(value);
    if (owner?.['controller'] === true && typeof owner['kind'] === 'string' && typeof owner['name'] === 'string') return `${owner['kind']}/${owner['name']}`;
  }
  return undefined;
}

/** Grants without repeats (two powers granted by the same rule of the same binding are cited once). */
function evidenceOf(...grants: readonly Grant[]): Grant[] {
  const unique: Grant[] = [];
  for (const grant of grants) {
    if (!unique.some((seen) => seen.binding === grant.binding && seen.rule.role === grant.rule.role && seen.rule.index === grant.rule.index)) unique.push(grant);
  }
  return unique;
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Escalation paths of one source: every start (binding subject, workload with a mounted token) that reaches cluster-admin. */
export function findEscalationPaths(model: RbacModel, workloads: readonly WorkloadIdentity[], options: EscalationOptions = {}): EscalationPath[] {
  // --- What the input shows: ServiceAccounts per namespace, token Secrets, running workloads, users.
  const accounts = new Map<string, Set<string>>();
  const addAccount = (namespace: string, name: string): void => {
    const set = accounts.get(namespace);
    if (set) set.add(name);
    else accounts.set(namespace, new Set([name]));
  };
  for (const key of model.serviceAccounts.keys()) {
    const slash = key.indexOf('/');
    addAccount(key.slice(0, slash), key.slice(slash + 1));
  }
  const userNames = new Set<string>();
  const groupNames = new Set<string>();
  for (const binding of model.bindings) {
    for (const subject of binding.subjects) {
      if (subject.kind === 'ServiceAccount') {
        if (subject.namespace) addAccount(subject.namespace, subject.name);
      } else if (subject.kind === 'User') userNames.add(subject.name);
      else groupNames.add(subject.name);
    }
  }
  for (const workload of workloads) addAccount(workload.namespace, workload.serviceAccount);
  const tokensByNamespace = new Map<string, TokenSecret[]>();
  const tokensByName = new Map<string, TokenSecret[]>();
  for (const object of options.secrets ?? []) {
    const token = tokenSecretOf(object);
    if (!token) continue;
    addAccount(token.namespace, token.serviceAccount);
    pushTo(tokensByNamespace, token.namespace, token);
    pushTo(tokensByName, token.secret.ref.name, token);
  }
  const namespaces = [...new Set([...model.namespaces, ...accounts.keys()])].sort(compare);
  for (const namespace of namespaces) addAccount(namespace, 'default');
  const accountsByName = new Map<string, string[]>();
  for (const namespace of namespaces) for (const name of accounts.get(namespace) ?? []) pushTo(accountsByName, name, namespace);

  const mounted = workloads.filter((workload) => workload.tokenMounted);
  const runningByNamespace = new Map<string, Map<string, WorkloadIdentity>>();
  const podsByName = new Map<string, WorkloadIdentity[]>();
  const podsByNode = new Map<string, WorkloadIdentity[]>();
  for (const workload of mounted) {
    let running = runningByNamespace.get(workload.namespace);
    if (!running) runningByNamespace.set(workload.namespace, (running = new Map()));
    if (!running.has(workload.serviceAccount)) running.set(workload.serviceAccount, workload);
    if (workload.template.object.ref.kind === 'Pod') pushTo(podsByName, workload.template.object.ref.name, workload);
    const nodeName = asString(workload.template.spec['nodeName']);
    if (nodeName) pushTo(podsByNode, nodeName, workload);
  }

  // --- Roles that bind targets are judged by: cluster-admin ones, and those that can create pods.
  const definedClusterRole = (name: string): readonly RoleFact[] | undefined => {
    const role = model.roles.get(roleKey('ClusterRole', undefined, name));
    return role ? roleFacts(role) : undefined;
  };
  const adminClusterRoles = new Set<string>();
  const podClusterRoles = new Set<string>();
  const podRoles = new Map<string, string[]>();
  for (const role of model.roles.values()) {
    const facts = roleFacts(role);
    const creates = facts.some((fact) => fact.power === 'create-pods');
    if (role.kind === 'ClusterRole') {
      if (facts.some((fact) => fact.power === 'cluster-admin')) adminClusterRoles.add(role.name);
      if (creates) podClusterRoles.add(role.name);
    } else if (creates) {
      pushTo(podRoles, role.namespace ?? 'default', role.name);
    }
  }
  for (const name of BUILTIN_ADMIN_ROLES) if (!definedClusterRole(name)) adminClusterRoles.add(name);
  for (const name of BUILTIN_POD_ROLES) if (!definedClusterRole(name)) podClusterRoles.add(name);

  // --- Nodes and edges.
  const nodes: GraphNode[] = [{ type: 'goal' }];
  const nodeIds = new Map<string, number>();
  const edges: Edge[] = [];
  const pending: number[] = [];

  const identityNode = (identity: IdentityRef): number => {
    const key = identityKey(identity);
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = nodes.length;
      nodes.push({ type: 'identity', identity });
      nodeIds.set(key, id);
      pending.push(id);
    }
    return id;
  };
  const accountNode = (namespace: string, name: string): number => identityNode({ kind: 'ServiceAccount', namespace, name });
  const setNode = (key: string, fill: (id: number) => void): number => {
    let id = nodeIds.get(key);
    if (id === undefined) {
      id = nodes.length;
      nodes.push({ type: 'set', key });
      nodeIds.set(key, id);
      fill(id);
    }
    return id;
  };
  const choice = (from: number, to: number, via?: InventoryObject): void => {
    edges.push(via ? { from, to, cost: 0, via } : { from, to, cost: 0 });
  };

  const anyAccountOf = (namespace: string): number =>
    setNode(`accounts:${namespace}`, (id) => {
      for (const name of [...(accounts.get(namespace) ?? [])].sort(compare)) choice(id, accountNode(namespace, name));
    });
  const anyAccount = (): number =>
    setNode('accounts', (id) => {
      for (const namespace of namespaces) choice(id, anyAccountOf(namespace));
    });
  const tokensOf = (namespace: string): number =>
    setNode(`tokens:${namespace}`, (id) => {
      for (const token of tokensByNamespace.get(namespace) ?? []) choice(id, accountNode(token.namespace, token.serviceAccount), token.secret);
    });
  const allTokens = (): number =>
    setNode('tokens', (id) => {
      for (const namespace of [...tokensByNamespace.keys()].sort(compare)) choice(id, tokensOf(namespace));
    });
  const runningIn = (namespace: string): number =>
    setNode(`running:${namespace}`, (id) => {
      const running = runningByNamespace.get(namespace);
      for (const name of [...(running?.keys() ?? [])].sort(compare)) choice(id, accountNode(namespace, name), running!.get(name)!.template.object);
    });
  const allRunning = (): number =>
    setNode('running', (id) => {
      for (const namespace of [...runningByNamespace.keys()].sort(compare)) choice(id, runningIn(namespace));
    });
  const allUsers = (): number =>
    setNode('users', (id) => {
      for (const name of [...userNames].sort(compare)) choice(id, identityNode({ kind: 'User', name }));
    });

  const expand = (id: number, identity: IdentityRef): void => {
    const user = userOf(identity);
    const bindings = bindingsForUser(model, user);
    const held = heldPowers(bindings, user);
    const get = (power: PowerId): readonly Held[] => held.get(power) ?? [];
    const cluster = (power: PowerId): readonly Held[] => get(power).filter((entry) => entry.namespace === undefined);
    const linked = new Set<number>();
    const link = (to: number, cost: 0 | 1, step: StepData, via?: InventoryObject): void => {
      if (linked.has(to) || to === id) return;
      linked.add(to);
      edges.push(via ? { from: id, to, cost, step, via } : { from: id, to, cost, step });
    };
    const step = (action: StepAction, description: string, namespace: string | undefined, evidence: readonly Grant[]): StepData =>
      namespace === undefined ? { action, description, evidence } : { action, description, namespace, evidence };

    // Terminal: already cluster-admin.
    if (user.groups.includes(MASTERS_GROUP)) link(GOAL, 0, step('system-masters', `is in group ${MASTERS_GROUP}, which bypasses RBAC`, undefined, []));
    const admin = cluster('cluster-admin')[0];
    if (admin) link(GOAL, 0, step('cluster-admin', 'is cluster-admin', undefined, [admin.grant]));

    // Straight to cluster-admin.
    const userImpersonation = get('impersonate-users')[0] ?? get('impersonate-serviceaccounts')[0];
    if (userImpersonation) {
      const masters = get('impersonate-groups').find((entry) => namesAllow(entry.fact.names, MASTERS_GROUP));
      if (masters) {
        link(GOAL, 1, step('impersonate-system-masters', `impersonate group ${MASTERS_GROUP}`, undefined, evidenceOf(masters.grant, userImpersonation.grant)));
      }
    }
    const createClusterBindings = cluster('create-clusterrolebindings')[0];
    if (createClusterBindings) {
      for (const bind of cluster('bind-clusterroles')) {
        const names = bind.fact.names;
        const name = names.length === 0 ? 'cluster-admin' : names.find((candidate) => adminClusterRoles.has(candidate));
        if (name === undefined) continue;
        link(GOAL, 1, step('bind-role', `bind ClusterRole ${name} to itself with a new ClusterRoleBinding`, undefined, evidenceOf(bind.grant, createClusterBindings.grant)));
        break;
      }
    }
    const escalate = cluster('escalate-clusterroles');
    const updateClusterRoles = cluster('update-clusterroles');
    if (escalate.length > 0 && updateClusterRoles.length > 0) {
      // Add `*` to a ClusterRole it is bound to. Aggregated roles are left out: the controller rewrites their rules.
      for (const binding of bindings) {
        const role = binding.role;
        if (!role || role.kind !== 'ClusterRole' || role.aggregated || !matchingSubject(binding, user)) continue;
        const canEscalate = escalate.find((entry) => namesAllow(entry.fact.names, role.name));
        const canUpdate = updateClusterRoles.find((entry) => namesAllow(entry.fact.names, role.name));
        if (!canEscalate || !canUpdate) continue;
        const evidence = evidenceOf(canEscalate.grant, canUpdate.grant);
        if (binding.kind === 'ClusterRoleBinding') {
          link(GOAL, 1, step('escalate-role', `add every permission to ClusterRole ${role.name} (escalate, update), which ClusterRoleBinding/${binding.name} binds to it`, undefined, evidence));
        } else {
          const namespace = binding.namespace ?? 'default';
          const description = `add every permission to ClusterRole ${role.name} (escalate, update), which RoleBinding/${namespace}/${binding.name} binds to it, then create a pod`;
          link(anyAccountOf(namespace), 1, step('escalate-role', description, namespace, evidence));
        }
      }
    }
    const createCsr = cluster('create-csr')[0];
    const approveCsr = cluster('approve-csr')[0];
    const signer = cluster('approve-signer').find(
      (entry) => namesAllow(entry.fact.names, KUBE_APISERVER_CLIENT_SIGNER) || entry.fact.names.includes('kubernetes.io/*'),
    );
    if (createCsr && approveCsr && signer) {
      const evidence = evidenceOf(createCsr.grant, approveCsr.grant, signer.grant);
      link(GOAL, 1, step('approve-csr', `create and approve a CSR for signer ${KUBE_APISERVER_CLIENT_SIGNER} naming group ${MASTERS_GROUP}`, undefined, evidence));
    }
    const webhook = cluster('write-mutating-webhooks')[0];
    if (webhook) {
      link(GOAL, 1, step('mutating-webhook', `${webhook.fact.request} (a mutating webhook rewrites any pod: privileged, any ServiceAccount)`, undefined, [webhook.grant]));
    }

    // To other identities.
    if (userImpersonation) {
      for (const entry of get('impersonate-groups')) {
        for (const name of entry.fact.names) {
          if (name === MASTERS_GROUP) continue;
          link(identityNode({ kind: 'Group', name }), 1, step('impersonate-group', `impersonate group ${name}`, undefined, evidenceOf(entry.grant, userImpersonation.grant)));
        }
      }
    }
    for (const entry of get('impersonate-users')) {
      if (entry.fact.names.length === 0) {
        link(allUsers(), 1, step('impersonate-user', 'impersonate users', undefined, [entry.grant]));
        continue;
      }
      // A ServiceAccount's user name is checked as impersonating serviceaccounts, not users.
      for (const name of entry.fact.names) {
        if (!name.startsWith('system:serviceaccount:')) link(identityNode({ kind: 'User', name }), 1, step('impersonate-user', `impersonate user ${name}`, undefined, [entry.grant]));
      }
    }
    const toAccounts = (power: PowerId, action: StepAction, describe: (entry: Held) => string): void => {
      for (const entry of get(power)) {
        const { names } = entry.fact;
        const evidence = [entry.grant];
        if (entry.namespace === undefined) {
          if (names.length === 0) link(anyAccount(), 1, step(action, describe(entry), undefined, evidence));
          else for (const name of names) for (const namespace of accountsByName.get(name) ?? []) link(accountNode(namespace, name), 1, step(action, describe(entry), undefined, evidence));
        } else if (names.length === 0) {
          link(anyAccountOf(entry.namespace), 1, step(action, describe(entry), entry.namespace, evidence));
        } else {
          for (const name of names) link(accountNode(entry.namespace, name), 1, step(action, describe(entry), entry.namespace, evidence));
        }
      }
    };
    toAccounts('create-pods', 'create-pods', (entry) => `${entry.fact.request} ${inWhere(entry.namespace)}`);
    toAccounts('request-tokens', 'request-token', (entry) => `${entry.fact.request} ${inWhere(entry.namespace)}`);
    toAccounts('impersonate-serviceaccounts', 'impersonate-serviceaccount', (entry) => `impersonate ServiceAccounts ${inWhere(entry.namespace)}`);
    toAccounts('create-secrets', 'create-token-secret', (entry) => `create a ${TOKEN_SECRET_TYPE} Secret ${inWhere(entry.namespace)}`);

    for (const entry of get('read-secrets')) {
      const description = `${entry.fact.request} ${inWhere(entry.namespace)}`;
      const data = step('read-token-secret', description, entry.namespace, [entry.grant]);
      if (entry.fact.names.length === 0) {
        link(entry.namespace === undefined ? allTokens() : tokensOf(entry.namespace), 1, data);
        continue;
      }
      for (const name of entry.fact.names) {
        for (const token of tokensByName.get(name) ?? []) {
          if (entry.namespace === undefined || token.namespace === entry.namespace) link(accountNode(token.namespace, token.serviceAccount), 1, data, token.secret);
        }
      }
    }
    for (const entry of get('run-in-pods')) {
      const data = step('run-in-pod', `${entry.fact.request} ${inWhere(entry.namespace)}`, entry.namespace, [entry.grant]);
      if (entry.fact.names.length === 0) {
        link(entry.namespace === undefined ? allRunning() : runningIn(entry.namespace), 1, data);
        continue;
      }
      for (const name of entry.fact.names) {
        for (const pod of podsByName.get(name) ?? []) {
          if (entry.namespace === undefined || pod.namespace === entry.namespace) link(accountNode(pod.namespace, pod.serviceAccount), 1, data, pod.template.object);
        }
      }
    }
    for (const entry of get('nodes-proxy')) {
      const data = step('nodes-proxy', `${entry.fact.request} (the kubelet runs commands in any pod)`, undefined, [entry.grant]);
      if (entry.fact.names.length === 0) {
        link(allRunning(), 1, data);
        continue;
      }
      for (const name of entry.fact.names) for (const pod of podsByNode.get(name) ?? []) link(accountNode(pod.namespace, pod.serviceAccount), 1, data, pod.template.object);
    }

    // Binding a role that can create pods: with create clusterrolebindings, everywhere; with create rolebindings in N, in N.
    if (createClusterBindings) {
      for (const bind of cluster('bind-clusterroles')) {
        const name = bind.fact.names.find((candidate) => podClusterRoles.has(candidate));
        if (name === undefined) continue;
        link(anyAccount(), 1, step('bind-role', `bind ClusterRole ${name} to itself with a new ClusterRoleBinding, then create a pod`, undefined, evidenceOf(bind.grant, createClusterBindings.grant)));
        break;
      }
    }
    const createBindings = get('create-rolebindings');
    if (createBindings.length > 0) {
      const bindClusterRoles = get('bind-clusterroles');
      const bindRoles = get('bind-roles');
      /** A grant to bind, in the namespace, a role that can create pods there, and the role's name. */
      const bindableIn = (namespace: string): { grant: Grant; role: string } | undefined => {
        for (const entry of bindClusterRoles) {
          if (!appliesIn(entry, namespace)) continue;
          const name = entry.fact.names.length === 0 ? 'cluster-admin' : entry.fact.names.find((candidate) => podClusterRoles.has(candidate));
          if (name !== undefined) return { grant: entry.grant, role: `ClusterRole ${name}` };
        }
        const candidates = podRoles.get(namespace) ?? [];
        for (const entry of bindRoles) {
          if (!appliesIn(entry, namespace)) continue;
          const name = candidates.find((candidate) => namesAllow(entry.fact.names, candidate));
          if (name !== undefined) return { grant: entry.grant, role: `Role ${namespace}/${name}` };
        }
        return undefined;
      };
      const clusterCreate = createBindings.find((entry) => entry.namespace === undefined);
      if (clusterCreate) {
        const everywhere = bindClusterRoles.find((entry) => entry.namespace === undefined && (entry.fact.names.length === 0 || entry.fact.names.some((name) => podClusterRoles.has(name))));
        if (everywhere) {
          const name = everywhere.fact.names.length === 0 ? 'cluster-admin' : everywhere.fact.names.find((candidate) => podClusterRoles.has(candidate))!;
          link(anyAccount(), 1, step('bind-role', `bind ClusterRole ${name} in a new RoleBinding in any namespace, then create a pod`, undefined, evidenceOf(everywhere.grant, clusterCreate.grant)));
        }
      }
      const candidateNamespaces = new Set<string>();
      for (const entry of createBindings) if (entry.namespace !== undefined) candidateNamespaces.add(entry.namespace);
      if (clusterCreate) for (const entry of [...bindClusterRoles, ...bindRoles]) if (entry.namespace !== undefined) candidateNamespaces.add(entry.namespace);
      for (const namespace of [...candidateNamespaces].sort(compare)) {
        const create = createBindings.find((entry) => appliesIn(entry, namespace))!;
        const bind = bindableIn(namespace);
        if (!bind) continue;
        link(anyAccountOf(namespace), 1, step('bind-role', `bind ${bind.role} in a new RoleBinding in ${namespace}, then create a pod`, namespace, evidenceOf(bind.grant, create.grant)));
      }
    }
    // Escalating a Role of N it is bound to: every power in N.
    const escalateRoles = get('escalate-roles');
    const updateRoles = get('update-roles');
    if (escalateRoles.length > 0 && updateRoles.length > 0) {
      for (const binding of bindings) {
        const role = binding.role;
        if (!role || role.kind !== 'Role' || binding.kind !== 'RoleBinding' || !matchingSubject(binding, user)) continue;
        const namespace = role.namespace ?? 'default';
        const canEscalate = escalateRoles.find((entry) => appliesIn(entry, namespace) && namesAllow(entry.fact.names, role.name));
        const canUpdate = updateRoles.find((entry) => appliesIn(entry, namespace) && namesAllow(entry.fact.names, role.name));
        if (!canEscalate || !canUpdate) continue;
        const description = `add every permission to Role ${namespace}/${role.name} (escalate, update), which RoleBinding/${namespace}/${binding.name} binds to it, then create a pod`;
        link(anyAccountOf(namespace), 1, step('escalate-role', description, namespace, evidenceOf(canEscalate.grant, canUpdate.grant)));
      }
    }
  };

  // --- Starts, then every identity they and the sets lead to.
  const subjectStarts = new Map<number, EscalationStart>();
  for (const binding of model.bindings) {
    if (binding.bootstrap && !options.includeBootstrap) continue;
    for (const subject of binding.subjects) {
      const identity = subjectIdentity(subject);
      if (!identity) continue;
      const id = identityNode(identity);
      if (!subjectStarts.has(id)) subjectStarts.set(id, { kind: 'subject', identity, binding, subjectIndex: subject.index });
    }
  }
  const withTemplate = new Set(workloads.map((workload) => `${workload.namespace}/${workload.template.object.ref.kind}/${workload.template.object.ref.name}`));
  const workloadStarts: { id: number; start: EscalationStart }[] = [];
  for (const workload of mounted) {
    const owner = controllerOwner(workload.template.object);
    if (owner !== undefined && withTemplate.has(`${workload.namespace}/${owner}`)) continue;
    const identity: IdentityRef = { kind: 'ServiceAccount', namespace: workload.namespace, name: workload.serviceAccount };
    workloadStarts.push({ id: identityNode(identity), start: { kind: 'workload', identity, workload } });
  }
  for (const namespace of namespaces) for (const name of [...(accounts.get(namespace) ?? [])].sort(compare)) accountNode(namespace, name);
  for (const name of [...userNames].sort(compare)) identityNode({ kind: 'User', name });
  for (const name of [...groupNames].sort(compare)) identityNode({ kind: 'Group', name });
  for (let index = 0; index < pending.length; index++) {
    const id = pending[index]!;
    const node = nodes[id]!;
    if (node.type === 'identity') expand(id, node.identity);
  }

  // --- Distances to the goal: 0-1 breadth-first search over reversed edges.
  const count = nodes.length;
  const incomingStart = new Int32Array(count + 1);
  for (const edge of edges) incomingStart[edge.to + 1]!++;
  for (let index = 0; index < count; index++) incomingStart[index + 1]! += incomingStart[index]!;
  const incoming = new Int32Array(edges.length);
  const fill = incomingStart.slice(0, count);
  edges.forEach((edge, index) => {
    incoming[fill[edge.to]!++] = index;
  });
  const unreached = 0x7fffffff;
  const distance = new Int32Array(count).fill(unreached);
  const next = new Int32Array(count).fill(-1);
  const done = new Uint8Array(count);
  distance[GOAL] = 0;
  let level = [GOAL];
  for (let depth = 0; level.length > 0; depth++) {
    const following: number[] = [];
    for (let index = 0; index < level.length; index++) {
      const node = level[index]!;
      if (done[node] || distance[node] !== depth) continue;
      done[node] = 1;
      for (let cursor = incomingStart[node]!; cursor < incomingStart[node + 1]!; cursor++) {
        const edgeIndex = incoming[cursor]!;
        const edge = edges[edgeIndex]!;
        const candidate = depth + edge.cost;
        if (candidate >= distance[edge.from]!) continue;
        distance[edge.from] = candidate;
        next[edge.from] = edgeIndex;
        (edge.cost === 0 ? level : following).push(edge.from);
      }
    }
    level = following;
  }

  const stepsFrom = (start: number): EscalationStep[] => {
    const steps: EscalationStep[] = [];
    let node = start;
    let open: { from: IdentityRef; data: StepData; via: InventoryObject | undefined } | undefined;
    while (node !== GOAL) {
      const edge = edges[next[node]!]!;
      const here = nodes[node]!;
      if (edge.step && here.type === 'identity') open = { from: here.identity, data: edge.step, via: edge.via };
      else if (edge.via && open) open.via = edge.via;
      node = edge.to;
      const there = nodes[node]!;
      if (open && (there.type === 'identity' || there.type === 'goal')) {
        const to = there.type === 'identity' ? there.identity : 'cluster-admin';
        steps.push({ from: open.from, ...open.data, to, ...(open.via ? { via: open.via } : {}) });
        open = undefined;
      }
    }
    return steps;
  };

  const reaches = (id: number): boolean => distance[id]! !== unreached && distance[id]! > 0;
  const paths: EscalationPath[] = [];
  const groupsWithPaths = new Set<string>();
  for (const [id, start] of subjectStarts) if (reaches(id) && start.identity.kind === 'Group') groupsWithPaths.add(start.identity.name);
  for (const [id, start] of subjectStarts) {
    if (!reaches(id)) continue;
    const steps = stepsFrom(id);
    const first = steps[0]!;
    const self = start.identity.kind === 'Group' ? start.identity.name : undefined;
    const viaGroups = first.evidence.length > 0 && first.evidence.every((grant) => grant.subject.kind === 'Group' && grant.subject.name !== self);
    const cover = viaGroups ? first.evidence.map((grant) => grant.subject.name).find((name) => groupsWithPaths.has(name)) : undefined;
    paths.push({ start, steps, length: distance[id]!, ...(cover !== undefined ? { coveredByGroup: cover } : {}) });
  }
  for (const { id, start } of workloadStarts) {
    if (reaches(id)) paths.push({ start, steps: stepsFrom(id), length: distance[id]! });
  }
  return paths.sort(comparePaths);
}

const IDENTITY_ORDER = { User: 0, Group: 1, ServiceAccount: 2 } as const;

function startSortKey(start: EscalationStart): string {
  if (start.kind === 'subject') {
    const identity = start.identity;
    return `0\u0000${IDENTITY_ORDER[identity.kind]}\u0000${identity.kind === 'ServiceAccount' ? identity.namespace : ''}\u0000${identity.name}`;
  }
  const object = start.workload.template.object;
  const origin = object.origin.type === 'file' ? `${object.origin.file}\u0000${String(object.origin.documentIndex).padStart(8, '0')}` : '';
  return `1\u0000${start.workload.namespace}\u0000${object.ref.kind}\u0000${object.ref.name}\u0000${origin}`;
}

function comparePaths(a: EscalationPath, b: EscalationPath): number {
  return compare(startSortKey(a.start), startSortKey(b.start));
}

// ---------------------------------------------------------------------------------------------------------------
// Every source of a scan

/** Escalation paths of every source of the inventory (files together, each cluster on its own). */
export function findEscalationPathsInInventory(
  objects: readonly InventoryObject[],
  podTemplates: readonly PodTemplate[],
  options: Omit<EscalationOptions, 'secrets'> = {},
): EscalationPath[] {
  const templates = new Map<string, PodTemplate[]>();
  for (const template of podTemplates) pushTo(templates, sourceKeyOf(template.object), template);
  const secrets = new Map<string, InventoryObject[]>();
  for (const object of objects) if (object.ref.kind === 'Secret') pushTo(secrets, sourceKeyOf(object), object);
  const paths: EscalationPath[] = [];
  // The models are built once per scan and shared with the other RBAC rules (findings-helpers.ts).
  for (const { key: source, model } of rbacSources(objects)) {
    const workloads = (templates.get(source) ?? []).map((template) => workloadIdentity(template, model));
    paths.push(...findEscalationPaths(model, workloads, { ...options, secrets: secrets.get(source) ?? [] }));
  }
  return paths;
}

// ---------------------------------------------------------------------------------------------------------------
// Text

/** `RoleBinding/shop/ci (rbac.yaml:3) → Role/shop/deployer rules[0] (rbac.yaml:12)`. */
export function describeGrant(grant: Grant): string {
  const rule = isBuiltInStandIn(grant.rule.role) ? `ClusterRole/${grant.rule.role.ref.name} (built in)` : describeRule(grant.rule);
  return `${describeBinding(grant.binding)} → ${rule}`;
}

/**
 * The grants of a step, those through the same binding and role together:
 * `RoleBinding/team-a/binders (rbac.yaml:40) → ClusterRole/binder rules[1] (rbac.yaml:12), rules[0] (rbac.yaml:9)`.
 */
export function describeEvidence(grants: readonly Grant[]): string {
  const parts: string[] = [];
  let last: Grant | undefined;
  for (const grant of grants) {
    if (last && last.binding === grant.binding && last.rule.role === grant.rule.role && !isBuiltInStandIn(grant.rule.role)) {
      const rule = describeRule(grant.rule);
      parts[parts.length - 1] += `, ${rule.slice(rule.indexOf(' rules[') + 1)}`;
    } else {
      parts.push(describeGrant(grant));
    }
    last = grant;
  }
  return parts.join('; ');
}

/** `ServiceAccount shop/ci`, or `Deployment shop/api (ServiceAccount shop/ci)` for a workload. */
export function describeStart(start: EscalationStart): string {
  if (start.kind === 'subject') return describeIdentity(start.identity);
  return `${formatRef(start.workload.template.object.ref)} (${describeIdentity(start.identity)})`;
}

function describeTarget(to: EscalationStep['to']): string {
  return to === 'cluster-admin' ? 'cluster-admin' : describeIdentity(to);
}

function isTerminal(step: EscalationStep): boolean {
  return step.action === 'cluster-admin' || step.action === 'system-masters';
}

function actionText(step: EscalationStep): string {
  return step.via ? `${step.description}: ${formatRef(step.via.ref)}` : step.description;
}

/**
 * One line: `ServiceAccount shop/ci → create pods in shop (RoleBinding/… → Role/… rules[0] (rbac.yaml:12)) →
 * ServiceAccount shop/admin → cluster-admin (ClusterRoleBinding/… → ClusterRole/… rules[0] (…))`.
 */
export function formatPathInline(path: EscalationPath): string {
  let text = describeStart(path.start);
  for (const step of path.steps) {
    const evidence = describeEvidence(step.evidence);
    if (isTerminal(step)) {
      text += ` → cluster-admin (${step.action === 'system-masters' ? step.description : evidence})`;
    } else {
      text += ` → ${actionText(step)}${evidence ? ` (${evidence})` : ''} → ${describeTarget(step.to)}`;
    }
  }
  return text;
}

/** Text lines: the start, then each step (`→ action → target`) with its evidence indented below it. */
export function formatPath(path: EscalationPath): string[] {
  const lines = [`${describeStart(path.start)}: cluster-admin in ${path.length} step${path.length === 1 ? '' : 's'}`];
  for (const step of path.steps) {
    if (isTerminal(step)) lines.push(`  ${describeIdentity(step.from)} ${step.description}`);
    else lines.push(`  ${describeIdentity(step.from)} → ${actionText(step)} → ${describeTarget(step.to)}`);
    for (const grant of step.evidence) lines.push(`      ${describeGrant(grant)}`);
  }
  return lines;
}
