import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, test } from 'node:test';
import { KubeconfigError, resolveKubeconfig } from './kubeconfig.ts';

const root = mkdtempSync(join(tmpdir(), 'palisade-kubeconfig-'));
after(() => rmSync(root, { recursive: true, force: true }));

// Any base64 will do: the certificate is only decoded when a request is made.
const CA_DATA = Buffer.from('-----BEGIN CERTIFICATE-----\nnot a real certificate\n-----END CERTIFICATE-----\n').toString('base64');

interface Entry {
  readonly name: string;
}
interface ClusterEntry extends Entry {
  readonly server: string;
}
interface UserEntry extends Entry {
  readonly token: string;
}
interface ContextEntry extends Entry {
  readonly cluster: string;
  readonly user?: string;
  readonly namespace?: string;
}
interface KubeconfigSpec {
  readonly clusters?: readonly ClusterEntry[];
  readonly users?: readonly UserEntry[];
  readonly contexts?: readonly ContextEntry[];
  readonly currentContext?: string;
}

/** A kubeconfig file as kubectl writes it (YAML, kebab-case keys). */
function kubeconfigYaml(spec: KubeconfigSpec): string {
  const lines = ['apiVersion: v1', 'kind: Config', 'preferences: {}'];
  lines.push('clusters:');
  for (const cluster of spec.clusters ?? []) {
    lines.push(`- name: ${cluster.name}`, '  cluster:', `    server: ${cluster.server}`, `    certificate-authority-data: ${CA_DATA}`);
  }
  if ((spec.clusters ?? []).length === 0) lines[lines.length - 1] = 'clusters: []';
  lines.push('users:');
  for (const user of spec.users ?? []) lines.push(`- name: ${user.name}`, '  user:', `    token: ${user.token}`);
  if ((spec.users ?? []).length === 0) lines[lines.length - 1] = 'users: []';
  lines.push('contexts:');
  for (const context of spec.contexts ?? []) {
    lines.push(`- name: ${context.name}`, '  context:', `    cluster: ${context.cluster}`);
    if (context.user !== undefined) lines.push(`    user: ${context.user}`);
    if (context.namespace !== undefined) lines.push(`    namespace: ${context.namespace}`);
  }
  if ((spec.contexts ?? []).length === 0) lines[lines.length - 1] = 'contexts: []';
  if (spec.currentContext !== undefined) lines.push(`current-context: ${spec.currentContext}`);
  return `${lines.join('\n')}\n`;
}

