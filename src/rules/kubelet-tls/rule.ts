import { defineRule } from '../../core/rule-api.ts';
import { judgedControls } from '../shared/judged-controls.ts';
import { fixFor, KUBELET_CONFIGURATION_KIND, kubeletsOf, locateSetting, REQUIRES_KUBELET, settingOf } from '../shared/kubelet.ts';

/** CIS 4.2.12's strong suites (ECDHE key exchange, AEAD ciphers), under both names the kubelet accepts for ChaCha20. */
const STRONG_TLS12_SUITES = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256',
];
/** TLS 1.3 suites: accepted by the flag, always on and not configurable in Go, all strong. */
const TLS13_SUITES = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];
const STRONG = new Set([...STRONG_TLS12_SUITES, ...TLS13_SUITES]);
const OLD_VERSIONS: Readonly<Record<string, string>> = { VersionTLS10: '1.0', VersionTLS11: '1.1' };
const STRONG_LIST = { flag: '<ECDHE AES-GCM and ChaCha20-Poly1305 suites>', field: '[<ECDHE AES-GCM and ChaCha20-Poly1305 suites>]' };

export const rule = defineRule({
  meta: {
    id: 'kubelet-tls',
    title: 'Kubelet serves TLS with an unverifiable certificate or weak cryptography',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: REQUIRES_KUBELET,
    rationale:
      'The API server connects to the kubelet on port 10250 for logs, exec, attach and port-forward. When neither ' +
      'tlsCertFile and tlsPrivateKeyFile nor serverTLSBootstrap is set, the kubelet generates a self-signed ' +
      'certificate in its --cert-dir, which no client can verify: the API server then either skips verification or ' +
      'cannot verify the node, and a machine in the middle can impersonate the kubelet (CIS 4.2.9). With ' +
      'serverTLSBootstrap the kubelet requests a serving certificate from the cluster and rotates it. CIS 4.2.12 asks ' +
      'for strong ciphers only: ECDHE key exchange with AES-GCM or ChaCha20-Poly1305. Without tlsCipherSuites the ' +
      'kubelet accepts Go\'s default TLS 1.2 suites, which include the ECDHE_*_WITH_AES_*_CBC_SHA suites (CBC mode, ' +
      'SHA-1 MAC); a tlsMinVersion of VersionTLS13 leaves no TLS 1.2 suites to choose. tlsMinVersion VersionTLS10 or ' +
      'VersionTLS11 lets clients negotiate those old protocol versions whenever a CBC suite is allowed (the default ' +
      'minimum is TLS 1.2 since Go 1.22, Kubernetes 1.30).',
    remediation:
      'Set serverTLSBootstrap: true in the kubelet config file and approve the kubelet-serving CertificateSigningRequests ' +
      '(kubectl certificate approve, or an approver controller), or set tlsCertFile and tlsPrivateKeyFile to a ' +
      'certificate for the node signed by a CA the API server trusts (--kubelet-certificate-authority). Set ' +
      'tlsCipherSuites to [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, ' +
      'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, ' +
      'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305] or a subset, or tlsMinVersion: ' +
      'VersionTLS13, and never tlsMinVersion below VersionTLS12. Remove --tls-cert-file, --tls-private-key-file, ' +
      '--tls-cipher-suites and --tls-min-version flags that say otherwise (they override the file), then restart the ' +
      'kubelet.',
    controls: ['cis-k8s/4.2.9', 'cis-k8s/4.2.12', 'nsa-cisa/network-separation', 'mitre-attack/T1557', 'nist-800-190/4.3.5', 'nist-800-53/SC-8', 'nist-800-53/SC-8(1)', 'nist-800-53/SC-13', 'nist-800-53/SC-17', 'pci-dss/2.2.7', 'soc2/CC6.7', 'iso-27001/8.24', 'hipaa/164.312(e)(1)'],
    messages: {
      selfSignedServingCertificate:
        'the kubelet serves its API with a self-signed certificate that clients cannot verify: it has no certificate files (tlsCertFile, tlsPrivateKeyFile) and does not request a certificate from the cluster ({{bootstrapSource}}); {{fix}}, or set tlsCertFile and tlsPrivateKeyFile to a certificate signed by a CA the API server trusts',
      servingKeyPairIncomplete:
        'the kubelet has a serving certificate without its key, or a key without its certificate, and cannot serve TLS: {{presentSource}}, but {{missingSource}}; set both',
      cipherSuitesDefault:
        'the kubelet accepts Go\'s default TLS 1.2 cipher suites, CBC-mode suites with SHA-1 MACs among them: {{source}}; {{fix}}',
      weakCipherSuites:
        'the kubelet allows cipher suites outside the strong set (ECDHE with AES-GCM or ChaCha20-Poly1305), {{weak}}: {{source}}; {{fix}}',
      tlsVersionBelow12:
        'the kubelet accepts TLS {{version}} handshakes (MD5 and SHA-1 based, CBC suites only): {{source}}; {{fix}}',
    },
    example: {
      bad: 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ntlsMinVersion: VersionTLS10',
      good:
        'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nserverTLSBootstrap: true\ntlsCipherSuites:\n' +
        '- TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\n- TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384\n' +
        '- TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n- TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305\n- TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
    },
  },
  scope: { type: 'inventory', kinds: [KUBELET_CONFIGURATION_KIND] },
  check(context, subject) {
    const cis429 = ['cis-k8s/4.2.9', 'nsa-cisa/network-separation', 'mitre-attack/T1557'];
    const cis4212 = ['cis-k8s/4.2.12', 'nsa-cisa/network-separation', 'mitre-attack/T1557'];
    for (const kubelet of kubeletsOf(subject)) {
      const settings = kubelet.effective.settings;
      // What the input shows of this kubelet: a setting left to a default while --config names a file the input does
      // not hold is not known, and what rests on it is not judged. (serverTLSBootstrap on, a certificate or key file,
      // a tlsMinVersion are never defaults: something the input shows set them.)
      let judged429 = true;
      let judged4212 = true;

      // 4.2.9. With serverTLSBootstrap the kubelet requests its certificate and the files are not used; with the gate
      // off it refuses to start (kubelet-hardening reports the gate).
      if (!settings.serverTLSBootstrap.value) {
        const cert = settings.tlsCertFile.value;
        const key = settings.tlsPrivateKeyFile.value;
        if (cert === '' && key === '') {
          const cert = locateSetting(kubelet, 'tlsCertFile');
          const bootstrap = locateSetting(kubelet, 'serverTLSBootstrap');
          judged429 = cert !== undefined && bootstrap !== undefined;
          if (cert && bootstrap) {
            // Point at serverTLSBootstrap when it is turned off explicitly, else at the certificate setting.
            const at = bootstrap.decidedBy === 'default' ? cert : bootstrap;
            context.report({
              messageId: 'selfSignedServingCertificate',
              data: { bootstrapSource: bootstrap.source, fix: fixFor(kubelet, 'serverTLSBootstrap', 'true', bootstrap) },
              path: at.path,
              object: at.object,
              controls: cis429,
            });
          }
        } else if (cert === '' || key === '') {
          const present = locateSetting(kubelet, cert === '' ? 'tlsPrivateKeyFile' : 'tlsCertFile');
          const missing = locateSetting(kubelet, cert === '' ? 'tlsCertFile' : 'tlsPrivateKeyFile');
          judged429 = present !== undefined && missing !== undefined;
          if (present && missing) {
            context.report({
              messageId: 'servingKeyPairIncomplete',
              data: { presentSource: present.source, missingSource: missing.source },
              path: missing.path,
              object: missing.object,
              controls: cis429,
            });
          }
        }
      }

      // 4.2.12. TLS 1.3 suites are not configurable: with a 1.3 minimum the list does not matter.
      const minVersion = settingOf(kubelet, 'tlsMinVersion').value;
      const suites = settings.tlsCipherSuites.value;
      const weak = suites.filter((suite) => !STRONG.has(suite));
      if (minVersion !== 'VersionTLS13') {
        const at = locateSetting(kubelet, 'tlsCipherSuites');
        judged4212 = at !== undefined;
        if (at && suites.length === 0) {
          context.report({
            messageId: 'cipherSuitesDefault',
            data: { source: at.source, fix: fixFor(kubelet, 'tlsCipherSuites', STRONG_LIST, at) },
            path: at.path,
            object: at.object,
            controls: cis4212,
          });
        } else if (at && weak.length > 0) {
          context.report({
            messageId: 'weakCipherSuites',
            data: { weak: weak.map((suite) => JSON.stringify(suite)).join(', '), source: at.source, fix: fixFor(kubelet, 'tlsCipherSuites', STRONG_LIST, at) },
            path: at.path,
            object: at.object,
            controls: cis4212,
          });
        }
      }
      // Old protocol versions only matter when a suite they can use is allowed: the strong suites are TLS 1.2 only.
      const version = OLD_VERSIONS[minVersion];
      if (version !== undefined && (suites.length === 0 || weak.length > 0)) {
        const at = locateSetting(kubelet, 'tlsMinVersion');
        if (at) {
          judged4212 = true;
          context.report({
            messageId: 'tlsVersionBelow12',
            data: { version, source: at.source, fix: fixFor(kubelet, 'tlsMinVersion', 'VersionTLS12', at) },
            path: at.path,
            object: at.object,
            controls: cis4212,
          });
        }
      }
      if (judged429 && judged4212) context.evaluated();
      else if (judged429 || judged4212) context.evaluated(judgedControls(rule.meta.controls, ['cis-k8s/4.2.9', 'cis-k8s/4.2.12'], [judged429 ? 'cis-k8s/4.2.9' : 'cis-k8s/4.2.12']));
    }
  },
});
