import { getFlag, type Flag } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { boolFlag, invocationsOf, REQUIRES_KUBE_APISERVER, stringFlag } from '../shared/component-flags.ts';

const NSA = 'nsa-cisa/authentication-authorization';

/** The flag's state for a message about a boolean that defaults to true. */
function describeBool(flag: Flag | undefined): string {
  if (!flag) return 'not set, and it defaults to true';
  if (flag.last.form === 'implicit') return `set to true by a bare ${flag.last.written} (a boolean flag never takes the next word)`;
  return `set to ${flag.value}`;
}

/** `--a and --b are`, `--b is`: the flags of a pair that are missing. */
function missingPair(missing: readonly string[]): string {
  return missing.length === 1 ? `${missing[0]} is` : `${missing.join(' and ')} are`;
}

export const rule = defineRule({
  meta: {
    id: 'apiserver-authentication-config',
    title: 'API server authentication and kubelet credentials are weakly configured',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_KUBE_APISERVER,
    rationale:
      'Several kube-apiserver flags decide how clients prove who they are and how the API server proves itself to ' +
      'kubelets. --token-auth-file accepts static bearer tokens kept in clear text that never expire and change only ' +
      'with a restart (CIS 1.2.2). Without --kubelet-client-certificate and --kubelet-client-key the API server calls ' +
      'kubelets (exec, attach, logs, port-forward) without a client certificate, so kubelets must refuse it or accept ' +
      'anonymous requests (1.2.4); without --kubelet-certificate-authority it does not verify the kubelets\' serving ' +
      'certificates, and whoever intercepts the connection sees those sessions (1.2.5). --service-account-lookup=false ' +
      '(the default is true) lets legacy Secret-based ServiceAccount tokens authenticate after their Secret or ' +
      'ServiceAccount is deleted (1.2.21); bound tokens are always checked. --service-account-key-file gives the ' +
      'public keys that verify ServiceAccount tokens (1.2.22); current releases refuse to start without it unless ' +
      '--service-account-signing-endpoint (an external signer) supplies the keys, in which case it is not expected. ' +
      'Without --client-ca-file no client certificate authenticates, leaving components and administrators to bearer ' +
      'tokens (1.2.25). --service-account-extend-token-expiration, true by default, issues the tokens the ServiceAccount ' +
      'admission plugin projects into Pods with a one-year lifetime, ignoring --service-account-max-token-expiration, ' +
      'so a token copied from a Pod works for a year (1.2.30).',
    remediation:
      'In the API server\'s static Pod manifest (for kubeadm, /etc/kubernetes/manifests/kube-apiserver.yaml): remove ' +
      '--token-auth-file; set --kubelet-client-certificate and --kubelet-client-key (kubeadm: ' +
      '/etc/kubernetes/pki/apiserver-kubelet-client.crt and .key), --kubelet-certificate-authority to the CA that signs ' +
      'kubelet serving certificates (enable serverTLSBootstrap on kubelets so they are signed by the cluster CA), ' +
      '--service-account-key-file to the public key matching --service-account-signing-key-file, --client-ca-file to ' +
      'the cluster CA, and --service-account-extend-token-expiration=false; remove --service-account-lookup=false.',
    controls: [
      'cis-k8s/1.2.2',
      'cis-k8s/1.2.4',
      'cis-k8s/1.2.5',
      'cis-k8s/1.2.21',
      'cis-k8s/1.2.22',
      'cis-k8s/1.2.25',
      'cis-k8s/1.2.30',
      NSA,
      'mitre-attack/T1078',
      'mitre-attack/T1528',
      'mitre-attack/T1557',
      'nist-800-190/4.3.2',
      'nist-800-190/4.3.5',
      'nist-800-53/IA-2',
      'nist-800-53/IA-3',
      'nist-800-53/IA-5',
      'nist-800-53/IA-5(2)',
      'nist-800-53/SC-8',
      'pci-dss/2.2.7',
      'pci-dss/8.3.2',
      'soc2/CC6.1',
      'iso-27001/5.17',
      'iso-27001/8.5',
      'hipaa/164.312(d)',
    ],
    messages: {
      tokenAuthFile:
        'kube-apiserver accepts static bearer tokens from --token-auth-file ({{file}}): they are kept in clear text, never expire and change only with a restart; remove --token-auth-file and use client certificates, OIDC or ServiceAccount tokens',
      kubeletClientCertMissing:
        'kube-apiserver has no client certificate for kubelets: {{missing}} not set, so kubelets see its exec, logs and port-forward requests as anonymous and must refuse them or accept anonymous requests; set --kubelet-client-certificate and --kubelet-client-key',
      kubeletCaMissing:
        'kube-apiserver does not verify kubelets\' serving certificates: --kubelet-certificate-authority is not set, so whoever intercepts its connections to kubelets sees exec sessions, logs and port-forwarded traffic; set it to the CA that signs kubelet serving certificates',
      serviceAccountLookupOff:
        'kube-apiserver does not check that ServiceAccount tokens still exist: --service-account-lookup is set to {{value}} (it defaults to true), so legacy Secret-based tokens keep working after their Secret or ServiceAccount is deleted; remove the flag or set --service-account-lookup=true',
      serviceAccountKeyFileMissing:
        'kube-apiserver is given no public key to verify ServiceAccount tokens with: neither --service-account-key-file nor --service-account-signing-endpoint is set, and current releases refuse to start without one of them; set --service-account-key-file to the public key matching --service-account-signing-key-file',
      clientCaMissing:
        'kube-apiserver authenticates no client certificates: --client-ca-file is not set, so kubelets, controllers and administrators cannot use certificate credentials; set it to the cluster CA certificate',
      tokenExpirationExtended:
        'kube-apiserver issues the ServiceAccount tokens projected into Pods with a one-year lifetime: --service-account-extend-token-expiration is {{state}}, and it overrides --service-account-max-token-expiration; set --service-account-extend-token-expiration=false',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --token-auth-file=/etc/kubernetes/tokens.csv',
      good:
        'command:\n- kube-apiserver\n- --client-ca-file=/etc/kubernetes/pki/ca.crt\n' +
        '- --kubelet-certificate-authority=/etc/kubernetes/pki/ca.crt\n' +
        '- --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt\n' +
        '- --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key\n' +
        '- --service-account-key-file=/etc/kubernetes/pki/sa.pub\n' +
        '- --service-account-signing-key-file=/etc/kubernetes/pki/sa.key\n' +
        '- --service-account-extend-token-expiration=false',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      const { invocation, object } = located;
      context.evaluated();
      const flags = invocation.flags;
      const report = (messageId: Parameters<typeof context.report>[0]['messageId'], flag: Flag | undefined, controls: string[], data: Record<string, string> = {}) =>
        context.report({ messageId, data, path: located.pathOf(flag), object, controls });

      const tokenFile = stringFlag(invocation, 'token-auth-file');
      if (tokenFile !== undefined) report('tokenAuthFile', getFlag(flags, 'token-auth-file'), ['cis-k8s/1.2.2', NSA, 'mitre-attack/T1078'], { file: tokenFile });

      const missingClient = ['--kubelet-client-certificate', '--kubelet-client-key'].filter((name) => stringFlag(invocation, name) === undefined);
      if (missingClient.length > 0) {
        const only = missingClient.length === 1 ? getFlag(flags, missingClient[0]!) : undefined;
        report('kubeletClientCertMissing', only, ['cis-k8s/1.2.4', NSA], { missing: missingPair(missingClient) });
      }

      if (stringFlag(invocation, 'kubelet-certificate-authority') === undefined) {
        report('kubeletCaMissing', getFlag(flags, 'kubelet-certificate-authority'), ['cis-k8s/1.2.5', NSA, 'mitre-attack/T1557']);
      }

      const lookup = getFlag(flags, 'service-account-lookup');
      if (!boolFlag(invocation, 'service-account-lookup', true)) {
        report('serviceAccountLookupOff', lookup, ['cis-k8s/1.2.21', NSA, 'mitre-attack/T1528'], { value: lookup!.value });
      }

      // An external signer (--service-account-signing-endpoint) supplies the verification keys and excludes key files.
      if (stringFlag(invocation, 'service-account-key-file') === undefined && stringFlag(invocation, 'service-account-signing-endpoint') === undefined) {
        report('serviceAccountKeyFileMissing', getFlag(flags, 'service-account-key-file'), ['cis-k8s/1.2.22', NSA]);
      }

      if (stringFlag(invocation, 'client-ca-file') === undefined) report('clientCaMissing', getFlag(flags, 'client-ca-file'), ['cis-k8s/1.2.25', NSA]);

      if (boolFlag(invocation, 'service-account-extend-token-expiration', true)) {
        const flag = getFlag(flags, 'service-account-extend-token-expiration');
        report('tokenExpirationExtended', flag, ['cis-k8s/1.2.30', NSA, 'mitre-attack/T1528'], { state: describeBool(flag) });
      }
    }
  },
});
