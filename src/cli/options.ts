import { parseArgs } from 'node:util';

/** One command-line option: parsing and help come from the same table so they cannot drift. */
export interface OptionDefinition {
  readonly name: string;
  readonly short?: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly value?: string;
  readonly description: string;
}

/** A mistake on the command line: one clean line and exit code 2. */
export class UsageError extends Error {}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

export function parseOptions(
  args: readonly string[],
  definitions: readonly OptionDefinition[],
  command: string,
): { values: ParsedOptions; positionals: string[] } {
  const options = Object.fromEntries(
    definitions.map((d) => [
      d.name,
      { type: d.type, ...(d.short !== undefined ? { short: d.short } : {}), ...(d.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const { values, positionals } = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
    return { values: values as ParsedOptions, positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional argument.*$/s, '') : String(error);
    throw new UsageError(`${message} (see \`palisade ${command} --help\`)`);
  }
}

export function formatOptions(definitions: readonly OptionDefinition[]): string {
  const rows = definitions.map((d) => {
    const flag = `${d.short ? `-${d.short}, ` : '    '}--${d.name}${d.type === 'string' ? ` ${d.value ?? 'VALUE'}` : ''}`;
    return [flag, d.description + (d.multiple ? ' (repeatable)' : '')] as const;
  });
  const width = Math.min(34, Math.max(...rows.map(([flag]) => flag.length)) + 2);
  return rows
    .map(([flag, description]) => (flag.length + 2 > width ? `  ${flag}\n  ${' '.repeat(width)}${description}` : `  ${flag.padEnd(width)}${description}`))
    .join('\n');
}
