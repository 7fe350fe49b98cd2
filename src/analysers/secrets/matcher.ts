import { compileDetector, type CompiledDetector, type DetectorSpec } from './detector.ts';
import { shannonEntropy } from './entropy.ts';
import { isNeverSecret } from './not-secret.ts';
import { passesCheck } from './checks.ts';

/** A detector's hit inside one text. The secret itself stays inside the analyser: callers redact it. */
export interface SecretMatch {
  readonly detector: CompiledDetector;
  /** Offsets of the secret in the scanned text. */
  readonly start: number;
  readonly end: number;
  readonly secret: string;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Runs a catalogue of detectors over texts. One pass of a combined keyword pattern picks the detectors whose
 * keywords occur; only those patterns run. Overlapping hits keep the more specific detector.
 */
export class SecretMatcher {
  readonly detectors: readonly CompiledDetector[];
  private readonly byKeyword = new Map<string, CompiledDetector[]>();
  private readonly keywordPattern: RegExp;

  constructor(specs: readonly DetectorSpec[]) {
    this.detectors = specs.map(compileDetector);
    for (const detector of this.detectors) {
      for (const keyword of detector.keywords) {
        const list = this.byKeyword.get(keyword) ?? [];
        list.push(detector);
        this.byKeyword.set(keyword, list);
      }
    }
    // The pattern finds one keyword per position, longest first; a match then also stands for every shorter
    // keyword it contains (`github_pat_` holds `pat`), so those detectors are not missed.
    const keywords = [...this.byKeyword.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    for (const longer of keywords) {
      const contained = keywords.filter((shorter) => shorter !== longer && longer.includes(shorter));
      const list = this.byKeyword.get(longer)!;
      for (const shorter of contained) for (const detector of this.byKeyword.get(shorter)!) if (!list.includes(detector)) list.push(detector);
    }
    this.keywordPattern = new RegExp(keywords.map(escapeRegExp).join('|'), 'gi');
  }

  /** Detectors whose keywords occur in the text, in catalogue order. */
  candidates(text: string): CompiledDetector[] {
    // Most texts hold no keyword at all: one test, no match objects.
    this.keywordPattern.lastIndex = 0;
    if (!this.keywordPattern.test(text)) return [];
    const found = new Set<CompiledDetector>();
    this.keywordPattern.lastIndex = 0;
    for (const match of text.matchAll(this.keywordPattern)) {
      for (const detector of this.byKeyword.get(match[0].toLowerCase()) ?? []) found.add(detector);
    }
    if (found.size === 0) return [];
    return this.detectors.filter((detector) => found.has(detector));
  }

  /** Every hit in the text, sorted by position; where hits overlap, the first detector of the catalogue wins. */
  scan(text: string): SecretMatch[] {
    const candidates = this.candidates(text);
    if (candidates.length === 0) return [];
    const matches: SecretMatch[] = [];
    for (const detector of candidates) {
      detector.regex.lastIndex = 0;
      for (const match of text.matchAll(detector.regex)) {
        const secret = match.groups?.['secret'] ?? match[0];
        if (secret === '') continue;
        const offset = match.groups?.['secret'] === undefined ? 0 : match[0].indexOf(secret);
        const start = match.index + Math.max(0, offset);
        if (!this.accepts(detector, secret)) continue;
        matches.push({ detector, start, end: start + secret.length, secret });
      }
    }
    return dropOverlaps(matches, this.detectors);
  }

  private accepts(detector: CompiledDetector, secret: string): boolean {
    if (isNeverSecret(secret)) return false;
    if (detector.spec.entropy !== undefined && shannonEntropy(secret) < detector.spec.entropy) return false;
    if (detector.allowlist.some((allowed) => allowed.test(secret))) return false;
    return (detector.spec.checks ?? []).every((check) => passesCheck(check, secret));
  }
}

function dropOverlaps(matches: SecretMatch[], order: readonly CompiledDetector[]): SecretMatch[] {
  if (matches.length < 2) return matches;
  const rank = new Map(order.map((detector, index) => [detector, index]));
  const byPriority = [...matches].sort(
    (a, b) => rank.get(a.detector)! - rank.get(b.detector)! || b.end - b.start - (a.end - a.start) || a.start - b.start,
  );
  const kept: SecretMatch[] = [];
  for (const match of byPriority) {
    if (kept.some((other) => match.start < other.end && other.start < match.end)) continue;
    kept.push(match);
  }
  return kept.sort((a, b) => a.start - b.start || a.end - b.end);
}
