// Writing reports: on stdout or to files, streamed in batches; PDF printed from the HTML report by Chromium.
import { execFile } from 'node:child_process';
import { accessSync, closeSync, constants, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ReportContext } from '../../core/report.ts';
import { REPORT_FORMATS, REPORT_STREAMS, REPORTERS, type ReportFormat } from '../../reporters/index.ts';
import type { CliIo } from '../io.ts';
import { UsageError } from '../options.ts';

export const OUTPUT_FORMATS = [...REPORT_FORMATS, 'pdf'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface ReportOutput {
  readonly format: OutputFormat;
  /** Absent: stdout. */
  readonly file?: string;
}

/** `--output FORMAT=FILE` values, each FORMAT one of `formats`. */
export function parseOutputs<F extends string>(values: readonly string[], formats: readonly F[]): { format: F; file: string }[] {
  return values.map((value) => {
    const equals = value.indexOf('=');
    const format = value.slice(0, equals);
    const file = value.slice(equals + 1);
    if (equals <= 0 || file === '' || !(formats as readonly string[]).includes(format)) {
      throw new UsageError(`--output expects FORMAT=FILE with FORMAT one of ${formats.join(', ')}, got ${JSON.stringify(value)}`);
    }
    return { format: format as F, file };
  });
}

function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) offset += writeSync(fd, bytes, offset);
}

/** Writes a streamed report in batches of about 1 MiB: large reports are never held whole. */
export function writeChunks(chunks: Iterable<string>, write: (text: string) => void): void {
  let batch: string[] = [];
  let size = 0;
  for (const chunk of chunks) {
    batch.push(chunk);
    size += chunk.length;
    if (size >= 1 << 20) {
      write(batch.join(''));
      batch = [];
      size = 0;
    }
  }
  if (size > 0) write(batch.join(''));
}

const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** PALISADE_CHROMIUM, or the first Chromium or Chrome on PATH. */
export function findChromium(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const chosen = env['PALISADE_CHROMIUM'];
  if (chosen !== undefined && chosen !== '') return chosen;
  for (const dir of (env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    for (const name of CHROMIUM_NAMES) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const PDF_TIMEOUT_MS = 120_000;

/** The HTML report printed to PDF by headless Chromium (the page's print layout: `#print`). */
async function printPdf(context: ReportContext, file: string, io: CliIo): Promise<void> {
  const chromium = findChromium(io.env);
  if (chromium === undefined) {
    throw new UsageError('PDF output needs Chromium or Chrome: install it (e.g. apt-get install chromium) or set PALISADE_CHROMIUM to its path; --output html=FILE works without it');
  }
  const work = mkdtempSync(join(tmpdir(), 'palisade-pdf-'));
  try {
    const page = join(work, 'report.html');
    writeFileSync(page, REPORTERS.html(context));
    const target = resolve(io.cwd, file);
    const args = [
      '--headless',
      '--disable-gpu',
      '--no-first-run',
      '--no-pdf-header-footer',
      `--user-data-dir=${join(work, 'profile')}`,
      '--virtual-time-budget=10000',
      `--print-to-pdf=${target}`,
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      `${pathToFileURL(page).href}#print`,
    ];
    await new Promise<void>((done, fail) => {
      execFile(chromium, args, { timeout: PDF_TIMEOUT_MS }, (error, _stdout, stderr) => {
        if (error) fail(new UsageError(`${chromium} could not print the PDF: ${error.killed ? `no result within ${PDF_TIMEOUT_MS / 1000} s` : (stderr.trim().split('\n').at(-1) ?? error.message)}`));
        else done();
      });
    });
    let size = 0;
    try {
      size = statSync(target).size;
    } catch {
      // reported below
    }
    if (size === 0) throw new UsageError(`${chromium} wrote no PDF to ${file}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One report to stdout or to its file. */
export async function writeReport(output: ReportOutput, context: ReportContext, io: CliIo): Promise<void> {
  if (output.format === 'pdf') {
    if (output.file === undefined) throw new UsageError('PDF is binary: write it to a file with --output pdf=FILE');
    await printPdf(context, output.file, io);
    return;
  }
  const chunks = REPORT_STREAMS[output.format as ReportFormat](context);
  if (output.file === undefined) {
    writeChunks(chunks, io.stdout);
    return;
  }
  try {
    const fd = openSync(resolve(io.cwd, output.file), 'w');
    try {
      writeChunks(chunks, (text) => writeAll(fd, text));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new UsageError(`cannot write ${output.file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
