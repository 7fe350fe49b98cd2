import { apiGroupOf, type InventoryObject } from '../../core/inventory.ts';
import type { Path } from '../../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../../core/pod-templates.ts';
import { defineRule } from '../../core/rule-api.ts';
import { serviceAccountNameOf } from '../shared/pod.ts';

function serviceAccountKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}\u0000${name}`;
}

export const rule = defineRule({
  meta: {
    id: 'service-account-token-automount',
    title: 'Service account token is mounted into the pod',
    category: 'service-accounts',
    defaultSeverity: 'medium',
    rationale:
      'Unless automounting is disabled, Kubernetes mounts a token of the pod\'s service account into every ' +
      'container. Most applications never call the Kubernetes API, but anyone who compromises them can read the ' +
      'token and act with the service account\'s permissions, which grow over time as RBAC is added. ' +
      'automountServiceAccountToken: false on the pod, or on its ServiceAccount, removes the token; a pod-level ' +
      'true overrides a ServiceAccount-level false. The ServiceAccount is looked up in the scanned input by the ' +
      'pod\'s namespace and service account name (objects without a namespace match each other).',
    remediation:
      'Set automountServiceAccountToken: false in the pod spec, or on the ServiceAccount it uses. Workloads that ' +
      'do call the API should use a dedicated ServiceAccount with minimal RBAC, and suppress this finding with a ' +
      'justification.',
    controls: ['cis-k8s/5.1.6', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-53/AC-6', 'pci-dss/7.2.5', 'soc2/CC6.3', 'iso-27001/5.17', 'hipaa/164.312(a)(1)'],
    messages: {
      enabled:
        'the pod sets automountServiceAccountToken: true, so the token of service account "{{serviceAccount}}" is mounted into every container',
      notDisabled:
        'neither the pod nor service account "{{serviceAccount}}" sets automountServiceAccountToken: false, so its token is mounted into every container',
    },
    example: {
      bad: 'spec:\n  serviceAccountName: web\n  containers:\n  - name: web\n    image: registry.example.com/web:1.2.3',
      good: 'spec:\n  serviceAccountName: web\n  automountServiceAccountToken: false\n  containers:\n  - name: web\n    image: registry.example.com/web:1.2.3',
    },
  },
  // Inventory scope: the ServiceAccount objects of the same input decide as well. What it judges are pod templates: its
  // kinds are those that embed one (ServiceAccounts alone are not judged, and RBAC rules cover their kind).
  scope: { type: 'inventory', kinds: BUILTIN_POD_TEMPLATE_LOCATIONS.map(({ group, kind }) => ({ ...(group !== undefined ? { group } : {}), kind })) },
  check(context, inventory) {
    const disabledByServiceAccount = new Set<string>();
    for (const object of inventory.objects) {
      if (object.ref.kind !== 'ServiceAccount' || apiGroupOf(object.ref.apiVersion) !== '') continue;
      if (object.object['automountServiceAccountToken'] === false) {
        disabledByServiceAccount.add(serviceAccountKey(object.ref.namespace, object.ref.name));
      }
    }
    const report = (object: InventoryObject, messageId: 'enabled' | 'notDisabled', serviceAccount: string, path: Path): void =>
      context.report({ messageId, data: { serviceAccount }, path, object });

    for (const template of inventory.podTemplates) {
      const { object } = template;
      const serviceAccount = serviceAccountNameOf(template.spec)?.value ?? 'default';
      const path = [...template.specPath, 'automountServiceAccountToken'];
      const podSetting = template.spec['automountServiceAccountToken'];
      if (podSetting === false) continue;
      if (podSetting === true) {
        report(object, 'enabled', serviceAccount, path);
        continue;
      }
      if (disabledByServiceAccount.has(serviceAccountKey(object.ref.namespace, serviceAccount))) continue;
      report(object, 'notDisabled', serviceAccount, path);
    }
  },
});
