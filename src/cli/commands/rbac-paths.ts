// `palisade rbac paths`: privilege-escalation paths from subjects and workloads to cluster-admin
// (analysers/rbac/escalation.ts), as text or JSON.
import { findPodTemplate } from '../../core/pod-templates.ts';
import { findEscalationPaths, formatPath, formatPathInline, type EscalationPath, type EscalationStep, type IdentityRef } from '../../analysers/rbac/escalation.ts';
import { workloadIdentity } from '../../analysers/rbac/workloads.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, type OptionDefinition } from '../options.ts';
import { bindingJson, citation, json, parseFormat, RBAC_EXIT_CODES, RBAC_INPUT_OPTIONS, RBAC_INPUTS_HELP, readRbacInputs, ruleJson, sourceHeading, type RbacSource } from './rbac-common.ts';

const PATHS_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'include-bootstrap', type: 'boolean', description: "also start from the subjects of Kubernetes' own bootstrap bindings (system:…)" },
  ...RBAC_INPUT_OPTIONS,
];

export const PATHS_HELP = `Usage: palisade rbac paths [--format table|json] [options] PATH...
       palisade rbac paths [--format table|json] --cluster [--kubeconfig FILE] [--context NAME]

Privilege-escalation paths: for every subject of a binding, and every workload whose pods mount their
ServiceAccount's token, the shortest chain of steps to cluster-admin (create pods as a stronger ServiceAccount,
read or mint its token, exec into its pods, bind or escalate roles, impersonate, approve certificates, mutating
webhooks, nodes/proxy), with the binding and role rule behind each step. A path that starts with a member of a
group whose own path is as short says so ("covered by").

${RBAC_INPUTS_HELP}

Options:
${formatOptions(PATHS_OPTIONS)}

${RBAC_EXIT_CODES}
`;

function identityJson(identity: IdentityRef): Record<string, string> {
  return identity.kind === 'ServiceAccount' ? { kind: identity.kind, namespace: identity.namespace, name: identity.name } : { kind: identity.kind, name: identity.name };
}

function stepJson(step: EscalationStep): Record<string, unknown> {
  return {
    from: identityJson(step.from),
    action: step.action,
    description: step.description,
    ...(step.namespace !== undefined ? { namespace: step.namespace } : {}),
    to: step.to === 'cluster-admin' ? 'cluster-admin' : identityJson(step.to),
    evidence: step.evidence.map((grant) => ({ binding: bindingJson(grant.binding), rule: ruleJson(grant.rule) })),
    ...(step.via !== undefined ? { via: { ...step.via.ref, at: citation(step.via, []) } } : {}),
  };
}

export function pathJson(path: EscalationPath): Record<string, unknown> {
  const { start } = path;
  const startJson =
    start.kind === 'subject'
      ? { kind: 'subject', identity: identityJson(start.identity), binding: bindingJson(start.binding) }
      : {
          kind: 'workload',
          identity: identityJson(start.identity),
          workload: { ...start.workload.template.object.ref, tokenMounted: start.workload.tokenMounted, at: citation(start.workload.template.object, []) },
        };
  return {
    summary: formatPathInline(path),
    length: path.length,
    ...(path.coveredByGroup !== undefined ? { coveredByGroup: path.coveredByGroup } : {}),
    start: startJson,
    steps: path.steps.map(stepJson),
  };
}

function pathsOf(source: RbacSource, locations: Parameters<typeof findPodTemplate>[1], includeBootstrap: boolean): EscalationPath[] {
  // Every pod template, controller-owned ones included: the analysis itself skips a workload whose controller is listed.
  const workloads = source.objects.flatMap((object) => {
    const template = findPodTemplate(object, locations);
    return template ? [workloadIdentity(template, source.model)] : [];
  });
  return findEscalationPaths(source.model, workloads, { secrets: source.objects, includeBootstrap });
}

export async function pathsCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, PATHS_OPTIONS, 'rbac paths');
  if (values['help']) {
    io.stdout(PATHS_HELP);
    return 0;
  }
  const format = parseFormat(values, ['table', 'json'] as const);
  const inputs = await readRbacInputs(values, positionals, io, 'paths');
  if (!inputs) return 2;
  const includeBootstrap = values['include-bootstrap'] === true;
  const results = inputs.sources.map((source) => ({ source, paths: pathsOf(source, inputs.podTemplateLocations, includeBootstrap) }));
  if (format === 'json') {
    io.stdout(json({ sources: results.map(({ source, paths }) => ({ source: source.source, paths: paths.map(pathJson) })) }));
    return 0;
  }
  const lines: string[] = [];
  for (const { source, paths } of results) {
    lines.push(...sourceHeading(source, results.length));
    if (paths.length === 0) {
      lines.push('No privilege-escalation path to cluster-admin found.', '');
      continue;
    }
    lines.push(`Privilege-escalation paths to cluster-admin (${paths.length}):`, '');
    paths.forEach((path, index) => {
      const [first = '', ...rest] = formatPath(path);
      const covered = path.coveredByGroup !== undefined ? ` (covered by Group ${path.coveredByGroup})` : '';
      lines.push(`${String(index + 1).padStart(3)}. ${first}${covered}`, ...rest.map((text) => `   ${text}`), '');
    });
  }
  io.stdout(`${lines.join('\n').replace(/\n+$/, '')}\n`);
  return 0;
}
