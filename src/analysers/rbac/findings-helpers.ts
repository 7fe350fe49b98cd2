// What the RBAC rules share: the models of a scan built once (memoised on the inventory's object array), the
// capabilities each binding confers computed once per role, whether a source is a complete listing (a live cluster
// or a snapshot of one) rather than a set of manifests, the workloads that mount each ServiceAccount's token, and
// the wording of subjects, scopes and evidence. Pure; every memo is keyed by objects the engine keeps for one scan.
import { isClusterInfo } from '../../core/cluster-info.ts';
import { originLabel, type InventoryObject } from '../../core/inventory.ts';
import { asArray, asObject, type JsonObject } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import type { OptionSpec } from '../../core/rule-api.ts';
import { CAPABILITIES, isClusterAdminRule, unnamedRequest, type Capability, type CapabilityId } from './capabilities.ts';
import { describeRule, whereIs } from './evidence.ts';
import { buildRbacModels, type BindingEntry, type BindingSubject, type EffectiveRule, type RbacModel, type RoleEntry } from './model.ts';
import { apiGroupMatches, resourceMatches, verbMatches, type PolicyRule } from './policy-rule.ts';
import { workloadIdentity } from './workloads.ts';

// ---------------------------------------------------------------------------------------------------------------
// Sources

/** What the RBAC rules look at: declared on their inventory scope so these objects count as evaluated. */
export const RBAC_KINDS = [
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' },
  { group: '', kind: 'ServiceAccount' },
] as const;

export interface RbacSource {
  /** `files` (every manifest of the scan together) or the cluster's label (`cluster:<context>`). */
  readonly key: string;
  readonly model: RbacModel;
}

/** The source an object belongs to, as buildRbacModels groups them. */
export function sourceKeyOf(object: InventoryObject): string {
  return object.origin.type === 'cluster' ? originLabel(object.origin) : 'files';
}

const sourcesMemo = new WeakMap<readonly InventoryObject[], readonly RbacSource[]>();

/** The RBAC models of a scan's objects, one per source, built once per object array. */
export function rbacSources(objects: readonly InventoryObject[]): readonly RbacSource[] {
  let sources = sourcesMemo.get(objects);
  if (!sources) {
    sources = [...buildRbacModels(objects)].map(([key, model]) => ({ key, model }));
    sourcesMemo.set(objects, sources);
  }
  return sources;
}

/**
 * What a complete listing returned: objects read from a cluster, or from a snapshot file of one (a file holding a
 * ClusterInfo). A listing without any object of a kind was probably not allowed to list it (403), so rules that
 * conclude "X does not exist" only do so when the listing holds objects of X's kind.
 */
export interface Listing {
  readonly clusterRoles: boolean;
  readonly roles: boolean;
  readonly serviceAccounts: boolean;
}

interface ListingIndex {
  readonly snapshotFiles: ReadonlySet<string>;
  readonly listings: ReadonlyMap<string, Listing>;
}

const listingMemo = new WeakMap<readonly InventoryObject[], ListingIndex>();

function listingKeyOf(object: InventoryObject, snapshotFiles: ReadonlySet<string>): string | undefined {
  if (object.origin.type === 'cluster') return originLabel(object.origin);
  return snapshotFiles.has(object.origin.file) ? `file:${object.origin.file}` : undefined;
}

function listingIndex(objects: readonly InventoryObject[]): ListingIndex {
  let index = listingMemo.get(objects);
  if (index) return index;
  const snapshotFiles = new Set<string>();
  for (const object of objects) if (object.origin.type === 'file' && isClusterInfo(object.object)) snapshotFiles.add(object.origin.file);
  const listings = new Map<string, { clusterRoles: boolean; roles: boolean; serviceAccounts: boolean }>();
  for (const object of objects) {
    const key = listingKeyOf(object, snapshotFiles);
    if (key === undefined) continue;
    let listing = listings.get(key);
    if (!listing) {
      listing = { clusterRoles: false, roles: false, serviceAccounts: false };
      listings.set(key, listing);
    }
    const { kind, apiVersion } = object.ref;
    if (kind === 'ClusterRole' && apiVersion.startsWith('rbac.authorization.k8s.io/')) listing.clusterRoles = true;
    else if (kind === 'Role' && apiVersion.startsWith('rbac.authorization.k8s.io/')) listing.roles = true;
    else if (kind === 'ServiceAccount' && apiVersion === 'v1') listing.serviceAccounts = true;
  }
  index = { snapshotFiles, listings };
  listingMemo.set(objects, index);
  return index;
}

