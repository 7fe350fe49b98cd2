import { ALL_RULES } from '../../rules/index.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';

const RULES_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

export const RULES_HELP = `Usage: palisade rules [--format table|json]

Lists every rule: id, severity, category, title and the controls it maps to.

Options:
${formatOptions(RULES_OPTIONS)}
`;

export function rulesCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseOptions(args, RULES_OPTIONS, 'rules');
  if (values['help']) {
    io.stdout(RULES_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`palisade rules takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const format = (values['format'] as string | undefined) ?? 'table';
  const rules = [...ALL_RULES].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  if (format === 'json') {
    const catalogue = rules.map(({ meta, options }) => ({
      id: meta.id,
      title: meta.title,
      category: meta.category,
      severity: meta.defaultSeverity,
      enabledByDefault: meta.enabledByDefault !== false,
      controls: meta.controls,
      rationale: meta.rationale,
      remediation: meta.remediation,
      options: Object.fromEntries(Object.entries(options).map(([name, spec]) => [name, { type: spec.type, default: spec.default, description: spec.description }])),
    }));
    io.stdout(`${JSON.stringify({ rules: catalogue }, null, 2)}\n`);
    return 0;
  }
  if (format !== 'table') throw new UsageError(`--format must be table or json, got ${JSON.stringify(format)}`);
  const idWidth = Math.max(...rules.map((r) => r.meta.id.length));
  const lines = rules.map(({ meta }) => `${meta.id.padEnd(idWidth)}  ${meta.defaultSeverity.padEnd(8)}  ${meta.category.padEnd(17)}  ${meta.title}`);
  io.stdout(`${'RULE'.padEnd(idWidth)}  SEVERITY  CATEGORY           TITLE\n${lines.join('\n')}\n\n${rules.length} rules. \`palisade explain RULE-ID\` shows rationale, remediation, controls and an example.\n`);
  return 0;
}
