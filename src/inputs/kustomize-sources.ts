import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import yaml from 'js-yaml';
import type { InventoryObject } from '../core/inventory.ts';
import { asArray, asObject, deepestExistingPath, type JsonObject, type ObjectRef } from '../core/model.ts';
import { parseManifests, type MappedObject } from '../source/index.ts';
import { displayPath } from './display-path.ts';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const MAX_FILES = 2_000;

function isRemote(entry: string): boolean {
  return /^[a-z]+:\/\//i.test(entry) || entry.startsWith('github.com/') || entry.includes('?ref=') || entry.startsWith('git@');
}

function kustomizationIn(dir: string): string | undefined {
  try {
    const names = readdirSync(dir);
    const name = KUSTOMIZATION_NAMES.find((candidate) => names.includes(candidate));
    return name === undefined ? undefined : join(dir, name);
  } catch {
    return undefined;
  }
}

/**
 * The objects of a kustomization's local resource files, following `resources`, `bases` and `components` into
 * other kustomizations. Remote resources are skipped; anything unreadable is ignored (the rendered stream stays
 * the fallback).
 */
export function kustomizationSourceObjects(kustomizationFile: string, cwd: string): InventoryObject[] {
  const objects: InventoryObject[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file) || seen.size >= MAX_FILES) return;
    seen.add(file);
    let kustomization: JsonObject | undefined;
    try {
      kustomization = asObject(yaml.load(readFileSync(file, 'utf8')));
    } catch {
      return;
    }
    const dir = dirname(file);
    const entries = ['resources', 'bases', 'components'].flatMap((key) => asArray(kustomization?.[key]));
    for (const entry of entries) {
      if (typeof entry !== 'string' || isRemote(entry)) continue;
      const path = resolve(dir, entry);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch {
        continue;
      }
      if (isDirectory) {
        const nested = kustomizationIn(path);
        if (nested) visit(nested);
      } else if (!seen.has(path) && seen.size < MAX_FILES) {
        seen.add(path);
        try {
          objects.push(...parseManifests({ file: displayPath(path, cwd), text: readFileSync(path, 'utf8') }).objects);
        } catch {
          // unreadable: findings keep their rendered position
        }
      }
    }
  };
  visit(kustomizationFile);
  return objects;
}

/**
 * Maps a rendered object to the resource file it was built from: same kind and the same name, or a name that
 * kustomize's namePrefix/nameSuffix turned into the rendered one (the longest such name wins). Fields a patch
 * added are located at their nearest parent in that file.
 */
export function kustomizeObjectMapper(sources: readonly InventoryObject[]): (object: JsonObject, ref: ObjectRef) => MappedObject | undefined {
  const byKind = new Map<string, InventoryObject[]>();
  for (const source of sources) {
    const list = byKind.get(source.ref.kind);
    if (list) list.push(source);
    else byKind.set(source.ref.kind, [source]);
  }
  return (_object, ref) => {
    const candidates = byKind.get(ref.kind) ?? [];
    const exact = candidates.find((source) => source.ref.name === ref.name);
    const source =
      exact ??
      candidates
        .filter((candidate) => candidate.ref.name !== '' && ref.name.includes(candidate.ref.name))
        .sort((a, b) => b.ref.name.length - a.ref.name.length)[0];
    if (!source || source.origin.type !== 'file') return undefined;
    return {
      file: source.origin.file,
      locator: { locate: (path) => source.locator.locate(deepestExistingPath(source.object, path)) },
    };
  };
}
