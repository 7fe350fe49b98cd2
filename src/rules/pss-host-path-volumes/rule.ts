import { definePssRule } from '../pss-rule.ts';

// Pod Security Standards, baseline level: upstream check `hostPathVolumes`. The evaluator decides, per policy version.
export const rule = definePssRule('hostPathVolumes', {
  id: 'pss-host-path-volumes',
  title: 'HostPath volume',
  category: 'host-access',
  defaultSeverity: 'high',
  rationale:
    'A hostPath volume mounts a directory of the node into the container. Paths such as /, /etc, ' +
    '/var/lib/kubelet or the container runtime socket give a direct route to node compromise, and even ' +
    'innocent paths leak other workloads\' data. The baseline profile forbids hostPath volumes.',
  remediation:
    'Replace hostPath volumes with emptyDir, configMap, secret, projected or PersistentVolumeClaim ' +
    'volumes. Node agents that must read host paths belong in a dedicated, privileged namespace.',
  controls: ['pss-baseline/hostPathVolumes', 'pss-restricted/hostPathVolumes', 'cis-k8s/5.2.12', 'nsa-cisa/pod-security', 'mitre-attack/T1611', 'nist-800-190/4.4.3', 'nist-800-190/4.5.5', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.1', 'soc2/CC6.8', 'iso-27001/8.9'],
  example: {
    bad: 'volumes:\n- name: docker\n  hostPath:\n    path: /var/run/docker.sock',
    good: 'volumes:\n- name: cache\n  emptyDir: {}',
  },
});
