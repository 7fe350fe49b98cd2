import { defineRule } from '../../core/rule-api.ts';
import { judgedControls } from '../shared/judged-controls.ts';
import { FILE_OWNER_CONTROLS, isRecommendation, nodeFiles, requirementFor, REQUIRES_NODE_FILES } from '../shared/node-file-requirements.ts';

export const rule = defineRule({
  meta: {
    id: 'node-file-ownership',
    title: 'Kubernetes file on the node is not owned as the CIS Benchmark asks',
    category: 'cluster',
    defaultSeverity: 'low',
    requires: REQUIRES_NODE_FILES,
    rationale:
      'Whoever owns a file may change its mode and content. The CIS Kubernetes Benchmark (sections 1.1 and 4.1) ' +
      'asks for root:root on manifests, kubeconfigs, the PKI directory and the kubelet\'s files, and etcd:etcd on ' +
      'the etcd data directory, so that only root (or the etcd user) can rewrite what the control plane trusts.',
    remediation: 'chown the file to the owner named (for example chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml; chown -R etcd:etcd /var/lib/etcd).',
    controls: [...FILE_OWNER_CONTROLS, 'nist-800-53/AC-3', 'nist-800-53/CM-5', 'pci-dss/2.2.6', 'soc2/CC6.1', 'iso-27001/8.3', 'iso-27001/8.9'],
    messages: {
      wrongOwner: '{{what}} {{path}} is owned by {{actual}}; it should be {{expected}}',
    },
    example: {
      bad: '-rw------- ubuntu ubuntu /etc/kubernetes/manifests/kube-apiserver.yaml',
      good: '-rw------- root root /etc/kubernetes/manifests/kube-apiserver.yaml',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'palisade.dev', kind: 'NodeFile' }] },
  check(context, { objects }) {
    for (const file of nodeFiles(objects)) {
      const requirement = requirementFor(file);
      if (requirement?.owner === undefined || requirement.ownerControl === undefined) continue;
      // The file's CIS recommendation is judged (the file exists and its owner is known), with the rule's controls
      // that are not one file's. Not for a file whose only control is MITRE's (the EncryptionConfiguration): the
      // technique is cited by every finding of the rule and judged with every file, and a judgement naming no CIS
      // control would count as judging all of them.
      if (isRecommendation(requirement.ownerControl)) context.evaluated(judgedControls(rule.meta.controls, FILE_OWNER_CONTROLS.filter(isRecommendation), [requirement.ownerControl]));
      const actual = `${file.owner}:${file.group}`;
      if (actual === requirement.owner) continue;
      context.report({
        messageId: 'wrongOwner',
        data: { what: requirement.what, path: file.path, actual, expected: requirement.owner },
        path: ['spec', 'owner'],
        object: file.object,
        controls: [requirement.ownerControl],
      });
    }
  },
});
