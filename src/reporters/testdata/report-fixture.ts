// A hand-built report that exercises every part of every reporter: findings in files and findings on objects read
// from a live cluster. Findings are listed in the engine's order (file, line, column or cluster, namespace, kind,
// name, path; then rule id, fingerprint); a test checks that.
import type { Finding, SuppressedFinding } from '../../core/findings.ts';
import { clusterLabel, type ClusterLocation, type ClusterRef, type ObjectRef } from '../../core/model.ts';
import { REPORT_SCHEMA_VERSION, type ReportContext, type ScanReport } from '../../core/report.ts';
import type { RuleMeta } from '../../core/rule-api.ts';

const rule = (meta: Omit<RuleMeta, 'example'> & { example?: RuleMeta['example'] }): RuleMeta => ({
  example: { bad: 'spec: {}\n', good: 'spec: {}\n' },
  ...meta,
});

/** Deliberately not sorted by id: the reporters sort. */
export const FIXTURE_RULES: readonly RuleMeta[] = [
  rule({
    id: 'run-as-non-root',
    title: 'Containers must run as a non-root user',
    category: 'pod-security',
    defaultSeverity: 'medium',
    rationale: 'A process running as root inside a container is root on the host if it escapes the container.',
    remediation: 'Set securityContext.runAsNonRoot: true and a non-zero runAsUser.',
    controls: ['pss-restricted/running-as-non-root', 'cis-k8s/5.2.6'],
    messages: { missing: 'Container "{{container}}" may run as root: runAsNonRoot is not set' },
  }),
  rule({
    id: 'privileged-container',
    title: 'Privileged containers',
    category: 'pod-security',
    defaultSeverity: 'critical',
    rationale:
      'A privileged container has every capability and full access to the host\'s devices: it is one step from "root on the node".',
    remediation: 'Remove securityContext.privileged or set it to false.',
    controls: ['pss-baseline/privileged', 'mitre-attack/T1611', 'cis-k8s/5.2.2'],
    messages: { privileged: 'Container "{{container}}" runs privileged' },
    example: {
      bad: 'securityContext:\n  privileged: true\n',
      good: 'securityContext:\n  privileged: false\n',
    },
  }),
  rule({
    id: 'resource-limits',
    title: 'Containers should set memory and CPU limits',
    category: 'resources',
    defaultSeverity: 'low',
    rationale: 'Without limits one container can starve its neighbours & the node.',
    remediation: 'Set resources.limits.memory and resources.limits.cpu.',
    controls: ['nsa-cisa/resource-policies'],
    messages: { missing: 'Container "{{container}}" has no {{resource}} limit' },
  }),
  rule({
    id: 'cluster-admin-binding',
    title: 'Bindings to cluster-admin',
    category: 'privileges',
    defaultSeverity: 'high',
    rationale: 'cluster-admin can do anything in every namespace.',
    remediation: 'Bind a role with only the permissions the subject needs.',
    controls: ['cis-k8s/5.1.1'],
    messages: { binding: 'Binds "cluster-admin" to {{subjects}}' },
  }),
  rule({
    id: 'image-pull-policy',
    title: 'Image pull policy',
    category: 'images',
    defaultSeverity: 'info',
    rationale: 'IfNotPresent can run a stale image cached on the node.',
    remediation: 'Set imagePullPolicy: Always, or pin images by digest.',
    controls: [],
    messages: { policy: 'imagePullPolicy is {{policy}}' },
  }),
  rule({
    id: 'node-port-service',
    title: 'NodePort services',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale: 'A NodePort opens the port on every node.',
    remediation: 'Use a ClusterIP service behind an ingress or a load balancer.',
    controls: ['nsa-cisa/network-separation'],
    messages: { nodePort: 'Service exposes NodePort {{port}} on 100% of nodes' },
  }),
  rule({
    id: 'host-network',
    title: 'Host network',
    category: 'host-access',
    defaultSeverity: 'high',
    rationale: 'A pod on the host network can sniff and spoof node traffic.',
    remediation: 'Remove spec.hostNetwork.',
    controls: ['pss-baseline/host-namespaces'],
    messages: { hostNetwork: 'Pod uses the host network' },
  }),
  rule({
    id: 'secret-in-env',
    title: 'Secrets in environment variables',
    category: 'secrets',
    defaultSeverity: 'high',
    rationale: 'Environment variables leak into logs and crash dumps.',
    remediation: 'Mount secrets as files.',
    controls: ['cis-k8s/5.4.1'],
    messages: { literal: 'Variable {{name}} holds a literal secret' },
  }),
];

const metaOf = (id: string): RuleMeta => {
  const meta = FIXTURE_RULES.find((r) => r.id === id);
  if (!meta) throw new Error(`fixture: no rule ${id}`);
  return meta;
};

const web: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'prod', name: 'web' };
const webService: ObjectRef = { apiVersion: 'v1', kind: 'Service', namespace: 'prod', name: 'web' };
const db: ObjectRef = { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'data', name: 'db' };
const ciAdmin: ObjectRef = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', name: 'ci-admin' };
const breakGlass: ObjectRef = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  name: 'break-glass',
};

