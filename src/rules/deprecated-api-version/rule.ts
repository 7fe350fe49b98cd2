import { isClusterInfo } from '../../core/cluster-info.ts';
import { defineRule } from '../../core/rule-api.ts';
import { clusterFactsFor, clusterFactsOf } from '../shared/cluster-facts.ts';
import { authoredApiOf, deprecatedApiOf, DEPRECATED_APIS, migrationAdvice } from '../shared/deprecated-apis.ts';
import { compareMinor, formatMinor, type KubeVersion } from '../shared/kubernetes-version.ts';

const groupOf = (groupVersion: string): string => (groupVersion.includes('/') ? groupVersion.slice(0, groupVersion.indexOf('/')) : '');

/** Every kind the table knows a deprecated version of, in the groups of that version and of its replacements. */
const KINDS_WITH_DEPRECATED_VERSIONS = [
  ...new Map(
    DEPRECATED_APIS.apis.flatMap((api) =>
      [api.groupVersion, ...api.replacements.map((replacement) => replacement.groupVersion)].map((groupVersion) => {
        const kind = { group: groupOf(groupVersion), kind: api.kind };
        return [`${kind.group}/${kind.kind}`, kind] as const;
      }),
    ),
  ).values(),
];

export const rule = defineRule({
  meta: {
    id: 'deprecated-api-version',
    title: 'Object is written in a deprecated or removed API version',
    category: 'cluster',
    defaultSeverity: 'high',
    rationale:
      'Kubernetes stops serving beta API versions a few releases after deprecating them. A manifest written in a ' +
      'version the target release no longer serves fails to apply: upgrades stall, and pipelines that deploy ' +
      'security policy (NetworkPolicy, RBAC, webhooks, PodDisruptionBudgets) fail in the middle; PodSecurityPolicy ' +
      'was removed without a successor, so manifests that still carry it enforce nothing. Manifests are judged by ' +
      'their apiVersion against the scan\'s target version (--pss-version, the newest release by default). An ' +
      'object read from a cluster is always returned in a version the server serves, so it is judged by the ' +
      'apiVersion of its kubectl.kubernetes.io/last-applied-configuration annotation, the version its manifest was ' +
      'last applied in, against the cluster\'s own version when the scan recorded it (its ClusterInfo); objects of ' +
      'a snapshot file that holds a ClusterInfo are read the same way, so an offline rescan agrees with the live ' +
      'scan. A version removed at or before the target is reported as removed; one deprecated at or before the ' +
      'target but removed later is reported with the release that removes it. The table follows the Kubernetes ' +
      'Deprecated API Migration Guide (src/data/deprecated-apis.json).',
    remediation:
      'Change apiVersion to the replacement the message names and apply the notable field changes listed in the ' +
      'Deprecated API Migration Guide (kubectl convert can rewrite a manifest); existing objects are readable ' +
      'through the new version, so they need no re-creation. For live objects, migrate the manifest or chart they ' +
      'are applied from and apply it again, which updates the annotation.',
    controls: ['nsa-cisa/upgrading-application-security', 'nist-800-53/SA-22'],
    messages: {
      removedApi:
        '{{written}} {{apiVersion}} {{kind}}, which is no longer served from Kubernetes {{removedIn}} (target {{target}}), so applying {{manifest}} fails; {{migration}}',
      deprecatedApi:
        '{{written}} {{apiVersion}} {{kind}}, which is deprecated since Kubernetes {{deprecatedIn}} and no longer served from {{removedIn}} (target {{target}}); {{migration}}',
    },
    example: {
      bad: 'apiVersion: batch/v1beta1\nkind: CronJob\nmetadata:\n  name: nightly',
      good: 'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nightly',
    },
  },
  // The kinds its table knows a deprecated or removed version of, in those versions' groups and their successors'.
  scope: { type: 'inventory', kinds: KINDS_WITH_DEPRECATED_VERSIONS },
  check(context, inventory) {
    const facts = clusterFactsOf(inventory.objects);
    const scanTarget: KubeVersion = context.settings.pssVersion;
    for (const object of inventory.objects) {
      if (isClusterInfo(object.object)) continue;
      const cluster = clusterFactsFor(object, facts);
      const authored = authoredApiOf(object, object.origin.type === 'cluster' || cluster !== undefined);
      if (!authored) continue;
      const api = deprecatedApiOf(DEPRECATED_APIS, authored.apiVersion, authored.kind);
      if (!api) continue;
      const serverVersion = cluster?.version;
      const target = serverVersion ?? scanTarget;
      const targetText = serverVersion ? `${formatMinor(target)}, the cluster's version` : formatMinor(target);
      const removed = compareMinor(api.removedIn, target) <= 0;
      if (!removed && compareMinor(api.deprecatedIn, target) > 0) continue;
      context.report({
        messageId: removed ? 'removedApi' : 'deprecatedApi',
        data: {
          written: authored.lastApplied ? 'last applied with kubectl as' : 'written as',
          manifest: authored.lastApplied ? 'that manifest again' : 'it',
          apiVersion: authored.apiVersion,
          kind: authored.kind,
          deprecatedIn: formatMinor(api.deprecatedIn),
          removedIn: formatMinor(api.removedIn),
          target: targetText,
          migration: migrationAdvice(DEPRECATED_APIS, api, target),
        },
        path: authored.path,
        object,
      });
    }
  },
});
