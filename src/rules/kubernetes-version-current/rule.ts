import { CLUSTER_INFO_GROUP, CLUSTER_INFO_KIND, readClusterInfo } from '../../core/cluster-info.ts';
import { defineRule } from '../../core/rule-api.ts';
import { REQUIRES_SERVER_VERSION } from '../shared/cluster-facts.ts';
import { judgeVersion, KUBERNETES_RELEASES, newestKnownRelease } from '../shared/kubernetes-releases.ts';
import { formatMinor, formatVersion } from '../shared/kubernetes-version.ts';

export const rule = defineRule({
  meta: {
    id: 'kubernetes-version-current',
    title: 'Kubernetes version is behind the newest patch release',
    category: 'cluster',
    defaultSeverity: 'low',
    requires: REQUIRES_SERVER_VERSION,
    rationale:
      'Patch releases of a supported Kubernetes line carry its security and bug fixes; a cluster on an older patch ' +
      'release of its line runs code with fixes already published, and published fixes show attackers where to ' +
      'look. The newest patch of each line comes from Palisade\'s release table (src/data/kubernetes-releases.json), ' +
      'which is only as current as its date: a patch release newer than the table is not reported, a minor version ' +
      'newer than the table is reported once so that its support status is not silently left unjudged, and so is a ' +
      'server version Palisade cannot read. A line past end of life is reported by kubernetes-version-supported ' +
      'instead (a newer patch does not help there). Managed providers ship upstream patches with some delay and may ' +
      'backport fixes into their own builds; their version suffix is not compared.',
    remediation:
      'Upgrade to the newest patch release of your minor version (patch upgrades within a line need no API ' +
      'migration); on a managed service, move to the provider\'s newest build of that line. Update Palisade to refresh ' +
      'its release table.',
    controls: ['nsa-cisa/upgrading-application-security', 'nist-800-190/4.5.3', 'nist-800-53/SI-2', 'pci-dss/6.3.3', 'soc2/CC7.1', 'iso-27001/8.8'],
    messages: {
      patchBehind:
        'Kubernetes {{version}} is behind {{latestPatch}}, the newest {{minor}} patch release in Palisade\'s release table (as of {{tableDate}}); patch releases carry security fixes',
      newerThanTable:
        'Kubernetes {{version}} is newer than Palisade\'s release table (newest known {{newest}}, as of {{tableDate}}), so its support status and patch level are not judged; update Palisade',
      unreadableVersion:
        'the API server reports version "{{version}}", which Palisade cannot read as a Kubernetes version, so its support status and patch level are not judged',
    },
    example: {
      bad: 'apiVersion: palisade.dev/v1alpha1\nkind: ClusterInfo\nspec:\n  serverVersion:\n    gitVersion: v1.35.2',
      good: 'apiVersion: palisade.dev/v1alpha1\nkind: ClusterInfo\nspec:\n  serverVersion:\n    gitVersion: v1.35.9',
    },
  },
  scope: { type: 'object', kinds: [{ group: CLUSTER_INFO_GROUP, kind: CLUSTER_INFO_KIND }] },
  check(context, object) {
    const gitVersion = readClusterInfo(object.object).serverVersion?.gitVersion;
    if (gitVersion === undefined) return;
    context.evaluated();
    const verdict = judgeVersion(gitVersion, KUBERNETES_RELEASES, context.settings.today);
    const path = ['spec', 'serverVersion', 'gitVersion'];
    const tableDate = KUBERNETES_RELEASES.sourceDate;
    switch (verdict.kind) {
      case 'unreadable':
        context.report({ messageId: 'unreadableVersion', data: { version: gitVersion }, path });
        return;
      case 'newer':
        context.report({ messageId: 'newerThanTable', data: { version: gitVersion, newest: newestKnownRelease(KUBERNETES_RELEASES), tableDate }, path });
        return;
      case 'older':
        return;
      case 'known':
        if (verdict.patchBehind && !verdict.endOfLife) {
          context.report({
            messageId: 'patchBehind',
            data: { version: gitVersion, latestPatch: formatVersion(verdict.release.latestPatch), minor: formatMinor(verdict.release.minor), tableDate },
            path,
          });
        }
    }
  },
});
