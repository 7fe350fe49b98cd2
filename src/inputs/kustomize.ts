import type { InputError } from '../core/report.ts';
import type { SourceText } from '../source/index.ts';
import { displayPath } from './display-path.ts';
import { kustomizationSourceObjects, kustomizeObjectMapper } from './kustomize-sources.ts';
import { runRenderer } from './render.ts';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export const KUSTOMIZE_INSTALL_HINT =
  'neither kustomize nor kubectl is installed: install kustomize (https://kubectl.docs.kubernetes.io/installation/kustomize/) or kubectl, or set PALISADE_KUSTOMIZE';

const TIMEOUT_MS = 120_000;

/**
 * `kustomize build DIR`, else `kubectl kustomize DIR`. Kustomize output carries no source positions: findings are
 * mapped back to the local resource file each object came from, else they point into the rendered stream.
 */
export function renderKustomization(
  dir: string,
  kustomizationFile: string,
  cwd: string,
  configured: string | undefined,
): { sources: SourceText[]; errors: InputError[] } {
  const file = displayPath(kustomizationFile, cwd);
  const attempts: [string, string[]][] = configured
    ? [[configured, ['build', dir]]]
    : [
        ['kustomize', ['build', dir]],
        ['kubectl', ['kustomize', dir]],
      ];
  for (const [command, args] of attempts) {
    const result = runRenderer(command, args, cwd, TIMEOUT_MS);
    if (result.ok) {
      const mapObject = kustomizeObjectMapper(kustomizationSourceObjects(kustomizationFile, cwd));
      return { sources: [{ file: `${file} (kustomize build)`, text: result.stdout, mapObject }], errors: [] };
    }
    if (result.problem !== 'missing') {
      return { sources: [], errors: [{ code: 'kustomize-failed', file, message: result.message ?? 'kustomize build failed' }] };
    }
  }
  return { sources: [], errors: [{ code: 'kustomize-missing', file, message: KUSTOMIZE_INSTALL_HINT }] };
}
