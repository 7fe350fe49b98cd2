import { defineRule } from '../../core/rule-api.ts';
import { serviceAccountNameOf } from '../shared/pod.ts';

export const rule = defineRule({
  meta: {
    id: 'default-service-account',
    title: 'Pod runs as the default service account',
    category: 'service-accounts',
    defaultSeverity: 'low',
    rationale:
      'Every pod that names no service account runs as its namespace\'s "default" ServiceAccount. All those ' +
      'workloads then share one identity: any permission granted to "default" for one of them is granted to all, ' +
      'and audit logs cannot tell them apart. A dedicated ServiceAccount per workload keeps RBAC least-privilege ' +
      'and attributable.',
    remediation:
      'Create a ServiceAccount for the workload (with automountServiceAccountToken: false unless it calls the ' +
      'API), set spec.serviceAccountName to it, and grant the default ServiceAccount no permissions.',
    controls: ['cis-k8s/5.1.5', 'nsa-cisa/authentication-authorization', 'nist-800-53/AC-2', 'nist-800-53/AC-6', 'pci-dss/8.2.2', 'soc2/CC6.3', 'iso-27001/5.16', 'hipaa/164.312(a)(2)(i)'],
    messages: {
      unset: 'the pod sets no serviceAccountName, so it runs as the namespace\'s "default" service account',
      default: 'the pod sets {{field}}: default, the namespace\'s shared default service account',
    },
    example: {
      bad: 'spec:\n  containers:\n  - name: web\n    image: registry.example.com/web:1.2.3',
      good: 'spec:\n  serviceAccountName: web\n  containers:\n  - name: web\n    image: registry.example.com/web:1.2.3',
    },
  },
  scope: { type: 'podTemplate' },
  check(context, template) {
    const named = serviceAccountNameOf(template.spec);
    if (!named) {
      context.report({ messageId: 'unset', path: [...template.specPath, 'serviceAccountName'] });
    } else if (named.value === 'default') {
      context.report({ messageId: 'default', data: { field: named.field }, path: [...template.specPath, named.field] });
    }
  },
});