let counter = 0;
/** A fresh directory under the test root. */
function freshDir(): string {
  const dir = join(root, `case-${++counter}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function write(dir: string, name: string, spec: KubeconfigSpec): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, kubeconfigYaml(spec));
  return file;
}

const devConfig: KubeconfigSpec = {
  clusters: [{ name: 'dev', server: 'https://dev.example.test:6443' }],
  users: [{ name: 'dev-admin', token: 'dev-token' }],
  contexts: [{ name: 'dev', cluster: 'dev', user: 'dev-admin' }],
  currentContext: 'dev',
};

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof KubeconfigError, `expected a KubeconfigError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

test('--kubeconfig names one file, relative to the working directory', async () => {
  const dir = freshDir();
  write(dir, 'configs/dev.yaml', devConfig);
  // Environment entries that would otherwise be used are ignored when --kubeconfig is given.
  const other = write(dir, 'other.yaml', { ...devConfig, clusters: [{ name: 'dev', server: 'https://other.example.test' }] });
  const resolved = await resolveKubeconfig({ kubeconfig: 'configs/dev.yaml', env: { KUBECONFIG: other, HOME: dir }, cwd: dir });
  assert.equal(resolved.context, 'dev');
  assert.equal(resolved.server, 'https://dev.example.test:6443');
  assert.equal(resolved.source, 'configs/dev.yaml');
  assert.equal(resolved.config.getCurrentUser()?.token, 'dev-token');
  assert.equal(resolved.config.getCurrentCluster()?.caData, CA_DATA);
  // An absolute path is used as it is.
  const absolute = await resolveKubeconfig({ kubeconfig: join(dir, 'configs/dev.yaml'), env: {}, cwd: '/nonexistent' });
  assert.equal(absolute.server, 'https://dev.example.test:6443');
});

test('--kubeconfig naming a missing file is an error naming the flag', async () => {
  const dir = freshDir();
  write(dir, '.kube/config', devConfig);
  await rejectsWith(resolveKubeconfig({ kubeconfig: 'missing.yaml', env: { HOME: dir }, cwd: dir }), /^--kubeconfig missing\.yaml: no such file$/);
});

test('a file that is not a kubeconfig is an error naming the file', async () => {
  const dir = freshDir();
  writeFileSync(join(dir, 'bad.yaml'), 'clusters:\n- name: x\n  cluster: {}\n');
  await rejectsWith(resolveKubeconfig({ kubeconfig: 'bad.yaml', env: {}, cwd: dir }), /^cannot load kubeconfig .*bad\.yaml: .*server/);
});

test('KUBECONFIG files are merged: the first definition of a name and the first current-context win', async () => {
  const dir = freshDir();
  const first = write(dir, 'first.yaml', {
    clusters: [{ name: 'shared', server: 'https://first.example.test' }],
    users: [{ name: 'shared-user', token: 'first-token' }],
    contexts: [{ name: 'shared', cluster: 'shared', user: 'shared-user' }],
    // no current-context: the next file's is used
  });
  const second = write(dir, 'second.yaml', {
    clusters: [
      { name: 'shared', server: 'https://second.example.test' },
      { name: 'prod', server: 'https://prod.example.test' },
    ],
    users: [
      { name: 'shared-user', token: 'second-token' },
      { name: 'prod-user', token: 'prod-token' },
    ],
    contexts: [
      { name: 'shared', cluster: 'prod', user: 'prod-user' },
      { name: 'prod', cluster: 'prod', user: 'prod-user' },
    ],
    currentContext: 'shared',
  });
  const third = write(dir, 'third.yaml', { ...devConfig, currentContext: 'dev' });
  const missing = join(dir, 'missing.yaml');
  const env = { KUBECONFIG: [missing, first, '', second, third].join(delimiter) };
  const resolved = await resolveKubeconfig({ env, cwd: dir });
  // current-context comes from second.yaml (first sets none), and third.yaml's does not override it.
  assert.equal(resolved.context, 'shared');
  // The context `shared` is first.yaml's, so it names first.yaml's cluster and user.
  assert.equal(resolved.server, 'https://first.example.test');
  assert.equal(resolved.config.getCurrentUser()?.token, 'first-token');
  assert.equal(resolved.source, [first, second, third].join(delimiter));
  assert.deepEqual(resolved.config.getContexts().map((context) => context.name).sort(), ['dev', 'prod', 'shared']);
  assert.deepEqual(resolved.config.getClusters().map((cluster) => cluster.name).sort(), ['dev', 'prod', 'shared']);
  // Names only in later files are there.
  const prod = await resolveKubeconfig({ env, cwd: dir, context: 'prod' });
  assert.equal(prod.server, 'https://prod.example.test');
  assert.equal(prod.config.getCurrentUser()?.token, 'prod-token');
  const dev = await resolveKubeconfig({ env, cwd: dir, context: 'dev' });
  assert.equal(dev.server, 'https://dev.example.test:6443');
});

test('KUBECONFIG entries are relative to the working directory, and a list of missing files is an error', async () => {
  const dir = freshDir();
  write(dir, 'sub/dev.yaml', devConfig);
  const resolved = await resolveKubeconfig({ env: { KUBECONFIG: `sub/dev.yaml${delimiter}nope.yaml` }, cwd: dir });
  assert.equal(resolved.server, 'https://dev.example.test:6443');
  assert.equal(resolved.source, join(dir, 'sub/dev.yaml'));
  // Only missing files: an error, even though ~/.kube/config exists (kubectl does not fall back either).
  write(dir, '.kube/config', devConfig);
  await rejectsWith(
    resolveKubeconfig({ env: { KUBECONFIG: `a.yaml${delimiter}b.yaml`, HOME: dir }, cwd: dir }),
    new RegExp(`^KUBECONFIG names no existing file \\(a\\.yaml${delimiter}b\\.yaml\\)$`),
  );
});

test('without --kubeconfig and KUBECONFIG, $HOME/.kube/config is used', async () => {
  const dir = freshDir();
  const file = write(dir, '.kube/config', devConfig);
  const resolved = await resolveKubeconfig({ env: { HOME: dir }, cwd: '/' });
  assert.equal(resolved.source, file);
  assert.equal(resolved.server, 'https://dev.example.test:6443');
  // An empty KUBECONFIG counts as unset.
  assert.equal((await resolveKubeconfig({ env: { HOME: dir, KUBECONFIG: '' }, cwd: '/' })).source, file);
});

test('no kubeconfig anywhere is a KubeconfigError saying how to provide one', async () => {
  const dir = freshDir();
  await rejectsWith(resolveKubeconfig({ env: { HOME: dir }, cwd: dir }), /^no kubeconfig found: pass --kubeconfig FILE, set KUBECONFIG, or create ~\/\.kube\/config$/);
  await rejectsWith(resolveKubeconfig({ env: {}, cwd: dir }), /^no kubeconfig found/);
});

test('--context selects a context; an unknown one is an error listing the known contexts', async () => {
  const dir = freshDir();
  write(dir, 'two.yaml', {
    clusters: [
      { name: 'dev', server: 'https://dev.example.test:6443' },
      { name: 'prod', server: 'https://prod.example.test' },
    ],
    users: [
      { name: 'dev-admin', token: 'dev-token' },
      { name: 'prod-viewer', token: 'prod-token' },
    ],
    contexts: [
      { name: 'dev', cluster: 'dev', user: 'dev-admin' },
      { name: 'prod', cluster: 'prod', user: 'prod-viewer', namespace: 'shop' },
    ],
    currentContext: 'dev',
  });
  const prod = await resolveKubeconfig({ kubeconfig: 'two.yaml', context: 'prod', env: {}, cwd: dir });
  assert.equal(prod.context, 'prod');
  assert.equal(prod.server, 'https://prod.example.test');
  assert.equal(prod.config.getCurrentUser()?.token, 'prod-token');
  const current = await resolveKubeconfig({ kubeconfig: 'two.yaml', env: {}, cwd: dir });
  assert.equal(current.context, 'dev');
  await rejectsWith(resolveKubeconfig({ kubeconfig: 'two.yaml', context: 'staging', env: {}, cwd: dir }), /^context "staging" not found in two\.yaml \(contexts: dev, prod\)$/);
});

test('a file without current-context needs --context', async () => {
  const dir = freshDir();
  const { currentContext: _unset, ...withoutCurrent } = devConfig;
  write(dir, 'none.yaml', withoutCurrent);
  await rejectsWith(resolveKubeconfig({ kubeconfig: 'none.yaml', env: {}, cwd: dir }), /^none\.yaml sets no current context; pass --context NAME$/);
  assert.equal((await resolveKubeconfig({ kubeconfig: 'none.yaml', context: 'dev', env: {}, cwd: dir })).context, 'dev');
});

test('a current-context that no context defines is an error', async () => {
  const dir = freshDir();
  write(dir, 'dangling.yaml', { ...devConfig, currentContext: 'gone' });
  await rejectsWith(resolveKubeconfig({ kubeconfig: 'dangling.yaml', env: {}, cwd: dir }), /^current context "gone" is not defined in dangling\.yaml$/);
});

test('a context naming an undefined cluster or user is an error naming both', async () => {
  const dir = freshDir();
  write(dir, 'broken.yaml', {
    clusters: [{ name: 'dev', server: 'https://dev.example.test:6443' }],
    users: [{ name: 'dev-admin', token: 'dev-token' }],
    contexts: [
      { name: 'no-cluster', cluster: 'missing-cluster', user: 'dev-admin' },
      { name: 'no-user', cluster: 'dev', user: 'missing-user' },
      { name: 'anonymous', cluster: 'dev' },
    ],
    currentContext: 'no-cluster',
  });
  await rejectsWith(
    resolveKubeconfig({ kubeconfig: 'broken.yaml', env: {}, cwd: dir }),
    /^context "no-cluster" names cluster "missing-cluster", which broken\.yaml does not define$/,
  );
  await rejectsWith(
    resolveKubeconfig({ kubeconfig: 'broken.yaml', context: 'no-user', env: {}, cwd: dir }),
    /^context "no-user" names user "missing-user", which broken\.yaml does not define$/,
  );
  // A context without a user is allowed: requests go without credentials.
  const anonymous = await resolveKubeconfig({ kubeconfig: 'broken.yaml', context: 'anonymous', env: {}, cwd: dir });
  assert.equal(anonymous.server, 'https://dev.example.test:6443');
  assert.equal(anonymous.config.getCurrentUser(), null);
});
