import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../config/load.ts';
import { isJsonObject, isSeverity, SEVERITIES, type Severity } from '../../core/model.ts';
import { DEFAULT_SCAN_SETTINGS, parseKubeMinorVersion } from '../../core/settings.ts';
import { REPORT_FORMATS, type ReportFormat } from '../../reporters/index.ts';
import { ALL_RULES } from '../../rules/index.ts';
import { runScan } from '../../scan/run-scan.ts';
import type { CliIo } from '../io.ts';
import { helmSettingsOf, INPUT_OPTION, loadInputs, parseInputSelection, parseMaxFileBytes, parseTimeout } from './load-inventory.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import { FRAMEWORK_OPTION, parseFrameworks } from './frameworks.ts';
import { OUTPUT_FORMATS, parseOutputs, writeReport } from './report-output.ts';

export const SCAN_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: `output on stdout: ${REPORT_FORMATS.join(', ')} (default table)` },
  { name: 'output', short: 'o', type: 'string', multiple: true, value: 'FORMAT=FILE', description: `also write a report to FILE (${OUTPUT_FORMATS.join(', ')}), e.g. sarif=out.sarif` },
  { name: 'fail-on', type: 'string', value: 'SEVERITY', description: `exit 1 when a finding is at or above: ${SEVERITIES.join(', ')}, none (default high)` },
  { name: 'pss-version', type: 'string', value: '1.N', description: 'evaluate Pod Security Standards as of this Kubernetes version (default latest)' },
  { name: 'config', short: 'c', type: 'string', value: 'FILE', description: 'config file (default .palisade.yaml if present)' },
  { name: 'baseline', type: 'string', value: 'FILE', description: 'report only findings not in this earlier JSON report' },
  FRAMEWORK_OPTION,
  INPUT_OPTION.values,
  INPUT_OPTION.set,
  INPUT_OPTION['release-name'],
  { name: 'namespace', short: 'n', type: 'string', value: 'NAMESPACE', description: 'with --cluster: scan only this namespace; with charts: the Helm release namespace' },
  INPUT_OPTION.cluster,
  INPUT_OPTION.kubeconfig,
  INPUT_OPTION.context,
  { name: 'all-namespaces', short: 'A', type: 'boolean', description: 'with --cluster: every namespace and cluster-scoped resource (the default)' },
  INPUT_OPTION.timeout,
  { name: 'save-snapshot', type: 'string', value: 'FILE', description: 'with --cluster: also write the objects read (Secret values removed) to FILE for `palisade scan FILE`' },
  INPUT_OPTION['max-file-size'],
  { name: 'no-color', type: 'boolean', description: 'no colours in the table output' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

export const SCAN_HELP = `Usage: palisade scan [options] PATH...
       palisade scan --cluster [--kubeconfig FILE] [--context NAME] [-n NAMESPACE] [options]

Scans Kubernetes manifests: YAML/JSON files, directories (recursively: *.yaml, *.yml, *.json), '-' for
stdin, Helm charts (directories with Chart.yaml, rendered with helm template) and kustomizations
(rendered with kustomize build or kubectl kustomize).

With --cluster it reads a live cluster through its API instead, with the kubeconfig's credentials
(client certificates, tokens, exec plugins) or the pod's service account: every listable resource,
custom resources included (events and v1 Endpoints aside), plus the server version, whether the API
answers anonymous requests, and the API versions it serves. Resources the identity may not list are
named in warnings and the rest is scanned.

With --framework (several allowed, or all) the report also gives each framework's controls a status (pass, fail,
manual, not applicable, not evaluated), a severity-weighted score and the share of controls the scan could evaluate;
see docs/compliance.md and \`palisade frameworks\`.

Options:
${formatOptions(SCAN_OPTIONS)}

Exit codes:
  0  no finding at or above --fail-on
  1  findings at or above --fail-on
  2  usage, config or input error (an input could not be read completely; the report still lists
     every finding from the rest); with --cluster also: cluster unreachable, credentials rejected,
     --timeout reached. Resources the identity may not list (403) are warnings, not errors.
`;

function readBaseline(file: string, cwd: string): Set<string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new UsageError(`--baseline ${file}: cannot read a JSON report: ${error instanceof Error ? error.message : String(error)}`);
  }
  const findings = isJsonObject(raw) ? raw['findings'] : undefined;
  if (!Array.isArray(findings)) throw new UsageError(`--baseline ${file}: not a Palisade JSON report (no "findings" list)`);
  const fingerprints = new Set<string>();
  for (const finding of findings) {
    const fingerprint = isJsonObject(finding) ? finding['fingerprint'] : undefined;
    if (typeof fingerprint === 'string') fingerprints.add(fingerprint);
  }
  return fingerprints;
}

