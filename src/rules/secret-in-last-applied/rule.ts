import { scanObjectSecrets } from '../../analysers/secrets/index.ts';
import { isCoreKind } from '../../core/inventory.ts';
import { asObject, isJsonObject, LAST_APPLIED_ANNOTATION, SNAPSHOT_REDACTED_ANNOTATION } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { describeHit } from '../shared/secret-hits.ts';

/** The keys whose values the annotation holds; in a snapshot (values blanked) every key it names. */
function appliedSecretKeys(annotation: string, blanked: boolean): string[] {
  try {
    const applied: unknown = JSON.parse(annotation);
    if (!isJsonObject(applied)) return [];
    return ['data', 'stringData'].flatMap((field) => {
      const values = asObject(applied[field]) ?? {};
      return Object.entries(values)
        .filter(([, value]) => typeof value === 'string' && (value !== '' || blanked))
        .map(([key]) => `${field}.${key}`);
    });
  } catch {
    return [];
  }
}

export const rule = defineRule({
  meta: {
    id: 'secret-in-last-applied',
    title: 'Secret values kept in the last-applied-configuration annotation',
    category: 'secrets',
    defaultSeverity: 'high',
    rationale:
      'Client-side `kubectl apply` stores the whole applied manifest in the kubectl.kubernetes.io/last-applied-' +
      'configuration annotation — for a Secret, every value, stringData in clear text. Annotations are printed by ' +
      'kubectl describe and get -o yaml, copied into SealedSecrets and backups, and read by anyone who may get the ' +
      'object. Credentials removed from an object also live on in the annotation until it is re-applied.',
    remediation:
      'Apply with server-side apply (`kubectl apply --server-side`), which writes no such annotation, remove the ' +
      'annotation (`kubectl annotate secret NAME kubectl.kubernetes.io/last-applied-configuration-`), and rotate ' +
      'the credentials it exposed.',
    controls: ['nsa-cisa/authentication-authorization', 'mitre-attack/T1552', 'nist-800-190/4.1.4', 'nist-800-53/IA-5', 'pci-dss/8.3.2', 'soc2/CC6.1', 'iso-27001/5.17'],
    messages: {
      secretValues: 'the last-applied annotation holds this Secret\'s values in clear text ({{keys}})',
      found: 'the last-applied annotation holds {{secret}} that the object itself no longer shows (value not shown)',
    },
    example: {
      bad: 'kind: Secret\nmetadata:\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: |\n      {"kind":"Secret","stringData":{"password":"…"}}',
      good: 'kind: Secret   # applied with kubectl apply --server-side: no annotation',
    },
  },
  scope: { type: 'inventory' },
  check(context, { objects }) {
    for (const object of objects) {
      const annotations = asObject(asObject(object.object['metadata'])?.['annotations']);
      const annotation = annotations?.[LAST_APPLIED_ANNOTATION];
      if (typeof annotation !== 'string') continue;
      const path = ['metadata', 'annotations', LAST_APPLIED_ANNOTATION];
      if (isCoreKind(object, 'Secret')) {
        const keys = appliedSecretKeys(annotation, annotations?.[SNAPSHOT_REDACTED_ANNOTATION] !== undefined);
        if (keys.length > 0) context.report({ messageId: 'secretValues', data: { keys: keys.join(', ') }, path, object });
        continue;
      }
      const hits = scanObjectSecrets(object.object);
      // The same credential in the live fields is reported there; here only what the annotation alone keeps.
      const live = new Set(hits.filter((hit) => hit.layer !== 'last-applied').map((hit) => hit.redacted.hash));
      for (const hit of hits) {
        if (hit.layer !== 'last-applied' || live.has(hit.redacted.hash)) continue;
        context.report({ messageId: 'found', data: { secret: describeHit(hit) }, path, object });
      }
    }
  },
});
