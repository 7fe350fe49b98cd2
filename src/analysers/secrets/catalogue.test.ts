import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anyCase, lintPattern } from './detector.ts';
import { DETECTORS } from './detectors/index.ts';
import { SecretMatcher } from './matcher.ts';

const catalogue = new SecretMatcher(DETECTORS);

describe('secret detector catalogue', () => {
  it('has unique kebab-case ids, lower-case keywords and examples both ways', () => {
    const seen = new Set<string>();
    for (const spec of DETECTORS) {
      assert.match(spec.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, spec.id);
      assert.ok(!seen.has(spec.id), `duplicate id ${spec.id}`);
      seen.add(spec.id);
      assert.ok(spec.title.length > 0 && spec.description.length > 20, `${spec.id}: title and description`);
      assert.ok(spec.keywords.length > 0, `${spec.id}: keywords`);
      for (const keyword of spec.keywords) assert.equal(keyword, keyword.toLowerCase(), `${spec.id}: keyword ${keyword}`);
      for (const keyword of spec.keywords) assert.ok(keyword.length >= 3, `${spec.id}: keyword "${keyword}" is too short to filter`);
      assert.ok(spec.examples.positive.length > 0, `${spec.id}: positive examples`);
      assert.ok(spec.examples.negative.length > 0, `${spec.id}: negative examples`);
    }
  });

  it('has keywords that ordinary Kubernetes manifests do not contain, so the prefilter stays selective', () => {
    const ordinary = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app.kubernetes.io/name: web}',
      'spec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    spec:\n      serviceAccountName: web',
      'containers:\n- name: web\n  image: registry.example.com/web:1.2.3\n  imagePullPolicy: IfNotPresent\n  ports: [{containerPort: 8080, protocol: TCP}]',
      'resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {memory: 256Mi}}\nsecurityContext: {runAsNonRoot: true, readOnlyRootFilesystem: true}',
      'livenessProbe: {httpGet: {path: /healthz, port: http}}\nvolumeMounts: [{name: config, mountPath: /etc/web}]\nvolumes: [{name: config, configMap: {name: web}}]',
      'kind: Service\nspec: {type: ClusterIP, ports: [{name: http, port: 80, targetPort: 8080}]}\nkind: Ingress\nspec: {ingressClassName: nginx, tls: [{hosts: [web.example.com], secretName: web-tls}]}',
      'kind: ConfigMap\ndata: {LOG_LEVEL: info, FEATURE_FLAGS: "a,b"}\nkind: NetworkPolicy\nspec: {podSelector: {}, policyTypes: [Ingress, Egress]}',
      'kind: ClusterRoleBinding\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}\nsubjects: [{kind: ServiceAccount, name: web, namespace: shop}]',
    ].join('\n');
    const selected = catalogue.candidates(ordinary).map((detector) => detector.id);
    // Airtable's `pat…` tokens have no longer fixed prefix; `pat` also starts `path`. Its pattern is cheap to try.
    assert.deepEqual(selected, ['airtable-personal-access-token']);
  });

  it('holds only patterns that cannot backtrack without bound', () => {
    for (const spec of DETECTORS) assert.deepEqual(lintPattern(spec.pattern), [], spec.id);
  });

  it('reports every positive example under the detector that owns it, through the whole catalogue', () => {
    for (const spec of DETECTORS) {
      for (const example of spec.examples.positive) {
        const ids = catalogue.scan(example).map((match) => match.detector.id);
        assert.ok(ids.includes(spec.id), `${spec.id} should find a secret in ${JSON.stringify(example)}; found ${JSON.stringify(ids)}`);
      }
    }
  });

  it('stays silent on every negative example', () => {
    for (const spec of DETECTORS) {
      const alone = new SecretMatcher([spec]);
      for (const example of spec.examples.negative) {
        const hits = alone.scan(example);
        assert.equal(hits.length, 0, `${spec.id} should not match ${JSON.stringify(example)}`);
      }
    }
  });

  it('finishes hostile input quickly: long runs of keyword and token characters', () => {
    const runs = ['a', 'A', '0', 'aA0', '-', '_', '=', '/', '.', ' ', ':', '"', '@', 'a-', 'a.', 'a=', 'a/'];
    const started = performance.now();
    for (const spec of DETECTORS) {
      const alone = new SecretMatcher([spec]);
      const keyword = spec.keywords[0]!;
      for (const run of runs) {
        const text = `${keyword}${run.repeat(Math.ceil(20_000 / run.length))}${keyword}=${run.repeat(2_000)}`;
        alone.scan(text);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    // Catastrophic backtracking takes minutes to hours on these inputs; linear patterns take well under a second.
    assert.ok(seconds < 60, `hostile input took ${seconds.toFixed(1)} s`);
  });
});

describe('anyCase', () => {
  it('matches a name in any letter case, where V8 mis-matches inline modifiers', () => {
    // The reason it exists: Node 24's V8 gets this one wrong with (?i:…).
    assert.equal(new RegExp('(?:_|Z)(?i:a_?(?:k_?)?s)').test('_A_S'), false);
    assert.equal(new RegExp(`(?:_|Z)${anyCase('a_?(?:k_?)?s')}`).test('_A_S'), true);
    assert.equal(anyCase('api[_-]?key'), '(?:[Aa][Pp][Ii][_-]?[Kk][Ee][Yy])');
    assert.throws(() => anyCase('[a-z]'));
  });
});

describe('lintPattern', () => {
  it('refuses unbounded, huge and nested variable quantifiers and back-references', () => {
    assert.notDeepEqual(lintPattern('a+b'), []);
    assert.notDeepEqual(lintPattern('a*'), []);
    assert.notDeepEqual(lintPattern('a{2,}'), []);
    assert.notDeepEqual(lintPattern('a{1,5000}'), []);
    assert.notDeepEqual(lintPattern('(?:a{1,3}){1,4}'), []);
    assert.notDeepEqual(lintPattern('(a)\\1'), []);
    assert.notDeepEqual(lintPattern('(unclosed'), []);
    assert.notDeepEqual(lintPattern('(?i:token)'), []);
  });

  it('accepts bounded, fixed-count nesting, optional groups, classes with quantifier characters and lookarounds', () => {
    assert.deepEqual(lintPattern('ghp_[A-Za-z0-9]{36}'), []);
    assert.deepEqual(lintPattern('(?:[a-f0-9]{4}-){3}[a-f0-9]{4}'), []);
    assert.deepEqual(lintPattern('(?:-[a-z]{1,10})?x'), []);
    assert.deepEqual(lintPattern('[+*{}?]{1,4}'), []);
    assert.deepEqual(lintPattern('(?<![A-Za-z0-9])AKIA[0-9A-Z]{16}(?![A-Za-z0-9])'), []);
    assert.deepEqual(lintPattern('(?<secret>x{20})'), []);
    assert.deepEqual(lintPattern(`${anyCase('token')}\\s{0,3}`), []);
  });
});
