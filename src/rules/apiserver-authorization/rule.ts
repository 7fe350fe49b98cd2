import { getFlag } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, listElements, REQUIRES_KUBE_APISERVER, stringFlag } from '../shared/component-flags.ts';

const NSA = 'nsa-cisa/authentication-authorization';

export const rule = defineRule({
  meta: {
    id: 'apiserver-authorization',
    title: 'API server authorizes requests without RBAC and the Node authorizer',
    category: 'cluster',
    defaultSeverity: 'critical',
    requires: REQUIRES_KUBE_APISERVER,
    rationale:
      'kube-apiserver asks the authorizers of --authorization-mode in order; the first to allow or deny decides. When ' +
      'neither --authorization-mode nor --authorization-config is set (or the mode list is empty) the mode defaults ' +
      'to AlwaysAllow, and any authenticated user may do anything. AlwaysAllow anywhere in the list allows every ' +
      'request that no earlier authorizer denies, and RBAC and Node never deny, so they cannot narrow it. Without RBAC, ' +
      'Roles and bindings have no effect; without the Node authorizer, kubelets need the broad system:node role ' +
      '(every Secret, ConfigMap and Pod of the cluster) instead of access limited to the Pods bound to them. The CIS ' +
      'Kubernetes Benchmark (1.2.6, 1.2.7, 1.2.8) asks for a mode list without AlwaysAllow that includes Node and ' +
      'RBAC. An --authorization-config file (AuthorizationConfiguration, structured authorization) replaces the mode ' +
      'flags and cannot be judged from the command line: the rule makes no claim about such API servers.',
    remediation:
      'Set --authorization-mode=Node,RBAC in the API server\'s static Pod manifest (for kubeadm, ' +
      '/etc/kubernetes/manifests/kube-apiserver.yaml), adding Webhook where an external authorizer is used; with ' +
      '--authorization-config, list Node and RBAC authorizers in the AuthorizationConfiguration and no AlwaysAllow.',
    controls: ['cis-k8s/1.2.6', 'cis-k8s/1.2.7', 'cis-k8s/1.2.8', NSA, 'nist-800-190/4.3.1', 'nist-800-190/4.3.5', 'nist-800-53/AC-3', 'nist-800-53/AC-3(7)', 'nist-800-53/AC-6', 'pci-dss/7.3.1', 'pci-dss/7.3.2', 'pci-dss/7.3.3', 'soc2/CC6.1', 'soc2/CC6.3', 'iso-27001/5.15', 'iso-27001/8.3', 'hipaa/164.312(a)(1)'],
    messages: {
      defaultAlwaysAllow:
        'kube-apiserver allows every authenticated request: {{state}}, so the authorization mode defaults to AlwaysAllow; set --authorization-mode=Node,RBAC',
      alwaysAllow:
        'kube-apiserver allows every authenticated request that no earlier authorizer denies: --authorization-mode is {{modes}}, and AlwaysAllow allows whatever reaches it (RBAC and Node never deny, so they cannot narrow it); remove AlwaysAllow, e.g. --authorization-mode=Node,RBAC',
      nodeMissing:
        'kube-apiserver does not use the Node authorizer: --authorization-mode is {{modes}}, so kubelets need RBAC grants to every Secret, ConfigMap and Pod instead of access limited to their own Pods; add Node, e.g. --authorization-mode=Node,RBAC',
      rbacMissing:
        'kube-apiserver does not use RBAC: --authorization-mode is {{modes}}, so Roles, ClusterRoles and their bindings have no effect; add RBAC, e.g. --authorization-mode=Node,RBAC',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --authorization-mode=AlwaysAllow',
      good: 'command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      const { invocation, object } = located;
      // Structured authorization: the authorizer chain lives in a file the flags do not show.
      if (stringFlag(invocation, 'authorization-config') !== undefined) continue;
      context.evaluated();
      const flag = getFlag(invocation.flags, 'authorization-mode');
      const modes = listElements(flag);
      if (modes.length === 0) {
        context.report({
          messageId: 'defaultAlwaysAllow',
          data: {
            state: flag ? '--authorization-mode is empty and --authorization-config is not set' : 'neither --authorization-mode nor --authorization-config is set',
          },
          path: located.pathOf(flag),
          object,
          controls: ['cis-k8s/1.2.6', 'cis-k8s/1.2.7', 'cis-k8s/1.2.8', NSA],
        });
        continue;
      }
      const names = modes.map((mode) => mode.value);
      const list = names.join(',');
      const hasNode = names.includes('Node');
      const hasRbac = names.includes('RBAC');
      const alwaysAllow = modes.find((mode) => mode.value === 'AlwaysAllow');
      if (alwaysAllow) {
        // One finding: the fix (Node,RBAC without AlwaysAllow) also settles the missing modes.
        context.report({
          messageId: 'alwaysAllow',
          data: { modes: list },
          path: located.pathOfSource(alwaysAllow.source),
          object,
          controls: ['cis-k8s/1.2.6', ...(hasNode ? [] : ['cis-k8s/1.2.7']), ...(hasRbac ? [] : ['cis-k8s/1.2.8']), NSA],
        });
        continue;
      }
      if (!hasNode) {
        context.report({ messageId: 'nodeMissing', data: { modes: list }, path: located.pathOf(flag), object, controls: ['cis-k8s/1.2.7', NSA] });
      }
      if (!hasRbac) {
        context.report({ messageId: 'rbacMissing', data: { modes: list }, path: located.pathOf(flag), object, controls: ['cis-k8s/1.2.8', NSA] });
      }
    }
  },
});
