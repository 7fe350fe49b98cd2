// RESOURCE arguments as kubectl takes them (`pods`, `po`, `deployments.apps`, `pods/exec`, `/metrics`), resolved
// without discovery: against the built-in resources of Kubernetes and the CustomResourceDefinitions of the input.
// Whether a resource is cluster-scoped matters: a RoleBinding never grants anything on one.
import { apiGroupOf, type InventoryObject } from '../../core/inventory.ts';
import { asArray, asObject, asString } from '../../core/model.ts';
import type { RequestAttributes } from '../../analysers/rbac/policy-rule.ts';
import { UsageError } from '../options.ts';

interface KnownResource {
  readonly resource: string;
  readonly group: string;
  readonly namespaced: boolean;
  readonly shortNames?: readonly string[];
}

const r = (group: string, namespaced: boolean, resource: string, ...shortNames: string[]): KnownResource =>
  shortNames.length > 0 ? { resource, group, namespaced, shortNames } : { resource, group, namespaced };

/** Built-in resources (Kubernetes 1.3x), in kubectl's preference order where a name exists in two groups (events). */
const BUILTIN_RESOURCES: readonly KnownResource[] = [
  r('', true, 'pods', 'po'),
  r('', true, 'services', 'svc'),
  r('', true, 'endpoints', 'ep'),
  r('', true, 'configmaps', 'cm'),
  r('', true, 'secrets'),
  r('', true, 'serviceaccounts', 'sa'),
  r('', true, 'persistentvolumeclaims', 'pvc'),
  r('', true, 'replicationcontrollers', 'rc'),
  r('', true, 'events', 'ev'),
  r('', true, 'limitranges', 'limits'),
  r('', true, 'resourcequotas', 'quota'),
  r('', true, 'podtemplates'),
  r('', true, 'bindings'),
  r('', false, 'nodes', 'no'),
  r('', false, 'namespaces', 'ns'),
  r('', false, 'persistentvolumes', 'pv'),
  r('', false, 'componentstatuses', 'cs'),
  // Impersonation checks these without a namespace.
  r('', false, 'users'),
  r('', false, 'groups'),
  r('apps', true, 'deployments', 'deploy'),
  r('apps', true, 'replicasets', 'rs'),
  r('apps', true, 'statefulsets', 'sts'),
  r('apps', true, 'daemonsets', 'ds'),
  r('apps', true, 'controllerrevisions'),
  r('batch', true, 'jobs'),
  r('batch', true, 'cronjobs', 'cj'),
  r('autoscaling', true, 'horizontalpodautoscalers', 'hpa'),
  r('policy', true, 'poddisruptionbudgets', 'pdb'),
  r('networking.k8s.io', true, 'networkpolicies', 'netpol'),
  r('networking.k8s.io', true, 'ingresses', 'ing'),
  r('networking.k8s.io', false, 'ingressclasses'),
  r('networking.k8s.io', false, 'ipaddresses', 'ip'),
  r('networking.k8s.io', false, 'servicecidrs'),
  r('discovery.k8s.io', true, 'endpointslices'),
  r('rbac.authorization.k8s.io', true, 'roles'),
  r('rbac.authorization.k8s.io', true, 'rolebindings'),
  r('rbac.authorization.k8s.io', false, 'clusterroles'),
  r('rbac.authorization.k8s.io', false, 'clusterrolebindings'),
  r('storage.k8s.io', false, 'storageclasses', 'sc'),
  r('storage.k8s.io', false, 'volumeattachments'),
  r('storage.k8s.io', false, 'csidrivers'),
  r('storage.k8s.io', false, 'csinodes'),
  r('storage.k8s.io', true, 'csistoragecapacities'),
  r('storage.k8s.io', false, 'volumeattributesclasses', 'vac'),
  r('admissionregistration.k8s.io', false, 'mutatingwebhookconfigurations'),
  r('admissionregistration.k8s.io', false, 'validatingwebhookconfigurations'),
  r('admissionregistration.k8s.io', false, 'validatingadmissionpolicies'),
  r('admissionregistration.k8s.io', false, 'validatingadmissionpolicybindings'),
  r('admissionregistration.k8s.io', false, 'mutatingadmissionpolicies'),
  r('admissionregistration.k8s.io', false, 'mutatingadmissionpolicybindings'),
  r('apiextensions.k8s.io', false, 'customresourcedefinitions', 'crd', 'crds'),
  r('apiregistration.k8s.io', false, 'apiservices'),
  r('certificates.k8s.io', false, 'certificatesigningrequests', 'csr'),
  r('certificates.k8s.io', false, 'clustertrustbundles'),
  r('certificates.k8s.io', false, 'signers'),
  r('coordination.k8s.io', true, 'leases'),
  r('coordination.k8s.io', true, 'leasecandidates'),
  r('events.k8s.io', true, 'events', 'ev'),
  r('flowcontrol.apiserver.k8s.io', false, 'flowschemas'),
  r('flowcontrol.apiserver.k8s.io', false, 'prioritylevelconfigurations'),
  r('node.k8s.io', false, 'runtimeclasses'),
  r('scheduling.k8s.io', false, 'priorityclasses', 'pc'),
  r('resource.k8s.io', true, 'resourceclaims'),
  r('resource.k8s.io', true, 'resourceclaimtemplates'),
  r('resource.k8s.io', false, 'deviceclasses'),
  r('resource.k8s.io', false, 'resourceslices'),
  r('authentication.k8s.io', false, 'tokenreviews'),
  r('authentication.k8s.io', false, 'selfsubjectreviews'),
  r('authentication.k8s.io', false, 'uids'),
  r('authentication.k8s.io', false, 'userextras'),
  r('authorization.k8s.io', false, 'subjectaccessreviews'),
  r('authorization.k8s.io', false, 'selfsubjectaccessreviews'),
  r('authorization.k8s.io', false, 'selfsubjectrulesreviews'),
  r('authorization.k8s.io', true, 'localsubjectaccessreviews'),
];

