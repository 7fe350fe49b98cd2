#!/usr/bin/env -S node --max-semi-space-size=16
import { readFileSync } from 'node:fs';
import { explainCommand, EXPLAIN_HELP } from './commands/explain.ts';
import { frameworksCommand } from './commands/frameworks.ts';
import { reportCommand, REPORT_HELP } from './commands/report.ts';
import { netpolCommand, NETPOL_HELP } from './commands/netpol.ts';
import { nodeCommand, NODE_HELP } from './commands/node.ts';
import { rbacCommand, RBAC_HELP } from './commands/rbac.ts';
import { rulesCommand } from './commands/rules.ts';
import { scanCommand } from './commands/scan.ts';
import { secretsCommand, secretsHelp } from './commands/secrets.ts';
import type { CliIo } from './io.ts';
import { UsageError } from './options.ts';

const HELP = `Usage: palisade <command> [options]

Commands:
  scan PATH...       scan manifests, directories, Helm charts, kustomizations or - (stdin)
  scan --cluster     scan the live cluster of the current kubeconfig context
  rbac SUBCOMMAND    RBAC questions: who-can, can, paths, graph (see \`palisade rbac --help\`)
  netpol SUBCOMMAND  NetworkPolicy reachability: reach, matrix, diff, graph (see \`palisade netpol --help\`)
  secrets scan PATH  credentials in any text files, or with --git in a repository's history (never printed)
  node [--root DIR]  CIS Benchmark checks on this node's control-plane and kubelet configuration and files
  report REPORT.json re-render a saved JSON report: --framework, html, csv, markdown, pdf; --compare OLD NEW
  frameworks [ID]    list the compliance frameworks, or one framework's controls and the rules judging them
  rules              list the rule catalogue
  explain RULE-ID    rationale, remediation, controls and an example for one rule

Options:
  -h, --help         show help (also \`palisade <command> --help\`)
  -v, --version      print the version

Exit codes: 0 no finding at or above --fail-on (default high), 1 such findings, 2 usage, config or
input error. Documentation: README.md and docs/.
`;

const COMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => number | Promise<number>>> = {
  scan: scanCommand,
  rbac: rbacCommand,
  netpol: netpolCommand,
  secrets: secretsCommand,
  node: nodeCommand,
  report: reportCommand,
  frameworks: frameworksCommand,
  rules: rulesCommand,
  explain: explainCommand,
};

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
      if (command === 'help' && rest[0] === 'explain') io.stdout(EXPLAIN_HELP);
      else if (command === 'help' && rest[0] === 'rbac') io.stdout(RBAC_HELP);
      else if (command === 'help' && rest[0] === 'netpol') io.stdout(NETPOL_HELP);
      else if (command === 'help' && rest[0] === 'secrets') io.stdout(secretsHelp());
      else if (command === 'help' && rest[0] === 'node') io.stdout(NODE_HELP);
      else if (command === 'help' && rest[0] === 'report') io.stdout(REPORT_HELP);
      else io.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '-v' || command === '--version' || command === 'version') {
      io.stdout(`palisade ${io.version}\n`);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run) throw new UsageError(`unknown command ${JSON.stringify(command)}; commands: ${Object.keys(COMMANDS).join(', ')} (see \`palisade --help\`)`);
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`palisade: ${error.message}\n`);
      return 2;
    }
    // An unexpected failure is a bug: keep the stack for the report, but say so plainly.
    io.stderr(`palisade: internal error (please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 2;
  }
}

function packageVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return manifest.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

const realIo: CliIo = {
  cwd: process.cwd(),
  env: process.env,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  version: packageVersion(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: () => readFileSync(0, 'utf8'),
  today: () => new Date().toISOString().slice(0, 10),
};

// A reader that closes the pipe early (`palisade scan . | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2), realIo);
