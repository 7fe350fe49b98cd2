import { getFlag, listValue } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, REQUIRES_KUBE_APISERVER, stringFlag } from '../shared/component-flags.ts';

const NSA = 'nsa-cisa/network-separation';
const MITRE = 'mitre-attack/T1557';

/**
 * Cipher suites kube-apiserver accepts by Go name (crypto/tls CipherSuites and InsecureCipherSuites) that are weak,
 * with why. Go's defaults (used when --tls-cipher-suites is unset) leave out RC4, 3DES, RSA key exchange and
 * CBC-SHA256; the ECDHE CBC-SHA suites they keep for old TLS 1.2 clients are reported only when listed explicitly.
 */
const WEAK_SUITES: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_RC4_128_SHA: 'RC4',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'RC4',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'RC4',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: '3DES',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: '3DES',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'RSA key exchange, CBC',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'RSA key exchange, CBC',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'RSA key exchange, CBC',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'RSA key exchange',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'RSA key exchange',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'CBC',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'CBC',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'CBC',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'CBC',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'CBC',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'CBC',
};

const OLD_VERSIONS: Readonly<Record<string, string>> = { VersionTLS10: 'TLS 1.0', VersionTLS11: 'TLS 1.1' };

const STRONG_SUITES =
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,' +
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256';

/** `--a and --b are`, `--b is`: the flags of a pair that are missing. */
function missingPair(missing: readonly string[]): string {
  return missing.length === 1 ? `${missing[0]} is` : `${missing.join(' and ')} are`;
}

