import { controlsByFramework } from '../../analysers/compliance/index.ts';
import { ALL_RULES } from '../../rules/index.ts';
import type { CliIo } from '../io.ts';
import { parseOptions, UsageError, type OptionDefinition } from '../options.ts';

const EXPLAIN_OPTIONS: readonly OptionDefinition[] = [{ name: 'help', short: 'h', type: 'boolean', description: 'show this help' }];

export const EXPLAIN_HELP = `Usage: palisade explain RULE-ID

Prints a rule's rationale, remediation, the controls it maps to (per framework, with their titles; see
\`palisade frameworks\`), its options and an example.
`;

/** The rule's controls per framework, in catalogue order, each with its title: `  AC-6  Least Privilege`. */
function controlLines(controls: readonly string[]): string {
  return controlsByFramework(controls)
    .flatMap(({ framework, controls: cited }) => {
      const width = Math.max(...cited.map((control) => control.id.length));
      return [`${framework.name} ${framework.version} (${framework.framework}):`, ...cited.map((control) => `  ${control.id.padEnd(width)}  ${control.title}`)];
    })
    .join('\n');
}

function indent(text: string): string {
  return text.split('\n').map((line) => (line === '' ? '' : `    ${line}`)).join('\n');
}

export function explainCommand(args: readonly string[], io: CliIo): number {
  const { values, positionals } = parseOptions(args, EXPLAIN_OPTIONS, 'explain');
  if (values['help']) {
    io.stdout(EXPLAIN_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('palisade explain needs exactly one RULE-ID (see `palisade rules`)');
  const id = positionals[0]!;
  const rule = ALL_RULES.find((candidate) => candidate.meta.id === id);
  if (!rule) {
    const near = ALL_RULES.map((r) => r.meta.id).filter((candidate) => candidate.includes(id) || id.includes(candidate));
    throw new UsageError(`unknown rule ${JSON.stringify(id)}${near.length ? `; did you mean ${near.slice(0, 3).join(', ')}?` : ''} (see \`palisade rules\`)`);
  }
  const { meta } = rule;
  const options = Object.entries(rule.options);
  const sections = [
    `${meta.id}: ${meta.title}`,
    `Severity: ${meta.defaultSeverity}    Category: ${meta.category}${meta.enabledByDefault === false ? '    (off by default)' : ''}`,
    `Why it matters:\n${indent(meta.rationale)}`,
    `How to fix:\n${indent(meta.remediation)}`,
    `Controls:\n${indent(controlLines(meta.controls))}`,
    ...(options.length
      ? [`Options (.palisade.yaml → rules.${meta.id}):\n${indent(options.map(([name, spec]) => `${name} (${spec.type}, default ${JSON.stringify(spec.default)}): ${spec.description}`).join('\n'))}`]
      : []),
    `Example that fails:\n${indent(meta.example.bad)}`,
    `Fixed:\n${indent(meta.example.good)}`,
  ];
  io.stdout(`${sections.join('\n\n')}\n`);
  return 0;
}
