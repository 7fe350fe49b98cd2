import { CLUSTER_INFO_GROUP, CLUSTER_INFO_KIND, readClusterInfo } from '../../core/cluster-info.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isServed, probeKind } from '../shared/anonymous-probes.ts';
import { REQUIRES_ANONYMOUS_PROBES } from '../shared/cluster-facts.ts';

export const rule = defineRule({
  meta: {
    id: 'anonymous-api-access',
    title: 'API server serves cluster resources to unauthenticated requests',
    category: 'cluster',
    defaultSeverity: 'critical',
    requires: REQUIRES_ANONYMOUS_PROBES,
    rationale:
      'With anonymous authentication on (the kube-apiserver default), a request without credentials is served as ' +
      'user system:anonymous in group system:unauthenticated, and RBAC alone decides what it may do. A successful ' +
      'answer to such a request for a resource path means a RoleBinding or ClusterRoleBinding grants ' +
      'system:anonymous or system:unauthenticated access to cluster data (often a forgotten binding to view or ' +
      'cluster-admin), so anyone who can reach the API server endpoint reads it, and possibly changes it, without ' +
      'any credential. The live scan learns this by repeating a few read requests without credentials and ' +
      'recording the HTTP status of each (spec.anonymousAccess.probes of the ClusterInfo).',
    remediation:
      'Remove the bindings whose subjects include system:anonymous or system:unauthenticated (kubectl get ' +
      'clusterrolebindings,rolebindings -A -o wide). Then disable anonymous authentication (--anonymous-auth=false) ' +
      'or limit it to /healthz, /livez and /readyz with the anonymous.conditions of an AuthenticationConfiguration ' +
      'file (beta in Kubernetes 1.32, stable in 1.34), and keep the API server endpoint off the public internet.',
    controls: ['cis-k8s/1.2.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'mitre-attack/T1190', 'nist-800-190/4.3.2', 'nist-800-53/AC-3', 'nist-800-53/AC-14', 'nist-800-53/IA-2', 'pci-dss/8.2.1', 'pci-dss/8.3.1', 'soc2/CC6.1', 'soc2/CC6.6', 'iso-27001/5.15', 'iso-27001/8.5', 'hipaa/164.312(a)(1)', 'hipaa/164.312(d)'],
    messages: {
      resourceReadable:
        'an unauthenticated request to {{path}} got HTTP {{status}}: anyone who can reach the API server can read cluster resources without credentials',
    },
    example: {
      bad: 'kind: ClusterInfo\nspec:\n  anonymousAccess:\n    probes:\n    - {path: /api/v1/namespaces?limit=1, status: 200}',
      good: 'kind: ClusterInfo\nspec:\n  anonymousAccess:\n    probes:\n    - {path: /api/v1/namespaces?limit=1, status: 401}',
    },
  },
  scope: { type: 'object', kinds: [{ group: CLUSTER_INFO_GROUP, kind: CLUSTER_INFO_KIND }] },
  check(context, object) {
    const probes = readClusterInfo(object.object).anonymousAccess?.probes ?? [];
    // Judged when the live scan asked for a resource without credentials and got an answer (0: the request failed).
    if (probes.some((probe) => probe.status !== 0 && probeKind(probe.path) === 'resource')) context.evaluated();
    probes.forEach((probe, index) => {
      if (probeKind(probe.path) === 'resource' && isServed(probe.status)) {
        context.report({
          messageId: 'resourceReadable',
          data: { path: probe.path, status: probe.status },
          path: ['spec', 'anonymousAccess', 'probes', index, 'status'],
        });
      }
    });
  },
});
