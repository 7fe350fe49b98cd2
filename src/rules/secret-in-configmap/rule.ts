import { scanObjectSecrets } from '../../analysers/secrets/index.ts';
import { formatPath } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { describeHit } from '../shared/secret-hits.ts';

export const rule = defineRule({
  meta: {
    id: 'secret-in-configmap',
    title: 'Credential stored in a ConfigMap',
    category: 'secrets',
    defaultSeverity: 'high',
    rationale:
      'ConfigMaps are meant for configuration anyone in the namespace may read: RBAC grants on them are broad, ' +
      'they are rarely covered by encryption at rest, and tools print them freely. A password, token, key or ' +
      'connection string in a ConfigMap (directly, inside a config file it carries, or in binaryData) is exposed ' +
      'to all of those readers.',
    remediation:
      'Rotate the credential, move it into a Secret (mounted as a file, or referenced with secretKeyRef) or an ' +
      'external secret store, and keep only non-secret settings in the ConfigMap.',
    controls: ['cis-k8s/5.4.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-53/IA-5', 'nist-800-53/IA-5(7)', 'pci-dss/8.3.2', 'pci-dss/8.6.2', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      found: '{{secret}} in ConfigMap {{field}}',
    },
    example: {
      bad: 'kind: ConfigMap\ndata:\n  application.properties: |\n    spring.datasource.password=P4ssw0rd-2024',
      good: 'kind: Secret\nstringData:\n  db-password: ...   # or an ExternalSecret',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'ConfigMap' }] },
  check(context, object) {
    for (const hit of scanObjectSecrets(object.object)) {
      if (hit.layer !== 'value' || (hit.path[0] !== 'data' && hit.path[0] !== 'binaryData')) continue;
      context.report({ messageId: 'found', data: { secret: describeHit(hit), field: formatPath(hit.path) }, path: hit.path });
    }
  },
});
