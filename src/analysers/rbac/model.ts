// The RBAC objects of one source (the files of a scan, or one cluster) resolved into roles with their effective
// rules (ClusterRole aggregation computed to a fixed point, as the controller does), bindings with their roles and
// subjects, and an index from subjects to bindings. Every rule keeps where it is written, so findings can cite it.
import { labelsOf, parseLabelSelector, selectorMatches, type LabelSelector } from '../../core/label-selector.ts';
import { originLabel, type InventoryObject } from '../../core/inventory.ts';
import { asArray, asObject, asString, type JsonObject } from '../../core/model.ts';
import { parsePolicyRule, ruleKey, type PolicyRule } from './policy-rule.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A rule and the object and index where it is written (for aggregated roles: the role it was aggregated from). */
export interface EffectiveRule {
  readonly rule: PolicyRule;
  readonly role: InventoryObject;
  readonly index: number;
}

export interface RoleEntry {
  readonly kind: 'Role' | 'ClusterRole';
  readonly namespace?: string;
  readonly name: string;
  readonly object: InventoryObject;
  readonly rules: readonly EffectiveRule[];
  readonly aggregated: boolean;
  /** Part of Kubernetes' bootstrap policy (label kubernetes.io/bootstrapping=rbac-defaults). */
  readonly bootstrap: boolean;
}

export type SubjectKind = 'User' | 'Group' | 'ServiceAccount';

export interface BindingSubject {
  readonly kind: SubjectKind;
  readonly name: string;
  /** ServiceAccounts only: as written, or the RoleBinding's namespace when left out (as the authorizer defaults it). */
  readonly namespace?: string;
  /** Index in the binding's `subjects`. */
  readonly index: number;
}

export interface BindingEntry {
  readonly kind: 'RoleBinding' | 'ClusterRoleBinding';
  readonly namespace?: string;
  readonly name: string;
  readonly object: InventoryObject;
  readonly roleRef: { readonly kind: string; readonly name: string };
  readonly subjects: readonly BindingSubject[];
  /** Undefined when the referenced role does not exist in this source (a dangling binding). */
  readonly role: RoleEntry | undefined;
  readonly bootstrap: boolean;
}

export interface RbacModel {
  /** `Role/<ns>/<name>` or `ClusterRole/<name>`. */
  readonly roles: ReadonlyMap<string, RoleEntry>;
  readonly bindings: readonly BindingEntry[];
  /** Subject key (see subjectKey) → bindings naming it. */
  readonly bindingsBySubject: ReadonlyMap<string, readonly BindingEntry[]>;
  /** `<ns>/<name>` → the ServiceAccount object. */
  readonly serviceAccounts: ReadonlyMap<string, InventoryObject>;
  /** Namespaces seen: Namespace objects and namespaces of namespaced objects. */
  readonly namespaces: ReadonlySet<string>;
}

export function roleKey(kind: string, namespace: string | undefined, name: string): string {
  return kind === 'ClusterRole' ? `ClusterRole/${name}` : `Role/${namespace ?? ''}/${name}`;
}

export function subjectKey(kind: SubjectKind, name: string, namespace?: string): string {
  return kind === 'ServiceAccount' ? `ServiceAccount:${namespace ?? ''}/${name}` : `${kind}:${name}`;
}

function isRbac(object: InventoryObject, kind: string): boolean {
  return object.ref.kind === kind && object.ref.apiVersion.startsWith(`${RBAC_GROUP}/`);
}

