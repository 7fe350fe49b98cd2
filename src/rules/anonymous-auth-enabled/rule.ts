import { CLUSTER_INFO_GROUP, CLUSTER_INFO_KIND, readClusterInfo, type AnonymousProbe } from '../../core/cluster-info.ts';
import { defineRule } from '../../core/rule-api.ts';
import { isServed, probeKind } from '../shared/anonymous-probes.ts';
import { REQUIRES_ANONYMOUS_PROBES } from '../shared/cluster-facts.ts';

export const rule = defineRule({
  meta: {
    id: 'anonymous-auth-enabled',
    title: 'API server accepts anonymous requests beyond its health endpoints',
    category: 'cluster',
    defaultSeverity: 'low',
    requires: REQUIRES_ANONYMOUS_PROBES,
    rationale:
      'CIS Kubernetes Benchmark 1.2.1 recommends disabling anonymous requests to the API server ' +
      '(--anonymous-auth=false). In the v1.x benchmarks it is a Manual recommendation, not scored, because with RBAC ' +
      'anonymous access for health checks and discovery is often acceptable; CIS v2.1.0 words it as restricting ' +
      'anonymous requests, allowing anonymous authentication limited to /healthz, /livez and /readyz through the ' +
      'structured AuthenticationConfiguration. While anonymous authentication is on for every path, a single ' +
      'binding to system:anonymous or system:unauthenticated exposes what it grants to anyone who can reach the API ' +
      'server. A request without credentials that gets 403 rather than 401 was authenticated as system:anonymous and ' +
      'refused only by authorization; a 200 from /version shows the same. A 2xx from other non-resource URLs (API ' +
      'discovery, OpenAPI, metrics) shows that RBAC grants anonymous clients more than the defaults do. Served ' +
      'resource paths are reported by anonymous-api-access instead.',
    remediation:
      'Set --anonymous-auth=false on the API server where nothing needs anonymous access; where load balancers ' +
      'probe health endpoints without credentials, keep anonymous authentication only for them with an ' +
      'AuthenticationConfiguration (anonymous: {enabled: true, conditions: [{path: /healthz}, {path: /livez}, ' +
      '{path: /readyz}]}). Remove bindings that grant system:anonymous or system:unauthenticated more than the ' +
      'default system:public-info-viewer.',
    controls: ['cis-k8s/1.2.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'nist-800-190/4.3.2', 'nist-800-53/AC-14', 'nist-800-53/IA-2', 'pci-dss/8.3.1', 'soc2/CC6.1', 'iso-27001/8.5', 'hipaa/164.312(d)'],
    messages: {
      anonymousAuthenticated:
        'the API server authenticates requests without credentials as system:anonymous: {{path}} answered HTTP {{status}} instead of 401, so only RBAC keeps anonymous clients out',
      nonResourceReadable:
        'an unauthenticated request to {{path}} got HTTP {{status}}: anonymous clients may read more than the health and version endpoints (API discovery, OpenAPI, metrics or logs)',
    },
    example: {
      bad: 'kind: ClusterInfo\nspec:\n  anonymousAccess:\n    probes:\n    - {path: /version, status: 200}\n    - {path: /api/v1/namespaces?limit=1, status: 403}',
      good: 'kind: ClusterInfo\nspec:\n  anonymousAccess:\n    probes:\n    - {path: /readyz, status: 200}\n    - {path: /version, status: 401}\n    - {path: /api/v1/namespaces?limit=1, status: 401}',
    },
  },
  scope: { type: 'object', kinds: [{ group: CLUSTER_INFO_GROUP, kind: CLUSTER_INFO_KIND }] },
  check(context, object) {
    const probes = readClusterInfo(object.object).anonymousAccess?.probes ?? [];
    // Judged when a request without credentials beyond the health endpoints got an answer (0: the request failed).
    // Anonymous access may be limited to the health endpoints, so their answers alone do not tell.
    if (probes.some((probe) => probe.status !== 0 && probeKind(probe.path) !== 'health')) context.evaluated();
    const pathOf = (index: number) => ['spec', 'anonymousAccess', 'probes', index, 'status'];
    let servedBeyondDefaults = false;
    probes.forEach((probe, index) => {
      const kind = probeKind(probe.path);
      if (!isServed(probe.status) || kind === 'health' || kind === 'version') return;
      servedBeyondDefaults = true;
      if (kind === 'other') {
        context.report({ messageId: 'nonResourceReadable', data: { path: probe.path, status: probe.status }, path: pathOf(index) });
      }
    });
    // Served paths beyond the defaults already show that anonymous requests get in.
    if (servedBeyondDefaults) return;
    // The clearest evidence first: a resource path refused by authorization, any refusal, then a served /version.
    const evidence: readonly ((probe: AnonymousProbe) => boolean)[] = [
      (probe) => probe.status === 403 && probeKind(probe.path) === 'resource',
      (probe) => probe.status === 403,
      (probe) => probeKind(probe.path) === 'version' && isServed(probe.status),
    ];
    for (const matches of evidence) {
      const index = probes.findIndex(matches);
      const probe = probes[index];
      if (probe) {
        context.report({ messageId: 'anonymousAuthenticated', data: { path: probe.path, status: probe.status }, path: pathOf(index) });
        return;
      }
    }
  },
});
