import { asArray, asObject, asString, type JsonObject, type Path } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

// Key sizes the API server accepts per local-key provider (aes.NewCipher: 16/24/32; secretbox: 32).
const KEY_SIZES: Readonly<Record<string, readonly number[]>> = { aescbc: [16, 24, 32], aesgcm: [16, 24, 32], secretbox: [32] };
const LOCAL_KEY_PROVIDERS = Object.keys(KEY_SIZES);
// Decoded sample keys from the Kubernetes documentation (compared decoded, so padding or whitespace do not matter).
const SAMPLE_KEYS: readonly string[] = ['secret is secure', 'this is password'];

/** Whether an entry of `resources[].resources` names Secrets: `secrets`, `*.` (core group) or `*.*`. */
function coversSecrets(name: string): boolean {
  return name === 'secrets' || name === '*.' || name === '*.*';
}

/** The provider type of one `providers[]` item (its single key), or undefined. */
function providerType(provider: JsonObject | undefined): string | undefined {
  if (!provider) return undefined;
  return ['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'].find((type) => Object.hasOwn(provider, type));
}

/** Base64 (standard alphabet) to bytes, as a binary string; undefined when invalid. No node:* imports (core stays browser-safe). */
function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  try {
    return atob(value);
  } catch {
    return undefined;
  }
}

function isPrintableText(bytes: string): boolean {
  return bytes.length > 0 && /^[\x20-\x7e]+$/.test(bytes);
}

interface KeyUse {
  readonly provider: string;
  readonly name: string;
  readonly path: Path;
}

