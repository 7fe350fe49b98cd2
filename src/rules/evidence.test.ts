// Compliance passes a control only on evidence: a rule that judges it had something to judge. The engine counts
// object, pod template and container rules' subjects itself; an inventory rule says what it judges with
// `scope.kinds` (the objects of those kinds are counted), or, when its subject is not in every scan, with
// `meta.requires` and `context.evaluated()`. An inventory rule with neither is counted as having judged every object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnyRule } from '../core/rule-api.ts';
import { runRuleOnText } from '../testing/rule-findings.ts';
import { ALL_RULES } from './index.ts';
import { judgedControls } from './shared/judged-controls.ts';

function ruleById(id: string): AnyRule {
  const rule = ALL_RULES.find(({ meta }) => meta.id === id);
  assert.ok(rule, id);
  return rule;
}

/** What the engine counts a rule as having judged on a YAML input. */
function evidenceOf(id: string, yaml: string) {
  const rule = ruleById(id);
  const result = runRuleOnText(rule, yaml);
  const [evaluation] = result.evaluations;
  return { subjects: evaluation!.subjects, controls: evaluation!.controls, findings: result.findings.length, rule };
}

/** Inventory rules that judge objects of any kind, which no kinds list describes, with why. */
const JUDGES_EVERY_OBJECT: Readonly<Record<string, string>> = {
  'hardcoded-secret': 'scans every object but Secrets, ConfigMaps and EncryptionConfigurations for credentials: any kind, custom resources included, may hold one',
  'secret-in-last-applied': 'judges the last-applied-configuration annotation, which kubectl apply writes on objects of any kind',
};

test('every inventory rule says what it judges: scope.kinds, meta.requires, or a listed reason to judge every object', () => {
  const unexplained = ALL_RULES.filter(
    ({ meta, scope }) => scope.type === 'inventory' && scope.kinds === undefined && meta.requires === undefined && !Object.hasOwn(JUDGES_EVERY_OBJECT, meta.id),
  ).map(({ meta }) => meta.id);
  assert.deepEqual(unexplained, [], 'inventory rules without scope.kinds or meta.requires: add one, or list the rule here with the reason');
  for (const [id, reason] of Object.entries(JUDGES_EVERY_OBJECT)) {
    const rule = ALL_RULES.find(({ meta }) => meta.id === id);
    assert.ok(rule, `${id}: listed, but no such rule`);
    assert.ok(rule.scope.type === 'inventory' && rule.scope.kinds === undefined && rule.meta.requires === undefined, `${id}: listed, but it now has kinds or requires`);
    assert.ok(reason.trim().length > 20, `${id}: reason`);
  }
});

test('every inventory rule\'s kinds are well formed and unique', () => {
  for (const { meta, scope } of ALL_RULES) {
    if (scope.type !== 'inventory' || scope.kinds === undefined) continue;
    assert.ok(scope.kinds.length > 0, `${meta.id}: an empty kinds list judges nothing`);
    const seen = new Set<string>();
    for (const kind of scope.kinds) {
      assert.match(kind.kind, /^[A-Z][A-Za-z0-9]*$/, `${meta.id}: kind ${kind.kind}`);
      const key = `${kind.group ?? '*'}/${kind.kind}`;
      assert.ok(!seen.has(key), `${meta.id}: ${key} twice`);
      seen.add(key);
    }
  }
});

test('every rule with requires says what its input must hold and how to give it', () => {
  const withRequires = ALL_RULES.filter(({ meta }) => meta.requires !== undefined);
  assert.ok(withRequires.length > 0);
  for (const { meta } of withRequires) {
    const requires = meta.requires!;
    assert.equal(requires, requires.trim(), `${meta.id}: requires has surrounding whitespace`);
    assert.ok(requires.length >= 30, `${meta.id}: requires "${requires}" is too short to tell a user what to provide`);
    assert.ok(requires.split(/\s+/).length >= 5, `${meta.id}: requires "${requires}" needs more than a word or two`);
    // Compliance reports it as "not evaluated — needs <requires>": a noun phrase, not a sentence.
    assert.match(requires, /^[a-z]/, `${meta.id}: requires starts lower case, to follow "needs"`);
    assert.doesNotMatch(requires, /[.;]$/, `${meta.id}: requires ends without punctuation`);
    assert.doesNotMatch(requires, /^(needs|requires)\b/i, `${meta.id}: requires repeats "needs"`);
    assert.doesNotMatch(requires.toLowerCase(), /\b(todo|tbd|xxx|fixme)\b/, `${meta.id}: requires is a placeholder`);
    // How to give it: a palisade command, or the file to scan.
    assert.match(requires, /\(.*(palisade|file|manifest).*\)/, `${meta.id}: requires says in parentheses how to provide it (palisade node, palisade scan --cluster, a file)`);
    assert.ok(!requires.includes(meta.id), `${meta.id}: requires names the rule instead of its input`);
  }
});

