import { load as loadYaml } from 'js-yaml';
import { LAST_APPLIED_ANNOTATION, formatPath, isJsonObject, type JsonObject, type JsonValue, type Path } from '../../core/model.ts';
import { detectorInfo } from './catalogue.ts';
import { decodeBase64Text, decodeHelmRelease } from './decode.ts';
import type { DetectorSeverity } from './detector.ts';
import { isNeverSecret } from './not-secret.ts';
import { redactSecret, type RedactedSecret } from './redact.ts';
import { scanText } from './scan-text.ts';

/**
 * Where in an object a secret was found:
 * - `value`: a plain field (env value, annotation, ConfigMap entry, CR field, …);
 * - `secret-data`: a Secret's `data` (decoded) or `stringData` — where secrets belong, if not in git;
 * - `last-applied`: inside the `kubectl.kubernetes.io/last-applied-configuration` annotation;
 * - `helm-release`: inside a decoded Helm release record (values or rendered manifest);
 * - `docker-config`: a registry credential of a `.dockerconfigjson` / `.dockercfg`.
 */
export type SecretLayer = 'value' | 'secret-data' | 'last-applied' | 'helm-release' | 'docker-config';

export interface SecretHit {
  readonly detectorId: string;
  readonly title: string;
  readonly severity: DetectorSeverity;
  /** The field of the object that holds the secret, or holds the encoded text it was decoded from. */
  readonly path: Path;
  readonly layer: SecretLayer;
  /** Inside a decoded value, where: `auths["ghcr.io"].auth`, `config.database.password`. */
  readonly inner?: string;
  readonly redacted: RedactedSecret;
  /** For a hit in a plain string field: its offsets in that string (for line-precise text positions). */
  readonly offsets?: { readonly start: number; readonly end: number };
}

