import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

const STORES = [
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'external-secrets.io', kind: 'ClusterExternalSecret' },
  { group: 'external-secrets.io', kind: 'SecretStore' },
  { group: 'external-secrets.io', kind: 'ClusterSecretStore' },
  { group: 'external-secrets.io', kind: 'PushSecret' },
  { group: 'bitnami.com', kind: 'SealedSecret' },
  { group: 'secrets-store.csi.x-k8s.io', kind: 'SecretProviderClass' },
  { group: 'secrets.hashicorp.com', kind: 'VaultStaticSecret' },
  { group: 'secrets.hashicorp.com', kind: 'VaultDynamicSecret' },
  { group: 'secrets.hashicorp.com', kind: 'HCPVaultSecretsApp' },
  { group: 'onepassword.com', kind: 'OnePasswordItem' },
  { group: 'secrets.doppler.com', kind: 'DopplerSecret' },
] as const;

function describe(kind: string, spec: Readonly<Record<string, unknown>> | undefined): string {
  switch (kind) {
    case 'ExternalSecret': {
      const store = asObject(spec?.['secretStoreRef']);
      return `reads ${asString(store?.['kind']) ?? 'SecretStore'} "${asString(store?.['name']) ?? '?'}"`;
    }
    case 'SecretStore':
    case 'ClusterSecretStore': {
      const provider = Object.keys(asObject(spec?.['provider']) ?? {})[0];
      return `connects to ${provider ?? 'an external provider'}`;
    }
    case 'SealedSecret':
      return 'holds values only the cluster\'s sealed-secrets controller can decrypt';
    case 'SecretProviderClass':
      return `mounts secrets from ${asString(spec?.['provider']) ?? 'an external provider'} through the Secrets Store CSI driver`;
    default:
      return 'syncs secrets from an external store';
  }
}

export const rule = defineRule({
  meta: {
    id: 'external-secret-store',
    title: 'Secrets come from an external store or are encrypted in git',
    category: 'secrets',
    defaultSeverity: 'info',
    rationale:
      'Good practice, recognised: credentials that live in a secret manager (External Secrets Operator, Secrets ' +
      'Store CSI, Vault, 1Password, Doppler) or are committed only encrypted (SealedSecrets) keep plaintext out of ' +
      'repositories and manifests. Reported as information so inventories and compliance evidence show which ' +
      'workloads use them.',
    remediation: 'Nothing to fix. Keep store credentials themselves out of the cluster where the provider allows workload identity.',
    controls: ['nsa-cisa/authentication-authorization'],
    messages: {
      store: '{{kind}} {{name}} {{what}}',
    },
    example: {
      bad: 'kind: Secret\nstringData:\n  password: P4ssw0rd-2024',
      good: 'kind: ExternalSecret\nspec:\n  secretStoreRef: {kind: ClusterSecretStore, name: vault}\n  data:\n  - secretKey: password\n    remoteRef: {key: prod/db, property: password}',
    },
  },
  scope: { type: 'object', kinds: STORES.map((store) => ({ group: store.group, kind: store.kind })) },
  check(context, object) {
    const spec = asObject(object.object['spec']);
    const keys = asArray(spec?.['data']).length;
    const what = describe(object.ref.kind, spec) + (object.ref.kind === 'ExternalSecret' && keys > 0 ? ` (${keys} key${keys === 1 ? '' : 's'})` : '');
    context.report({ messageId: 'store', data: { kind: object.ref.kind, name: object.ref.name, what }, path: spec ? ['spec'] : [] });
  },
});
