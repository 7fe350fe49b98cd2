// Small helpers shared by the pod-template and container rules.
import { asObject, asString, type JsonObject } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';

/**
 * Whether the pod declares itself a Windows pod (`spec.os.name: windows`). Linux-only settings (runAsUser,
 * capabilities, seccomp) are ignored by Windows nodes, and rules about them skip these pods.
 */
export function isWindowsPod(template: PodTemplate): boolean {
  return asString(asObject(template.spec['os'])?.['name'])?.toLowerCase() === 'windows';
}

/** `cap_sys_admin`, `CAP_SYS_ADMIN` and `sys_admin` are all `SYS_ADMIN` to the container runtimes. */
export function normaliseCapability(name: string): string {
  const upper = name.trim().toUpperCase();
  return upper.startsWith('CAP_') ? upper.slice('CAP_'.length) : upper;
}

/** `"a"`, `"a" and "b"`, `"a", "b" and "c"`: container names for messages. */
export function quoteList(names: readonly string[]): string {
  const quoted = names.map((name) => `"${name}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)!}`;
}

/** The volumes of a pod spec by name, with their index in `spec.volumes`. */
export function volumesByName(spec: JsonObject): ReadonlyMap<string, { readonly volume: JsonObject; readonly index: number }> {
  const volumes = new Map<string, { volume: JsonObject; index: number }>();
  const list = spec['volumes'];
  if (!Array.isArray(list)) return volumes;
  list.forEach((value: unknown, index: number) => {
    const volume = asObject(value);
    const name = asString(volume?.['name']);
    if (volume && name !== undefined && !volumes.has(name)) volumes.set(name, { volume, index });
  });
  return volumes;
}

/** `container "a"`, `containers "a" and "b"`: the containers a pod-level finding applies to. */
export function describeContainers(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${quoteList(names)}`;
}

/**
 * The pod's service account and the field that names it: `serviceAccountName`, else the deprecated
 * `serviceAccount` alias. Undefined when neither is set (or both are empty): the pod runs as `default`.
 */
export function serviceAccountNameOf(
  spec: JsonObject,
): { readonly value: string; readonly field: 'serviceAccountName' | 'serviceAccount' } | undefined {
  for (const field of ['serviceAccountName', 'serviceAccount'] as const) {
    const value = asString(spec[field]);
    if (value !== undefined && value !== '') return { value, field };
  }
  return undefined;
}
