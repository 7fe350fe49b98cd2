import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InputError } from '../core/report.ts';
import type { MappedObject, SourceText } from '../source/index.ts';
import { locateInTemplate, type TemplateSource } from '../source/template-locator.ts';
import { displayPath } from './display-path.ts';
import { runRenderer } from './render.ts';

export interface HelmOptions {
  /** `--values FILE`, in order. */
  readonly values: readonly string[];
  /** `--set key=value`, in order. */
  readonly set: readonly string[];
  readonly releaseName: string;
  readonly namespace?: string;
  /** Helm binary (`PALISADE_HELM` or `helm` on PATH). */
  readonly binary: string;
  readonly timeoutMs: number;
}

export const HELM_INSTALL_HINT = 'helm is not installed: install Helm 3 (https://helm.sh/docs/intro/install/) or put it on PATH (or set PALISADE_HELM)';

export interface RenderedInputs {
  readonly sources: readonly SourceText[];
  readonly errors: readonly InputError[];
}

/**
 * `helm template` on a chart directory. Rendered objects are reported against the template they came from
 * (`# Source: chart/templates/x.yaml` → CHART_DIR/templates/x.yaml).
 */
export function renderHelmChart(dir: string, options: HelmOptions, cwd: string): RenderedInputs {
  const chartFile = displayPath(join(dir, 'Chart.yaml'), cwd);
  const args = ['template', options.releaseName, dir];
  if (options.namespace !== undefined) args.push('--namespace', options.namespace);
  for (const values of options.values) args.push('--values', resolve(cwd, values));
  for (const set of options.set) args.push('--set', set);
  const result = runRenderer(options.binary, args, cwd, options.timeoutMs);
  if (!result.ok) {
    return result.problem === 'missing'
      ? { sources: [], errors: [{ code: 'helm-missing', file: chartFile, message: HELM_INSTALL_HINT }] }
      : { sources: [], errors: [{ code: 'helm-failed', file: chartFile, message: result.message ?? 'helm template failed' }] };
  }
  const cache = new Map<string, TemplateSource | undefined>();
  const templateSource = (template: string): TemplateSource | undefined => {
    if (cache.has(template)) return cache.get(template);
    // The first segment is the chart's name; the rest is relative to the chart directory.
    const relativePath = template.split('/').slice(1).join('/');
    let source: TemplateSource | undefined;
    try {
      const path = join(dir, relativePath);
      source = { file: displayPath(path, cwd), lines: readFileSync(path, 'utf8').split(/\r?\n/) };
    } catch {
      source = undefined;
    }
    cache.set(template, source);
    return source;
  };
  const mapObject = (_object: unknown, ref: { kind: string }, template: string | undefined): MappedObject | undefined => {
    const source = template === undefined ? undefined : templateSource(template);
    return source && { file: source.file, locator: { locate: (path) => locateInTemplate(source, ref.kind, path) } };
  };
  return { sources: [{ file: `${displayPath(dir, cwd)} (helm template)`, text: result.stdout, mapObject }], errors: [] };
}