/** The complete listing an object comes from; undefined for manifests. */
export function listingOf(objects: readonly InventoryObject[], object: InventoryObject): Listing | undefined {
  const index = listingIndex(objects);
  const key = listingKeyOf(object, index.snapshotFiles);
  return key === undefined ? undefined : index.listings.get(key);
}

// ---------------------------------------------------------------------------------------------------------------
// Defaults

/** The option every RBAC rule that could report Kubernetes' own bootstrap objects takes. */
export const IGNORE_DEFAULTS_OPTION: OptionSpec<'boolean'> = {
  type: 'boolean',
  default: true,
  description:
    "Skip Kubernetes' bootstrap RBAC objects (label kubernetes.io/bootstrapping=rbac-defaults): the bindings and roles every cluster ships for its own components.",
};

/**
 * ClusterRoles every cluster has (Kubernetes' bootstrap policy): manifests bind them without defining them. Names
 * starting with `system:` are reserved for Kubernetes and are treated as built in too.
 */
export const BUILT_IN_CLUSTER_ROLES: ReadonlySet<string> = new Set(['cluster-admin', 'admin', 'edit', 'view']);

export function isBuiltInClusterRoleName(name: string): boolean {
  return BUILT_IN_CLUSTER_ROLES.has(name) || name.startsWith('system:');
}

/** Bindings a rule looks at: with a subject, and not bootstrap unless asked. */
export function bindingsToCheck(model: RbacModel, ignoreDefaults: boolean): BindingEntry[] {
  return model.bindings.filter((binding) => binding.subjects.length > 0 && !(ignoreDefaults && binding.bootstrap));
}

// ---------------------------------------------------------------------------------------------------------------
// Capabilities, once per role

/** A capability a binding confers, with the evidence. */
export interface CapabilityGrant {
  readonly capability: Capability;
  /** The first rule that grants it for every name; else the first that grants it for some names. */
  readonly rule: EffectiveRule;
  /** Empty: for any name. Otherwise the only names it is granted for (union over the granting rules). */
  readonly resourceNames: readonly string[];
  /** The capability's verbs the role allows (for the names above), in the capability's order. */
  readonly verbs: readonly string[];
  /** The capability's resources the role allows, as `resource` or `resource/subresource`, in the capability's order. */
  readonly resources: readonly string[];
}

interface FlatRequest {
  readonly capability: number;
  readonly verb: string;
  readonly apiGroup: string;
  /** `resource` or `resource/subresource`. */
  readonly combined: string;
  readonly subresource: string;
  /** A RoleBinding grants nothing for it. */
  readonly clusterScoped: boolean;
}

const FLAT_REQUESTS: readonly FlatRequest[] = CAPABILITIES.flatMap((capability, index) =>
  capability.requests.flatMap((template) =>
    template.verbs.map((verb) => ({
      capability: index,
      verb,
      apiGroup: template.apiGroup,
      combined: template.subresource ? `${template.resource}/${template.subresource}` : template.resource,
      subresource: template.subresource ?? '',
      clusterScoped: capability.clusterScoped || template.clusterScoped === true,
    })),
  ),
);

/** The requests by verb, so a rule is only matched against the requests of its verbs. */
const REQUESTS_BY_VERB: ReadonlyMap<string, readonly FlatRequest[]> = (() => {
  const byVerb = new Map<string, FlatRequest[]>();
  for (const request of FLAT_REQUESTS) {
    const list = byVerb.get(request.verb);
    if (list) list.push(request);
    else byVerb.set(request.verb, [request]);
  }
  return byVerb;
})();

/** The requests whose verb the rule allows, in FLAT_REQUESTS order. */
function candidateRequests(rule: PolicyRule): readonly FlatRequest[] {
  if (rule.verbs.includes('*')) return FLAT_REQUESTS;
  if (rule.verbs.length === 1) return REQUESTS_BY_VERB.get(rule.verbs[0]!) ?? [];
  const verbs = new Set(rule.verbs);
  return FLAT_REQUESTS.filter((request) => verbs.has(request.verb));
}