/** The resources a run knows: the built-in ones, then those the input's CustomResourceDefinitions define. */
export function knownResources(objects: readonly InventoryObject[]): readonly KnownResource[] {
  const custom: KnownResource[] = [];
  for (const object of objects) {
    if (object.ref.kind !== 'CustomResourceDefinition' || apiGroupOf(object.ref.apiVersion) !== 'apiextensions.k8s.io') continue;
    const spec = asObject(object.object['spec']);
    const names = asObject(spec?.['names']);
    const group = asString(spec?.['group']);
    const plural = asString(names?.['plural']);
    if (!group || !plural) continue;
    const shortNames = asArray(names?.['shortNames']).filter((name): name is string => typeof name === 'string');
    custom.push({ resource: plural, group, namespaced: asString(spec?.['scope']) !== 'Cluster', shortNames });
  }
  custom.sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0));
  return [...BUILTIN_RESOURCES, ...custom];
}

/** What a RESOURCE argument names. */
export type ResolvedTarget =
  | {
      readonly kind: 'resource';
      readonly resource: string;
      readonly apiGroup: string;
      readonly subresource?: string;
      /** Undefined: not a resource this run knows (neither built in nor defined by a CRD of the input). */
      readonly namespaced: boolean | undefined;
      /** How the argument was read, when that involved a guess. */
      readonly note?: string;
    }
  | { readonly kind: 'nonResource'; readonly path: string };

/**
 * `pods`, `po`, `deployments.apps`, `pods/exec`, `deployments.apps/scale`, `*`, or a non-resource URL (`/metrics`,
 * `/api/*`). `subresource` is --subresource, which must not contradict a `/sub` in RESOURCE.
 */
export function resolveTarget(text: string, subresource: string | undefined, known: readonly KnownResource[]): ResolvedTarget {
  if (text.startsWith('/')) {
    if (subresource !== undefined) throw new UsageError(`--subresource does not apply to the non-resource URL ${JSON.stringify(text)}`);
    return { kind: 'nonResource', path: text };
  }
  const slash = text.indexOf('/');
  const head = slash === -1 ? text : text.slice(0, slash);
  const inlineSub = slash === -1 ? undefined : text.slice(slash + 1);
  if (head === '' || inlineSub === '' || (inlineSub !== undefined && inlineSub.includes('/'))) {
    throw new UsageError(`RESOURCE must look like pods, deployments.apps, pods/exec or /metrics (a non-resource URL), got ${JSON.stringify(text)}`);
  }
  if (inlineSub !== undefined && subresource !== undefined && inlineSub !== subresource) {
    throw new UsageError(`RESOURCE ${JSON.stringify(text)} names the subresource ${JSON.stringify(inlineSub)} but --subresource says ${JSON.stringify(subresource)}`);
  }
  const sub = inlineSub ?? subresource;
  const withSub = sub !== undefined ? { subresource: sub } : {};
  const dot = head.indexOf('.');
  const name = (dot === -1 ? head : head.slice(0, dot)).toLowerCase();
  const group = dot === -1 ? undefined : head.slice(dot + 1);
  if (name === '*') return { kind: 'resource', resource: '*', apiGroup: group ?? '*', ...withSub, namespaced: undefined };
  const matches = (entry: KnownResource): boolean => entry.resource === name || (entry.shortNames ?? []).includes(name);
  const found = group === undefined ? known.find(matches) : known.find((entry) => entry.group === group && matches(entry));
  if (found) return { kind: 'resource', resource: found.resource, apiGroup: found.group, ...withSub, namespaced: found.namespaced };
  if (group !== undefined) return { kind: 'resource', resource: name, apiGroup: group, ...withSub, namespaced: undefined };
  return {
    kind: 'resource',
    resource: name,
    apiGroup: '',
    ...withSub,
    namespaced: undefined,
    note: `${name} is neither a built-in resource nor defined by a CustomResourceDefinition of the input: the core API group is assumed (write RESOURCE.GROUP, e.g. widgets.example.com, to name another)`,
  };
}

/** The qualified name of a resource request: `deployments.apps/scale`, `pods`. */
export function formatTarget(target: ResolvedTarget): string {
  if (target.kind === 'nonResource') return target.path;
  return `${target.resource}${target.apiGroup !== '' ? `.${target.apiGroup}` : ''}${target.subresource !== undefined ? `/${target.subresource}` : ''}`;
}

/** The authorizer's request for a target. `namespace`: only for a resource not known to be cluster-scoped. */
export function requestFor(target: ResolvedTarget, verb: string, namespace: string | undefined, name: string | undefined): RequestAttributes {
  if (target.kind === 'nonResource') return { kind: 'nonResource', verb, path: target.path };
  return {
    kind: 'resource',
    verb,
    apiGroup: target.apiGroup,
    resource: target.resource,
    ...(target.subresource !== undefined ? { subresource: target.subresource } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
  };
}

/** Whether a resource of a rule (`nodes`, `nodes/proxy`, `*`) in a group is known to be cluster-scoped. */
export function isClusterScoped(resource: string, group: string, known: readonly KnownResource[]): boolean {
  const base = resource.split('/')[0]!;
  if (base === '*' || group === '*') return false;
  const found = known.find((entry) => entry.group === group && entry.resource === base);
  return found !== undefined && !found.namespaced;
}
