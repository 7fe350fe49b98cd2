// `palisade secrets scan|detectors`: credentials in any text files or in a repository's history, never printed.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { detectorInfos } from '../../analysers/secrets/catalogue.ts';
import { GitHistoryError } from '../../inputs/git-history.ts';
import { formatSecretsReport, SECRETS_FORMATS, type SecretsFormat } from '../../reporters/secrets/index.ts';
import { scanFilesForSecrets, scanGitHistoryForSecrets, type SecretSeverity } from '../../scan/secrets-scan.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import { parseMaxFileBytes } from './load-inventory.ts';
import { parseOutputs } from './report-output.ts';

const SECRET_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

const SCAN_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: `output on stdout: ${SECRETS_FORMATS.join(', ')} (default table)` },
  { name: 'output', short: 'o', type: 'string', multiple: true, value: 'FORMAT=FILE', description: 'also write a report to FILE, e.g. sarif=secrets.sarif' },
  { name: 'fail-on', type: 'string', value: 'SEVERITY', description: `exit 1 when a secret is at or above: ${SECRET_SEVERITIES.join(', ')}, none (default low: any secret)` },
  { name: 'git', type: 'boolean', description: "scan the history of the repository at PATH (default .): the lines every commit added" },
  { name: 'range', type: 'string', value: 'REVISIONS', description: 'with --git: only these commits, e.g. origin/main..HEAD (default: all of HEAD\'s history)' },
  { name: 'all', type: 'boolean', description: 'with --git: the history of every ref, not only HEAD' },
  { name: 'since', type: 'string', value: 'DATE', description: 'with --git: only commits after DATE (as git log --since)' },
  { name: 'max-count', type: 'string', value: 'N', description: 'with --git: at most N commits, newest first' },
  { name: 'exclude', type: 'string', multiple: true, value: 'GLOB', description: 'leave out matching paths, e.g. --exclude "docs/**" --exclude "*.lock"' },
  { name: 'max-file-size', type: 'string', value: 'MB', description: 'skip files larger than this many MiB (default 100)' },
  { name: 'no-color', type: 'boolean', description: 'no colours in the table output' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

const DETECTORS_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

/** The help text; a function so that counting the catalogue costs nothing to commands that never show it. */
export const secretsHelp = (): string => `Usage: palisade secrets scan [options] [PATH...]
       palisade secrets scan --git [--range REVISIONS] [--all] [--since DATE] [options] [REPOSITORY]
       palisade secrets detectors [--format table|json]

Finds credentials in every text file under PATH (default .): ${detectorInfos().size} detectors of provider formats (cloud
keys, VCS and CI tokens, registries, chat and SaaS keys, private keys, JWTs and Kubernetes service account
tokens, passwords in URLs and connection strings) and of secret-named keys with credential-like values.

YAML and JSON are read as Kubernetes knows them: Secret data is base64-decoded, the last-applied-configuration
annotation is parsed, .dockerconfigjson auths and Helm release records (base64, base64, gzip) are decoded, with
size limits; SealedSecret ciphertext, SOPS-encrypted values, secret-store references, templates ({{ }}, \${VAR},
$(VAR)) and placeholders are not secrets. With --git, the lines each commit added are scanned and every secret
names its commit, author and date.

No output ever contains a secret: each is shown as at most its first 4 characters, its length and a SHA-256
prefix (e.g. "ghp_…" (40 chars, sha256:1a2b3c4d5e6f)).

Options (scan):
${formatOptions(SCAN_OPTIONS)}

Exit codes:
  0  no secret at or above --fail-on
  1  secrets at or above --fail-on
  2  usage error, an input that could not be read, or git failing (not a repository, unknown revision)
`;

function parseFailOn(text: string | undefined): SecretSeverity | 'none' {
  if (text === undefined) return 'low';
  if (text === 'none' || (SECRET_SEVERITIES as readonly string[]).includes(text)) return text as SecretSeverity | 'none';
  throw new UsageError(`--fail-on must be one of ${SECRET_SEVERITIES.join(', ')}, none; got ${JSON.stringify(text)}`);
}

function parseFormat(text: string | undefined): SecretsFormat {
  const format = text ?? 'table';
  if (!(SECRETS_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${SECRETS_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  return format as SecretsFormat;
}

function parseMaxCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,8}$/.test(text)) throw new UsageError(`--max-count expects a positive whole number, got ${JSON.stringify(text)}`);
  return Number(text);
}

async function scanCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, SCAN_OPTIONS, 'secrets scan');
  if (values['help']) {
    io.stdout(secretsHelp());
    return 0;
  }
  const format = parseFormat(values['format'] as string | undefined);
  const outputs = parseOutputs((values['output'] as string[] | undefined) ?? [], SECRETS_FORMATS);
  const failOn = parseFailOn(values['fail-on'] as string | undefined);
  const maxFileBytes = parseMaxFileBytes(values['max-file-size'] as string | undefined);
  const exclude = (values['exclude'] as string[] | undefined) ?? [];
  const common = { cwd: io.cwd, maxFileBytes, exclude, failOn, version: io.version };
  const gitOnly = ['range', 'all', 'since', 'max-count'].filter((name) => values[name] !== undefined);
  if (!values['git'] && gitOnly.length > 0) throw new UsageError(`--${gitOnly[0]} needs --git`);

  let report;
  if (values['git']) {
    if (positionals.length > 1) throw new UsageError('--git scans one repository; give at most one PATH');
    const maxCount = parseMaxCount(values['max-count'] as string | undefined);
    try {
      report = await scanGitHistoryForSecrets({
        ...common,
        repository: resolve(io.cwd, positionals[0] ?? '.'),
        git: {
          env: io.env,
          ...(values['range'] !== undefined ? { range: values['range'] as string } : {}),
          ...(values['all'] ? { all: true } : {}),
          ...(values['since'] !== undefined ? { since: values['since'] as string } : {}),
          ...(maxCount !== undefined ? { maxCount } : {}),
        },
      });
    } catch (error) {
      if (error instanceof GitHistoryError) {
        io.stderr(`palisade: ${error.message}\n`);
        return 2;
      }
      throw error;
    }
  } else {
    report = scanFilesForSecrets(positionals.length > 0 ? positionals : ['.'], common);
  }

  const colour = format === 'table' && io.stdoutIsTTY && !values['no-color'] && io.env['NO_COLOR'] === undefined;
  io.stdout(formatSecretsReport(report, format, colour));
  for (const output of outputs) {
    try {
      writeFileSync(resolve(io.cwd, output.file), formatSecretsReport(report, output.format), { mode: 0o600 });
    } catch (error) {
      throw new UsageError(`cannot write ${output.file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (report.errors.length > 0) return 2;
  return report.summary.failing > 0 ? 1 : 0;
}

function detectorsCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseOptions(args, DETECTORS_OPTIONS, 'secrets detectors');
  if (values['help']) {
    io.stdout(`Usage: palisade secrets detectors [--format table|json]\n\nLists the secret detectors.\n\nOptions:\n${formatOptions(DETECTORS_OPTIONS)}\n`);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError('secrets detectors takes no arguments');
  const format = (values['format'] as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got ${JSON.stringify(format)}`);
  const detectors = [...detectorInfos().values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  if (format === 'json') {
    io.stdout(`${JSON.stringify(detectors, null, 2)}\n`);
    return 0;
  }
  const width = Math.max(...detectors.map((detector) => detector.id.length));
  io.stdout(`${detectors.map((detector) => `${detector.id.padEnd(width)}  ${detector.severity.padEnd(8)}  ${detector.title}`).join('\n')}\n\n${detectors.length} detectors.\n`);
  return 0;
}

export async function secretsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '-h' || subcommand === '--help' || subcommand === 'help') {
    io.stdout(secretsHelp());
    return subcommand === undefined ? 2 : 0;
  }
  if (subcommand === 'scan') return scanCommand(rest, io);
  if (subcommand === 'detectors') return detectorsCommand(rest, io);
  throw new UsageError(`unknown secrets subcommand ${JSON.stringify(subcommand)}; subcommands: scan, detectors (see \`palisade secrets --help\`)`);
}
