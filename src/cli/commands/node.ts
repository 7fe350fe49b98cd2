// `palisade node`: the CIS Kubernetes Benchmark's control-plane and node checks on one node's real configuration.
import { resolve } from 'node:path';
import { ConfigError, loadConfig } from '../../config/load.ts';
import { isSeverity, SEVERITIES, type Severity } from '../../core/model.ts';
import { DEFAULT_SCAN_SETTINGS } from '../../core/settings.ts';
import { REPORT_FORMATS, type ReportFormat } from '../../reporters/index.ts';
import { ALL_RULES } from '../../rules/index.ts';
import { collectNodeInputs, NodeRootError } from '../../scan/node-inputs.ts';
import { runScan, type ComplianceScope } from '../../scan/run-scan.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import { parseTimeout } from './load-inventory.ts';
import { FRAMEWORK_OPTION, parseFrameworks } from './frameworks.ts';
import { nodeJobManifest } from './node-job.ts';
import { OUTPUT_FORMATS, parseOutputs, writeReport } from './report-output.ts';

/**
 * The rules a node's configuration is judged by: those citing the CIS Benchmark's control-plane, etcd, control-plane
 * configuration and worker-node sections. Workload rules stay out: a static kube-apiserver Pod needs the host
 * network by design, and kube-bench does not judge it as a workload either.
 */
export const NODE_SCAN_RULES = ALL_RULES.filter((rule) => rule.meta.controls.some((control) => /^cis-k8s\/[1-4]\./.test(control)));

const NODE_OPTIONS: readonly OptionDefinition[] = [
  { name: 'root', type: 'string', value: 'DIR', description: "the node's filesystem root (default /); a host filesystem mounted into a pod, e.g. /host" },
  { name: 'proc', type: 'boolean', description: 'also read component command lines from <root>/proc: running processes decide over files' },
  { name: 'etcd-check', type: 'boolean', description: "read one Secret from each API server's etcd, with its client certificate, to see whether it is stored encrypted" },
  { name: 'timeout', type: 'string', value: 'DURATION', description: 'with --etcd-check: how long to wait for etcd (default 10s)' },
  { name: 'print-job', type: 'boolean', description: 'print the Job (with its Namespace, ServiceAccount and NetworkPolicy) that runs palisade node in the cluster, and exit' },
  { name: 'image', type: 'string', value: 'IMAGE', description: 'with --print-job: the Palisade image (default ghcr.io/palisade-sec/palisade:VERSION; build it from the Dockerfile)' },
  { name: 'node', type: 'string', value: 'NAME', description: 'with --print-job: run on this node (spec.nodeName)' },
  { name: 'namespace', short: 'n', type: 'string', value: 'NAMESPACE', description: 'with --print-job: the namespace to create and run in (default palisade)' },
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: `output: ${REPORT_FORMATS.join(', ')} (default table)` },
  { name: 'output', short: 'o', type: 'string', multiple: true, value: 'FORMAT=FILE', description: `also write a report to FILE (${OUTPUT_FORMATS.join(', ')})` },
  { ...FRAMEWORK_OPTION, description: 'also report compliance with another framework besides the CIS Benchmark (repeatable; all for every one)' },
  { name: 'fail-on', type: 'string', value: 'SEVERITY', description: `exit 1 when a finding is at or above: ${SEVERITIES.join(', ')}, none (default high)` },
  { name: 'config', short: 'c', type: 'string', value: 'FILE', description: 'config file (default .palisade.yaml if present)' },
  { name: 'no-color', type: 'boolean', description: 'no colours in the table output' },
  { name: 'help', short: 'h', type: 'boolean', description: 'show this help' },
];

export const NODE_HELP = `Usage: palisade node [--root DIR] [--proc] [options]

Checks one node's Kubernetes configuration with the rules that cite the CIS Kubernetes Benchmark's sections
1 to 4 (see \`palisade rules\`): the static Pod manifests of kube-apiserver, kube-controller-manager, kube-scheduler and
etcd (their flags, located to the line), the kubelet's systemd unit, drop-ins and environment files and its
KubeletConfiguration, the audit policy and EncryptionConfiguration the API server's flags name, and the mode and
owner of every Kubernetes file found (manifests, kubeconfigs, PKI, the etcd data directory, CNI configuration).
kubeadm, plain systemd, k3s and rke2 layouts are recognised.

Run it on the node as root, or in a pod that mounts the host's / read-only (--root /host). Nothing outside the
root is read: symbolic links are resolved inside it. Private keys are never read, only their metadata — except,
with --etcd-check, the API server's own etcd client key, to read one Secret's stored form (never its value).

Options:
${formatOptions(NODE_OPTIONS)}

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage error, an unusable root, or a
file that could not be read.
`;