export async function scanCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, SCAN_OPTIONS, 'scan');
  if (values['help']) {
    io.stdout(SCAN_HELP);
    return 0;
  }
  const selection = parseInputSelection(values, positionals, ['kubeconfig', 'context', 'all-namespaces', 'timeout', 'save-snapshot'], {
    clusterWithPaths: '--cluster scans the live cluster and takes no PATH; scan files in a separate run',
    nothing: 'palisade scan needs at least one PATH (a file, a directory, or - for stdin), or --cluster; see `palisade scan --help`',
  });
  if (values['all-namespaces'] && values['namespace'] !== undefined) throw new UsageError('--namespace and --all-namespaces exclude each other');
  const timeoutMs = parseTimeout(values['timeout'] as string | undefined);

  const format = (values['format'] as string | undefined) ?? 'table';
  if (format === 'pdf') throw new UsageError('PDF is binary: write it to a file with --output pdf=FILE');
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  }
  const outputs = parseOutputs((values['output'] as string[] | undefined) ?? [], OUTPUT_FORMATS);

  let loaded;
  try {
    loaded = loadConfig(values['config'] as string | undefined, io.cwd, ALL_RULES);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const { config } = loaded;

  const failOnText = values['fail-on'] as string | undefined;
  let failOn: Severity | undefined = config.failOn ?? 'high';
  if (failOnText !== undefined) {
    if (failOnText === 'none') failOn = undefined;
    else if (isSeverity(failOnText)) failOn = failOnText;
    else throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none; got ${JSON.stringify(failOnText)}`);
  }
  const pssText = values['pss-version'] as string | undefined;
  const pssVersion = pssText !== undefined ? parseKubeMinorVersion(pssText) : (config.pssVersion ?? DEFAULT_SCAN_SETTINGS.pssVersion);
  if (!pssVersion) throw new UsageError(`--pss-version expects 1.N (a Kubernetes minor version up to ${DEFAULT_SCAN_SETTINGS.pssVersion.major}.${DEFAULT_SCAN_SETTINGS.pssVersion.minor}) or latest, got ${JSON.stringify(pssText)}`);

  const maxFileBytes = parseMaxFileBytes(values['max-file-size'] as string | undefined);

  const baselineFile = values['baseline'] as string | undefined;
  const baseline = baselineFile !== undefined ? readBaseline(baselineFile, io.cwd) : undefined;
  const namespace = values['namespace'] as string | undefined;
  const frameworks = parseFrameworks(values['framework'] as string[] | undefined);

  const collected = await loadInputs(
    {
      selection,
      maxFileBytes,
      helm: helmSettingsOf(values, namespace),
      ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      ...(namespace !== undefined ? { clusterNamespace: namespace } : {}),
      ...(values['save-snapshot'] !== undefined ? { snapshotFile: values['save-snapshot'] as string } : {}),
    },
    io,
  );

  const { report, activeRules } = runScan({
    sources: collected.sources,
    ...(collected.liveObjects ? { liveObjects: collected.liveObjects } : {}),
    ...(collected.cluster ? { cluster: collected.cluster } : {}),
    ...(collected.warnings ? { warnings: collected.warnings } : {}),
    inputErrors: collected.errors,
    inputs: collected.inputs,
    catalogue: ALL_RULES,
    config,
    configFile: loaded.file,
    settings: { ...DEFAULT_SCAN_SETTINGS, pssVersion, today: io.today() },
    failOn,
    baseline,
    today: io.today(),
    toolVersion: io.version,
    frameworks,
    // The HTML report draws them; a JSON report keeps them for `palisade report -f html` later.
    graphs: [format, ...outputs.map((output) => output.format)].some((f) => f === 'html' || f === 'pdf' || f === 'json'),
  });

  const rules = activeRules.map((active) => active.rule.meta);
  const color = format === 'table' && io.stdoutIsTTY && !values['no-color'] && io.env['NO_COLOR'] === undefined;
  await writeReport({ format: format as ReportFormat }, { report, rules, color }, io);
  for (const output of outputs) await writeReport(output, { report, rules, color: false }, io);
  if (report.errors.length > 0) return 2;
  return report.summary.failing > 0 ? 1 : 0;
}
