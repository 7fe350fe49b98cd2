import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InputError } from '../core/report.ts';
import type { SourceText } from '../source/index.ts';
import { displayPath } from './display-path.ts';
import { hasNulByte, readErrorMessage } from './file-read.ts';
import { renderHelmChart, type HelmOptions } from './helm.ts';
import { renderKustomization, KUSTOMIZATION_FILES } from './kustomize.ts';

export interface CollectOptions {
  readonly cwd: string;
  readonly helm: HelmOptions;
  /** Kustomize binary to use instead of `kustomize`, then `kubectl kustomize`. */
  readonly kustomizeBinary?: string;
  /** Files larger than this are refused with a message. */
  readonly maxFileBytes: number;
  readonly readStdin: () => string;
}

export interface CollectedInputs {
  readonly sources: readonly SourceText[];
  readonly errors: readonly InputError[];
  /** Files, charts and kustomizations read. */
  readonly inputs: number;
}

const MANIFEST_EXTENSIONS = /\.(ya?ml|json)$/i;
const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform']);
export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Expands PATH arguments (files, directories, charts, kustomizations, `-`) into texts to parse. */
export function collectInputs(paths: readonly string[], options: CollectOptions): CollectedInputs {
  const sources: SourceText[] = [];
  const errors: InputError[] = [];
  let inputs = 0;

  const readManifestFile = (path: string): void => {
    const file = displayPath(path, options.cwd);
    inputs++;
    try {
      const size = statSync(path).size;
      if (size > options.maxFileBytes) {
        errors.push({ code: 'file-too-large', file, message: `file is ${(size / 1048576).toFixed(1)} MiB, above the ${(options.maxFileBytes / 1048576).toFixed(0)} MiB limit (--max-file-size); skipped` });
        return;
      }
      if (hasNulByte(path)) {
        errors.push({ code: 'binary-file', file, message: 'binary file (it contains NUL bytes); skipped' });
        return;
      }
      const text = utf8.decode(readFileSync(path));
      sources.push({ file, text, json: /\.json$/i.test(path) });
    } catch (error) {
      if (error instanceof TypeError) errors.push({ code: 'binary-file', file, message: 'not valid UTF-8 text; skipped' });
      else errors.push({ code: 'unreadable', file, message: `cannot read: ${readErrorMessage(error)}` });
    }
  };

  const renderDirectory = (dir: string): boolean => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return false;
    }
    if (entries.includes('Chart.yaml')) {
      inputs++;
      const rendered = renderHelmChart(dir, options.helm, options.cwd);
      sources.push(...rendered.sources);
      errors.push(...rendered.errors);
      return true;
    }
    const kustomization = KUSTOMIZATION_FILES.find((name: string) => entries.includes(name));
    if (kustomization) {
      inputs++;
      const rendered = renderKustomization(dir, join(dir, kustomization), options.cwd, options.kustomizeBinary);
      sources.push(...rendered.sources);
      errors.push(...rendered.errors);
      return true;
    }
    return false;
  };

  const walk = (dir: string): void => {
    if (renderDirectory(dir)) return;
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      errors.push({ code: 'unreadable', file: displayPath(dir, options.cwd), message: `cannot list directory: ${readErrorMessage(error)}` });
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      let isDirectory: boolean;
      try {
        isDirectory = statSync(path).isDirectory();
      } catch (error) {
        errors.push({ code: 'unreadable', file: displayPath(path, options.cwd), message: `cannot read: ${readErrorMessage(error)}` });
        continue;
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(name)) walk(path);
      } else if (MANIFEST_EXTENSIONS.test(name)) {
        readManifestFile(path);
      }
    }
  };

  for (const argument of paths) {
    if (argument === '-') {
      inputs++;
      try {
        sources.push({ file: '<stdin>', text: options.readStdin() });
      } catch (error) {
        errors.push({ code: 'unreadable', file: '<stdin>', message: `cannot read standard input: ${readErrorMessage(error)}` });
      }
      continue;
    }
    const path = resolve(options.cwd, argument);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(
        code === 'ENOENT'
          ? { code: 'not-found', file: argument, message: 'no such file or directory' }
          : { code: 'unreadable', file: argument, message: `cannot read: ${readErrorMessage(error)}` },
      );
      continue;
    }
    if (isDirectory) walk(path);
    else readManifestFile(path);
  }
  return { sources, errors, inputs };
}
