import { spawnSync } from 'node:child_process';

export interface RenderResult {
  readonly ok: boolean;
  readonly stdout: string;
  /** Why it failed: a missing binary, a non-zero exit (with stderr), a timeout. */
  readonly problem?: 'missing' | 'failed';
  readonly message?: string;
}

const MAX_OUTPUT = 512 * 1024 * 1024;

/** Runs a renderer (helm, kustomize, kubectl) and captures its output; never throws. */
export function runRenderer(command: string, args: readonly string[], cwd: string, timeoutMs: number): RenderResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: MAX_OUTPUT, timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, stdout: '', problem: 'missing' };
    if (code === 'ETIMEDOUT') return { ok: false, stdout: '', problem: 'failed', message: `${command} did not finish within ${timeoutMs / 1000}s` };
    return { ok: false, stdout: '', problem: 'failed', message: `${command}: ${result.error.message}` };
  }
  if (result.status !== 0) {
    const stderr = (result.stderr ?? '').trim().split('\n').filter((line) => line.trim() !== '').slice(-5).join(' | ');
    return { ok: false, stdout: '', problem: 'failed', message: `${command} ${args[0] ?? ''} exited with ${result.status ?? result.signal}: ${stderr || 'no error output'}` };
  }
  return { ok: true, stdout: result.stdout ?? '' };
}
