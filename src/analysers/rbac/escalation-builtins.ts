// The built-in ClusterRoles every cluster has (Kubernetes' bootstrap policy, plugin/pkg/auth/authorizer/rbac/
// bootstrappolicy/policy.go) that manifests bind without defining: cluster-admin, admin and edit. When the input
// does not define one, escalation paths use these stand-ins. For admin and edit only the rules that matter to
// escalation are written out (their aggregated read-only and status rules are left out); they are flat here,
// where a cluster aggregates them from system:aggregate-to-admin / -edit.
import type { InventoryObject } from '../../core/inventory.ts';
import { deepFreeze, NO_POSITION_LOCATOR } from '../../core/inventory.ts';
import type { JsonObject } from '../../core/model.ts';
import { RBAC_GROUP, type RoleEntry } from './model.ts';
import { parsePolicyRule } from './policy-rule.ts';

const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];
const READ = ['get', 'list', 'watch'];

const EDIT_RULES: readonly JsonObject[] = [
  { apiGroups: [''], resources: ['pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'secrets', 'services/proxy'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: [''], resources: ['pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy'], verbs: WRITE },
  {
    apiGroups: [''],
    resources: ['replicationcontrollers', 'replicationcontrollers/scale', 'serviceaccounts', 'services', 'services/proxy', 'endpoints', 'persistentvolumeclaims', 'configmaps', 'secrets'],
    verbs: WRITE,
  },
  {
    apiGroups: ['apps'],
    resources: ['statefulsets', 'statefulsets/scale', 'daemonsets', 'deployments', 'deployments/scale', 'deployments/rollback', 'replicasets', 'replicasets/scale'],
    verbs: WRITE,
  },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: WRITE },
];

const DEFINITIONS: Readonly<Record<string, readonly JsonObject[]>> = {
  'cluster-admin': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
  admin: [...EDIT_RULES, { apiGroups: [RBAC_GROUP], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] }],
  edit: EDIT_RULES,
};

/** Where built-in roles "come from": no file and no cluster of the scan. */
const BUILT_IN_ORIGIN = { type: 'cluster', cluster: { context: 'built-in', server: '' } } as const;

const entries = new Map<string, RoleEntry>();
const builtInObjects = new WeakSet<InventoryObject>();

/** The stand-in for a built-in ClusterRole (cluster-admin, admin, edit), or undefined for any other name. */
export function builtInClusterRole(name: string): RoleEntry | undefined {
  const cached = entries.get(name);
  if (cached) return cached;
  const rules = DEFINITIONS[name];
  if (!rules) return undefined;
  const object: InventoryObject = {
    ref: { apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', name },
    object: deepFreeze({ apiVersion: `${RBAC_GROUP}/v1`, kind: 'ClusterRole', metadata: { name, labels: { 'kubernetes.io/bootstrapping': 'rbac-defaults' } }, rules: [...rules] }),
    origin: BUILT_IN_ORIGIN,
    locator: NO_POSITION_LOCATOR,
  };
  builtInObjects.add(object);
  const entry: RoleEntry = {
    kind: 'ClusterRole',
    name,
    object,
    rules: rules.map((rule, index) => ({ rule: parsePolicyRule(rule), role: object, index })),
    aggregated: false,
    bootstrap: true,
  };
  entries.set(name, entry);
  return entry;
}

/** Whether a role object is one of the stand-ins above (not in the input). */
export function isBuiltInStandIn(object: InventoryObject): boolean {
  return builtInObjects.has(object);
}
