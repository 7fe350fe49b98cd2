import { defineRule } from '../../core/rule-api.ts';
import type { LocatedInvocation } from '../shared/component-flags.ts';
import {
  describeMissing,
  describeSetting,
  etcdInvocations,
  etcdSetting,
  isLoopbackHost,
  REQUIRES_ETCD,
  settingBool,
  settingLabel,
  settingText,
  settingUrls,
  type EtcdSetting,
} from '../shared/etcd-settings.ts';

const NETWORK = ['nsa-cisa/network-separation', 'mitre-attack/T1557'];
const AUTHN = ['nsa-cisa/authentication-authorization', 'mitre-attack/T1552'];

/**
 * Why peer traffic matters for this member, or undefined for a lone member whose peer port only listens on loopback
 * (etcd's default, http://localhost:2380): nothing else can reach that port and there are no peers to talk to.
 */
function peerReason(located: LocatedInvocation): string | undefined {
  const cluster = etcdSetting(located, 'initial-cluster');
  const members = new Set(
    (settingText(cluster) ?? '')
      .split(',')
      .filter((item) => item.includes('='))
      .map((item) => item.slice(0, item.indexOf('=')).trim()),
  );
  if (members.size > 1) return `${settingLabel(cluster)} names ${members.size} members`;
  for (const name of ['discovery', 'discovery-srv', 'discovery-endpoints']) {
    const discovery = etcdSetting(located, name);
    if (settingText(discovery) !== undefined) return `it finds its peers through ${settingLabel(discovery)}`;
  }
  const state = etcdSetting(located, 'initial-cluster-state');
  if (settingText(state)?.trim() === 'existing') return `it joined an existing cluster (${settingLabel(state)}=existing)`;
  const exposed = settingUrls(etcdSetting(located, 'listen-peer-urls'), 'http://localhost:2380').find(
    (url) => (url.scheme === 'http' || url.scheme === 'https') && !isLoopbackHost(url.host),
  );
  return exposed ? `it listens for peers on ${exposed.text}` : undefined;
}

/** The settings of a certificate/key pair that are missing (unset or empty); unknown ones are not counted. */
function missingOf(settings: readonly EtcdSetting[]): EtcdSetting[] {
  return settings.filter((setting) => setting.origin !== 'unknown' && settingText(setting) === undefined);
}

/** `--trusted-ca-file=/etc/…/ca.crt`, when a trusted CA is configured (or set from a source the scan cannot read). */
function trustedCa(setting: EtcdSetting): string | undefined {
  if (setting.origin === 'unknown') return `${setting.variable} (set from a valueFrom source)`;
  const text = settingText(setting);
  return text === undefined ? undefined : `${settingLabel(setting)}=${text}`;
}

