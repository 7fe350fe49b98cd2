// `palisade secrets scan`: files and directories, or a repository's history, through the secret analyser, into
// one report. Only redacted views of secrets leave the analyser.
import type { InputError } from '../core/report.ts';
import { compareLocated, scanPlainText, scanSourceForSecrets, type LocatedSecret } from '../analysers/secrets/scan-source.ts';
import { secretFingerprint, type CommitRef, type SecretFinding, type SecretsReport } from '../analysers/secrets/report.ts';
import { severityRank } from '../core/model.ts';
import { readGitHistory, type GitHistoryOptions } from '../inputs/git-history.ts';
import { listTextFiles, pathExcluder, readTextFile } from '../inputs/text-files.ts';

export type SecretSeverity = 'critical' | 'high' | 'medium' | 'low';

export interface SecretsScanOptions {
  readonly cwd: string;
  readonly maxFileBytes: number;
  readonly exclude: readonly string[];
  readonly failOn: SecretSeverity | 'none';
  readonly version: string;
}

function summarise(
  secrets: readonly SecretFinding[],
  counts: { files: number; bytes: number; commits?: number; skipped: number; errors: number },
  failOn: SecretSeverity | 'none',
): SecretsReport['summary'] {
  const bySeverity = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const secret of secrets) bySeverity[secret.severity]++;
  const failing = failOn === 'none' ? 0 : secrets.filter((secret) => severityRank(secret.severity) <= severityRank(failOn)).length;
  return { files: counts.files, bytes: counts.bytes, ...(counts.commits !== undefined ? { commits: counts.commits } : {}), secrets: secrets.length, bySeverity, failing, skipped: counts.skipped, errors: counts.errors };
}

function withFingerprint(secret: LocatedSecret, commit?: CommitRef): SecretFinding {
  return { ...secret, ...(commit ? { commit } : {}), fingerprint: secretFingerprint(secret, commit) };
}

/** Every text file under the paths, one at a time (memory stays flat however large the tree). */
export function scanFilesForSecrets(paths: readonly string[], options: SecretsScanOptions): SecretsReport {
  const listed = listTextFiles(paths, { cwd: options.cwd, maxFileBytes: options.maxFileBytes, exclude: options.exclude });
  const errors: InputError[] = [...listed.errors];
  const skipped: { file: string; reason: string }[] = [];
  const secrets: SecretFinding[] = [];
  let files = 0;
  let bytes = 0;
  for (const ref of listed.files) {
    const read = readTextFile(ref, options.maxFileBytes);
    if (!read.ok) {
      if ('skipped' in read) skipped.push({ file: ref.file, reason: read.skipped });
      else errors.push(read.error);
      continue;
    }
    files++;
    bytes += ref.size;
    for (const secret of scanSourceForSecrets(ref.file, read.text).secrets) secrets.push(withFingerprint(secret));
  }
  secrets.sort(compareLocated);
  return {
    tool: { name: 'palisade', version: options.version },
    target: { kind: 'files', paths: [...paths] },
    summary: summarise(secrets, { files, bytes, skipped: skipped.length, errors: errors.length }, options.failOn),
    secrets,
    skipped,
    errors,
    failOn: options.failOn,
  };
}

export interface GitScanOptions extends SecretsScanOptions {
  readonly git: Omit<GitHistoryOptions, 'cwd' | 'onCommit'>;
  readonly repository: string;
}

/**
 * The lines each commit added, file by file: a secret is reported in the commit that introduced it, with its
 * author and date. A block that is a whole YAML or JSON file (a file's first commit) is read for structure.
 */
export async function scanGitHistoryForSecrets(options: GitScanOptions): Promise<SecretsReport> {
  const secrets: SecretFinding[] = [];
  const commits = new Set<string>();
  const excluded = pathExcluder(options.exclude);
  let files = 0;
  let bytes = 0;
  for await (const block of readGitHistory({ ...options.git, cwd: options.repository, onCommit: (commit) => commits.add(commit) })) {
    if (excluded(block.path)) continue;
    files++;
    bytes += block.text.length;
    const commit: CommitRef = { commit: block.commit, authorDate: block.authorDate, author: block.author };
    const whole = block.startLine === 1 && /\.(?:ya?ml|json)$/i.test(block.path);
    const found = whole ? scanSourceForSecrets(block.path, block.text).secrets : scanPlainText(block.path, block.text);
    for (const secret of found) {
      const shifted = whole ? secret : { ...secret, line: secret.line + block.startLine - 1 };
      secrets.push(withFingerprint(shifted, commit));
    }
  }
  secrets.sort((a, b) => compareLocated(a, b) || (a.commit!.authorDate < b.commit!.authorDate ? -1 : a.commit!.authorDate > b.commit!.authorDate ? 1 : 0) || (a.commit!.commit < b.commit!.commit ? -1 : 1));
  return {
    tool: { name: 'palisade', version: options.version },
    target: { kind: 'git', repository: options.repository, ...(options.git.range !== undefined ? { range: options.git.range } : {}) },
    summary: summarise(secrets, { files, bytes, commits: commits.size, skipped: 0, errors: 0 }, options.failOn),
    secrets,
    skipped: [],
    errors: [],
    failOn: options.failOn,
  };
}
