import { asObject, getAtPath } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import type { LocatedInvocation } from '../shared/component-flags.ts';
import { describeSetting, etcdInvocations, etcdSetting, isLoopbackHost, REQUIRES_ETCD, settingLabel, settingUrls } from '../shared/etcd-settings.ts';

// The listeners that serve etcd's client API (gRPC and HTTP), with their defaults. --listen-client-http-urls (etcd
// 3.5+) adds HTTP-only listeners and has none by default.
const LISTENERS = [
  { name: 'listen-client-urls', defaultValue: 'http://localhost:2379' },
  { name: 'listen-client-http-urls', defaultValue: '' },
] as const;

/** Who can connect to a listener: loopback is the node's for hostNetwork Pods and node processes, else the Pod's. */
function reachOf(located: LocatedInvocation, loopbackOnly: boolean): string {
  const source = located.invocation.source;
  const hostNetwork =
    source.type !== 'container' || asObject(getAtPath(located.object.object, source.containerPath.slice(0, -2)))?.['hostNetwork'] === true;
  if (hostNetwork) {
    return loopbackOnly ? 'anything running on the node, hostNetwork Pods included, can connect' : 'anyone who can reach the node can connect';
  }
  return loopbackOnly ? 'the other containers of its Pod can connect' : 'anyone who can reach the Pod can connect';
}

export const rule = defineRule({
  meta: {
    id: 'etcd-client-urls',
    title: 'etcd serves its client API without TLS',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_ETCD,
    rationale:
      'etcd holds every Kubernetes object, Secrets included. On an http:// client URL it serves its API in plaintext ' +
      'and without client authentication: --cert-file, --key-file and --client-cert-auth apply to https:// URLs only. ' +
      'Whoever can connect reads and rewrites the cluster (unless etcd\'s own user authentication is on, whose ' +
      'passwords then cross in the clear) and whoever sees the traffic sees all of it; for a static Pod or a node ' +
      'process even a loopback URL is open to every process on the node, hostNetwork Pods included. etcd listens on ' +
      'http://localhost:2379 when --listen-client-urls (or ETCD_LISTEN_CLIENT_URLS) is not set. The CIS Kubernetes ' +
      'Benchmark (2.1) asks for TLS on etcd. Only the listeners are judged: an http:// --advertise-client-urls without a plaintext listener behind ' +
      'it does not carry traffic, it makes clients fail. unix:// sockets are local files guarded by their permissions ' +
      'and are not reported.',
    remediation:
      'Serve clients on https:// URLs only, with --cert-file and --key-file and --client-cert-auth=true, as kubeadm ' +
      'does: --listen-client-urls=https://127.0.0.1:2379,https://<node-ip>:2379 and the same scheme in ' +
      '--advertise-client-urls. Point kube-apiserver\'s --etcd-servers at the https:// URLs.',
    controls: ['cis-k8s/2.1', 'nsa-cisa/network-separation', 'mitre-attack/T1557', 'mitre-attack/T1552', 'nist-800-190/4.3.5', 'nist-800-53/SC-8', 'nist-800-53/SC-8(1)', 'pci-dss/2.2.6', 'soc2/CC6.7', 'iso-27001/8.24', 'hipaa/164.312(e)(1)', 'hipaa/164.312(e)(2)(ii)'],
    messages: {
      plaintextClientUrl:
        'etcd serves its client API in plaintext on {{urls}} ({{source}}): {{reach}} without a certificate (TLS settings ' +
        'and --client-cert-auth do not apply to http:// URLs), and the cluster\'s data, Secrets included, crosses the ' +
        'connection unencrypted; serve https:// URLs only',
    },
    example: {
      bad: 'command:\n- etcd\n- --listen-client-urls=http://0.0.0.0:2379\n- --advertise-client-urls=http://10.0.0.10:2379',
      good:
        'command:\n- etcd\n- --listen-client-urls=https://127.0.0.1:2379,https://10.0.0.10:2379\n' +
        '- --advertise-client-urls=https://10.0.0.10:2379\n- --cert-file=/etc/kubernetes/pki/etcd/server.crt\n' +
        '- --key-file=/etc/kubernetes/pki/etcd/server.key\n- --client-cert-auth=true\n- --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of etcdInvocations(subject)) {
      // Judged when the input shows every listener (none set from a valueFrom source the scan cannot read), or when
      // one it shows is plaintext.
      const settings = LISTENERS.map(({ name, defaultValue }) => ({ setting: etcdSetting(located, name), defaultValue }));
      let judged = settings.every(({ setting }) => setting.origin !== 'unknown');
      if (judged) context.evaluated();
      for (const { setting, defaultValue } of settings) {
        if (setting.origin === 'unknown') continue;
        const plaintext = settingUrls(setting, defaultValue).filter((url) => url.scheme === 'http');
        if (plaintext.length === 0) continue;
        if (!judged) context.evaluated();
        judged = true;
        context.report({
          messageId: 'plaintextClientUrl',
          data: {
            urls: plaintext.map((url) => url.text).join(', '),
            source:
              setting.origin === 'default'
                ? `etcd's default, since ${describeSetting(setting)}`
                : `set by ${settingLabel(setting)}${setting.origin === 'env' ? ' in the container env' : ''}`,
            reach: reachOf(located, plaintext.every((url) => isLoopbackHost(url.host))),
          },
          path: setting.path,
          object: located.object,
        });
      }
    }
  },
});
