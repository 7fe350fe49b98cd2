import { defineRule } from '../../core/rule-api.ts';
import { KUBELET_CONFIGURATION_KIND, kubeletsOf, reportFailingSettings, REQUIRES_KUBELET, type SettingCheck } from '../shared/kubelet.ts';

const controls = (cis: string): string[] => [cis, 'nsa-cisa/authentication-authorization', 'mitre-attack/T1609'];

const CHECKS: readonly SettingCheck<'anonymousAuthEnabled' | 'authorizationAlwaysAllow' | 'clientCAFileMissing'>[] = [
  { messageId: 'anonymousAuthEnabled', key: 'anonymousAuth', failing: (kubelet) => kubelet.effective.settings.anonymousAuth.value, fix: 'false', controls: controls('cis-k8s/4.2.1') },
  {
    messageId: 'authorizationAlwaysAllow',
    key: 'authorizationMode',
    failing: (kubelet) => kubelet.effective.settings.authorizationMode.value === 'AlwaysAllow',
    fix: 'Webhook',
    controls: controls('cis-k8s/4.2.2'),
  },
  {
    messageId: 'clientCAFileMissing',
    key: 'clientCAFile',
    failing: (kubelet) => kubelet.effective.settings.clientCAFile.value === '',
    fix: { flag: '<cluster CA bundle>', field: '<cluster CA bundle> (kubeadm: /etc/kubernetes/pki/ca.crt)' },
    controls: controls('cis-k8s/4.2.3'),
  },
];

export const rule = defineRule({
  meta: {
    id: 'kubelet-authentication',
    title: 'Kubelet API accepts unauthenticated or unauthorised requests',
    category: 'cluster',
    defaultSeverity: 'critical',
    requires: REQUIRES_KUBELET,
    rationale:
      'The kubelet serves an HTTPS API on port 10250 that lists pods, reads their logs and runs commands in their ' +
      'containers (exec, attach, port-forward). It must authenticate every caller and ask the API server whether the ' +
      'caller may act (Webhook authorization). With anonymous authentication on, a request without credentials is ' +
      'served as system:anonymous; with authorization mode AlwaysAllow, every authenticated (or anonymous) caller may ' +
      'do everything, so anyone who reaches the port can run commands in every container on the node. Without a ' +
      'client CA file the kubelet cannot verify client certificates, so the API server\'s kubelet client certificate is ' +
      'not accepted. A KubeletConfiguration file defaults to anonymous off and Webhook authorization, but a kubelet ' +
      'started without --config keeps the old command-line defaults: anonymous on and AlwaysAllow. CIS Kubernetes ' +
      'Benchmark 4.2.1, 4.2.2 and 4.2.3.',
    remediation:
      'In the kubelet config file (/var/lib/kubelet/config.yaml for kubeadm) set authentication.anonymous.enabled: ' +
      'false, authentication.webhook.enabled: true, authentication.x509.clientCAFile to the cluster CA bundle (kubeadm: ' +
      '/etc/kubernetes/pki/ca.crt) and authorization.mode: Webhook, and remove --anonymous-auth, --authorization-mode ' +
      'and --client-ca-file flags that say otherwise from the kubelet\'s systemd unit, its drop-ins and environment ' +
      'files (flags override the file). A kubelet without --config needs --anonymous-auth=false, ' +
      '--authorization-mode=Webhook, --authentication-token-webhook and --client-ca-file, or better a config file. ' +
      'Then run systemctl daemon-reload and systemctl restart kubelet.',
    controls: ['cis-k8s/4.2.1', 'cis-k8s/4.2.2', 'cis-k8s/4.2.3', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1609', 'nist-800-190/4.3.2', 'nist-800-190/4.3.5', 'nist-800-53/AC-3', 'nist-800-53/AC-14', 'nist-800-53/IA-2', 'nist-800-53/IA-5(2)', 'pci-dss/7.3.3', 'pci-dss/8.3.1', 'soc2/CC6.1', 'iso-27001/5.15', 'iso-27001/8.5', 'hipaa/164.312(a)(1)', 'hipaa/164.312(d)'],
    messages: {
      anonymousAuthEnabled:
        'the kubelet serves requests without credentials as system:anonymous: {{source}}; {{fix}}',
      authorizationAlwaysAllow:
        'the kubelet authorises every request to its API, exec into containers included, instead of asking the API server: {{source}}; {{fix}}',
      clientCAFileMissing:
        'the kubelet cannot verify client certificates, so the API server\'s kubelet client certificate is not accepted: {{source}}; {{fix}}',
    },
    example: {
      bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: true\nauthorization:\n  mode: AlwaysAllow',
      good:
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    enabled: true\n' +
        '  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook',
    },
  },
  scope: { type: 'inventory', kinds: [KUBELET_CONFIGURATION_KIND] },
  check(context, subject) {
    for (const kubelet of kubeletsOf(subject)) reportFailingSettings(context, kubelet, CHECKS, rule.meta.controls);
  },
});
