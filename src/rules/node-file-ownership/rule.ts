import { defineRule } from '../../core/rule-api.ts';
import { FILE_OWNER_CONTROLS, nodeFiles, requirementFor } from '../shared/node-file-requirements.ts';

export const rule = defineRule({
  meta: {
    id: 'node-file-ownership',
    title: 'Kubernetes file on the node is not owned as the CIS Benchmark asks',
    category: 'cluster',
    defaultSeverity: 'low',
    rationale:
      'Whoever owns a file may change its mode and content. The CIS Kubernetes Benchmark (sections 1.1 and 4.1) ' +
      'asks for root:root on manifests, kubeconfigs, the PKI directory and the kubelet\'s files, and etcd:etcd on ' +
      'the etcd data directory, so that only root (or the etcd user) can rewrite what the control plane trusts.',
    remediation: 'chown the file to the owner named (for example chown root:root /etc/kubernetes/manifests/kube-apiserver.yaml; chown -R etcd:etcd /var/lib/etcd).',
    controls: FILE_OWNER_CONTROLS,
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