const SKIPPED_METADATA = new Set(['managedFields', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink', 'ownerReferences', 'finalizers']);
const MAX_LAST_APPLIED_CHARS = 2 * 1024 * 1024;
const MAX_MANIFEST_CHARS = 16 * 1024 * 1024;
/** Groups whose objects reference secrets in external stores by name: their key-named fields hold no secret. */
const REFERENCE_GROUPS = new Set(['external-secrets.io', 'secrets-store.csi.x-k8s.io', 'secrets.hashicorp.com', 'onepassword.com', 'secrets.doppler.com', 'secretgenerator.mittwald.de']);
const HELM_RELEASE_TYPE = 'helm.sh/release.v1';

interface Walk {
  readonly hits: SecretHit[];
  readonly layer: SecretLayer;
  /** Path of the field in the scanned object that holds the decoded text (for decoded layers). */
  readonly anchor?: Path;
  /** Generic (name-based) detection off: the object names secrets rather than holding them. */
  readonly namesOnly: boolean;
  /** Decoded layers nest at most this deep (last-applied inside a Helm manifest, and no further). */
  readonly depth: number;
}

function groupOf(apiVersion: unknown): string {
  return typeof apiVersion === 'string' && apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
}

function addMatches(walk: Walk, text: string, path: Path, name: string | undefined, layer: SecretLayer = walk.layer): void {
  if (text.length < 6) return;
  for (const match of scanText(text, walk.namesOnly ? undefined : name)) {
    if (walk.namesOnly && (match.detectorId === 'generic-password' || match.detectorId === 'generic-secret')) continue;
    const info = detectorInfo(match.detectorId);
    const inDecoded = walk.anchor !== undefined;
    walk.hits.push({
      detectorId: match.detectorId,
      title: info.title,
      severity: info.severity,
      path: walk.anchor ?? path,
      layer,
      ...(inDecoded ? (path.length > 0 ? { inner: formatPath(path) } : {}) : { offsets: { start: match.start, end: match.end } }),
      redacted: redactSecret(match.secret),
    });
  }
}

/**
 * `--password=x` and `--password x` in args and command lists, `PASSWORD=x` in kustomize secretGenerator and
 * configMapGenerator `literals`: the name before `=` (or the flag before) names the value.
 */
function walkArguments(walk: Walk, list: readonly JsonValue[], path: Path): void {
  list.forEach((item, index) => {
    if (typeof item !== 'string') return walkValue(walk, item, [...path, index], undefined);
    const flag = /^(?:--?)?([A-Za-z0-9][A-Za-z0-9_.-]{0,100})=([\s\S]*)$/.exec(item);
    if (flag) {
      // Report the whole argument's path; the name-based judgement sees only the value.
      const before = walk.hits.length;
      addMatches(walk, flag[2]!, [...path, index], flag[1]);
      const shift = item.length - flag[2]!.length;
      for (let i = before; i < walk.hits.length; i++) {
        const hit = walk.hits[i]!;
        if (hit.offsets) walk.hits[i] = { ...hit, offsets: { start: hit.offsets.start + shift, end: hit.offsets.end + shift } };
      }
      return;
    }
    const previous = index > 0 ? list[index - 1] : undefined;
    const flagBefore = typeof previous === 'string' ? /^--?([A-Za-z0-9][A-Za-z0-9_.-]{0,100})$/.exec(previous) : null;
    addMatches(walk, item, [...path, index], flagBefore?.[1]);
  });
}

function isNameValueList(list: readonly JsonValue[]): boolean {
  return list.length > 0 && list.every((item) => isJsonObject(item) && typeof item['name'] === 'string');
}

function walkValue(walk: Walk, value: JsonValue | undefined, path: Path, name: string | undefined): void {
  if (typeof value === 'string') return addMatches(walk, value, path, name);
  if (Array.isArray(value)) {
    const key = path[path.length - 1];
    if (key === 'args' || key === 'command' || key === 'literals') return walkArguments(walk, value as readonly JsonValue[], path);
    // env, httpHeaders, params: each item's `name` names its `value`.
    const named = isNameValueList(value as readonly JsonValue[]);
    (value as readonly JsonValue[]).forEach((item, index) => {
      if (named && isJsonObject(item)) walkObject(walk, item, [...path, index], item['name'] as string);
      else walkValue(walk, item, [...path, index], name);
    });
    return;
  }
  if (isJsonObject(value)) walkObject(walk, value, path, name);
}

function walkObject(walk: Walk, object: JsonObject, path: Path, itemName?: string): void {
  for (const [key, child] of Object.entries(object)) {
    // In a `{name, value}` item the value is named by the item's name; keys that are not secrets say nothing.
    const name = key === 'value' && itemName !== undefined ? itemName : key;
    walkValue(walk, child, [...path, key], name);
  }
}

function walkMetadata(walk: Walk, metadata: JsonObject, path: Path): void {
  for (const [key, child] of Object.entries(metadata)) {
    if (SKIPPED_METADATA.has(key)) continue;
    if (key === 'annotations' && isJsonObject(child)) {
      for (const [annotation, text] of Object.entries(child)) {
        const annotationPath = [...path, key, annotation];
        if (annotation === LAST_APPLIED_ANNOTATION && typeof text === 'string') walkLastApplied(walk, text, annotationPath);
        else if (typeof text === 'string') addMatches(walk, text, annotationPath, annotation.slice(annotation.lastIndexOf('/') + 1));
      }
      continue;
    }
    walkValue(walk, child, [...path, key], key);
  }
}

function walkLastApplied(walk: Walk, text: string, path: Path): void {
  if (walk.depth > 1 || text.length > MAX_LAST_APPLIED_CHARS) return;
  let applied: unknown;
  try {
    applied = JSON.parse(text);
  } catch {
    return addMatches(walk, text, path, undefined);
  }
  if (!isJsonObject(applied)) return;
  walkKubernetesObject({ ...walk, layer: 'last-applied', anchor: walk.anchor ?? path, depth: walk.depth + 1 }, applied, []);
}

function walkSecretData(walk: Walk, secret: JsonObject, path: Path): void {
  const type = secret['type'];
  const data = isJsonObject(secret['data']) ? secret['data'] : {};
  const stringData = isJsonObject(secret['stringData']) ? secret['stringData'] : {};
  const layer: SecretLayer = walk.layer === 'value' ? 'secret-data' : walk.layer;
  for (const [field, values, encoded] of [['data', data, true], ['stringData', stringData, false]] as const) {
    for (const [key, stored] of Object.entries(values)) {
      if (typeof stored !== 'string' || stored === '') continue;
      const keyPath = [...path, field, key];
      const text = encoded ? decodeBase64Text(stored) : stored;
      if (key === 'release' && type === HELM_RELEASE_TYPE) {
        walkHelmRelease(walk, stored, encoded, keyPath);
        continue;
      }
      if (text === undefined) continue;
      if ((key === '.dockerconfigjson' || key === '.dockercfg') && walkDockerConfig(walk, text, keyPath)) continue;
      // A decoded value has no position of its own: anchor it to the field, and name the key as its place.
      const anchored: Walk = encoded ? { ...walk, layer, anchor: walk.anchor ?? keyPath } : { ...walk, layer };
      addMatches(anchored, text, encoded && walk.anchor === undefined ? [] : keyPath, key, layer);
    }
  }
}

/** `auths.<registry>.auth` is base64 of `user:password`; `password` and tokens may also be there in clear. */
function walkDockerConfig(walk: Walk, text: string, path: Path): boolean {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return false;
  }
  if (!isJsonObject(config)) return false;
  const auths = isJsonObject(config['auths']) ? config['auths'] : config; // .dockercfg has no `auths` level
  const decoded: Walk = { ...walk, layer: 'docker-config', anchor: walk.anchor ?? path };
  for (const [registry, entry] of Object.entries(auths)) {
    if (!isJsonObject(entry)) continue;
    const auth = entry['auth'];
    if (typeof auth === 'string' && auth !== '') {
      const credentials = decodeBase64Text(auth);
      const separator = credentials?.indexOf(':') ?? -1;
      const password = credentials !== undefined && separator > 0 ? credentials.slice(separator + 1) : undefined;
      if (password !== undefined && password.length >= 6 && !isNeverSecret(password)) {
        // A provider token used as the password (ghp_…, dckr_pat_…) is named as such; otherwise a registry password.
        const before = decoded.hits.length;
        addMatches({ ...decoded, namesOnly: true }, password, ['auths', registry, 'auth'], undefined);
        if (decoded.hits.length === before) {
          const info = detectorInfo('docker-config-auth');
          decoded.hits.push({
            detectorId: info.id,
            title: info.title,
            severity: info.severity,
            path: decoded.anchor!,
            layer: 'docker-config',
            inner: formatPath(['auths', registry, 'auth']),
            redacted: redactSecret(password),
          });
        }
      }
    }
    for (const field of ['password', 'identitytoken', 'registrytoken']) {
      const value = entry[field];
      if (typeof value === 'string') addMatches(decoded, value, ['auths', registry, field], field === 'password' ? 'password' : 'token');
    }
  }
  return true;
}

function walkHelmRelease(walk: Walk, stored: string, encoded: boolean, path: Path): void {
  if (walk.depth > 0) return;
  const decoded = decodeHelmRelease(encoded ? stored : Buffer.from(stored, 'latin1').toString('base64'));
  if (!decoded.ok || !isJsonObject(decoded.release)) return;
  const release = decoded.release;
  const inner: Walk = { ...walk, layer: 'helm-release', anchor: walk.anchor ?? path, depth: walk.depth + 1 };
  walkValue(inner, release['config'], ['config'], undefined);
  const chart = isJsonObject(release['chart']) ? release['chart'] : {};
  walkValue(inner, chart['values'], ['chart', 'values'], undefined);
  const manifests: [Path, unknown][] = [[['manifest'], release['manifest']]];
  const hooks = Array.isArray(release['hooks']) ? release['hooks'] : [];
  hooks.forEach((hook, index) => manifests.push([['hooks', index, 'manifest'], isJsonObject(hook) ? hook['manifest'] : undefined]));
  for (const [manifestPath, manifest] of manifests) {
    if (typeof manifest !== 'string' || manifest.length > MAX_MANIFEST_CHARS) continue;
    manifest.split(/^---[ \t]*$/m).forEach((document, index) => {
      let object: unknown;
      try {
        object = loadYaml(document, { json: true });
      } catch {
        return addMatches(inner, document, [...manifestPath, index], undefined);
      }
      if (isJsonObject(object)) walkKubernetesObject(inner, object, [...manifestPath, index]);
    });
  }
}

function walkKubernetesObject(walk: Walk, object: JsonObject, path: Path): void {
  const group = groupOf(object['apiVersion']);
  const kind = object['kind'];
  const namesOnly = walk.namesOnly || REFERENCE_GROUPS.has(group);
  const inner: Walk = namesOnly === walk.namesOnly ? walk : { ...walk, namesOnly };
  // SOPS-encrypted files carry their own metadata and ENC[...] values; sealed values are ciphertext.
  const sealed = kind === 'SealedSecret' && group === 'bitnami.com';
  const sops = isJsonObject(object['sops']);
  for (const [key, child] of Object.entries(object)) {
    const childPath = [...path, key];
    if (key === 'metadata' && isJsonObject(child)) walkMetadata(inner, child, childPath);
    else if (key === 'sops' && sops) continue;
    else if (kind === 'Secret' && group === '' && (key === 'data' || key === 'stringData')) continue;
    else if (sealed && key === 'spec' && isJsonObject(child)) walkSealedSpec(inner, child, childPath);
    else if (kind === 'ConfigMap' && group === '' && key === 'binaryData' && isJsonObject(child)) walkBinaryData(inner, child, childPath);
    else if (kind === 'Config' && key === 'users') walkKubeconfigUsers(inner, child, childPath);
    else walkValue(inner, child, childPath, key);
  }
  if (kind === 'Secret' && group === '' && !sops) walkSecretData(inner, object, path);
}

function walkSealedSpec(walk: Walk, spec: JsonObject, path: Path): void {
  for (const [key, child] of Object.entries(spec)) {
    if (key === 'encryptedData') continue;
    walkValue(walk, child, [...path, key], key);
  }
}

function walkBinaryData(walk: Walk, binaryData: JsonObject, path: Path): void {
  for (const [key, stored] of Object.entries(binaryData)) {
    const text = typeof stored === 'string' ? decodeBase64Text(stored) : undefined;
    if (text !== undefined) addMatches({ ...walk, anchor: walk.anchor ?? [...path, key] }, text, walk.anchor ? [...path, key] : [], key);
  }
}

/** Kubeconfig users: `client-key-data` and `token` are credentials; decode the `-data` fields. */
function walkKubeconfigUsers(walk: Walk, users: JsonValue | undefined, path: Path): void {
  if (!Array.isArray(users)) return walkValue(walk, users, path, 'users');
  (users as readonly JsonValue[]).forEach((entry, index) => {
    const user = isJsonObject(entry) && isJsonObject(entry['user']) ? entry['user'] : undefined;
    if (!user) return walkValue(walk, entry, [...path, index], undefined);
    for (const [key, value] of Object.entries(user)) {
      const fieldPath = [...path, index, 'user', key];
      if (key.endsWith('-data') && typeof value === 'string') {
        const text = decodeBase64Text(value);
        if (text !== undefined) addMatches({ ...walk, anchor: walk.anchor ?? fieldPath }, text, walk.anchor ? fieldPath : [], key);
      } else {
        walkValue(walk, value, fieldPath, key);
      }
    }
  });
}

const memo = new WeakMap<object, readonly SecretHit[]>();

/**
 * Every secret an object holds, Kubernetes-aware: Secret data decoded, last-applied parsed, Docker configs and
 * Helm releases decoded (bounded), SealedSecret ciphertext, SOPS values and secret-store references left alone.
 * Memoised per object: several rules read the same hits.
 */
export function scanObjectSecrets(object: JsonObject): readonly SecretHit[] {
  const known = memo.get(object);
  if (known) return known;
  const walk: Walk = { hits: [], layer: 'value', namesOnly: false, depth: 0 };
  walkKubernetesObject(walk, object, []);
  const hits = walk.hits;
  memo.set(object, hits);
  return hits;
}

/** Secrets in a document that is not a Kubernetes object (Helm values, app config): every string leaf by its key. */
export function scanDocumentSecrets(document: JsonValue): readonly SecretHit[] {
  const walk: Walk = { hits: [], layer: 'value', namesOnly: false, depth: 0 };
  if (isJsonObject(document) && typeof document['apiVersion'] === 'string' && typeof document['kind'] === 'string') {
    walkKubernetesObject(walk, document, []);
  } else {
    walkValue(walk, document, [], undefined);
  }
  return walk.hits;
}
