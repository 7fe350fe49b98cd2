import { catalogueMatcher } from './catalogue.ts';
import { detectAssignmentInLine, detectByName } from './generic.ts';

/** A secret found in one text: which detector, and where in that text. The secret leaves only through redaction. */
export interface TextMatch {
  readonly detectorId: string;
  readonly start: number;
  readonly end: number;
  readonly secret: string;
}

// Lines worth a generic look: they name a password, secret, token or key.
const GENERIC_KEYWORD = /pass|pwd|secret|token|key|auth|credential|bearer|dsn|connection/i;

/**
 * Every secret in a text: catalogue detectors first; then, outside their hits, the value judged by the name it is
 * assigned to (`name`, for a structured value), or each `name = value` line of a multi-line text.
 */
export function scanText(text: string, name?: string): TextMatch[] {
  // A one-line value is scanned as `name=value`: detectors that need the provider's key name next to the value
  // (`LINODE_TOKEN=…`) see it in structured files too. Offsets are shifted back into the value.
  const named = name !== undefined && name !== '' && !text.includes('\n');
  const shift = named ? name.length + 1 : 0;
  const matches: TextMatch[] = catalogueMatcher()
    .scan(named ? `${name}=${text}` : text)
    .filter((match) => match.start >= shift)
    .map((match) => ({ detectorId: match.detector.id, start: match.start - shift, end: match.end - shift, secret: match.secret }));
  const overlaps = (start: number, end: number): boolean => matches.some((match) => start < match.end && match.start < end);
  if (name !== undefined && !text.includes('\n')) {
    const generic = detectByName(name, text);
    if (generic && !overlaps(generic.start, generic.end)) matches.push(generic);
    return matches;
  }
  if (!GENERIC_KEYWORD.test(text)) return matches;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (GENERIC_KEYWORD.test(line)) {
      const generic = detectAssignmentInLine(line);
      if (generic && !overlaps(lineStart + generic.start, lineStart + generic.end)) {
        matches.push({ detectorId: generic.detectorId, start: lineStart + generic.start, end: lineStart + generic.end, secret: generic.secret });
      }
    }
    lineStart = lineEnd + 1;
  }
  return matches.sort((a, b) => a.start - b.start || a.end - b.end);
}