function isBootstrap(object: JsonObject): boolean {
  return labelsOf(object)['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

function ownRules(object: InventoryObject): EffectiveRule[] {
  return asArray(object.object['rules']).map((rule, index) => ({ rule: parsePolicyRule(rule), role: object, index }));
}

/**
 * Aggregated ClusterRoles: the union of the rules of every other ClusterRole matching one of the selectors, in
 * name order, exact duplicates skipped; repeated until nothing changes (aggregated roles can feed each other).
 */
function aggregate(clusterRoles: Map<string, { object: InventoryObject; rules: EffectiveRule[]; selectors: LabelSelector[] | undefined }>): void {
  const names = [...clusterRoles.keys()].sort();
  for (let round = 0; round <= names.length; round++) {
    let changed = false;
    for (const name of names) {
      const entry = clusterRoles.get(name)!;
      if (entry.selectors === undefined) continue;
      const seen = new Set<string>();
      const rules: EffectiveRule[] = [];
      for (const other of names) {
        if (other === name) continue;
        const candidate = clusterRoles.get(other)!;
        const labels = labelsOf(candidate.object.object);
        if (!entry.selectors.some((selector) => selectorMatches(selector, labels))) continue;
        for (const rule of candidate.rules) {
          const key = ruleKey(rule.rule);
          if (seen.has(key)) continue;
          seen.add(key);
          rules.push(rule);
        }
      }
      const before = entry.rules.map((rule) => ruleKey(rule.rule)).join('\n');
      if (rules.map((rule) => ruleKey(rule.rule)).join('\n') !== before) {
        entry.rules = rules;
        changed = true;
      }
    }
    if (!changed) break;
  }
}

function subjectsOf(binding: InventoryObject, namespace: string | undefined): BindingSubject[] {
  const subjects: BindingSubject[] = [];
  asArray(binding.object['subjects']).forEach((value, index) => {
    const subject = asObject(value);
    const kind = asString(subject?.['kind']);
    const name = asString(subject?.['name']);
    if (!subject || !name || (kind !== 'User' && kind !== 'Group' && kind !== 'ServiceAccount')) return;
    if (kind === 'ServiceAccount') {
      const saNamespace = asString(subject['namespace']) || namespace;
      subjects.push(saNamespace ? { kind, name, namespace: saNamespace, index } : { kind, name, index });
    } else {
      subjects.push({ kind, name, index });
    }
  });
  return subjects;
}

/** Builds the model of one source's objects (callers group objects by source first). */
export function buildRbacModel(objects: readonly InventoryObject[]): RbacModel {
  const clusterRoles = new Map<string, { object: InventoryObject; rules: EffectiveRule[]; selectors: LabelSelector[] | undefined }>();
  const roles = new Map<string, RoleEntry>();
  const serviceAccounts = new Map<string, InventoryObject>();
  const namespaces = new Set<string>();
  const bindingObjects: InventoryObject[] = [];

  for (const object of objects) {
    if (object.ref.namespace) namespaces.add(object.ref.namespace);
    if (object.ref.kind === 'Namespace' && object.ref.apiVersion === 'v1') namespaces.add(object.ref.name);
    if (object.ref.kind === 'ServiceAccount' && object.ref.apiVersion === 'v1') {
      serviceAccounts.set(`${object.ref.namespace ?? 'default'}/${object.ref.name}`, object);
    } else if (isRbac(object, 'ClusterRole')) {
      const aggregationRule = asObject(object.object['aggregationRule']);
      const selectors = aggregationRule ? asArray(aggregationRule['clusterRoleSelectors']).map(parseLabelSelector) : undefined;
      clusterRoles.set(object.ref.name, { object, rules: ownRules(object), selectors });
    } else if (isRbac(object, 'Role')) {
      const namespace = object.ref.namespace ?? 'default';
      roles.set(roleKey('Role', namespace, object.ref.name), {
        kind: 'Role',
        namespace,
        name: object.ref.name,
        object,
        rules: ownRules(object),
        aggregated: false,
        bootstrap: isBootstrap(object.object),
      });
    } else if (isRbac(object, 'RoleBinding') || isRbac(object, 'ClusterRoleBinding')) {
      bindingObjects.push(object);
    }
  }

  aggregate(clusterRoles);
  for (const [name, entry] of clusterRoles) {
    roles.set(roleKey('ClusterRole', undefined, name), {
      kind: 'ClusterRole',
      name,
      object: entry.object,
      rules: entry.rules,
      aggregated: entry.selectors !== undefined,
      bootstrap: isBootstrap(entry.object.object),
    });
  }

  const bindings: BindingEntry[] = [];
  const bindingsBySubject = new Map<string, BindingEntry[]>();
  for (const object of bindingObjects) {
    const kind = object.ref.kind as BindingEntry['kind'];
    const namespace = kind === 'RoleBinding' ? (object.ref.namespace ?? 'default') : undefined;
    const roleRefObject = asObject(object.object['roleRef']) ?? {};
    const roleRef = { kind: asString(roleRefObject['kind']) ?? '', name: asString(roleRefObject['name']) ?? '' };
    // A ClusterRoleBinding can only reference a ClusterRole; a RoleBinding a Role of its namespace or a ClusterRole.
    const role =
      roleRef.kind === 'ClusterRole' || (roleRef.kind === 'Role' && kind === 'RoleBinding')
        ? roles.get(roleKey(roleRef.kind, namespace, roleRef.name))
        : undefined;
    const entry: BindingEntry = {
      kind,
      ...(namespace !== undefined ? { namespace } : {}),
      name: object.ref.name,
      object,
      roleRef,
      subjects: subjectsOf(object, namespace),
      role,
      bootstrap: isBootstrap(object.object),
    };
    bindings.push(entry);
    for (const subject of entry.subjects) {
      const key = subjectKey(subject.kind, subject.name, subject.namespace);
      const list = bindingsBySubject.get(key);
      if (list) {
        if (list.at(-1) !== entry) list.push(entry);
      } else {
        bindingsBySubject.set(key, [entry]);
      }
    }
  }
  return { roles, bindings, bindingsBySubject, serviceAccounts, namespaces };
}

/** One model per source: the files of a scan together, each cluster on its own. */
export function buildRbacModels(objects: readonly InventoryObject[]): Map<string, RbacModel> {
  const bySource = new Map<string, InventoryObject[]>();
  for (const object of objects) {
    const source = object.origin.type === 'cluster' ? originLabel(object.origin) : 'files';
    const list = bySource.get(source);
    if (list) list.push(object);
    else bySource.set(source, [object]);
  }
  return new Map([...bySource].map(([source, list]) => [source, buildRbacModel(list)]));
}
