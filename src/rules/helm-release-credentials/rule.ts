import { scanObjectSecrets } from '../../analysers/secrets/index.ts';
import { asObject } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { describeHit } from '../shared/secret-hits.ts';

const SHOWN = 3;

export const rule = defineRule({
  meta: {
    id: 'helm-release-credentials',
    title: 'Helm release record holds credentials',
    category: 'secrets',
    defaultSeverity: 'medium',
    rationale:
      'Helm 3 keeps every release revision as a Secret (sh.helm.release.v1.<release>.v<revision>) whose data is the ' +
      'gzipped release: user-supplied values, chart defaults and every rendered manifest, other Secrets included. ' +
      'Anyone who may read Secrets in the namespace reads every credential ever passed to the chart, in every ' +
      'revision kept — often a wider group than the application\'s own Secrets were meant for.',
    remediation:
      'Pass credentials to charts as references to existing Secrets (existingSecret-style values) or through an ' +
      'external secret store rather than as values; limit --history-max; restrict Secret read access in release ' +
      'namespaces; rotate the credentials found.',
    controls: ['nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'nist-800-53/IA-5', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      found: 'Helm release {{release}} holds {{count}} credential(s) in its decoded values and manifests: {{secrets}}',
    },
    example: {
      bad: 'helm install shop ./chart --set database.password=P4ssw0rd-2024',
      good: 'helm install shop ./chart --set database.existingSecret=shop-db',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Secret' }] },
  check(context, object) {
    const hits = scanObjectSecrets(object.object).filter((hit) => hit.layer === 'helm-release');
    if (hits.length === 0) return;
    const labels = asObject(asObject(object.object['metadata'])?.['labels']);
    const release = typeof labels?.['name'] === 'string' ? `"${labels['name']}"${typeof labels['version'] === 'string' ? ` revision ${labels['version']}` : ''}` : object.ref.name;
    const shown = hits.slice(0, SHOWN).map(describeHit).join('; ');
    context.report({
      messageId: 'found',
      data: { release, count: hits.length, secrets: hits.length > SHOWN ? `${shown}; and ${hits.length - SHOWN} more` : shown },
      path: hits[0]!.path,
    });
  },
});