function requestMatches(rule: PolicyRule, request: FlatRequest): boolean {
  return verbMatches(rule, request.verb) && apiGroupMatches(rule, request.apiGroup) && resourceMatches(rule, request.combined, request.subresource);
}

interface Tally {
  rule: EffectiveRule | undefined;
  verbs: Set<string>;
  resources: Set<string>;
  names: Set<string>;
}

function addTo(tally: Tally, rule: EffectiveRule, request: FlatRequest): void {
  tally.rule ??= rule;
  tally.verbs.add(request.verb);
  tally.resources.add(request.combined);
  for (const name of rule.rule.resourceNames) tally.names.add(name);
}

function ordered(values: ReadonlySet<string>, order: readonly string[]): string[] {
  return order.filter((value, index) => values.has(value) && order.indexOf(value) === index);
}

/** Every capability the rules confer, counting only the requests a binding of this scope can grant. */
function computeGrants(rules: readonly EffectiveRule[], namespaced: boolean): ReadonlyMap<CapabilityId, CapabilityGrant> {
  const anyName = new Map<number, Tally>();
  const someNames = new Map<number, Tally>();
  for (const rule of rules) {
    if (rule.rule.resources.length === 0) continue;
    const named = rule.rule.resourceNames.length > 0;
    for (const request of candidateRequests(rule.rule)) {
      if (namespaced && request.clusterScoped) continue;
      // create and deletecollection of a resource carry no name: a named rule never allows them.
      if (named && unnamedRequest(request, request.verb)) continue;
      if (!requestMatches(rule.rule, request)) continue;
      const tallies = named ? someNames : anyName;
      let tally = tallies.get(request.capability);
      if (!tally) {
        tally = { rule: undefined, verbs: new Set(), resources: new Set(), names: new Set() };
        tallies.set(request.capability, tally);
      }
      addTo(tally, rule, request);
    }
  }
  const grants = new Map<CapabilityId, CapabilityGrant>();
  CAPABILITIES.forEach((capability, index) => {
    const all = anyName.get(index);
    const tally = all ?? someNames.get(index);
    if (!tally?.rule) return;
    const verbOrder = capability.requests.flatMap((template) => template.verbs);
    const resourceOrder = capability.requests.map((template) => (template.subresource ? `${template.resource}/${template.subresource}` : template.resource));
    grants.set(capability.id, {
      capability,
      rule: tally.rule,
      resourceNames: all ? [] : [...tally.names].sort(),
      verbs: ordered(tally.verbs, verbOrder),
      resources: ordered(tally.resources, resourceOrder),
    });
  });
  return grants;
}

const clusterGrantsMemo = new WeakMap<RoleEntry, ReadonlyMap<CapabilityId, CapabilityGrant>>();
const namespacedGrantsMemo = new WeakMap<RoleEntry, ReadonlyMap<CapabilityId, CapabilityGrant>>();
const NO_GRANTS: ReadonlyMap<CapabilityId, CapabilityGrant> = new Map();

/**
 * The capabilities a binding confers where it applies: through a RoleBinding, none on cluster-scoped resources or
 * requests. Computed once per role and binding kind, so bindings sharing a role share the work.
 */
export function grantsOfBinding(binding: BindingEntry): ReadonlyMap<CapabilityId, CapabilityGrant> {
  const role = binding.role;
  if (!role) return NO_GRANTS;
  const memo = binding.kind === 'RoleBinding' ? namespacedGrantsMemo : clusterGrantsMemo;
  let grants = memo.get(role);
  if (!grants) {
    grants = computeGrants(role.rules, binding.kind === 'RoleBinding');
    memo.set(role, grants);
  }
  return grants;
}

/** The rule granting every verb on every resource of every group (cluster-admin's), if the binding's role has one. */
export function fullAdminRule(binding: BindingEntry): EffectiveRule | undefined {
  return binding.role?.rules.find((rule) => isClusterAdminRule(rule.rule));
}

/**
 * Whether the binding grants everything where it applies: its role has a `*`/`*`/`*` rule, or it refers to the
 * built-in cluster-admin that the input does not define. The admin-binding rules report these, and the rules about
 * single powers skip them rather than repeat every power of cluster-admin.
 */