/** `palisade node` judges the CIS Benchmark's node sections: control plane (1), etcd (2), control plane configuration (3), worker nodes (4). */
export const NODE_SECTIONS: ComplianceScope = { framework: 'cis-k8s', name: 'node', includes: (control) => /^[1-4](?:\.|$)/.test(control.section ?? '') };

export async function nodeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, NODE_OPTIONS, 'node');
  if (values['help']) {
    io.stdout(NODE_HELP);
    return 0;
  }
  const jobOnly = ['image', 'node', 'namespace'].filter((name) => values[name] !== undefined);
  if (values['print-job']) {
    io.stdout(
      nodeJobManifest({
        image: (values['image'] as string | undefined) ?? `ghcr.io/palisade-sec/palisade:${io.version}`,
        namespace: (values['namespace'] as string | undefined) ?? 'palisade',
        ...(values['node'] !== undefined ? { node: values['node'] as string } : {}),
      }),
    );
    return 0;
  }
  if (jobOnly.length > 0) throw new UsageError(`--${jobOnly[0]} needs --print-job`);
  if (positionals.length > 0) throw new UsageError(`palisade node takes no PATH (got ${JSON.stringify(positionals[0])}); use --root DIR for a mounted host filesystem`);
  const format = (values['format'] as string | undefined) ?? 'table';
  if (format === 'pdf') throw new UsageError('PDF is binary: write it to a file with --output pdf=FILE');
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`);
  const outputs = parseOutputs((values['output'] as string[] | undefined) ?? [], OUTPUT_FORMATS);
  let loaded;
  try {
    loaded = loadConfig(values['config'] as string | undefined, io.cwd, NODE_SCAN_RULES);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
  const failOnText = values['fail-on'] as string | undefined;
  let failOn: Severity | undefined = loaded.config.failOn ?? 'high';
  if (failOnText !== undefined) {
    if (failOnText === 'none') failOn = undefined;
    else if (isSeverity(failOnText)) failOn = failOnText;
    else throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}, none; got ${JSON.stringify(failOnText)}`);
  }

  let inputs;
  try {
    const timeoutMs = parseTimeout(values['timeout'] as string | undefined) ?? 10_000;
    if (values['timeout'] !== undefined && !values['etcd-check']) throw new UsageError('--timeout needs --etcd-check');
    inputs = await collectNodeInputs({
      root: resolve(io.cwd, (values['root'] as string | undefined) ?? '/'),
      proc: values['proc'] === true,
      ...(values['etcd-check'] ? { etcdCheck: { timeoutMs } } : {}),
    });
  } catch (error) {
    if (error instanceof NodeRootError) throw new UsageError(`--root: ${error.message}`);
    throw error;
  }
  if (inputs.summary.layouts.length === 0 && inputs.objects.every((object) => object.ref.kind !== 'ComponentCommandLine')) {
    io.stderr(`palisade: no Kubernetes configuration found under ${inputs.summary.root} (looked for kubeadm, systemd, k3s and rke2 layouts)\n`);
    return 2;
  }

  const { report, activeRules } = runScan({
    sources: inputs.sources,
    liveObjects: inputs.objects,
    inputErrors: inputs.errors,
    inputs: inputs.inputs,
    catalogue: NODE_SCAN_RULES,
    config: loaded.config,
    configFile: loaded.file,
    settings: { ...DEFAULT_SCAN_SETTINGS, today: io.today() },
    failOn,
    baseline: undefined,
    today: io.today(),
    toolVersion: io.version,
    frameworks: parseFrameworks(['cis-k8s', ...((values['framework'] as string[] | undefined) ?? [])]),
    complianceScope: NODE_SECTIONS,
  });
  const rules = activeRules.map((active) => active.rule.meta);
  const color = format === 'table' && io.stdoutIsTTY && !values['no-color'] && io.env['NO_COLOR'] === undefined;
  await writeReport({ format: format as ReportFormat }, { report, rules, color }, io);
  for (const output of outputs) await writeReport(output, { report, rules, color: false }, io);
  if (report.errors.length > 0) return 2;
  return report.summary.failing > 0 ? 1 : 0;
}