/** The cluster of the live findings: `cluster:prod-eu` sorts between `charts/…` and `deploy/…`. */
export const FIXTURE_CLUSTER: ClusterRef = { context: 'prod-eu', server: 'https://10.0.0.1:6443' };
const api: ObjectRef = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'payments', name: 'api' };
const API_UID = '5f0c7d3a-9b1e-4c2d-8e6f-1a2b3c4d5e6f';
const legacyAdmin: ObjectRef = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  name: 'legacy-admin',
};

/** A location on a live object, built the way makeFinding builds it (uid only when the API server gave one). */
function inCluster(ref: ObjectRef, path: string, uid?: string): ClusterLocation {
  const object = ref.namespace === undefined
    ? { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name }
    : { apiVersion: ref.apiVersion, kind: ref.kind, namespace: ref.namespace, name: ref.name };
  return { cluster: FIXTURE_CLUSTER, object: uid === undefined ? object : { ...object, uid }, path };
}

function finding(
  ruleId: string,
  resource: ObjectRef,
  location: Finding['location'],
  message: string,
  fingerprint: string,
  severity = metaOf(ruleId).defaultSeverity,
): Finding {
  const meta = metaOf(ruleId);
  return {
    ruleId,
    messageId: Object.keys(meta.messages)[0]!,
    severity,
    title: meta.title,
    category: meta.category,
    message,
    resource,
    location,
    controls: meta.controls,
    remediation: meta.remediation,
    fingerprint,
  };
}

const TEMPLATE = 'db/templates/statefulset.yaml';

export const FIXTURE_FINDINGS: readonly Finding[] = [
  finding(
    'run-as-non-root',
    db,
    { file: 'charts/rendered.yaml', line: 20, column: 13, path: 'spec.template.spec.containers[0]', template: TEMPLATE },
    'Container "postgres" may run as root: runAsNonRoot is not set',
    '0f1e2d3c4b5a69788796a5b4c3d2e1f0',
  ),
  finding(
    'resource-limits',
    db,
    {
      file: 'charts/rendered.yaml',
      line: 24,
      column: 11,
      path: 'spec.template.spec.containers[0].resources',
      template: TEMPLATE,
    },
    'Container "postgres" has no memory limit',
    '1a2b3c4d5e6f708192a3b4c5d6e7f801',
  ),
  // Live objects: cluster-scoped first (no namespace), then by namespace, kind, name and path.
  finding(
    'cluster-admin-binding',
    legacyAdmin,
    inCluster(legacyAdmin, 'roleRef.name'),
    'Binds "cluster-admin" to Group system:authenticated',
    '9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d',
  ),
  finding(
    'privileged-container',
    api,
    inCluster(api, 'spec.template.spec.containers[0].securityContext.privileged', API_UID),
    'Container "api" runs privileged',
    'a1b2c3d4e5f60718293a4b5c6d7e8f90',
  ),
  finding(
    'cluster-admin-binding',
    ciAdmin,
    { file: 'deploy/rbac.yaml', line: 9, column: 3, path: 'roleRef.name' },
    'Binds "cluster-admin" to ServiceAccount ci/deployer, Group system:authenticated',
    '2b3c4d5e6f708192a3b4c5d6e7f80912',
  ),
  finding(
    'image-pull-policy',
    web,
    { file: 'deploy/web.yaml', line: 18, column: 28, path: 'spec.template.spec.containers[0].imagePullPolicy' },
    'imagePullPolicy is IfNotPresent',
    '3c4d5e6f708192a3b4c5d6e7f8091223',
  ),
  finding(
    'privileged-container',
    web,
    {
      file: 'deploy/web.yaml',
      line: 21,
      column: 25,
      path: 'spec.template.spec.containers[0].securityContext.privileged',
    },
    'Container "web" runs privileged',
    '4d5e6f708192a3b4c5d6e7f809122334',
  ),
  finding(
    'resource-limits',
    web,
    { file: 'deploy/web.yaml', line: 23, column: 11, path: 'spec.template.spec.initContainers[0]' },
    'Container "migrate <init>" has no cpu & memory limit; see the team\'s "sizing" page',
    '5e6f708192a3b4c5d6e7f80912233445',
  ),
  finding(
    'node-port-service',
    webService,
    { file: 'deploy/web.yaml', line: 44, column: 9, path: 'spec.ports[0].nodePort' },
    'Service exposes NodePort 30080 on 100% of nodes',
    '6f708192a3b4c5d6e7f8091223344556',
  ),
];

