import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { NO_POSITION_LOCATOR, type InventoryObject } from '../../core/inventory.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate } from '../../core/pod-templates.ts';
import { parseManifests } from '../../source/index.ts';
import { describeIdentity, findEscalationPaths, findEscalationPathsInInventory, formatPath, type EscalationPath, type EscalationStep } from './escalation.ts';
import { buildRbacModel } from './model.ts';
import { workloadIdentity } from './workloads.ts';

function objectsOf(text: string): InventoryObject[] {
  const parsed = parseManifests({ file: 'rbac.yaml', text });
  assert.deepEqual(parsed.errors, []);
  return [...parsed.objects];
}

function pathsOf(text: string, options: { includeBootstrap?: boolean } = {}): EscalationPath[] {
  const objects = objectsOf(text);
  const model = buildRbacModel(objects);
  const workloads = objects.flatMap((object) => {
    const template = findPodTemplate(object, BUILTIN_POD_TEMPLATE_LOCATIONS);
    return template ? [workloadIdentity(template, model)] : [];
  });
  return findEscalationPaths(model, workloads, { ...options, secrets: objects });
}

/** `start: action→target, action→target`, compact for comparisons. */
function shape(path: EscalationPath): string {
  const start = path.start.kind === 'subject' ? describeIdentity(path.start.identity) : `${path.start.workload.template.object.ref.kind} ${path.start.workload.template.object.ref.name}`;
  const target = (step: EscalationStep): string => (step.to === 'cluster-admin' ? 'goal' : describeIdentity(step.to));
  return `${start}: ${path.steps.map((step) => `${step.action}→${target(step)}`).join(', ')}`;
}

function shapes(text: string, options: { includeBootstrap?: boolean } = {}): string[] {
  return pathsOf(text, options).map(shape);
}

// Small YAML builders: a role with rules, and a binding of it.
type Rule = { groups?: string[]; resources: string[]; verbs: string[]; names?: string[] };
function role(kind: 'Role' | 'ClusterRole', name: string, rules: Rule[], namespace?: string, extra = ''): string {
  const body = rules
    .map(
      (rule) =>
        `  - apiGroups: ${JSON.stringify(rule.groups ?? [''])}\n    resources: ${JSON.stringify(rule.resources)}\n    verbs: ${JSON.stringify(rule.verbs)}\n` +
        (rule.names ? `    resourceNames: ${JSON.stringify(rule.names)}\n` : ''),
    )
    .join('');
  return `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}${extra}rules:\n${body}`;
}
function binding(kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: string, subjects: string[], namespace?: string, labels = ''): string {
  const [refKind, refName] = roleRef.split('/');
  const list = subjects
    .map((subject) => {
      const [subjectKind, rest] = subject.split(':', 2) as [string, string];
      if (subjectKind === 'sa') {
        const [ns, sa] = rest.split('/');
        return `  - {kind: ServiceAccount, name: ${sa}, namespace: ${ns}}\n`;
      }
      return `  - {kind: ${subjectKind === 'user' ? 'User' : 'Group'}, name: "${subject.slice(subjectKind.length + 1)}", apiGroup: rbac.authorization.k8s.io}\n`;
    })
    .join('');
  return (
    `---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}${labels}` +
    `subjects:\n${list}roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ${refKind}, name: ${refName}}\n`
  );
}
function serviceAccount(namespace: string, name: string, automount?: boolean): string {
  return `---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ${name}, namespace: ${namespace}}\n${automount === undefined ? '' : `automountServiceAccountToken: ${automount}\n`}`;
}
function deployment(namespace: string, name: string, account: string, automount?: boolean): string {
  return (
    `---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}}\nspec:\n  template:\n    spec:\n` +
    `      serviceAccountName: ${account}\n${automount === undefined ? '' : `      automountServiceAccountToken: ${automount}\n`}      containers: [{name: c, image: i}]\n`
  );
}
const ADMIN = role('ClusterRole', 'admin-all', [{ groups: ['*'], resources: ['*'], verbs: ['*'] }]);
function admin(namespace: string, name: string): string {
  return `${ADMIN}${serviceAccount(namespace, name)}${binding('ClusterRoleBinding', `admin-${namespace}-${name}`, 'ClusterRole/admin-all', [`sa:${namespace}/${name}`])}`;
}
const POD_CREATOR = role('ClusterRole', 'pod-creator', [{ resources: ['pods'], verbs: ['create'] }]);

