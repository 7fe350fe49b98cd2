/** One YAML document of a file: its text and where it starts. */
export interface DocumentChunk {
  readonly index: number;
  /** 0-based line of the file on which the chunk starts. */
  readonly startLine: number;
  readonly text: string;
}

const DOCUMENT_START = /^---(?:[ \t]|$)/;
const DOCUMENT_END = /^\.\.\.(?:[ \t]|$)/;
const NOTHING = /^(?:[ \t]*(?:#.*)?|%.*)$/;

/**
 * Splits a YAML stream into documents. `---` and `...` at column 0 end a document wherever they stand (YAML
 * forbids them inside scalars), so this split is exact; parsing each document alone keeps one malformed
 * document from hiding the others.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const lines = text.split('\n');
  const chunks: { startLine: number; lines: string[] }[] = [];
  let current: { startLine: number; lines: string[] } = { startLine: 0, lines: [] };
  const finish = (): void => {
    if (current.lines.some((line) => !NOTHING.test(line) && !DOCUMENT_START.test(line) && !DOCUMENT_END.test(line))) {
      chunks.push(current);
    } else if (current.lines.some((line) => DOCUMENT_START.test(line) && line.replace(/^---/, '').trim() !== '' && !line.replace(/^---/, '').trim().startsWith('#'))) {
      chunks.push(current);
    }
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (DOCUMENT_START.test(line)) {
      // Directives and comments before `---` belong to the document it opens.
      const onlyPreamble = current.lines.every((l) => NOTHING.test(l));
      if (!onlyPreamble) {
        finish();
        current = { startLine: i, lines: [] };
      }
      current.lines.push(line);
    } else if (DOCUMENT_END.test(line)) {
      current.lines.push(line);
      finish();
      current = { startLine: i + 1, lines: [] };
    } else {
      current.lines.push(line);
    }
  }
  finish();
  return chunks.map((chunk, index) => ({ index, startLine: chunk.startLine, text: chunk.lines.join('\n') }));
}
