import type { Position } from '../core/inventory.ts';
import type { Path } from '../core/model.ts';

// Positions in JSON text, found on demand. Each object or array on a looked-up path is indexed once (member
// offsets), so locating findings in a 10,000-item `kubectl get -o json` List stays linear.

function isWhitespace(code: number): boolean {
  return code === 32 || code === 10 || code === 13 || code === 9;
}

export class JsonLocator {
  private readonly text: string;
  private lineStarts: number[] | undefined;
  private readonly objects = new Map<number, Map<string, { key: number; value: number }>>();
  private readonly arrays = new Map<number, number[]>();

  constructor(text: string) {
    this.text = text;
  }

  locate(path: Path): Position {
    return this.positionOf(this.find(path));
  }

  /** Offset of the node at `path` (a key's offset for object members), or of the deepest existing node. */
  find(path: Path): number {
    let value = this.skipWhitespace(0);
    let position = value;
    for (const segment of path) {
      const code = this.text.charCodeAt(value);
      if (typeof segment === 'number' && code === 91 /* [ */) {
        const item = this.elementsOf(value)[segment];
        if (item === undefined) break;
        position = value = item;
      } else if (typeof segment === 'string' && code === 123 /* { */) {
        const member = this.membersOf(value).get(segment);
        if (!member) break;
        position = member.key;
        value = member.value;
      } else {
        break;
      }
    }
    return position;
  }

  private positionOf(offset: number): Position {
    this.lineStarts ??= this.computeLineStarts();
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low]! + 1 };
  }

  private computeLineStarts(): number[] {
    const starts = [0];
    for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
    return starts;
  }

  private skipWhitespace(offset: number): number {
    let i = offset;
    while (i < this.text.length && isWhitespace(this.text.charCodeAt(i))) i++;
    return i;
  }

  private stringEnd(offset: number): number {
    let i = offset + 1;
    for (;;) {
      const quote = this.text.indexOf('"', i);
      if (quote === -1) return this.text.length;
      let backslashes = 0;
      for (let k = quote - 1; this.text.charCodeAt(k) === 92; k--) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      i = quote + 1;
    }
  }

  /** Offset just past the value starting at `offset`. */
  private valueEnd(offset: number): number {
    const code = this.text.charCodeAt(offset);
    if (code === 34) return this.stringEnd(offset);
    if (code !== 123 && code !== 91) {
      let i = offset;
      while (i < this.text.length && !',}] \n\r\t'.includes(this.text[i]!)) i++;
      return i;
    }
    let depth = 0;
    let i = offset;
    while (i < this.text.length) {
      const c = this.text.charCodeAt(i);
      if (c === 34) {
        i = this.stringEnd(i);
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }

  private membersOf(offset: number): Map<string, { key: number; value: number }> {
    const known = this.objects.get(offset);
    if (known) return known;
    const members = new Map<string, { key: number; value: number }>();
    let i = this.skipWhitespace(offset + 1);
    while (i < this.text.length && this.text.charCodeAt(i) === 34) {
      const keyEnd = this.stringEnd(i);
      const key = JSON.parse(this.text.slice(i, keyEnd)) as string;
      const colon = this.skipWhitespace(keyEnd);
      const value = this.skipWhitespace(colon + 1);
      members.set(key, { key: i, value });
      i = this.skipWhitespace(this.valueEnd(value));
      if (this.text.charCodeAt(i) === 44) i = this.skipWhitespace(i + 1);
    }
    this.objects.set(offset, members);
    return members;
  }

  private elementsOf(offset: number): number[] {
    const known = this.arrays.get(offset);
    if (known) return known;
    const elements: number[] = [];
    let i = this.skipWhitespace(offset + 1);
    while (i < this.text.length && this.text.charCodeAt(i) !== 93) {
      elements.push(i);
      i = this.skipWhitespace(this.valueEnd(i));
      if (this.text.charCodeAt(i) === 44) i = this.skipWhitespace(i + 1);
      else break;
    }
    this.arrays.set(offset, elements);
    return elements;
  }
}