export const rule = defineRule({
  meta: {
    id: 'apiserver-tls',
    title: 'API server TLS is missing or weak',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_KUBE_APISERVER,
    rationale:
      'kube-apiserver serves clients and calls etcd over TLS as its flags say. Without --tls-cert-file and ' +
      '--tls-private-key-file it serves a self-signed certificate it generates in --cert-dir, which clients cannot ' +
      'verify (CIS 1.2.24). Without --etcd-certfile and --etcd-keyfile it presents no client certificate to etcd, ' +
      'so etcd must accept clients without one, and whoever reaches etcd reads and writes every object, Secrets ' +
      'included (1.2.23); without --etcd-cafile it does not check etcd\'s certificate against the etcd CA (1.2.26). ' +
      '--tls-min-version defaults to VersionTLS12; VersionTLS10 and VersionTLS11 re-admit protocol versions with ' +
      'known weaknesses. --tls-cipher-suites defaults to Go\'s list; listing RC4, 3DES, RSA key exchange (no forward ' +
      'secrecy) or CBC suites (padding-oracle attacks such as Lucky13) offers them to clients that ask (1.2.29). ' +
      'Cipher suites are not judged when the minimum is TLS 1.3, whose suites Go does not let be configured.',
    remediation:
      'In the API server\'s static Pod manifest (for kubeadm, /etc/kubernetes/manifests/kube-apiserver.yaml) set ' +
      '--tls-cert-file and --tls-private-key-file (kubeadm: /etc/kubernetes/pki/apiserver.crt and .key), ' +
      '--etcd-certfile, --etcd-keyfile and --etcd-cafile (kubeadm: apiserver-etcd-client.crt/.key and etcd/ca.crt), ' +
      `remove --tls-min-version or set it to VersionTLS12 or VersionTLS13, and list only AEAD suites with forward ` +
      `secrecy in --tls-cipher-suites, e.g. ${STRONG_SUITES}.`,
    controls: ['cis-k8s/1.2.23', 'cis-k8s/1.2.24', 'cis-k8s/1.2.26', 'cis-k8s/1.2.29', NSA, MITRE, 'nist-800-190/4.3.5', 'nist-800-53/IA-5(2)', 'nist-800-53/SC-8', 'nist-800-53/SC-8(1)', 'nist-800-53/SC-13', 'nist-800-53/SC-17', 'pci-dss/2.2.7', 'soc2/CC6.7', 'iso-27001/8.24', 'hipaa/164.312(e)(1)'],
    messages: {
      servingCertMissing:
        'kube-apiserver has no serving certificate of its own: {{missing}} not set, so it serves a self-signed certificate generated in --cert-dir that clients cannot verify; set --tls-cert-file and --tls-private-key-file',
      etcdClientCertMissing:
        'kube-apiserver presents no client certificate to etcd: {{missing}} not set, so etcd must accept clients without certificates and whoever reaches it can read and change every object, Secrets included; set --etcd-certfile and --etcd-keyfile',
      etcdCaMissing:
        'kube-apiserver does not verify etcd\'s serving certificate against the etcd CA: --etcd-cafile is not set; set it to the CA that signs etcd\'s certificates (kubeadm: /etc/kubernetes/pki/etcd/ca.crt)',
      oldTlsVersion:
        'kube-apiserver accepts {{version}} connections: --tls-min-version is {{value}} (the default is VersionTLS12); remove it or set --tls-min-version=VersionTLS12 or VersionTLS13',
      weakCipherSuites:
        'kube-apiserver offers weak TLS cipher suites: {{suites}}; list only AEAD suites with forward secrecy in --tls-cipher-suites, e.g. {{strong}}',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --tls-min-version=VersionTLS10\n- --tls-cipher-suites=TLS_RSA_WITH_3DES_EDE_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
      good:
        'command:\n- kube-apiserver\n- --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt\n' +
        '- --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt\n- --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key\n' +
        '- --tls-cert-file=/etc/kubernetes/pki/apiserver.crt\n- --tls-private-key-file=/etc/kubernetes/pki/apiserver.key\n' +
        '- --tls-min-version=VersionTLS12\n- --tls-cipher-suites=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      const { invocation, object } = located;
      const flags = invocation.flags;
      context.evaluated();

      const missingServing = ['--tls-cert-file', '--tls-private-key-file'].filter((name) => stringFlag(invocation, name) === undefined);
      if (missingServing.length > 0) {
        context.report({
          messageId: 'servingCertMissing',
          data: { missing: missingPair(missingServing) },
          path: located.pathOf(missingServing.length === 1 ? getFlag(flags, missingServing[0]!) : undefined),
          object,
          controls: ['cis-k8s/1.2.24', NSA, MITRE],
        });
      }

      const missingEtcd = ['--etcd-certfile', '--etcd-keyfile'].filter((name) => stringFlag(invocation, name) === undefined);
      if (missingEtcd.length > 0) {
        context.report({
          messageId: 'etcdClientCertMissing',
          data: { missing: missingPair(missingEtcd) },
          path: located.pathOf(missingEtcd.length === 1 ? getFlag(flags, missingEtcd[0]!) : undefined),
          object,
          controls: ['cis-k8s/1.2.23', NSA, MITRE],
        });
      }

      if (stringFlag(invocation, 'etcd-cafile') === undefined) {
        context.report({ messageId: 'etcdCaMissing', path: located.pathOf(getFlag(flags, 'etcd-cafile')), object, controls: ['cis-k8s/1.2.26', NSA, MITRE] });
      }

      const minVersion = getFlag(flags, 'tls-min-version');
      const oldVersion = minVersion ? OLD_VERSIONS[minVersion.value] : undefined;
      if (minVersion && oldVersion) {
        context.report({
          messageId: 'oldTlsVersion',
          data: { version: oldVersion, value: minVersion.value },
          path: located.pathOfSource(minVersion.last.valueSource),
          object,
          controls: ['cis-k8s/1.2.29', NSA, MITRE],
        });
      }

      // TLS 1.3 suites are fixed by Go; the list only matters while TLS 1.2 (or older) is accepted.
      const suitesFlag = getFlag(flags, 'tls-cipher-suites');
      if (!suitesFlag || minVersion?.value === 'VersionTLS13') continue;
      const weak = listValue(suitesFlag)
        .map((item) => ({ name: item.value.trim(), source: item.source }))
        .filter((item) => WEAK_SUITES[item.name] !== undefined);
      if (weak.length === 0) continue;
      context.report({
        messageId: 'weakCipherSuites',
        data: { suites: [...new Set(weak.map((item) => `${item.name} (${WEAK_SUITES[item.name]!})`))].join(', '), strong: STRONG_SUITES },
        path: located.pathOfSource(weak[0]!.source),
        object,
        controls: ['cis-k8s/1.2.29', NSA, MITRE],
      });
    }
  },
});