describe('escalation paths: shapes', () => {
  test('create pods in a namespace reaches its cluster-admin ServiceAccount; the admin itself is no path', () => {
    const yaml = admin('shop', 'root') + POD_CREATOR + binding('RoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:shop/ci'], 'shop');
    assert.deepEqual(shapes(yaml), ['ServiceAccount shop/ci: create-pods→ServiceAccount shop/root, cluster-admin→goal']);
  });

  test('scope: a RoleBinding in one namespace does not create pods in another', () => {
    const yaml = admin('platform', 'root') + POD_CREATOR + binding('RoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:shop/ci'], 'shop');
    assert.deepEqual(shapes(yaml), []);
    const clusterWide = admin('platform', 'root') + POD_CREATOR + binding('ClusterRoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:shop/ci']);
    assert.deepEqual(shapes(clusterWide), ['ServiceAccount shop/ci: create-pods→ServiceAccount platform/root, cluster-admin→goal']);
  });

  test('the shortest path is chosen', () => {
    // Long way: exec in shop → shop/runner, which creates pods in ops → ops/root. Short way: create pods in ops.
    const yaml =
      admin('ops', 'root') +
      POD_CREATOR +
      role('ClusterRole', 'exec', [{ resources: ['pods/exec'], verbs: ['create'] }]) +
      deployment('shop', 'runner', 'runner') +
      binding('RoleBinding', 'runner-ops', 'ClusterRole/pod-creator', ['sa:shop/runner'], 'ops') +
      binding('RoleBinding', 'alice-exec', 'ClusterRole/exec', ['user:alice'], 'shop') +
      binding('RoleBinding', 'alice-ops', 'ClusterRole/pod-creator', ['user:alice'], 'ops');
    const alice = shapes(yaml).filter((text) => text.startsWith('User alice'));
    assert.deepEqual(alice, ['User alice: create-pods→ServiceAccount ops/root, cluster-admin→goal']);
    const withoutShortcut = yaml.replace(binding('RoleBinding', 'alice-ops', 'ClusterRole/pod-creator', ['user:alice'], 'ops'), '');
    assert.deepEqual(
      shapes(withoutShortcut).filter((text) => text.startsWith('User alice')),
      ['User alice: run-in-pod→ServiceAccount shop/runner, create-pods→ServiceAccount ops/root, cluster-admin→goal'],
    );
  });

  test('resourceNames on serviceaccounts/token limit the targets', () => {
    const yaml =
      admin('ops', 'root') +
      serviceAccount('ops', 'harmless') +
      role('Role', 'token-harmless', [{ resources: ['serviceaccounts/token'], verbs: ['create'], names: ['harmless'] }], 'ops') +
      role('Role', 'token-root', [{ resources: ['serviceaccounts/token'], verbs: ['create'], names: ['root'] }], 'ops') +
      binding('RoleBinding', 'a', 'Role/token-harmless', ['user:a'], 'ops') +
      binding('RoleBinding', 'b', 'Role/token-root', ['user:b'], 'ops');
    assert.deepEqual(shapes(yaml), ['User b: request-token→ServiceAccount ops/root, cluster-admin→goal']);
  });

  test('a workload whose token is not mounted is no start and no exec target', () => {
    const yaml =
      POD_CREATOR +
      admin('ops', 'root') +
      binding('RoleBinding', 'builder', 'ClusterRole/pod-creator', ['sa:ci/builder'], 'ops') +
      deployment('ci', 'mounted', 'builder') +
      deployment('ci', 'unmounted', 'builder', false);
    assert.deepEqual(shapes(yaml), [
      'ServiceAccount ci/builder: create-pods→ServiceAccount ops/root, cluster-admin→goal',
      'Deployment mounted: create-pods→ServiceAccount ops/root, cluster-admin→goal',
    ]);
    // The ServiceAccount's own setting counts when the pod says nothing.
    const accountOff = POD_CREATOR + admin('ops', 'root') + serviceAccount('ci', 'builder', false) + binding('RoleBinding', 'builder', 'ClusterRole/pod-creator', ['sa:ci/builder'], 'ops') + deployment('ci', 'quiet', 'builder');
    assert.deepEqual(shapes(accountOff), ['ServiceAccount ci/builder: create-pods→ServiceAccount ops/root, cluster-admin→goal']);
    // Exec into a namespace whose only workload does not mount the powerful token leads nowhere.
    const exec =
      role('ClusterRole', 'exec', [{ resources: ['pods/exec'], verbs: ['create'] }]) +
      admin('ci', 'root') +
      deployment('ci', 'quiet', 'root', false) +
      binding('RoleBinding', 'eve', 'ClusterRole/exec', ['user:eve'], 'ci');
    assert.deepEqual(shapes(exec), []);
  });

  test('impersonating groups reaches system:masters, but only together with impersonating a user', () => {
    const both = role('ClusterRole', 'imp', [{ resources: ['users', 'groups'], verbs: ['impersonate'] }]) + binding('ClusterRoleBinding', 'imp', 'ClusterRole/imp', ['user:alice']);
    assert.deepEqual(shapes(both), ['User alice: impersonate-system-masters→goal']);
    const groupsOnly = role('ClusterRole', 'imp', [{ resources: ['groups'], verbs: ['impersonate'] }]) + binding('ClusterRoleBinding', 'imp', 'ClusterRole/imp', ['user:alice']);
    assert.deepEqual(shapes(groupsOnly), []);
    // Named groups other than system:masters: the named group's powers.
    const named =
      role('ClusterRole', 'imp', [
        { resources: ['users'], verbs: ['impersonate'], names: ['nobody'] },
        { resources: ['groups'], verbs: ['impersonate'], names: ['ops'] },
      ]) +
      binding('ClusterRoleBinding', 'imp', 'ClusterRole/imp', ['user:alice']) +
      binding('ClusterRoleBinding', 'ops', 'ClusterRole/admin-all', ['group:ops']) +
      ADMIN;
    assert.deepEqual(shapes(named), ['User alice: impersonate-group→Group ops, cluster-admin→goal']);
    // Impersonating users through a RoleBinding grants nothing: users and groups are impersonated cluster-wide.
    const namespaced = role('ClusterRole', 'imp', [{ resources: ['users', 'groups'], verbs: ['impersonate'] }]) + binding('RoleBinding', 'imp', 'ClusterRole/imp', ['user:alice'], 'shop');
    assert.deepEqual(shapes(namespaced), []);
  });

  test('impersonating users reaches the Users the input names', () => {
    const yaml =
      ADMIN +
      role('ClusterRole', 'imp', [{ resources: ['users'], verbs: ['impersonate'] }]) +
      binding('ClusterRoleBinding', 'imp', 'ClusterRole/imp', ['user:alice']) +
      binding('ClusterRoleBinding', 'root', 'ClusterRole/admin-all', ['user:root']);
    assert.deepEqual(shapes(yaml), ['User alice: impersonate-user→User root, cluster-admin→goal']);
  });

  test('bind needs create clusterrolebindings, and resourceNames decide which roles', () => {
    const bindAll = role('ClusterRole', 'binder', [
      { groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      { groups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create'] },
    ]);
    assert.deepEqual(shapes(bindAll + binding('ClusterRoleBinding', 'b', 'ClusterRole/binder', ['user:u'])), ['User u: bind-role→goal']);
    const bindOnly = role('ClusterRole', 'binder', [{ groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] }]);
    assert.deepEqual(shapes(bindOnly + binding('ClusterRoleBinding', 'b', 'ClusterRole/binder', ['user:u'])), []);
    const bindView = role('ClusterRole', 'binder', [
      { groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'], names: ['view'] },
      { groups: ['rbac.authorization.k8s.io'], resources: ['clusterrolebindings'], verbs: ['create'] },
    ]);
    assert.deepEqual(shapes(bindView + binding('ClusterRoleBinding', 'b', 'ClusterRole/binder', ['user:u'])), []);
    // Binding `edit` cluster-wide creates pods everywhere.
    const bindEdit = bindView.replace('["view"]', '["edit"]') + admin('ops', 'root');
    assert.deepEqual(shapes(bindEdit + binding('ClusterRoleBinding', 'b', 'ClusterRole/binder', ['user:u'])), ['User u: bind-role→ServiceAccount ops/root, cluster-admin→goal']);
    // In a namespace: bind + create rolebindings there reaches the namespace's ServiceAccounts only.
    const nsBinder = role('ClusterRole', 'ns-binder', [
      { groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['bind'] },
      { groups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
    ]);
    const inShop = nsBinder + binding('RoleBinding', 'b', 'ClusterRole/ns-binder', ['user:u'], 'shop');
    assert.deepEqual(shapes(inShop + admin('shop', 'root')), ['User u: bind-role→ServiceAccount shop/root, cluster-admin→goal']);
    assert.deepEqual(shapes(inShop + admin('ops', 'root')), []);
  });

  test('escalate + update on a ClusterRole bound to the identity, not an aggregated one', () => {
    const editor = role('ClusterRole', 'editor', [{ groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'update'] }]);
    assert.deepEqual(shapes(editor + binding('ClusterRoleBinding', 'e', 'ClusterRole/editor', ['user:u'])), ['User u: escalate-role→goal']);
    const limited = role('ClusterRole', 'editor', [{ groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'update'], names: ['other'] }]);
    assert.deepEqual(shapes(limited + binding('ClusterRoleBinding', 'e', 'ClusterRole/editor', ['user:u'])), []);
    const aggregated = editor.replace('rules:\n', 'aggregationRule:\n  clusterRoleSelectors: [{matchLabels: {x: "y"}}]\nrules:\n') + role('ClusterRole', 'part', [{ groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate', 'update'] }], undefined, '  labels: {x: "y"}\n');
    assert.deepEqual(shapes(aggregated + binding('ClusterRoleBinding', 'e', 'ClusterRole/editor', ['user:u'])), []);
    // Escalate without update is not enough.
    const escalateOnly = role('ClusterRole', 'editor', [{ groups: ['rbac.authorization.k8s.io'], resources: ['clusterroles'], verbs: ['escalate'] }]);
    assert.deepEqual(shapes(escalateOnly + binding('ClusterRoleBinding', 'e', 'ClusterRole/editor', ['user:u'])), []);
  });

  test('CSRs need create, approval and the kube-apiserver-client signer', () => {
    const rules: Rule[] = [
      { groups: ['certificates.k8s.io'], resources: ['certificatesigningrequests'], verbs: ['create'] },
      { groups: ['certificates.k8s.io'], resources: ['certificatesigningrequests/approval'], verbs: ['update'] },
      { groups: ['certificates.k8s.io'], resources: ['signers'], verbs: ['approve'], names: ['kubernetes.io/kube-apiserver-client'] },
    ];
    const bound = binding('ClusterRoleBinding', 'c', 'ClusterRole/csr', ['user:u']);
    assert.deepEqual(shapes(role('ClusterRole', 'csr', rules) + bound), ['User u: approve-csr→goal']);
    assert.deepEqual(shapes(role('ClusterRole', 'csr', rules.slice(0, 2)) + bound), []);
    const kubelet = [...rules.slice(0, 2), { ...rules[2]!, names: ['kubernetes.io/kube-apiserver-client-kubelet'] }];
    assert.deepEqual(shapes(role('ClusterRole', 'csr', kubelet) + bound), []);
  });

  test('mutating webhooks go straight to the goal, validating ones do not', () => {
    const bound = binding('ClusterRoleBinding', 'w', 'ClusterRole/webhooks', ['user:u']);
    const mutating = role('ClusterRole', 'webhooks', [{ groups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: ['patch'] }]);
    assert.deepEqual(shapes(mutating + bound), ['User u: mutating-webhook→goal']);
    const validating = role('ClusterRole', 'webhooks', [{ groups: ['admissionregistration.k8s.io'], resources: ['validatingwebhookconfigurations'], verbs: ['create'] }]);
    assert.deepEqual(shapes(validating + bound), []);
  });

  test('secrets: reading a namespace finds its token Secrets, names limit it, creating one mints a token', () => {
    const token = `---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: root-token\n  namespace: ops\n  annotations: {kubernetes.io/service-account.name: root}\ntype: kubernetes.io/service-account-token\n`;
    const reader = (names?: string[]): string =>
      role('Role', 'reader', [{ resources: ['secrets'], verbs: ['get'], ...(names ? { names } : {}) }], 'ops') + binding('RoleBinding', 'r', 'Role/reader', ['user:u'], 'ops');
    const [path] = pathsOf(admin('ops', 'root') + token + reader());
    assert.equal(path && shape(path), 'User u: read-token-secret→ServiceAccount ops/root, cluster-admin→goal');
    assert.equal(path?.steps[0]?.via?.ref.name, 'root-token');
    assert.deepEqual(shapes(admin('ops', 'root') + token + reader(['root-token'])), ['User u: read-token-secret→ServiceAccount ops/root, cluster-admin→goal']);
    assert.deepEqual(shapes(admin('ops', 'root') + token + reader(['other'])), []);
    assert.deepEqual(shapes(admin('ops', 'root') + reader()), [], 'no token Secret in the input: nothing to read');
    const writer = role('Role', 'writer', [{ resources: ['secrets'], verbs: ['create'] }], 'ops') + binding('RoleBinding', 'w', 'Role/writer', ['user:u'], 'ops');
    assert.deepEqual(shapes(admin('ops', 'root') + writer), ['User u: create-token-secret→ServiceAccount ops/root, cluster-admin→goal']);
  });

  test('pod controllers: create or patch counts; create limited by resourceNames does not', () => {
    const patcher = role('Role', 'p', [{ groups: ['apps'], resources: ['deployments'], verbs: ['patch'], names: ['web'] }], 'ops') + binding('RoleBinding', 'p', 'Role/p', ['user:u'], 'ops');
    assert.deepEqual(shapes(admin('ops', 'root') + patcher), ['User u: create-pods→ServiceAccount ops/root, cluster-admin→goal']);
    const namedCreate = role('Role', 'p', [{ groups: ['apps'], resources: ['deployments'], verbs: ['create'], names: ['web'] }], 'ops') + binding('RoleBinding', 'p', 'Role/p', ['user:u'], 'ops');
    assert.deepEqual(shapes(admin('ops', 'root') + namedCreate), []);
  });

  test('nodes/proxy reaches every mounted token, but only cluster-wide', () => {
    const proxy = role('ClusterRole', 'proxy', [{ resources: ['nodes/proxy'], verbs: ['get'] }]);
    const yaml = proxy + admin('ops', 'root') + deployment('ops', 'agent', 'root');
    assert.deepEqual(
      shapes(yaml + binding('ClusterRoleBinding', 'p', 'ClusterRole/proxy', ['user:u'])),
      ['User u: nodes-proxy→ServiceAccount ops/root, cluster-admin→goal'],
    );
    assert.deepEqual(shapes(yaml + binding('RoleBinding', 'p', 'ClusterRole/proxy', ['user:u'], 'ops')), []);
  });

  test('a binding to the built-in cluster-admin the input does not define is cluster-admin; edit creates pods', () => {
    const yaml =
      serviceAccount('ops', 'root') +
      binding('ClusterRoleBinding', 'root', 'ClusterRole/cluster-admin', ['sa:ops/root']) +
      binding('RoleBinding', 'dev', 'ClusterRole/edit', ['group:devs'], 'ops');
    const [path] = pathsOf(yaml);
    assert.equal(path && shape(path), 'Group devs: create-pods→ServiceAccount ops/root, cluster-admin→goal');
    assert.equal(path && formatPath(path).at(-1), '      ClusterRoleBinding/root (rbac.yaml:12) → ClusterRole/cluster-admin (built in)');
  });

  test('steps carry the binding and rule behind them', () => {
    const yaml = admin('shop', 'root') + POD_CREATOR + binding('RoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:shop/ci'], 'shop');
    const [path] = pathsOf(yaml);
    assert.ok(path);
    assert.equal(path.length, 1);
    const [first, last] = path.steps;
    assert.deepEqual(first?.from, { kind: 'ServiceAccount', namespace: 'shop', name: 'ci' });
    assert.equal(first?.namespace, 'shop');
    assert.equal(first?.description, 'create pods in shop');
    assert.deepEqual(first?.evidence.map((grant) => [grant.binding.name, grant.rule.role.ref.name, grant.rule.index]), [['ci', 'pod-creator', 0]]);
    assert.deepEqual(last?.to, 'cluster-admin');
    assert.equal(last?.action, 'cluster-admin');
    assert.deepEqual(formatPath(path), [
      'ServiceAccount shop/ci: cluster-admin in 1 step',
      '  ServiceAccount shop/ci → create pods in shop → ServiceAccount shop/root',
      '      RoleBinding/shop/ci (rbac.yaml:39) → ClusterRole/pod-creator rules[0] (rbac.yaml:28)',
      '  ServiceAccount shop/root is cluster-admin',
      '      ClusterRoleBinding/admin-shop-root (rbac.yaml:21) → ClusterRole/admin-all rules[0] (rbac.yaml:7)',
    ]);
  });

  test('bootstrap bindings start no path unless asked; system:masters members are already there', () => {
    const bootstrap = '  labels: {kubernetes.io/bootstrapping: rbac-defaults}\n';
    const yaml = admin('shop', 'root') + POD_CREATOR + binding('RoleBinding', 'ctrl', 'ClusterRole/pod-creator', ['sa:kube-system/ctrl'], 'shop', bootstrap);
    assert.deepEqual(shapes(yaml), []);
    assert.deepEqual(shapes(yaml, { includeBootstrap: true }), ['ServiceAccount kube-system/ctrl: create-pods→ServiceAccount shop/root, cluster-admin→goal']);
    const masters = role('ClusterRole', 'nothing', [{ resources: ['configmaps'], verbs: ['get'] }]) + binding('ClusterRoleBinding', 'm', 'ClusterRole/nothing', ['group:system:masters']);
    assert.deepEqual(shapes(masters), []);
  });

  test('members reached through a reported group are marked covered', () => {
    const yaml = admin('ci', 'root') + POD_CREATOR + binding('RoleBinding', 'all', 'ClusterRole/pod-creator', ['group:system:serviceaccounts:ci'], 'ci') + binding('RoleBinding', 'own', 'ClusterRole/pod-creator', ['sa:ci/own'], 'ci') + binding('RoleBinding', 'view', 'ClusterRole/nothing', ['sa:ci/member'], 'ci');
    const covered = Object.fromEntries(pathsOf(yaml).map((path) => [describeIdentity(path.start.identity), path.coveredByGroup ?? null]));
    assert.deepEqual(covered, { 'Group system:serviceaccounts:ci': null, 'ServiceAccount ci/member': 'system:serviceaccounts:ci', 'ServiceAccount ci/own': null });
  });

  test('controller-owned pods are no starts when their controller is in the input; sources stay apart', () => {
    const owned =
      `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: web-1\n  namespace: ops\n  ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: web, controller: true, uid: u}]\n` +
      `spec:\n  serviceAccountName: ci\n  containers: [{name: c, image: i}]\n`;
    const yaml = admin('ops', 'root') + POD_CREATOR + binding('RoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:ops/ci'], 'ops') + deployment('ops', 'web', 'ci') + owned;
    assert.deepEqual(shapes(yaml), ['ServiceAccount ops/ci: create-pods→ServiceAccount ops/root, cluster-admin→goal', 'Deployment web: create-pods→ServiceAccount ops/root, cluster-admin→goal']);

    // The same grant in a cluster does not reach an admin that only the files define.
    const files = objectsOf(admin('ops', 'root'));
    const live = objectsOf(POD_CREATOR + binding('RoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:ops/ci'], 'ops')).map((object) => ({
      ...object,
      origin: { type: 'cluster' as const, cluster: { context: 'prod', server: 'https://10.0.0.1' } },
      locator: NO_POSITION_LOCATOR,
    }));
    assert.deepEqual(findEscalationPathsInInventory([...files, ...live], []).map(shape), []);
    assert.deepEqual(findEscalationPathsInInventory([...files, ...objectsOf(POD_CREATOR + binding('RoleBinding', 'ci', 'ClusterRole/pod-creator', ['sa:ops/ci'], 'ops'))], []).map(shape), [
      'ServiceAccount ops/ci: create-pods→ServiceAccount ops/root, cluster-admin→goal',
    ]);
  });
});
