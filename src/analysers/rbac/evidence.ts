// How findings and command output cite RBAC evidence: the binding and the role rule, with file:line for
// manifests and the object for live clusters.
import { formatRef, type InventoryObject } from '../../core/inventory.ts';
import type { BindingEntry, BindingSubject, EffectiveRule } from './model.ts';

/** `roles.yaml:12` for a file object's path, or `ClusterRole edit` for a live one. */
export function whereIs(object: InventoryObject, path: readonly (string | number)[]): string {
  if (object.origin.type === 'cluster') return formatRef(object.ref);
  return `${object.origin.file}:${object.locator.locate(path).line}`;
}

/** `ClusterRole/edit rules[3] (roles.yaml:12)`. */
export function describeRule(rule: EffectiveRule): string {
  const ref = rule.role.ref;
  const name = ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
  const where = rule.role.origin.type === 'file' ? ` (${whereIs(rule.role, ['rules', rule.index])})` : '';
  return `${name} rules[${rule.index}]${where}`;
}

/** `RoleBinding/shop/deployers (rbac.yaml:40)`. */
export function describeBinding(binding: BindingEntry): string {
  const name = binding.namespace ? `${binding.kind}/${binding.namespace}/${binding.name}` : `${binding.kind}/${binding.name}`;
  return binding.object.origin.type === 'file' ? `${name} (${whereIs(binding.object, ['roleRef'])})` : name;
}

/** `ServiceAccount shop/builder`, `User alice`, `Group devs`. */
export function describeSubject(subject: Pick<BindingSubject, 'kind' | 'name' | 'namespace'>): string {
  return subject.kind === 'ServiceAccount' ? `ServiceAccount ${subject.namespace ?? '?'}/${subject.name}` : `${subject.kind} ${subject.name}`;
}