export function grantsEverything(binding: BindingEntry): boolean {
  if (fullAdminRule(binding)) return true;
  return !binding.role && binding.roleRef.kind === 'ClusterRole' && binding.roleRef.name === 'cluster-admin';
}

/** Short names of capabilities, for lists in messages. */
export const CAPABILITY_LABELS: Readonly<Record<CapabilityId, string>> = {
  'read-secrets': 'read Secrets',
  'create-secrets': 'create Secrets',
  'create-pods': 'create pods',
  'create-workloads': 'create workloads',
  'exec-pods': 'exec into pods',
  'attach-pods': 'attach to pods',
  'portforward-pods': 'port-forward to pods',
  'ephemeral-containers': 'add ephemeral containers',
  'escalate-roles': 'escalate roles',
  'bind-roles': 'bind roles',
  impersonate: 'impersonate',
  'nodes-proxy': 'nodes/proxy',
  'request-tokens': 'request ServiceAccount tokens',
  'create-csr': 'create CSRs',
  'approve-csr': 'approve CSRs',
  'write-webhooks': 'write admission webhooks',
  'create-persistentvolumes': 'create PersistentVolumes',
  'delete-events': 'delete events',
};

/** `; it grants: read Secrets, create pods` (or everything), or `` when the role is unknown or harmless. */
export function powersText(binding: BindingEntry): string {
  if (grantsEverything(binding)) return '; it grants every permission (cluster-admin)';
  const grants = grantsOfBinding(binding);
  if (grants.size === 0) return '';
  return `; it grants: ${[...grants.keys()].map((id) => CAPABILITY_LABELS[id]).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Workloads that mount a ServiceAccount's token

const holdersMemo = new WeakMap<readonly PodTemplate[], Map<RbacModel, ReadonlyMap<string, readonly string[]>>>();

function controlledByOwner(object: JsonObject): boolean {
  return asArray(asObject(object['metadata'])?.['ownerReferences']).some((owner) => asObject(owner)?.['controller'] === true);
}

/**
 * `<namespace>/<name>` of a ServiceAccount → the workloads (`Deployment shop/web`) whose pods mount its token,
 * sorted. Pods and ReplicaSets a controller owns are left out: their owner is named instead.
 */
export function tokenHolders(podTemplates: readonly PodTemplate[], source: RbacSource): ReadonlyMap<string, readonly string[]> {
  let byModel = holdersMemo.get(podTemplates);
  if (!byModel) {
    byModel = new Map();
    holdersMemo.set(podTemplates, byModel);
  }
  let holders = byModel.get(source.model);
  if (holders) return holders;
  const found = new Map<string, string[]>();
  for (const template of podTemplates) {
    if (sourceKeyOf(template.object) !== source.key || controlledByOwner(template.object.object)) continue;
    const identity = workloadIdentity(template, source.model);
    if (!identity.tokenMounted) continue;
    const key = `${identity.namespace}/${identity.serviceAccount}`;
    const ref = template.object.ref;
    const name = `${ref.kind} ${identity.namespace}/${ref.name || '<unnamed>'}`;
    const list = found.get(key);
    if (list) list.push(name);
    else found.set(key, [name]);
  }
  for (const list of found.values()) list.sort();
  holders = found;
  byModel.set(source.model, holders);
  return holders;
}

// ---------------------------------------------------------------------------------------------------------------
// Wording

/** `a`, `a and b`, `a, b and c`, `a, b, c and 4 more`. */
export function listText(items: readonly string[], shown = 3): string {
  if (items.length <= 1) return items.join('');
  if (items.length > shown + 1) return `${items.slice(0, shown).join(', ')} and ${items.length - shown} more`;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** `ServiceAccount shop/builder`, `User alice`, `Group devs`. */
export function subjectText(subject: Pick<BindingSubject, 'kind' | 'name' | 'namespace'>): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace ?? '<no namespace>'}/${subject.name}` : `${subject.kind} ${subject.name}`;
}