export const rule = defineRule({
  meta: {
    id: 'etcd-tls',
    title: 'etcd does not secure client or peer connections with certificates',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_ETCD,
    rationale:
      'etcd stores every Kubernetes object, Secrets included, and trusts whoever can talk to it: without TLS and ' +
      'client certificates, anyone who reaches its client port (2379) reads and rewrites the whole cluster, and anyone ' +
      'on the path between members reads or forges the replicated data. The CIS Kubernetes Benchmark asks for a ' +
      'serving certificate (--cert-file/--key-file, 2.1), client certificate authentication (--client-cert-auth, 2.2, ' +
      'default false) and no self-signed --auto-tls (2.3), and the same for peers (2.4 to 2.6). Settings are read as ' +
      'etcd reads them: a flag on the command line, else the ETCD_<NAME> environment variable. Peer settings are ' +
      'judged only when the member has peers or its peer port listens beyond loopback (--initial-cluster with more ' +
      'than one member, discovery, --initial-cluster-state=existing, a non-loopback --listen-peer-urls): a lone ' +
      'member on etcd\'s default http://localhost:2380 has no peer traffic to protect. --trusted-ca-file alone already ' +
      'makes etcd\'s TLS listeners demand a CA-signed client certificate, which the messages say; --client-cert-auth ' +
      'also makes etcd take the certificate\'s common name as the user for its own authentication. Members that read ' +
      'a --config-file are skipped: their settings are in that file.',
    remediation:
      'Give etcd certificates from a dedicated etcd CA and require client certificates, as kubeadm does: ' +
      '--cert-file=/etc/kubernetes/pki/etcd/server.crt --key-file=/etc/kubernetes/pki/etcd/server.key ' +
      '--client-cert-auth=true --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt ' +
      '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key --peer-client-cert-auth=true ' +
      '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt, https:// client and peer URLs, and no --auto-tls or ' +
      '--peer-auto-tls. Remove the ETCD_* variables that contradict them.',
    controls: [
      'cis-k8s/2.1',
      'cis-k8s/2.2',
      'cis-k8s/2.3',
      'cis-k8s/2.4',
      'cis-k8s/2.5',
      'cis-k8s/2.6',
      'nsa-cisa/network-separation',
      'nsa-cisa/authentication-authorization',
      'mitre-attack/T1557',
      'mitre-attack/T1552',
      'nist-800-190/4.3.5',
      'nist-800-53/IA-3',
      'nist-800-53/IA-5(2)',
      'nist-800-53/SC-8',
      'nist-800-53/SC-8(1)',
      'nist-800-53/SC-17',
      'pci-dss/2.2.6',
      'soc2/CC6.1',
      'soc2/CC6.7',
      'iso-27001/8.5',
      'iso-27001/8.24',
      'hipaa/164.312(d)',
      'hipaa/164.312(e)(1)',
    ],
    messages: {
      clientCertMissing:
        'etcd has no serving certificate for clients: {{missing}}; set --cert-file and --key-file (kubeadm: ' +
        '/etc/kubernetes/pki/etcd/server.crt and server.key) and serve clients on https:// URLs',
      clientCertAuthOff:
        'etcd serves clients that present no certificate: --client-cert-auth defaults to false and {{setting}}, and no ' +
        'trusted CA is set (--trusted-ca-file), so anyone who reaches a client URL can read and write all cluster data ' +
        'unless etcd\'s own user authentication was turned on; set --client-cert-auth=true and --trusted-ca-file to the ' +
        'CA of kube-apiserver\'s etcd client certificate',
      clientCertAuthImplicit:
        'etcd does not require client certificates by its own setting: --client-cert-auth defaults to false and ' +
        '{{setting}}. {{ca}} still makes its TLS listeners demand a certificate signed by that CA, but etcd does not map ' +
        'it to an etcd user, and without that CA file the port would take anyone; set --client-cert-auth=true',
      autoTls:
        'etcd is told to make its own self-signed client certificate: {{setting}}; {{effect}}; remove it and use a ' +
        'certificate from the etcd CA with --cert-file and --key-file',
      peerCertMissing:
        'etcd has no certificate for peer traffic although {{peers}}: {{missing}}; set --peer-cert-file and ' +
        '--peer-key-file (kubeadm: /etc/kubernetes/pki/etcd/peer.crt and peer.key) and use https:// peer URLs',
      peerPlaintext:
        'etcd serves peer (Raft) traffic in plaintext on {{urls}} although {{peers}}: {{source}}; peer certificates do ' +
        'not apply to http:// URLs, use https://',
      peerClientCertAuthOff:
        'etcd accepts peer connections that present no certificate although {{peers}}: --peer-client-cert-auth ' +
        'defaults to false and {{setting}}, and no peer CA is set (--peer-trusted-ca-file); set ' +
        '--peer-client-cert-auth=true and --peer-trusted-ca-file to the etcd CA',
      peerClientCertAuthImplicit:
        'etcd does not require peer certificates by its own setting although {{peers}}: --peer-client-cert-auth ' +
        'defaults to false and {{setting}}. {{ca}} still makes its peer listeners demand a certificate signed by that ' +
        'CA, but without that file the peer port would take anyone; set --peer-client-cert-auth=true',
      peerAutoTls:
        'etcd is told to make its own self-signed peer certificate although {{peers}}: {{setting}}; {{effect}}; remove ' +
        'it and use a certificate from the etcd CA with --peer-cert-file and --peer-key-file',
    },
    example: {
      bad: 'command:\n- etcd\n- --listen-client-urls=https://127.0.0.1:2379\n- --auto-tls=true',
      good:
        'command:\n- etcd\n- --listen-client-urls=https://127.0.0.1:2379\n- --cert-file=/etc/kubernetes/pki/etcd/server.crt\n' +
        '- --key-file=/etc/kubernetes/pki/etcd/server.key\n- --client-cert-auth=true\n- --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of etcdInvocations(subject)) {
      const object = located.object;
      const setting = (name: string) => etcdSetting(located, name);
      // Every setting is judged on every member; peer settings of a lone member that listens for peers on loopback
      // only are judged not to matter (nothing can reach that port, there are no peers to talk to).
      context.evaluated();

      // 2.1 / 2.3: the serving certificate for clients.
      const certs = [setting('cert-file'), setting('key-file')];
      const missing = missingOf(certs);
      if (missing.length > 0) {
        context.report({
          messageId: 'clientCertMissing',
          data: { missing: describeMissing(missing) },
          path: missing[0]!.path,
          object,
          controls: ['cis-k8s/2.1', ...NETWORK],
        });
      }
      const autoTls = setting('auto-tls');
      if (settingBool(autoTls, false) === true) {
        context.report({
          messageId: 'autoTls',
          data: {
            setting: describeSetting(autoTls),
            effect:
              missing.length < certs.length
                ? 'etcd ignores it while --cert-file/--key-file are set, but falls back to a self-signed certificate as ' +
                  'soon as they are removed'
                : 'with no --cert-file/--key-file, etcd serves clients a certificate they cannot verify, so their ' +
                  'connections can be intercepted',
          },
          path: autoTls.path,
          object,
          controls: ['cis-k8s/2.3', ...NETWORK],
        });
      }

      // 2.2: client certificate authentication.
      const clientCertAuth = setting('client-cert-auth');
      if (settingBool(clientCertAuth, false) === false) {
        const ca = trustedCa(setting('trusted-ca-file'));
        context.report({
          messageId: ca === undefined ? 'clientCertAuthOff' : 'clientCertAuthImplicit',
          data: { setting: describeSetting(clientCertAuth), ca: ca ?? '' },
          path: clientCertAuth.path,
          object,
          controls: ['cis-k8s/2.2', ...AUTHN],
        });
      }

      // 2.4 to 2.6: peers, when there are any to protect.
      const peers = peerReason(located);
      if (peers === undefined) continue;
      const peerCerts = [setting('peer-cert-file'), setting('peer-key-file')];
      const peerMissing = missingOf(peerCerts);
      if (peerMissing.length > 0) {
        context.report({
          messageId: 'peerCertMissing',
          data: { peers, missing: describeMissing(peerMissing) },
          path: peerMissing[0]!.path,
          object,
          controls: ['cis-k8s/2.4', ...NETWORK],
        });
      }
      const listenPeer = setting('listen-peer-urls');
      const plaintext = settingUrls(listenPeer, 'http://localhost:2380').filter((url) => url.scheme === 'http');
      if (listenPeer.origin !== 'unknown' && plaintext.length > 0) {
        context.report({
          messageId: 'peerPlaintext',
          data: {
            peers,
            urls: plaintext.map((url) => url.text).join(', '),
            source:
              listenPeer.origin === 'default'
                ? `etcd's default, since ${describeSetting(listenPeer)}`
                : `set by ${settingLabel(listenPeer)}${listenPeer.origin === 'env' ? ' in the container env' : ''}`,
          },
          path: listenPeer.path,
          object,
          controls: ['cis-k8s/2.4', ...NETWORK],
        });
      }
      const peerClientCertAuth = setting('peer-client-cert-auth');
      if (settingBool(peerClientCertAuth, false) === false) {
        const ca = trustedCa(setting('peer-trusted-ca-file'));
        context.report({
          messageId: ca === undefined ? 'peerClientCertAuthOff' : 'peerClientCertAuthImplicit',
          data: { peers, setting: describeSetting(peerClientCertAuth), ca: ca ?? '' },
          path: peerClientCertAuth.path,
          object,
          controls: ['cis-k8s/2.5', ...AUTHN],
        });
      }
      const peerAutoTls = setting('peer-auto-tls');
      if (settingBool(peerAutoTls, false) === true) {
        context.report({
          messageId: 'peerAutoTls',
          data: {
            peers,
            setting: describeSetting(peerAutoTls),
            effect:
              peerMissing.length < peerCerts.length
                ? 'etcd ignores it while --peer-cert-file/--peer-key-file are set, but falls back to a self-signed ' +
                  'certificate as soon as they are removed'
                : 'with no --peer-cert-file/--peer-key-file, members connect to each other without verifying the self-signed ' +
                  'certificates, so anyone on the path can pose as a peer',
          },
          path: peerAutoTls.path,
          object,
          controls: ['cis-k8s/2.6', ...NETWORK],
        });
      }
    }
  },
});