export const rule = defineRule({
  meta: {
    id: 'encryption-at-rest-config',
    title: 'Encryption at rest does not protect Secrets well',
    category: 'secrets',
    defaultSeverity: 'high',
    requires: "the API server's EncryptionConfiguration file (palisade node on a control-plane node, or the file itself)",
    rationale:
      'The API server encrypts objects in etcd as its --encryption-provider-config EncryptionConfiguration says. ' +
      'The first provider of the entry that matches a resource encrypts every write; the others only decrypt. ' +
      'If no entry covers Secrets, or identity comes first, Secrets reach etcd and its backups in plain text. ' +
      'aescbc is called weak upstream (padding-oracle class), aesgcm needs a new key at least every 200,000 writes, ' +
      'and KMS v1 is deprecated since Kubernetes 1.28. A documented sample key, a key of the wrong size, ' +
      'or a key reused under other names is no better than having no key.',
    remediation:
      'Cover secrets (or *.*) with an entry whose first provider is kms with apiVersion: v2, or secretbox with a ' +
      'random 32-byte key (head -c 32 /dev/urandom | base64); keep identity only as a last, read-only fallback ' +
      'while migrating, then rewrite all Secrets (kubectl get secrets -A -o json | kubectl replace -f -).',
    controls: ['cis-k8s/1.2.27', 'cis-k8s/1.2.28', 'nsa-cisa/network-separation', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-190/4.3.2', 'nist-800-53/SC-12', 'nist-800-53/SC-13', 'nist-800-53/SC-28', 'nist-800-53/SC-28(1)', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/8.24', 'hipaa/164.312(a)(2)(iv)'],
    messages: {
      secretsNotCovered: 'no resources[] entry lists secrets, *. or *.*; Secrets are stored unencrypted',
      identityFirst: 'identity is the first provider for {{resources}}; writes are stored unencrypted (keep identity only as a trailing read fallback)',
      aescbcWeak: 'aescbc is the first provider for {{resources}}; upstream calls it weak (padding-oracle class); prefer kms v2 or secretbox',
      aesgcmRotation: 'aesgcm is the first provider for {{resources}}; its key must be rotated at least every 200,000 writes; prefer kms v2 or automate rotation',
      kmsV1Deprecated: 'kms provider "{{name}}" uses KMS v1 (apiVersion {{apiVersion}}), deprecated since 1.28 and off by default from 1.29; set apiVersion: v2',
      sampleKey: '{{provider}} key "{{name}}" {{problem}}; generate a random key (value not shown)',
      reusedKey: '{{provider}} key "{{name}}" reuses the key material of {{firstProvider}} key "{{firstName}}" (value not shown)',
    },
    example: {
      bad:
        'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n' +
        '  providers:\n  - identity: {}\n  - aescbc:\n      keys:\n      - name: key1\n        secret: <BASE 64 ENCODED SECRET>',
      good:
        'apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n' +
        '  providers:\n  - kms:\n      apiVersion: v2\n      name: kms-plugin\n      endpoint: unix:///var/run/kms.sock\n  - identity: {}',
    },
  },
  scope: { type: 'object', kinds: [{ group: 'apiserver.config.k8s.io', kind: 'EncryptionConfiguration' }] },
  check(context, object) {
    context.evaluated();
    const entries = asArray(object.object['resources']);

    // The first entry naming Secrets decides how they are written.
    const secretsEntry = entries.findIndex((entry) => asArray(asObject(entry)?.['resources']).some((name) => coversSecrets(asString(name) ?? '')));
    if (secretsEntry === -1) context.report({ messageId: 'secretsNotCovered', path: ['resources'] });

    const keysSeen = new Map<string, KeyUse>();
    entries.forEach((rawEntry, entryIndex) => {
      const entry = asObject(rawEntry);
      const resources = asArray(entry?.['resources']).map((name) => asString(name) ?? '').join(', ');
      const providers = asArray(entry?.['providers']);
      const firstType = providerType(asObject(providers[0]));
      const firstPath: Path = ['resources', entryIndex, 'providers', 0];
      if (firstType === 'identity' && entryIndex === secretsEntry) context.report({ messageId: 'identityFirst', data: { resources }, path: firstPath });
      if (firstType === 'aescbc') context.report({ messageId: 'aescbcWeak', data: { resources }, path: [...firstPath, 'aescbc'] });
      if (firstType === 'aesgcm') context.report({ messageId: 'aesgcmRotation', data: { resources }, path: [...firstPath, 'aesgcm'] });

      providers.forEach((rawProvider, providerIndex) => {
        const provider = asObject(rawProvider);
        const type = providerType(provider);
        const providerPath: Path = ['resources', entryIndex, 'providers', providerIndex];
        if (type === 'kms') {
          // apiVersion defaults to v1; from 1.29 a v1 provider (even a read fallback) needs the KMSv1 feature gate.
          const kms = asObject(provider?.['kms']);
          const apiVersion = asString(kms?.['apiVersion']) ?? 'v1';
          if (apiVersion !== 'v2') {
            context.report({
              messageId: 'kmsV1Deprecated',
              data: { name: asString(kms?.['name']) ?? '', apiVersion: kms?.['apiVersion'] === undefined ? 'unset, defaults to v1' : apiVersion },
              path: [...providerPath, 'kms', 'apiVersion'],
            });
          }
          return;
        }
        if (!type || !LOCAL_KEY_PROVIDERS.includes(type)) return;
        asArray(asObject(provider?.[type])?.['keys']).forEach((rawKey, keyIndex) => {
          const key = asObject(rawKey);
          const secret = asString(key?.['secret']);
          if (secret === undefined) return;
          const name = asString(key?.['name']) ?? '';
          const path: Path = [...providerPath, type, 'keys', keyIndex, 'secret'];
          const bytes = decodeBase64(secret.trim());
          const sizes = KEY_SIZES[type] ?? [];
          let problem: string | undefined;
          if (bytes === undefined) problem = 'is not valid base64';
          else if (SAMPLE_KEYS.includes(bytes)) problem = 'is a well-known sample key from the Kubernetes documentation';
          else if (!sizes.includes(bytes.length)) problem = `decodes to ${bytes.length} bytes; ${type} needs ${sizes.join(', ')} bytes`;
          else if (isPrintableText(bytes)) problem = `decodes to ${bytes.length} bytes of printable text, not random bytes`;
          if (problem) context.report({ messageId: 'sampleKey', data: { provider: type, name, problem }, path });

          const material = bytes ?? secret;
          const first = keysSeen.get(material);
          if (!first) keysSeen.set(material, { provider: type, name, path });
          else if (first.provider !== type || first.name !== name) {
            context.report({ messageId: 'reusedKey', data: { provider: type, name, firstProvider: first.provider, firstName: first.name }, path });
          }
        });
      });
    });
  },
});
