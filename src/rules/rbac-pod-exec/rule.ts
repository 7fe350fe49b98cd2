import { bindingsGranting, type CapabilityGrant, grantText, IGNORE_DEFAULTS_OPTION, listText, namesText, RBAC_KINDS, scopeText, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import type { CapabilityId } from '../../analysers/rbac/capabilities.ts';
import { defineRule } from '../../core/rule-api.ts';

const POWERS: readonly (readonly [CapabilityId, string])[] = [
  ['exec-pods', 'exec into'],
  ['attach-pods', 'attach to'],
  ['ephemeral-containers', 'add ephemeral containers to'],
  ['portforward-pods', 'port-forward to'],
];

/** ` (get only: …)` when a websocket subresource is granted by get alone. */
function getOnlyNote(grants: readonly CapabilityGrant[]): string {
  const getOnly = grants.filter((grant) => grant.capability.id !== 'ephemeral-containers' && !grant.verbs.includes('create'));
  if (getOnly.length === 0) return '';
  return `; get on ${listText(getOnly.flatMap((grant) => grant.resources))} is enough for websocket clients where the API server does not also check create`;
}

export const rule = defineRule({
  meta: {
    id: 'rbac-pod-exec',
    title: 'Binding lets subjects exec into, attach to or port-forward to pods',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'pods/exec and pods/attach run commands in, or take over the terminal of, a running container: with its ' +
      'ServiceAccount token, mounted Secrets, volumes and, for a privileged pod, its node. Adding an ephemeral ' +
      'container (pods/ephemeralcontainers) does the same with an image and securityContext of the caller\'s choice. ' +
      'pods/portforward reaches any port of a pod from the kubelet, past NetworkPolicy. Websocket clients open exec, ' +
      'attach and port-forward with GET, so get on these subresources can be as good as create. Through a ' +
      'ClusterRoleBinding this covers every pod, the control plane\'s included. Bindings that grant everything are ' +
      'reported by the admin-binding rules instead; bootstrap bindings are skipped unless the ignoreDefaults option ' +
      'is turned off.',
    remediation:
      'Grant exec, attach, ephemeral containers and port-forward only for debugging, to people rather than ' +
      'ServiceAccounts, in the namespaces they own, ideally for a limited time. Remove get and create on ' +
      'pods/exec, pods/attach, pods/portforward and update and patch on pods/ephemeralcontainers from other roles.',
    controls: ['nsa-cisa/authentication-authorization', 'mitre-attack/T1609', 'mitre-attack/T1611', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      exec:
        'lets {{subjects}} {{powers}} pods {{scope}} through {{rule}}{{names}}: commands run inside the pods with ' +
        'their ServiceAccount tokens, Secrets and volumes{{getOnly}}',
      portForward:
        'lets {{subjects}} port-forward to pods {{scope}} through {{rule}}{{names}}: any port of a pod is reachable ' +
        'through the kubelet, past NetworkPolicy{{getOnly}}',
    },
    example: {
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["pods/exec"]\n  verbs: ["create"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["pods", "pods/log"]\n  verbs: ["get", "list"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    const ids = POWERS.map(([id]) => id);
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ids)) {
      const codeExecution = grants.some((grant) => grant.capability.id !== 'portforward-pods');
      const powers = POWERS.filter(([id]) => grants.some((grant) => grant.capability.id === id)).map(([, text]) => text);
      const first = grants[0]!;
      context.report({
        messageId: codeExecution ? 'exec' : 'portForward',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          powers: listText(powers, 4).replace(/ and (?=[^,]*$)/, ' or '),
          scope: scopeText(binding),
          rule: grantText(binding, first.rule),
          names: namesText(first),
          getOnly: getOnlyNote(grants),
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
