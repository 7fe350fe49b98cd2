import { gatesValue, getFlag, mapValue } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { boolFlag, invocationsOf, listFlag, REQUIRES_KUBE_CONTROLLER_MANAGER, stringFlag } from '../shared/component-flags.ts';

/**
 * Whether kube-controller-manager runs a controller, as its --controllers flag decides: the first element naming it
 * (`name` on, `-name` off) wins; otherwise `*` runs the controllers that are on by default. Unset, the flag is `*`.
 * Since 1.28 controllers have `…-controller` names and keep their old names as aliases; both are accepted.
 */
function controllerRuns(controllers: readonly string[], names: readonly string[]): boolean {
  let star = false;
  for (const item of controllers) {
    if (names.includes(item)) return true;
    if (item.startsWith('-') && names.includes(item.slice(1))) return false;
    if (item === '*') star = true;
  }
  return star;
}

const TOKEN_CONTROLLER = ['serviceaccount-token-controller', 'serviceaccount-token'];

export const rule = defineRule({
  meta: {
    id: 'controller-manager-config',
    title: 'kube-controller-manager misses a credential setting',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: REQUIRES_KUBE_CONTROLLER_MANAGER,
    rationale:
      'Four kube-controller-manager settings decide how controllers authenticate and what Pods are given to trust. ' +
      '--use-service-account-credentials (default false) makes each controller call the API with its own service ' +
      'account, held to the narrow RBAC role Kubernetes ships for it; without it every controller shares the ' +
      'manager\'s own, broader identity, so a flaw in any one controller can use all of its rights. ' +
      '--service-account-private-key-file (default unset) is the key the service-account token controller signs ' +
      'legacy token Secrets with; unset, that controller does not run. --root-ca-file (default unset) is the CA bundle ' +
      'published to Pods as the kube-root-ca.crt ConfigMap of every namespace and as ca.crt in token Secrets; unset, ' +
      'only the CA data embedded in the manager\'s kubeconfig is published, if any. The RotateKubeletServerCertificate ' +
      'feature gate (Beta, on by default since 1.12, not locked) should not be turned off. CIS Kubernetes Benchmark ' +
      '1.3.3 to 1.3.6.',
    remediation:
      'In the kube-controller-manager static Pod manifest (for kubeadm, /etc/kubernetes/manifests/kube-controller-manager.yaml) ' +
      'set --use-service-account-credentials=true, --service-account-private-key-file=/etc/kubernetes/pki/sa.key (the ' +
      'private half of kube-apiserver\'s --service-account-key-file), --root-ca-file=/etc/kubernetes/pki/ca.crt, and ' +
      'remove RotateKubeletServerCertificate=false from --feature-gates.',
    controls: ['cis-k8s/1.3.3', 'cis-k8s/1.3.4', 'cis-k8s/1.3.5', 'cis-k8s/1.3.6', 'nsa-cisa/authentication-authorization', 'nist-800-190/4.3.5', 'nist-800-53/AC-6', 'nist-800-53/IA-5(2)', 'nist-800-53/SC-12', 'pci-dss/2.2.6', 'pci-dss/7.2.5', 'soc2/CC6.1', 'soc2/CC6.3', 'iso-27001/8.9', 'iso-27001/8.24'],
    messages: {
      sharedCredentials:
        'kube-controller-manager\'s controllers all share the manager\'s own credentials: --use-service-account-credentials is {{state}} ' +
        '(it defaults to false); set --use-service-account-credentials=true so each controller uses its own service account and RBAC role',
      serviceAccountKeyMissing:
        'kube-controller-manager has no key to sign service-account tokens: --service-account-private-key-file is {{state}}, so its ' +
        'service-account token controller does not run; set it to the private key whose public half kube-apiserver reads with ' +
        '--service-account-key-file (kubeadm: /etc/kubernetes/pki/sa.key)',
      rootCaMissing:
        'kube-controller-manager has no CA bundle to publish: --root-ca-file is {{state}}, so what Pods get to verify the API ' +
        'server (the kube-root-ca.crt ConfigMap of every namespace, ca.crt of token Secrets) is only the CA data embedded in ' +
        'its kubeconfig, if any; set --root-ca-file to the cluster CA (kubeadm: /etc/kubernetes/pki/ca.crt)',
      serverCertRotationOff:
        'kube-controller-manager sets RotateKubeletServerCertificate={{value}} in --feature-gates (the gate is Beta and on by ' +
        'default since 1.12); remove it. Current kube-controller-managers do not act on this gate, the kubelets do: check ' +
        'their --feature-gates and featureGates as well',
    },
    example: {
      bad: 'command:\n- kube-controller-manager\n- --kubeconfig=/etc/kubernetes/controller-manager.conf',
      good:
        'command:\n- kube-controller-manager\n- --kubeconfig=/etc/kubernetes/controller-manager.conf\n' +
        '- --use-service-account-credentials=true\n- --service-account-private-key-file=/etc/kubernetes/pki/sa.key\n' +
        '- --root-ca-file=/etc/kubernetes/pki/ca.crt',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-controller-manager')) {
      const { invocation, object } = located;
      context.evaluated();
      const stateOf = (name: string) => {
        const flag = getFlag(invocation.flags, name);
        return flag === undefined ? 'not set' : flag.value === '' ? 'set to an empty value' : `set to ${flag.value}`;
      };

      if (!boolFlag(invocation, 'use-service-account-credentials', false)) {
        context.report({
          messageId: 'sharedCredentials',
          data: { state: stateOf('use-service-account-credentials') },
          path: located.pathOf(getFlag(invocation.flags, 'use-service-account-credentials')),
          object,
          controls: ['cis-k8s/1.3.3', 'nsa-cisa/authentication-authorization'],
        });
      }

      // The key only serves the token controller: when --controllers turns that off, nothing would read it.
      const controllers = getFlag(invocation.flags, 'controllers') ? listFlag(invocation, 'controllers') : ['*'];
      if (stringFlag(invocation, 'service-account-private-key-file') === undefined && controllerRuns(controllers, TOKEN_CONTROLLER)) {
        context.report({
          messageId: 'serviceAccountKeyMissing',
          data: { state: stateOf('service-account-private-key-file') },
          path: located.pathOf(getFlag(invocation.flags, 'service-account-private-key-file')),
          object,
          controls: ['cis-k8s/1.3.4', 'nsa-cisa/authentication-authorization'],
        });
      }

      if (stringFlag(invocation, 'root-ca-file') === undefined) {
        context.report({
          messageId: 'rootCaMissing',
          data: { state: stateOf('root-ca-file') },
          path: located.pathOf(getFlag(invocation.flags, 'root-ca-file')),
          object,
          controls: ['cis-k8s/1.3.5', 'nsa-cisa/authentication-authorization'],
        });
      }

      const gates = getFlag(invocation.flags, 'feature-gates');
      const gate = gates ? gatesValue(gates).get('RotateKubeletServerCertificate') : undefined;
      if (gates && gate && !gate.value) {
        // Point at the occurrence that decides the gate (occurrences merge, later ones win).
        const occurrence = gates.occurrences.findLast((item) => item.valueSource === gate.source) ?? gates.last;
        context.report({
          messageId: 'serverCertRotationOff',
          data: { value: mapValue(gates).get('RotateKubeletServerCertificate')?.value ?? 'false' },
          path: located.pathOf({ ...gates, last: occurrence }),
          object,
          controls: ['cis-k8s/1.3.6'],
        });
      }
    }
  },
});
