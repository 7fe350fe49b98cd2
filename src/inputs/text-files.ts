import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { InputError } from '../core/report.ts';
import { displayPath } from './display-path.ts';
import { hasNulByte, readErrorMessage } from './file-read.ts';

// Every text file under the given paths, for `palisade secrets scan`: not only manifests — env files, scripts,
// Helm values, kustomize secretGenerator sources, kubeconfigs, docs.

export interface TextFileOptions {
  readonly cwd: string;
  /** Files above this size are refused with a message. */
  readonly maxFileBytes: number;
  /** Display paths matching any of these (simple globs: `*`, `**`, `?`) are left out. */
  readonly exclude: readonly string[];
}

export interface TextFileRef {
  /** As outputs show it: relative to the working directory when inside it. */
  readonly file: string;
  readonly absolutePath: string;
  readonly size: number;
}

export type TextFileRead =
  | { readonly ok: true; readonly text: string }
  /** Left out on purpose (binary content, above the size limit): said in the report, not an error. */
  | { readonly ok: false; readonly skipped: string }
  | { readonly ok: false; readonly error: InputError };

/** Directories never worth reading: VCS internals and installed dependencies. */
const SKIPPED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '.terraform', '.cache', '__pycache__', '.venv']);

/** `*` within a path segment, `**` across segments, `?` one character; a pattern without `/` matches any basename. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]!;
    if (char === '*' && glob[i + 1] === '*') {
      source += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return glob.includes('/') ? new RegExp(`^${source}(?:/.*)?$`) : new RegExp(`(?:^|/)${source}(?:/.*)?$`);
}

/** Whether a display path matches one of the `--exclude` globs. */
export function pathExcluder(globs: readonly string[]): (path: string) => boolean {
  const patterns = globs.map(globToRegExp);
  return (path) => patterns.some((pattern) => pattern.test(path));
}

/** Expands PATH arguments into the text files to scan, sorted; what cannot be listed becomes an error. */
export function listTextFiles(paths: readonly string[], options: TextFileOptions): { files: TextFileRef[]; errors: InputError[] } {
  const files: TextFileRef[] = [];
  const errors: InputError[] = [];
  const isExcluded = pathExcluder(options.exclude);

  const add = (path: string, size: number): void => {
    const file = displayPath(path, options.cwd);
    if (!isExcluded(file)) files.push({ file, absolutePath: path, size });
  };
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (error) {
      errors.push({ code: 'unreadable', file: displayPath(dir, options.cwd), message: `cannot list directory: ${readErrorMessage(error)}` });
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      try {
        const stat = lstatSync(path);
        if (stat.isSymbolicLink()) continue; // links may leave the tree or loop; their targets are scanned where they live
        if (stat.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(name) && !isExcluded(displayPath(path, options.cwd))) walk(path);
        } else if (stat.isFile()) {
          add(path, stat.size);
        }
      } catch (error) {
        errors.push({ code: 'unreadable', file: displayPath(path, options.cwd), message: `cannot read: ${readErrorMessage(error)}` });
      }
    }
  };
  for (const argument of paths) {
    const path = resolve(options.cwd, argument);
    try {
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path);
      else add(path, stat.size);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      errors.push(code === 'ENOENT' ? { code: 'not-found', file: argument, message: 'no such file or directory' } : { code: 'unreadable', file: argument, message: `cannot read: ${readErrorMessage(error)}` });
    }
  }
  return { files, errors };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

/** Reads one listed file as text (UTF-8, else Latin-1); binary and oversized files are skipped with a reason. */
export function readTextFile(ref: TextFileRef, maxFileBytes: number): TextFileRead {
  if (ref.size > maxFileBytes) {
    return { ok: false, skipped: `${(ref.size / 1048576).toFixed(1)} MiB, above the ${(maxFileBytes / 1048576).toFixed(0)} MiB limit (--max-file-size)` };
  }
  try {
    if (hasNulByte(ref.absolutePath)) return { ok: false, skipped: 'binary (it contains NUL bytes)' };
    const bytes = readFileSync(ref.absolutePath);
    try {
      return { ok: true, text: utf8.decode(bytes) };
    } catch {
      return { ok: true, text: latin1.decode(bytes) };
    }
  } catch (error) {
    return { ok: false, error: { code: 'unreadable', file: ref.file, message: `cannot read: ${readErrorMessage(error)}` } };
  }
}
