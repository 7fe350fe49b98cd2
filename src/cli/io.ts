/** Everything a command may take from the process; only cli/main.ts builds it from the real one. */
export interface CliIo {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly version: string;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): string;
  /** Today as YYYY-MM-DD (UTC). */
  today(): string;
}
