import { bindingsGranting, grantText, IGNORE_DEFAULTS_OPTION, listText, RBAC_KINDS, subjectsText, tokenHolders } from '../../analysers/rbac/findings-helpers.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'rbac-nodes-proxy',
    title: 'Binding grants access to nodes/proxy',
    category: 'rbac',
    defaultSeverity: 'high',
    rationale:
      'The nodes/proxy subresource forwards requests to a node\'s kubelet API, which can run commands in every ' +
      'container on the node (/exec, /run), read their logs and list their pods. The kubelet authorizes these calls ' +
      'as nodes/proxy; they are not seen by admission control, and the API server\'s audit log records only the ' +
      'proxy request. get is enough: exec over a websocket starts with a GET. Monitoring agents often ask for it to ' +
      'scrape metrics, where nodes/metrics or nodes/stats would do. nodes are cluster-scoped, so only ' +
      'ClusterRoleBindings grant it. Bootstrap bindings (system:kubelet-api-admin for the API server) are skipped ' +
      'unless the ignoreDefaults option is turned off.',
    remediation:
      'Remove nodes/proxy from the role. For metrics, grant get on nodes/metrics and nodes/stats instead; only the ' +
      'API server itself needs the kubelet API in full.',
    controls: ['cis-k8s/5.1.10', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1609', 'mitre-attack/T1611', 'nist-800-190/4.3.1', 'nist-800-53/AC-6', 'pci-dss/7.2.2', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/8.2', 'hipaa/164.312(a)(1)'],
    messages: {
      nodesProxy:
        'lets {{subjects}} {{verbs}} nodes/proxy{{names}} through {{rule}}: the kubelet API runs commands in every ' +
        'container of those nodes, out of sight of admission control{{getNote}}',
    },
    example: {
      bad: 'rules:\n- apiGroups: [""]\n  resources: ["nodes/proxy"]\n  verbs: ["get"]',
      good: 'rules:\n- apiGroups: [""]\n  resources: ["nodes/metrics", "nodes/stats"]\n  verbs: ["get"]',
    },
  },
  scope: { type: 'inventory', kinds: RBAC_KINDS },
  options: { ignoreDefaults: IGNORE_DEFAULTS_OPTION },
  check(context, inventory) {
    for (const { source, binding, grants } of bindingsGranting(inventory.objects, context.options.ignoreDefaults, ['nodes-proxy'])) {
      const grant = grants[0]!;
      context.report({
        messageId: 'nodesProxy',
        data: {
          subjects: subjectsText(binding, tokenHolders(inventory.podTemplates, source)),
          verbs: listText(grant.verbs),
          names: grant.resourceNames.length > 0 ? ` of ${grant.resourceNames.length === 1 ? 'node' : 'nodes'} ${listText(grant.resourceNames, 5)}` : ' of every node',
          rule: grantText(binding, grant.rule),
          getNote: grant.verbs.includes('create') ? '' : ' (get is enough: exec over a websocket starts with a GET)',
        },
        path: ['roleRef', 'name'],
        object: binding.object,
      });
    }
  },
});
