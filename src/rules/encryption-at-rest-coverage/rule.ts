import { scanObjectSecrets } from '../../analysers/secrets/index.ts';
import { apiGroupOf, isCoreKind, type InventoryObject } from '../../core/inventory.ts';
import { asArray, asObject, asString } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

/** The first provider type of the first entry whose resources match `matches`, or undefined if none does. */
function writerFor(configuration: InventoryObject, matches: (name: string) => boolean): string | undefined {
  for (const raw of asArray(configuration.object['resources'])) {
    const entry = asObject(raw);
    if (!asArray(entry?.['resources']).some((name) => matches(asString(name) ?? ''))) continue;
    const first = asObject(asArray(entry?.['providers'])[0]) ?? {};
    return ['identity', 'aescbc', 'aesgcm', 'secretbox', 'kms'].find((type) => Object.hasOwn(first, type)) ?? 'unknown';
  }
  return undefined;
}

function isEncrypting(writer: string | undefined): boolean {
  return writer !== undefined && writer !== 'identity';
}

/** Custom resources in the input that hold credentials, by API group and kind. */
function customResourcesWithCredentials(objects: readonly InventoryObject[]): Map<string, { group: string; kind: string; count: number }> {
  const found = new Map<string, { group: string; kind: string; count: number }>();
  for (const object of objects) {
    const group = apiGroupOf(object.ref.apiVersion);
    // Built-in groups have no dots or end in k8s.io; custom resources are what CRDs add.
    if (!group.includes('.') || group.endsWith('.k8s.io') || group === 'palisade.dev') continue;
    if (!scanObjectSecrets(object.object).some((hit) => hit.layer === 'value')) continue;
    const key = `${object.ref.kind}.${group}`;
    const entry = found.get(key) ?? { group, kind: object.ref.kind, count: 0 };
    entry.count++;
    found.set(key, entry);
  }
  return found;
}

export const rule = defineRule({
  meta: {
    id: 'encryption-at-rest-coverage',
    title: 'Credentials outside Secrets are not encrypted at rest',
    category: 'secrets',
    defaultSeverity: 'medium',
    requires: "the API server's EncryptionConfiguration file (palisade node on a control-plane node, or the file itself)",
    rationale:
      'An EncryptionConfiguration encrypts only the resources its entries list. Credentials rarely stay in Secrets: ' +
      'ConfigMaps carry config files with passwords, and operators keep tokens in their custom resources. Those ' +
      'objects reach etcd and its backups in plain text unless configmaps, their `<resource>.<group>` (or ' +
      '`*.<group>`, `*.*`) are covered too. Reported when the same input shows such objects holding credentials, ' +
      'or, for ConfigMaps, always (they are the usual place for configuration that later gains a password).',
    remediation:
      'Add configmaps and the custom resources that hold credentials (or `*.*`, with explicit identity exceptions ' +
      'such as events listed first) to an entry whose first provider is kms v2 or secretbox; better still, move ' +
      'the credentials into Secrets or an external store.',
    controls: ['cis-k8s/1.2.27', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-190/4.3.2', 'nist-800-53/SC-28', 'nist-800-53/SC-28(1)', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/8.24', 'hipaa/164.312(a)(2)(iv)'],
    messages: {
      configMaps: 'ConfigMaps are not encrypted at rest{{evidence}}; cover configmaps (or *., *.*) with a real provider first',
      customResources: '{{kind}} objects ({{group}}) hold credentials in this input ({{count}}) but are not encrypted at rest; cover {{group}} resources',
    },
    example: {
      bad: 'kind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers: [{kms: {apiVersion: v2, name: kms, endpoint: unix:///kms.sock}}]',
      good: 'kind: EncryptionConfiguration\nresources:\n- resources: [secrets, configmaps, "*.example.com"]\n  providers: [{kms: {apiVersion: v2, name: kms, endpoint: unix:///kms.sock}}]',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'apiserver.config.k8s.io', kind: 'EncryptionConfiguration' }] },
  check(context, { objects }) {
    const configurations = objects.filter((object) => object.ref.kind === 'EncryptionConfiguration' && apiGroupOf(object.ref.apiVersion) === 'apiserver.config.k8s.io');
    if (configurations.length === 0) return;
    const configMapsWithCredentials = objects.filter((object) => isCoreKind(object, 'ConfigMap') && scanObjectSecrets(object.object).length > 0).length;
    const customResources = [...customResourcesWithCredentials(objects).values()].sort((a, b) => (a.group + a.kind < b.group + b.kind ? -1 : 1));
    for (const configuration of configurations) {
      context.evaluated();
      const configMapWriter = writerFor(configuration, (name) => name === 'configmaps' || name === '*.' || name === '*.*');
      if (!isEncrypting(configMapWriter)) {
        const evidence = configMapsWithCredentials > 0 ? `, and ${configMapsWithCredentials} ConfigMap(s) in this input hold credentials` : '';
        context.report({ messageId: 'configMaps', data: { evidence }, path: ['resources'], object: configuration });
      }
      for (const custom of customResources) {
        const plural = `${custom.kind.toLowerCase()}s.${custom.group}`;
        const writer = writerFor(configuration, (name) => name === '*.*' || name === `*.${custom.group}` || name === plural || (name.startsWith(custom.kind.toLowerCase()) && name.endsWith(`.${custom.group}`)));
        if (!isEncrypting(writer)) context.report({ messageId: 'customResources', data: { kind: custom.kind, group: custom.group, count: custom.count }, path: ['resources'], object: configuration });
      }
    }
  },
});
