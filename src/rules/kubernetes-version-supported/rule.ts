import { CLUSTER_INFO_GROUP, CLUSTER_INFO_KIND, readClusterInfo } from '../../core/cluster-info.ts';
import { defineRule } from '../../core/rule-api.ts';
import { REQUIRES_SERVER_VERSION } from '../shared/cluster-facts.ts';
import { judgeVersion, KUBERNETES_RELEASES, newestKnownRelease } from '../shared/kubernetes-releases.ts';
import { formatMinor } from '../shared/kubernetes-version.ts';

export const rule = defineRule({
  meta: {
    id: 'kubernetes-version-supported',
    title: 'Kubernetes version is past end of life',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_SERVER_VERSION,
    rationale:
      'The Kubernetes project patches the three newest minor release lines, each for about fourteen months. After a ' +
      'line\'s end-of-life date no more patch releases ship for it, security fixes included, so every vulnerability ' +
      'found in the API server, kubelet or controllers from then on stays open in that cluster; attackers who reach a ' +
      'network-facing API server or a node can use them. The end-of-life dates come from Palisade\'s release table ' +
      '(src/data/kubernetes-releases.json, from kubernetes.io/releases and the kubernetes/website release data); the ' +
      'judgement needs the scan\'s date, and dates the table marks as estimated are never used to report. Vendor ' +
      'builds (EKS, GKE, AKS, k3s) are judged by their upstream minor version: providers may support a line for ' +
      'longer under their own terms, in which case suppress this finding with that justification.',
    remediation:
      'Upgrade the control plane to a supported minor release, one minor version at a time as the version skew ' +
      'policy requires, then the nodes; on a managed service use the provider\'s upgrade. Schedule upgrades before ' +
      'the end-of-life date of the line you run.',
    controls: ['nsa-cisa/upgrading-application-security', 'mitre-attack/T1190', 'nist-800-190/4.5.3', 'nist-800-53/SA-22', 'nist-800-53/SI-2', 'pci-dss/6.3.3', 'soc2/CC7.1', 'iso-27001/8.8'],
    messages: {
      endOfLife:
        'Kubernetes {{version}} is past end of life: the {{minor}} release line stopped receiving fixes, security fixes included, on {{endOfLifeDate}}; upgrade to a supported release (newest known: {{newest}})',
    },
    example: {
      bad: 'apiVersion: palisade.dev/v1alpha1\nkind: ClusterInfo\nspec:\n  serverVersion:\n    gitVersion: v1.29.4',
      good: 'apiVersion: palisade.dev/v1alpha1\nkind: ClusterInfo\nspec:\n  serverVersion:\n    gitVersion: v1.37.1',
    },
  },
  scope: { type: 'object', kinds: [{ group: CLUSTER_INFO_GROUP, kind: CLUSTER_INFO_KIND }] },
  check(context, object) {
    const gitVersion = readClusterInfo(object.object).serverVersion?.gitVersion;
    const today = context.settings.today;
    // Without the scan's date there is no end of life to judge.
    if (gitVersion === undefined || today === undefined) return;
    const verdict = judgeVersion(gitVersion, KUBERNETES_RELEASES, today);
    // A version the table places is judged; an unreadable one, or one newer than the table, is not
    // (kubernetes-version-current reports those).
    if (verdict.kind === 'known' || verdict.kind === 'older') context.evaluated();
    const path = ['spec', 'serverVersion', 'gitVersion'];
    const newest = newestKnownRelease(KUBERNETES_RELEASES);
    if (verdict.kind === 'known' && verdict.endOfLife) {
      context.report({
        messageId: 'endOfLife',
        data: { version: gitVersion, minor: formatMinor(verdict.release.minor), endOfLifeDate: verdict.release.endOfLifeDate, newest },
        path,
      });
    } else if (verdict.kind === 'older' && verdict.endOfLife) {
      context.report({
        messageId: 'endOfLife',
        data: {
          version: gitVersion,
          minor: formatMinor(verdict.version),
          endOfLifeDate: `${verdict.oldest.endOfLifeDate} at the latest`,
          newest,
        },
        path,
      });
    }
  },
});
