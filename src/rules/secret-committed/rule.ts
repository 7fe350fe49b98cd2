import { decodeBase64Bytes, describeRedacted, isNeverSecret, redactSecret, scanObjectSecrets } from '../../analysers/secrets/index.ts';
import { asObject, formatPath } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { describeHit } from '../shared/secret-hits.ts';

function decoded(value: string, encoded: boolean): string | undefined {
  return encoded ? decodeBase64Bytes(value)?.toString('latin1') : value;
}

export const rule = defineRule({
  meta: {
    id: 'secret-committed',
    title: 'Secret committed unencrypted',
    category: 'secrets',
    defaultSeverity: 'high',
    rationale:
      'base64 in a Secret manifest is an encoding, not encryption: a Secret with values in a repository gives every ' +
      'reader of the repository, its forks, clones, CI logs and history the credentials, and removing the file later ' +
      'does not remove them from history. Every value is reported, whatever it looks like; what a detector ' +
      'recognises is named.',
    remediation:
      'Rotate the credentials, remove the values from the repository (and its history), and commit an encrypted ' +
      'or indirect form instead: a SealedSecret, a SOPS-encrypted file, or an ExternalSecret / SecretProviderClass ' +
      'that reads an external secret store.',
    controls: ['nsa-cisa/authentication-authorization', 'mitre-attack/T1552.001', 'nist-800-190/4.1.4', 'nist-800-53/IA-5', 'nist-800-53/IA-5(7)', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      committed: 'Secret value {{key}} is committed unencrypted: {{value}}',
    },
    example: {
      bad: 'kind: Secret\nstringData:\n  password: P4ssw0rd-2024',
      good: 'kind: SealedSecret\nspec:\n  encryptedData:\n    password: AgBy3i4OJSWK…',
    },
  },
  scope: { type: 'object', kinds: [{ group: '', kind: 'Secret' }] },
  check(context, object) {
    // Only files: a live cluster's Secrets are where values belong.
    if (object.origin.type !== 'file') return;
    const secret = object.object;
    if (asObject(secret['sops']) || secret['type'] === 'helm.sh/release.v1') return;
    const hits = scanObjectSecrets(secret);
    for (const [field, encoded] of [['data', true], ['stringData', false]] as const) {
      for (const [key, value] of Object.entries(asObject(secret[field]) ?? {})) {
        if (typeof value !== 'string' || value.trim() === '') continue;
        const text = decoded(value, encoded);
        if (text === undefined || isNeverSecret(text)) continue;
        const hit = hits.find((candidate) => candidate.path[0] === field && candidate.path[1] === key && candidate.layer !== 'last-applied');
        const described = hit ? describeHit(hit) : `a value ${describeRedacted(redactSecret(text))}`;
        context.report({ messageId: 'committed', data: { key: formatPath([field, key]), value: described }, path: [field, key] });
      }
    }
  },
});