test('the rules whose subject is not in every manifest scan have requires', () => {
  // Rules judging control-plane and node components, node files, and what only a live cluster shows.
  const needsInput = /^(apiserver-|audit-policy-|control-plane-|controller-manager-|etcd-|kubelet-|encryption-at-rest-|node-file-|anonymous-|kubernetes-version-)/;
  const missing = ALL_RULES.filter(({ meta }) => needsInput.test(meta.id) && meta.requires === undefined).map(({ meta }) => meta.id);
  assert.deepEqual(missing, []);
  for (const id of ['deprecated-api-served', 'netpol-cni-unsupported']) {
    assert.ok(ALL_RULES.find(({ meta }) => meta.id === id)?.meta.requires, `${id}: requires`);
  }
});

test('judgedControls: the controls named, and the rule\'s controls that no subject names in particular', () => {
  const rule = ['cis-k8s/1.1.1', 'cis-k8s/1.1.3', 'mitre-attack/T1552.001', 'nist-800-53/AC-3', 'soc2/CC6.1'];
  const particular = ['cis-k8s/1.1.1', 'cis-k8s/1.1.3', 'mitre-attack/T1552.001'];
  assert.deepEqual(judgedControls(rule, particular, ['cis-k8s/1.1.3']), ['cis-k8s/1.1.3', 'nist-800-53/AC-3', 'soc2/CC6.1']);
  // A file judged on a MITRE technique judges no CIS recommendation (narrowing by framework would claim them all).
  assert.deepEqual(judgedControls(rule, particular, ['mitre-attack/T1552.001']), ['mitre-attack/T1552.001', 'nist-800-53/AC-3', 'soc2/CC6.1']);
});

test('node file rules judge the recommendation of each file they find, and nothing without files', () => {
  const files = `
apiVersion: palisade.dev/v1alpha1
kind: NodeFile
metadata: {name: /etc/kubernetes/manifests/kube-apiserver.yaml}
spec: {path: /etc/kubernetes/manifests/kube-apiserver.yaml, role: static-pod-manifest, component: kube-apiserver, type: file, mode: "0600", owner: root, group: root}
---
apiVersion: palisade.dev/v1alpha1
kind: NodeFile
metadata: {name: /etc/kubernetes/enc/config.yaml}
spec: {path: /etc/kubernetes/enc/config.yaml, role: referenced, purpose: kube-apiserver --encryption-provider-config, type: file, mode: "0600", owner: root, group: root}
`;
  const permissions = evidenceOf('node-file-permissions', files);
  assert.deepEqual([permissions.subjects, permissions.findings], [1, 0]);
  // The manifest's recommendation, not the other files'; the MITRE technique and the controls of frameworks that
  // map the rule as a whole are judged with any file.
  assert.deepEqual(permissions.controls!.filter((control) => control.startsWith('cis-k8s/')), ['cis-k8s/1.1.1']);
  const whole = permissions.rule.meta.controls.filter((control) => !control.startsWith('cis-k8s/'));
  for (const control of whole) assert.ok(permissions.controls!.includes(control), control);

  // A file with no CIS recommendation (the EncryptionConfiguration) must not count as judging the recommendations.
  const encryptionConfigOnly = evidenceOf('node-file-permissions', files.slice(files.indexOf('---') + 3));
  assert.equal(encryptionConfigOnly.subjects, 0);

  const none = evidenceOf('node-file-permissions', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
  assert.deepEqual([none.subjects, none.controls], [0, undefined]);
});

test('kubelet rules judge only the settings the input shows', () => {
  // --config names a file the input does not hold: anonymous-auth, set by a flag, is judged; the rest could be in the file.
  const flagsOnly = `
apiVersion: palisade.dev/v1alpha1
kind: ComponentCommandLine
metadata: {name: kubelet}
spec:
  component: kubelet
  from: systemd
  argv: [/usr/bin/kubelet, --config=/var/lib/kubelet/config.yaml, --anonymous-auth=false]
`;
  const partial = evidenceOf('kubelet-authentication', flagsOnly);
  assert.equal(partial.subjects, 1);
  assert.ok(partial.controls?.includes('cis-k8s/4.2.1'));
  assert.ok(!partial.controls?.includes('cis-k8s/4.2.2') && !partial.controls?.includes('cis-k8s/4.2.3'));

  const unread = evidenceOf('kubelet-authentication', flagsOnly.replace(', --anonymous-auth=false', ''));
  assert.deepEqual([unread.subjects, unread.findings], [0, 0]);

  // A configuration file alone shows every setting.
  const file = evidenceOf('kubelet-authentication', 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous: {enabled: false}\n');
  assert.deepEqual([file.subjects, file.controls], [1, undefined]);
});

test('API server rules judge each kube-apiserver, and nothing in a scan without one', () => {
  const apiServer = `
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.0
    command: [kube-apiserver, --authorization-mode=Node,RBAC, --anonymous-auth=false]
`;
  const workload = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers: [{name: web, image: web:1}]\n';
  for (const id of ALL_RULES.filter(({ meta }) => meta.id.startsWith('apiserver-')).map(({ meta }) => meta.id)) {
    assert.equal(evidenceOf(id, workload).subjects, 0, `${id} on a workload`);
    assert.equal(evidenceOf(id, apiServer).subjects, 1, `${id} on an API server`);
  }
});
