import type { Position } from '../core/inventory.ts';
import type { Path } from '../core/model.ts';

/** A chart template on disk, for mapping rendered objects back to the file the user edits. */
export interface TemplateSource {
  /** Display path of the template file. */
  readonly file: string;
  readonly lines: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Best-effort position of a rendered field in its Helm template: from the object's `kind:` line, each key of the
 * path is looked for on a following line (`key:` or `- key:`, quoted or not); list indices are skipped because
 * templates often build lists in loops. The result is the deepest key found; the object's `kind:` line (or the
 * first line with content) when none is.
 */
export function locateInTemplate(template: TemplateSource, kind: string, path: Path): Position {
  const { lines } = template;
  const kindLine = lines.findIndex((line) => new RegExp(`^\\s*kind:\\s*["']?${escapeRegExp(kind)}["']?\\s*(#.*)?$`).test(line));
  const firstContent = lines.findIndex((line) => line.trim() !== '' && !line.trimStart().startsWith('#') && !line.trimStart().startsWith('{{/*'));
  let found: Position = kindLine >= 0
    ? { line: kindLine + 1, column: lines[kindLine]!.indexOf('kind') + 1 }
    : { line: Math.max(firstContent, 0) + 1, column: 1 };
  // apiVersion/kind/metadata may come before or after `kind:`; search the object from its top.
  let from = kindLine >= 0 ? Math.max(0, lines.slice(0, kindLine).findLastIndex((line) => /^---/.test(line)) + 1) : 0;
  for (const segment of path) {
    if (typeof segment === 'number') continue;
    const pattern = new RegExp(`^(\\s*(?:-\\s+)?)(["']?)${escapeRegExp(segment)}\\2\\s*:(?:\\s|$)`);
    let hit = -1;
    let column = 0;
    for (let i = from; i < lines.length; i++) {
      if (i > from && /^---/.test(lines[i]!)) break;
      const match = pattern.exec(lines[i]!);
      if (match) {
        hit = i;
        column = match[1]!.length;
        break;
      }
    }
    if (hit < 0) break;
    found = { line: hit + 1, column: column + 1 };
    from = hit + 1;
  }
  return found;
}
