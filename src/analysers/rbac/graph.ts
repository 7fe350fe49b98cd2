// The RBAC graph of one source, as neutral data for any renderer (DOT, JSON, the HTML report): subjects → bindings →
// roles → permissions, aggregated ClusterRoles → the roles they take rules from, workloads → the ServiceAccount
// their pods run as, and subjects → the implicit groups they belong to. Ids are readable and stable (a subject's
// id is how `palisade rbac can` names it); nodes and edges come sorted, so the same input gives the same graph.
import { apiGroupOf, type InventoryObject } from '../../core/inventory.ts';
import { asArray, asObject, type Path } from '../../core/model.ts';
import { findPodTemplate, type PodTemplateLocation } from '../../core/pod-templates.ts';
import { AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP, ANONYMOUS_USER, MASTERS_GROUP } from './authorizer.ts';
import { CAPABILITIES, isClusterAdminRule, ruleGrants } from './capabilities.ts';
import type { BindingEntry, BindingSubject, RbacModel, RoleEntry, SubjectKind } from './model.ts';
import { roleKey } from './model.ts';
import type { PolicyRule } from './policy-rule.ts';
import { workloadIdentity, type WorkloadIdentity } from './workloads.ts';

export const GRAPH_NODE_KINDS = ['subject', 'binding', 'role', 'permission', 'workload'] as const;
export type GraphNodeKind = (typeof GRAPH_NODE_KINDS)[number];

export const GRAPH_EDGE_KINDS = ['member-of', 'subject-of', 'role-ref', 'aggregates', 'grants', 'runs-as'] as const;
/**
 * - `member-of`: subject → implicit group it belongs to (a ServiceAccount to `system:serviceaccounts`, …)
 * - `subject-of`: subject → binding naming it
 * - `role-ref`: binding → the role it references
 * - `aggregates`: aggregated ClusterRole → a ClusterRole it takes rules from
 * - `grants`: role → a permission (one of its own rules)
 * - `runs-as`: workload → the ServiceAccount its pods run as
 */
export type GraphEdgeKind = (typeof GRAPH_EDGE_KINDS)[number];

export type GraphAttribute = string | number | boolean | readonly string[];

export interface GraphNode {
  readonly id: string;
  readonly kind: GraphNodeKind;
  readonly label: string;
  /** Kind-specific facts; see docs/rbac.md. `file` and `line` say where an object from a manifest is written. */
  readonly attributes: Readonly<Record<string, GraphAttribute>>;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: GraphEdgeKind;
}

export interface RbacGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** `user:alice`, `group:devs`, `serviceaccount:shop:builder`: the SUBJECT syntax of `palisade rbac can`. */
export function subjectNodeId(kind: SubjectKind, name: string, namespace?: string): string {
  if (kind === 'ServiceAccount') return `serviceaccount:${namespace ?? 'default'}:${name}`;
  return `${kind === 'User' ? 'user' : 'group'}:${name}`;
}

export function bindingNodeId(binding: Pick<BindingEntry, 'kind' | 'namespace' | 'name'>): string {
  return binding.kind === 'ClusterRoleBinding' ? `clusterrolebinding:${binding.name}` : `rolebinding:${binding.namespace ?? 'default'}:${binding.name}`;
}

export function roleNodeId(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `clusterrole:${name}` : `role:${namespace ?? 'default'}:${name}`;
}

function qualify(resource: string, group: string): string {
  const slash = resource.indexOf('/');
  const base = slash === -1 ? resource : resource.slice(0, slash);
  const sub = slash === -1 ? '' : resource.slice(slash);
  return `${base}${group === '' ? '' : `.${group}`}${sub}`;
}

/**
 * A rule in one line, as `kubectl describe role` reads it: `get,list,watch pods, deployments.apps [names: web]`, or
 * `get URLs /metrics, /healthz` for non-resource URLs.
 */
export function summariseRule(rule: PolicyRule): string {
  const verbs = rule.verbs.length > 0 ? rule.verbs.join(',') : '(no verbs)';
  const parts: string[] = [];
  if (rule.resources.length > 0 || rule.apiGroups.length > 0) {
    const groups = rule.apiGroups.length > 0 ? rule.apiGroups : ['(no group)'];
    const resources = rule.resources.length > 0 ? rule.resources.flatMap((resource) => groups.map((group) => qualify(resource, group))) : ['(no resources)'];
    parts.push(`${resources.join(', ')}${rule.resourceNames.length > 0 ? ` [names: ${rule.resourceNames.join(', ')}]` : ''}`);
  }
  if (rule.nonResourceURLs.length > 0) parts.push(`URLs ${rule.nonResourceURLs.join(', ')}`);
  return `${verbs} ${parts.length > 0 ? parts.join('; ') : '(nothing)'}`;
}