export const FIXTURE_SUPPRESSED: readonly SuppressedFinding[] = [
  {
    ...finding(
      'run-as-non-root',
      api,
      inCluster(api, 'spec.template.spec.containers[0]', API_UID),
      'Container "api" may run as root: runAsNonRoot is not set',
      'b2c3d4e5f60718293a4b5c6d7e8f9012',
    ),
    suppression: { source: 'annotation', reason: 'Vendor image runs as root; tracked in SEC-456' },
  },
  {
    ...finding(
      'cluster-admin-binding',
      breakGlass,
      { file: 'deploy/rbac.yaml', line: 30, column: 3, path: 'roleRef.name' },
      'Binds "cluster-admin" to Group oncall',
      '708192a3b4c5d6e7f809122334455667',
    ),
    suppression: { source: 'config', reason: 'Break-glass account, reviewed every quarter', expires: '2099-12-31' },
  },
  {
    ...finding(
      'run-as-non-root',
      web,
      { file: 'deploy/web.yaml', line: 19, column: 11, path: 'spec.template.spec.containers[0]' },
      'Container "web" may run as root: runAsNonRoot is not set',
      '8192a3b4c5d6e7f80912233445566778',
    ),
    suppression: { source: 'annotation', reason: 'Legacy image needs root; tracked in SEC-123' },
  },
];

export const FIXTURE_REPORT: ScanReport = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'palisade', version: '0.1.0' },
  settings: { failOn: 'high', pssVersion: '1.33' },
  findings: FIXTURE_FINDINGS,
  suppressed: FIXTURE_SUPPRESSED,
  errors: [
    {
      code: 'yaml-syntax',
      file: 'deploy/broken.yaml',
      line: 7,
      column: 3,
      message: 'bad indentation of a mapping entry',
    },
    { code: 'not-found', file: 'deploy/missing.yaml', message: 'no such file or directory' },
  ],
  warnings: [
    {
      code: 'cluster-forbidden',
      file: clusterLabel(FIXTURE_CLUSTER),
      message: 'cannot list secrets (v1 Secret) in all namespaces: secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" at the cluster scope',
    },
  ],
  cluster: { context: FIXTURE_CLUSTER.context, server: FIXTURE_CLUSTER.server, serverVersion: 'v1.33.4', resources: 57, forbidden: 1, failed: 0 },
  ruleFailures: [
    {
      ruleId: 'secret-in-env',
      resource: web,
      file: 'deploy/web.yaml',
      message: "Cannot read properties of undefined (reading 'valueFrom')",
    },
    {
      ruleId: 'secret-in-env',
      resource: api,
      file: clusterLabel(FIXTURE_CLUSTER),
      message: 'env[3].value is not a string',
    },
  ],
  suppressionProblems: [
    {
      kind: 'expired',
      source: 'config',
      message: 'Suppression of privileged-container for Deployment prod/web expired on 2024-01-31',
      file: '.palisade.yaml',
      line: 12,
    },
    {
      kind: 'unused',
      source: 'annotation',
      message: 'Suppression of host-network matched no finding',
      file: 'deploy/web.yaml',
      line: 6,
      resource: web,
    },
    {
      kind: 'unused',
      source: 'annotation',
      message: 'Suppression of host-network matched no finding',
      file: clusterLabel(FIXTURE_CLUSTER),
      resource: legacyAdmin,
    },
  ],
  skipped: [
    { file: 'docs/values.yaml', line: 1, reason: 'not a Kubernetes object: no apiVersion or kind' },
    {
      file: 'deploy/web.yaml',
      line: 50,
      reason: 'no rule applies to ConfigMap',
      resource: { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'prod', name: 'web-settings' },
    },
  ],
  evaluation: {
    rules: [
      { id: 'pss-privileged', severity: 'critical', subjects: 3 },
      { id: 'pss-host-namespaces', severity: 'high', subjects: 3 },
      { id: 'apiserver-tls', severity: 'high', subjects: 0 },
      { id: 'node-file-permissions', severity: 'medium', subjects: 2, controls: ['cis-k8s/1.1.1', 'cis-k8s/1.1.3'] },
    ],
    baselinedControls: { 'cis-k8s/5.2.2': 1 },
  },
  summary: {
    files: 6,
    objects: 9,
    podTemplates: 3,
    skipped: 2,
    findings: 9,
    bySeverity: { critical: 2, high: 2, medium: 1, low: 3, info: 1 },
    suppressed: 3,
    baselined: 1,
    errors: 2,
    failing: 4,
  },
};

export const FIXTURE_CONTEXT: ReportContext = { report: FIXTURE_REPORT, rules: FIXTURE_RULES, color: false };

/** A clean scan: nothing found, nothing wrong. */
export const EMPTY_REPORT: ScanReport = {
  schemaVersion: REPORT_SCHEMA_VERSION,
  tool: { name: 'palisade', version: '0.1.0' },
  settings: { failOn: 'high', pssVersion: '1.33' },
  findings: [],
  suppressed: [],
  errors: [],
  ruleFailures: [],
  suppressionProblems: [],
  skipped: [],
  evaluation: { rules: [{ id: 'pss-privileged', severity: 'critical', subjects: 1 }], baselinedControls: {} },
  summary: {
    files: 1,
    objects: 3,
    podTemplates: 1,
    skipped: 0,
    findings: 0,
    bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    suppressed: 0,
    baselined: 0,
    errors: 0,
    failing: 0,
  },
};

export const EMPTY_CONTEXT: ReportContext = {
  report: EMPTY_REPORT,
  rules: FIXTURE_RULES.filter((r) => r.id === 'privileged-container' || r.id === 'host-network'),
  color: false,
};