/** A subject, with the workloads that mount its token when it is a ServiceAccount: `ServiceAccount ci/deployer (token mounted in Deployment ci/runner)`. */
export function subjectWithHolders(subject: BindingSubject, holders: ReadonlyMap<string, readonly string[]> | undefined): string {
  const text = subjectText(subject);
  if (subject.kind !== 'ServiceAccount' || !holders || subject.namespace === undefined) return text;
  const names = holders.get(`${subject.namespace}/${subject.name}`);
  return names && names.length > 0 ? `${text} (token mounted in ${listText(names, 2)})` : text;
}

/** The subjects of a binding, in written order, with their token holders. */
export function subjectsText(binding: BindingEntry, holders?: ReadonlyMap<string, readonly string[]>): string {
  return listText(binding.subjects.map((subject) => subjectWithHolders(subject, holders)));
}

/** Where a binding's namespaced grants apply: `in every namespace` for a ClusterRoleBinding, `in namespace shop` for a RoleBinding. */
export function scopeText(binding: BindingEntry): string {
  return binding.kind === 'ClusterRoleBinding' ? 'in every namespace' : `in namespace ${binding.namespace ?? 'default'}`;
}

/** Where a binding applies: `cluster-wide` for a ClusterRoleBinding, `in namespace shop` for a RoleBinding. */
export function bindingScopeText(binding: BindingEntry): string {
  return binding.kind === 'ClusterRoleBinding' ? 'cluster-wide' : `in namespace ${binding.namespace ?? 'default'}`;
}

/** `ClusterRole/edit` or `Role/shop/reader`. */
export function roleName(role: { readonly kind: string; readonly namespace?: string | undefined; readonly name: string }): string {
  return role.kind === 'Role' ? `Role/${role.namespace ?? 'default'}/${role.name}` : `${role.kind}/${role.name}`;
}

/** The role a binding refers to, with where it is written for manifests: `ClusterRole/ops (rbac.yaml:3)`, `ClusterRole/view`. */
export function roleRefText(binding: BindingEntry): string {
  if (!binding.role) return binding.roleRef.kind === 'Role' ? `Role/${binding.namespace ?? 'default'}/${binding.roleRef.name}` : `${binding.roleRef.kind}/${binding.roleRef.name}`;
  const name = roleName(binding.role);
  return binding.role.object.origin.type === 'file' ? `${name} (${whereIs(binding.role.object, [])})` : name;
}

/**
 * The rule that grants something through a binding: `ClusterRole/ops rules[2] (rbac.yaml:12)`; for a rule an
 * aggregated role took from another, `ClusterRole/monitoring, aggregating ClusterRole/metrics rules[0] (rbac.yaml:40)`.
 */
export function grantText(binding: BindingEntry, rule: EffectiveRule): string {
  if (binding.role && binding.role.object !== rule.role) return `${roleName(binding.role)}, aggregating ${describeRule(rule)}`;
  return describeRule(rule);
}

/** ` (only names: a, b)` for a grant limited by resourceNames, else ``. */
export function namesText(grant: CapabilityGrant): string {
  return grant.resourceNames.length > 0 ? ` (only ${grant.resourceNames.length === 1 ? 'name' : 'names'} ${listText(grant.resourceNames, 5)})` : '';
}

// ---------------------------------------------------------------------------------------------------------------
// The common walk of the rules about single powers

export interface BindingGrants {
  readonly source: RbacSource;
  readonly binding: BindingEntry;
  /** The asked-for capabilities the binding confers, in the order asked. */
  readonly grants: readonly CapabilityGrant[];
}

/**
 * Every binding (with subjects; bootstrap ones only when not ignored) that confers at least one of the capabilities,
 * except bindings that grant everything (reported by the admin-binding rules).
 */
export function bindingsGranting(objects: readonly InventoryObject[], ignoreDefaults: boolean, ids: readonly CapabilityId[]): BindingGrants[] {
  const found: BindingGrants[] = [];
  for (const source of rbacSources(objects)) {
    for (const binding of source.model.bindings) {
      if (binding.subjects.length === 0 || !binding.role || (ignoreDefaults && binding.bootstrap)) continue;
      const all = grantsOfBinding(binding);
      if (all.size === 0) continue;
      const grants = ids.map((id) => all.get(id)).filter((grant): grant is CapabilityGrant => grant !== undefined);
      if (grants.length === 0 || grantsEverything(binding)) continue;
      found.push({ source, binding, grants });
    }
  }
  return found;
}