/** The capabilities (capabilities.ts) a rule would confer if bound cluster-wide, by id. */
export function ruleCapabilities(rule: PolicyRule): string[] {
  return CAPABILITIES.filter((capability) => ruleGrants(rule, capability)).map((capability) => capability.id);
}

/** Implicit groups: membership comes from how one authenticates, not from any object. */
export function isImplicitGroup(name: string): boolean {
  return (
    name === AUTHENTICATED_GROUP ||
    name === UNAUTHENTICATED_GROUP ||
    name === 'system:serviceaccounts' ||
    name.startsWith('system:serviceaccounts:')
  );
}

function controllerOwner(object: InventoryObject): { kind: string; name: string } | undefined {
  for (const value of asArray(asObject(object.object['metadata'])?.['ownerReferences'])) {
    const owner = asObject(value);
    if (owner?.['controller'] === true && typeof owner['kind'] === 'string' && typeof owner['name'] === 'string') return { kind: owner['kind'], name: owner['name'] };
  }
  return undefined;
}

/**
 * The workloads of one source's objects and their identities. An object whose controller (ownerReferences) is also
 * in the input and embeds a pod template is left out: in a live cluster the Deployment stands for its ReplicaSets
 * and Pods.
 */
export function collectWorkloads(objects: readonly InventoryObject[], model: RbacModel, locations: readonly PodTemplateLocation[]): WorkloadIdentity[] {
  const templates = objects.flatMap((object) => {
    const template = findPodTemplate(object, locations);
    return template ? [template] : [];
  });
  const withTemplate = new Set(templates.map((template) => `${template.object.ref.namespace ?? ''}/${template.object.ref.kind}/${template.object.ref.name}`));
  return templates
    .filter((template) => {
      const owner = controllerOwner(template.object);
      return !owner || !withTemplate.has(`${template.object.ref.namespace ?? ''}/${owner.kind}/${owner.name}`);
    })
    .map((template) => workloadIdentity(template, model));
}

function workloadNodeId(object: InventoryObject, namespace: string): string {
  const group = apiGroupOf(object.ref.apiVersion);
  return `workload:${object.ref.kind.toLowerCase()}${group === '' ? '' : `.${group}`}:${namespace}:${object.ref.name}`;
}

function located(object: InventoryObject, path: Path): Record<string, GraphAttribute> {
  if (object.origin.type !== 'file') return {};
  return { file: object.origin.file, line: object.locator.locate(path).line };
}

