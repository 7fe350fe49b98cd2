// `--framework` for scan and report, and `palisade frameworks [ID]`: the compliance catalogues, or one framework's
// controls with the rules that judge each.
import { FRAMEWORKS, frameworkById, isControlFramework } from '../../analysers/compliance/index.ts';
import { COVERAGE_FORMULA, SCORE_FORMULA } from '../../analysers/compliance/index.ts';
import { CONTROL_FRAMEWORKS, type ControlFramework } from '../../core/rule-api.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';

export const FRAMEWORK_OPTION: OptionDefinition = {
  name: 'framework',
  type: 'string',
  multiple: true,
  value: 'ID',
  description: `report compliance with a framework: ${CONTROL_FRAMEWORKS.join(', ')}, or all`,
};

/** `--framework` values in the order given, duplicates dropped; `all` is every framework. */
export function parseFrameworks(values: readonly string[] | undefined): ControlFramework[] {
  const chosen: ControlFramework[] = [];
  for (const value of (values ?? []).flatMap((text) => text.split(','))) {
    const id = value.trim();
    const ids = id === 'all' ? CONTROL_FRAMEWORKS : isControlFramework(id) ? [id] : undefined;
    if (ids === undefined) throw new UsageError(`--framework must be one of ${CONTROL_FRAMEWORKS.join(', ')} or all, got ${JSON.stringify(value)}`);
    for (const framework of ids) if (!chosen.includes(framework)) chosen.push(framework);
  }
  return chosen;
}

const FRAMEWORKS_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

export const FRAMEWORKS_HELP = `Usage: palisade frameworks [--format table|json] [ID]

Lists the compliance frameworks Palisade maps its rules to, or with ID the controls of one framework, each with
the rules that judge it (a control no rule judges is reported as manual or not evaluated, never as passed).
Use them with \`palisade scan --framework ID\` and \`palisade report --framework ID REPORT.json\`.

${SCORE_FORMULA}.
${COVERAGE_FORMULA}.

Options:
${formatOptions(FRAMEWORKS_OPTIONS)}
`;

export function frameworksCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseOptions(args, FRAMEWORKS_OPTIONS, 'frameworks');
  if (values['help']) {
    io.stdout(FRAMEWORKS_HELP);
    return 0;
  }
  const format = (values['format'] as string | undefined) ?? 'table';
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format must be table or json, got ${JSON.stringify(format)}`);
  if (positionals.length > 1) throw new UsageError('palisade frameworks takes at most one framework ID');
  const id = positionals[0];
  if (id !== undefined && !isControlFramework(id)) throw new UsageError(`unknown framework ${JSON.stringify(id)}; frameworks: ${CONTROL_FRAMEWORKS.join(', ')}`);
  if (id === undefined) {
    if (format === 'json') {
      const list = FRAMEWORKS.map(({ controls, sections: _sections, ...rest }) => ({ ...rest, controls: controls.length, judged: controls.filter((c) => c.rules.length > 0).length }));
      io.stdout(`${JSON.stringify({ frameworks: list }, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...FRAMEWORKS.map((f) => f.framework.length));
    const lines = FRAMEWORKS.map((f) => {
      const judged = f.controls.filter((control) => control.rules.length > 0).length;
      return `${f.framework.padEnd(width)}  ${String(f.controls.length).padStart(8)}  ${String(judged).padStart(6)}  ${f.name} ${f.version}`;
    });
    io.stdout(`${'ID'.padEnd(width)}  CONTROLS  JUDGED  NAME\n${lines.join('\n')}\n\nJUDGED: controls at least one rule judges. \`palisade frameworks ID\` lists a framework's controls.\n`);
    return 0;
  }
  const framework = frameworkById(id);
  if (format === 'json') {
    io.stdout(`${JSON.stringify(framework, null, 2)}\n`);
    return 0;
  }
  const width = Math.min(16, Math.max(...framework.controls.map((c) => c.id.length)));
  const lines = framework.controls.map((c) => `${c.id.padEnd(width)}  ${c.assessment.padEnd(9)}  ${c.title}${c.rules.length > 0 ? `\n${' '.repeat(width + 13)}rules: ${c.rules.join(', ')}` : ''}`);
  io.stdout(`${framework.name} ${framework.version}\nSource: ${framework.source}\n${framework.scope ? `Scope: ${framework.scope}\n` : ''}\n${lines.join('\n')}\n`);
  return 0;
}
