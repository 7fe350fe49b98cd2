import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..');
export const PALISADE = join(REPO, 'bin', 'palisade');

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The helm the test suite uses: the one scripts/install-tools.sh built, else helm on PATH. */
export function helmBinary(): string {
  const built = join(REPO, '.cache', 'tools', 'bin', 'helm');
  return existsSync(built) ? built : 'helm';
}

export function runCli(args: readonly string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const result = spawnSync(PALISADE, [...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, PALISADE_HELM: helmBinary(), PATH: `${join(REPO, '.cache', 'tools', 'bin')}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1', ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface JsonFinding {
  ruleId: string;
  messageId: string;
  severity: string;
  message: string;
  resource: { apiVersion: string; kind: string; namespace?: string; name: string };
  location: { file: string; line: number; column: number; path: string; template?: string };
  fingerprint: string;
}

export interface JsonReport {
  findings: JsonFinding[];
  suppressed: (JsonFinding & { suppression: { source: string; reason: string } })[];
  errors: { code: string; file: string; line?: number; message: string }[];
  skipped: { file: string; line: number; reason: string }[];
  suppressionProblems: { kind: string; source: string; message: string; file: string; line?: number }[];
  summary: Record<string, unknown> & { objects: number; findings: number; failing: number; skipped: number; baselined: number };
}

export function scanJson(args: readonly string[], options: Parameters<typeof runCli>[1] = {}): { code: number; report: JsonReport; stderr: string } {
  const result = runCli(['scan', '--format', 'json', ...args], options);
  let report: JsonReport;
  try {
    report = JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`not JSON (exit ${result.code}): ${result.stdout.slice(0, 500)}\n${result.stderr}`);
  }
  return { code: result.code, report, stderr: result.stderr };
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'palisade-test-'));
}