const KIND_ORDER = new Map(GRAPH_NODE_KINDS.map((kind, index) => [kind, index]));

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The graph of one source's model and workloads (see collectWorkloads). Pure and deterministic. */
export function buildRbacGraph(model: RbacModel, workloads: readonly WorkloadIdentity[]): RbacGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, GraphEdge>();
  const addNode = (node: GraphNode): void => {
    if (!nodes.has(node.id)) nodes.set(node.id, node);
  };
  const addEdge = (from: string, to: string, kind: GraphEdgeKind): void => {
    edges.set(`${from}\u0000${to}\u0000${kind}`, { from, to, kind });
  };

  const addSubject = (subject: Pick<BindingSubject, 'kind' | 'name' | 'namespace'>): string => {
    const id = subjectNodeId(subject.kind, subject.name, subject.namespace);
    if (subject.kind === 'ServiceAccount') {
      const namespace = subject.namespace ?? 'default';
      addNode({
        id,
        kind: 'subject',
        label: `ServiceAccount ${namespace}/${subject.name}`,
        attributes: { subjectKind: 'ServiceAccount', name: subject.name, namespace, defined: model.serviceAccounts.has(`${namespace}/${subject.name}`) },
      });
    } else if (subject.kind === 'Group') {
      addNode({ id, kind: 'subject', label: `Group ${subject.name}`, attributes: { subjectKind: 'Group', name: subject.name, implicit: isImplicitGroup(subject.name) } });
    } else {
      addNode({ id, kind: 'subject', label: `User ${subject.name}`, attributes: { subjectKind: 'User', name: subject.name } });
    }
    return id;
  };

  const addRole = (role: RoleEntry): string => {
    const id = roleNodeId(role.kind, role.namespace, role.name);
    if (nodes.has(id)) return id;
    addNode({
      id,
      kind: 'role',
      label: `${role.kind} ${role.namespace !== undefined ? `${role.namespace}/` : ''}${role.name}${role.aggregated ? ' (aggregated)' : ''}`,
      attributes: {
        roleKind: role.kind,
        name: role.name,
        ...(role.namespace !== undefined ? { namespace: role.namespace } : {}),
        aggregated: role.aggregated,
        bootstrap: role.bootstrap,
        missing: false,
        ...located(role.object, []),
      },
    });
    for (const effective of role.rules) {
      if (effective.role !== role.object) {
        // A rule aggregated from another ClusterRole: point at that role, which grants it itself.
        const source = model.roles.get(roleKey('ClusterRole', undefined, effective.role.ref.name));
        if (source) addEdge(id, addRole(source), 'aggregates');
        continue;
      }
      const summary = summariseRule(effective.rule);
      const permissionId = `permission:${summary}`;
      addNode({
        id: permissionId,
        kind: 'permission',
        label: summary,
        attributes: {
          verbs: effective.rule.verbs,
          apiGroups: effective.rule.apiGroups,
          resources: effective.rule.resources,
          resourceNames: effective.rule.resourceNames,
          nonResourceURLs: effective.rule.nonResourceURLs,
          capabilities: ruleCapabilities(effective.rule),
          clusterAdmin: isClusterAdminRule(effective.rule),
        },
      });
      addEdge(id, permissionId, 'grants');
    }
    return id;
  };

  for (const role of model.roles.values()) addRole(role);
  for (const object of model.serviceAccounts.values()) addSubject({ kind: 'ServiceAccount', name: object.ref.name, namespace: object.ref.namespace ?? 'default' });

  for (const binding of model.bindings) {
    const id = bindingNodeId(binding);
    addNode({
      id,
      kind: 'binding',
      label: `${binding.kind} ${binding.namespace !== undefined ? `${binding.namespace}/` : ''}${binding.name}`,
      attributes: {
        bindingKind: binding.kind,
        name: binding.name,
        ...(binding.namespace !== undefined ? { namespace: binding.namespace } : {}),
        roleRef: `${binding.roleRef.kind}/${binding.roleRef.name}`,
        dangling: binding.role === undefined,
        bootstrap: binding.bootstrap,
        ...located(binding.object, ['roleRef']),
      },
    });
    for (const subject of binding.subjects) addEdge(addSubject(subject), id, 'subject-of');
    if (binding.role) {
      addEdge(id, addRole(binding.role), 'role-ref');
    } else {
      // A dangling reference: the role is not in this source. A ClusterRoleBinding naming a Role can never resolve
      // (its role node has an empty namespace, so it is not mistaken for a Role of `default`).
      const namespace = binding.roleRef.kind === 'ClusterRole' ? undefined : (binding.namespace ?? '');
      const roleId = namespace === '' ? `role::${binding.roleRef.name}` : roleNodeId(binding.roleRef.kind, namespace, binding.roleRef.name);
      addNode({
        id: roleId,
        kind: 'role',
        label: `${binding.roleRef.kind} ${namespace ? `${namespace}/` : ''}${binding.roleRef.name} (missing)`,
        attributes: {
          roleKind: binding.roleRef.kind,
          name: binding.roleRef.name,
          ...(namespace ? { namespace } : {}),
          aggregated: false,
          bootstrap: false,
          missing: true,
        },
      });
      addEdge(id, roleId, 'role-ref');
    }
  }

  for (const workload of workloads) {
    const object = workload.template.object;
    const id = workloadNodeId(object, workload.namespace);
    addNode({
      id,
      kind: 'workload',
      label: `${object.ref.kind} ${workload.namespace}/${object.ref.name}`,
      attributes: {
        workloadKind: object.ref.kind,
        apiVersion: object.ref.apiVersion,
        name: object.ref.name,
        namespace: workload.namespace,
        serviceAccount: workload.serviceAccount,
        tokenMounted: workload.tokenMounted,
        ...located(object, []),
      },
    });
    addEdge(id, addSubject({ kind: 'ServiceAccount', name: workload.serviceAccount, namespace: workload.namespace }), 'runs-as');
  }

  // Implicit group membership, towards the groups some binding names.
  for (const node of [...nodes.values()]) {
    if (node.kind !== 'subject') continue;
    const kind = node.attributes['subjectKind'];
    const name = String(node.attributes['name']);
    const groups: string[] = [];
    if (kind === 'ServiceAccount') groups.push('system:serviceaccounts', `system:serviceaccounts:${String(node.attributes['namespace'])}`, AUTHENTICATED_GROUP);
    else if (kind === 'User') groups.push(name === ANONYMOUS_USER ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP);
    else if (kind === 'Group' && !isImplicitGroup(name) && name !== MASTERS_GROUP) groups.push(AUTHENTICATED_GROUP);
    for (const group of groups) {
      const groupId = subjectNodeId('Group', group);
      if (nodes.has(groupId)) addEdge(node.id, groupId, 'member-of');
    }
  }

  return {
    nodes: [...nodes.values()].sort((a, b) => KIND_ORDER.get(a.kind)! - KIND_ORDER.get(b.kind)! || compare(a.id, b.id)),
    edges: [...edges.values()].sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.kind, b.kind)),
  };
}
