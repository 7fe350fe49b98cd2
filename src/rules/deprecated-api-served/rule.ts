import { isClusterInfo } from '../../core/cluster-info.ts';
import { formatRef } from '../../core/inventory.ts';
import { defineRule } from '../../core/rule-api.ts';
import { belongsTo, clusterFactsOf, REQUIRES_SERVED_API_VERSIONS } from '../shared/cluster-facts.ts';
import { authoredApiOf, DEPRECATED_APIS, migrationAdvice, type DeprecatedApi } from '../shared/deprecated-apis.ts';
import { compareMinor, formatMinor, formatVersion } from '../shared/kubernetes-version.ts';

/** `DaemonSet, Deployment (removed in 1.16); Ingress (removed in 1.22)` */
function describeKinds(apis: readonly DeprecatedApi[]): string {
  const byRemoval = new Map<string, string[]>();
  for (const api of [...apis].sort((a, b) => compareMinor(a.removedIn, b.removedIn) || (a.kind < b.kind ? -1 : 1))) {
    const removedIn = formatMinor(api.removedIn);
    byRemoval.set(removedIn, [...(byRemoval.get(removedIn) ?? []), api.kind]);
  }
  return [...byRemoval].map(([removedIn, kinds]) => `${kinds.join(', ')} (removed in ${removedIn})`).join('; ');
}

export const rule = defineRule({
  meta: {
    id: 'deprecated-api-served',
    title: 'Cluster still serves a deprecated API version',
    category: 'cluster',
    defaultSeverity: 'low',
    requires: REQUIRES_SERVED_API_VERSIONS,
    rationale:
      'An API server keeps serving a deprecated API version until the release that removes it; the upgrade to that ' +
      'release then breaks every client, controller, chart and manifest still using it. The live scan records the ' +
      'group versions the cluster serves (spec.servedAPIVersions of its ClusterInfo); a served version that ' +
      'Palisade\'s table (from the Kubernetes Deprecated API Migration Guide, src/data/deprecated-apis.json) marks ' +
      'as deprecated at the server\'s version and removed in a later release is reported once, naming the kinds it ' +
      'is deprecated for and how many of the cluster\'s objects were last applied in it (the apiVersion of their ' +
      'kubectl.kubernetes.io/last-applied-configuration annotation, in the live scan or its snapshot). Objects are ' +
      'not the only users: controllers and scripts call APIs too, which only the API server\'s metrics and audit ' +
      'log show.',
    remediation:
      'Before upgrading to the release that removes the version, migrate manifests and charts to the replacement ' +
      '(deprecated-api-version reports each object), and find remaining callers with the API server metric ' +
      'apiserver_requested_deprecated_apis or the audit log annotation k8s.io/deprecated.',
    controls: ['nsa-cisa/upgrading-application-security'],
    messages: {
      servedInUse:
        'this cluster (Kubernetes {{serverVersion}}) still serves {{groupVersion}}, deprecated for {{kinds}}; {{count}} object(s) in the inventory were authored in it, e.g. {{example}}: {{migration}} before upgrading',
      servedNotInUse:
        'this cluster (Kubernetes {{serverVersion}}) still serves {{groupVersion}}, deprecated for {{kinds}}; no object in the inventory was authored in it, but clients may still call it: check the apiserver_requested_deprecated_apis metric before upgrading',
    },
    example: {
      bad: 'kind: ClusterInfo\nspec:\n  serverVersion: {gitVersion: v1.30.4}\n  servedAPIVersions: [v1, apps/v1, flowcontrol.apiserver.k8s.io/v1, flowcontrol.apiserver.k8s.io/v1beta3]',
      good: 'kind: ClusterInfo\nspec:\n  serverVersion: {gitVersion: v1.32.4}\n  servedAPIVersions: [v1, apps/v1, flowcontrol.apiserver.k8s.io/v1]',
    },
  },
  scope: { type: 'inventory' },
  check(context, inventory) {
    for (const facts of clusterFactsOf(inventory.objects)) {
      const server = facts.version;
      // Judged when the ClusterInfo names a readable server version and the API versions it serves.
      if (!server || facts.info.servedAPIVersions.length === 0) continue;
      context.evaluated();
      facts.info.servedAPIVersions.forEach((groupVersion, index) => {
        // Deprecated by the server's version and still to be removed: what an upgrade will break.
        const apis = DEPRECATED_APIS.apis.filter(
          (api) => api.groupVersion === groupVersion && compareMinor(api.deprecatedIn, server) <= 0 && compareMinor(api.removedIn, server) > 0,
        );
        const first = apis[0];
        if (!first) return;
        const kinds = new Set(apis.map((api) => api.kind));
        const users = inventory.objects.filter((object) => {
          if (isClusterInfo(object.object) || !belongsTo(object, facts)) return false;
          const authored = authoredApiOf(object, true);
          return authored !== undefined && authored.apiVersion === groupVersion && kinds.has(authored.kind);
        });
        const path = ['spec', 'servedAPIVersions', index];
        const common = { serverVersion: formatVersion(server), groupVersion, kinds: describeKinds(apis) };
        const firstUser = users[0];
        if (firstUser) {
          const api = apis.find((candidate) => candidate.kind === authoredApiOf(firstUser, true)?.kind) ?? first;
          context.report({
            messageId: 'servedInUse',
            data: { ...common, count: users.length, example: formatRef(firstUser.ref), migration: migrationAdvice(DEPRECATED_APIS, api, server) },
            path,
            object: facts.object,
          });
        } else {
          context.report({ messageId: 'servedNotInUse', data: common, path, object: facts.object });
        }
      });
    }
  },
});
