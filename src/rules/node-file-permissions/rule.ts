import { defineRule } from '../../core/rule-api.ts';
import { judgedControls } from '../shared/judged-controls.ts';
import { FILE_MODE_CONTROLS, isRecommendation, nodeFiles, octal, requirementFor, REQUIRES_NODE_FILES } from '../shared/node-file-requirements.ts';

export const rule = defineRule({
  meta: {
    id: 'node-file-permissions',
    title: 'Kubernetes file on the node is more permissive than the CIS Benchmark allows',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: REQUIRES_NODE_FILES,
    rationale:
      'The files that configure the control plane and the kubelet decide who the cluster trusts: a static Pod ' +
      'manifest anyone on the node can edit runs as kube-apiserver; a kubeconfig or private key anyone can read ' +
      'is the credential it holds (admin.conf is cluster-admin). The CIS Kubernetes Benchmark (sections 1.1 and ' +
      '4.1) sets a maximum mode for each: 600 for manifests, kubeconfigs, private keys, the kubelet service and ' +
      'config files, 644 for certificates, 700 for the etcd data directory.',
    remediation: 'chmod the file to the mode named (for example chmod 600 /etc/kubernetes/admin.conf), on every node it exists on; keep configuration management from widening it again.',
    controls: [...FILE_MODE_CONTROLS, 'nist-800-53/AC-3', 'nist-800-53/CM-5', 'nist-800-53/IA-5', 'pci-dss/2.2.6', 'soc2/CC6.1', 'iso-27001/8.3', 'iso-27001/8.9'],
    messages: {
      tooOpen: '{{what}} {{path}} has mode {{mode}}; at most {{allowed}} is allowed (remove {{extra}})',
    },
    example: {
      bad: '-rw-r--r-- root root /etc/kubernetes/admin.conf   # 0644',
      good: '-rw------- root root /etc/kubernetes/admin.conf   # 0600',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'palisade.dev', kind: 'NodeFile' }] },
  check(context, { objects }) {
    for (const file of nodeFiles(objects)) {
      const requirement = requirementFor(file);
      if (requirement?.maxMode === undefined || requirement.modeControl === undefined) continue;
      // The file's CIS recommendation is judged (the file exists and its mode is known), with the rule's controls
      // that are not one file's. Not for a file whose only control is MITRE's (the EncryptionConfiguration): the
      // technique is cited by every finding of the rule and judged with every file, and a judgement naming no CIS
      // control would count as judging all of them.
      if (isRecommendation(requirement.modeControl)) context.evaluated(judgedControls(rule.meta.controls, FILE_MODE_CONTROLS.filter(isRecommendation), [requirement.modeControl]));
      const extra = file.mode & ~requirement.maxMode;
      if (extra === 0) continue;
      context.report({
        messageId: 'tooOpen',
        data: { what: requirement.what, path: file.path, mode: octal(file.mode), allowed: octal(requirement.maxMode), extra: octal(extra) },
        path: ['spec', 'mode'],
        object: file.object,
        controls: [requirement.modeControl],
      });
    }
  },
});
