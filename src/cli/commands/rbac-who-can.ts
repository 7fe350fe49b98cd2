// `palisade rbac who-can VERB RESOURCE`: every subject some binding lets make the request, with the binding and the
// role rule that allow it.
import { MASTERS_GROUP, whoCan, type Grant } from '../../analysers/rbac/authorizer.ts';
import { describeBinding, describeRule, describeSubject } from '../../analysers/rbac/evidence.ts';
import { isImplicitGroup } from '../../analysers/rbac/graph.ts';
import type { BindingEntry, RbacModel } from '../../analysers/rbac/model.ts';
import { ruleAllows, type RequestAttributes } from '../../analysers/rbac/policy-rule.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import {
  bindingJson,
  compareBindings,
  compareStrings,
  compareSubjects,
  json,
  parseFormat,
  RBAC_EXIT_CODES,
  RBAC_INPUT_OPTIONS,
  RBAC_INPUTS_HELP,
  readRbacInputs,
  renderTable,
  ruleJson,
  sourceHeading,
  subjectJson,
  type RbacSource,
} from './rbac-common.ts';
import { formatTarget, knownResources, requestFor, resolveTarget, type ResolvedTarget } from './rbac-resources.ts';

const WHO_CAN_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'namespace', short: 'n', type: 'string', value: 'NAMESPACE', description: 'the RoleBindings of NAMESPACE count too (default: cluster-wide, ClusterRoleBindings only)' },
  { name: 'subresource', type: 'string', value: 'NAME', description: 'a subresource, e.g. exec, log, scale (or write RESOURCE/SUBRESOURCE)' },
  { name: 'name', type: 'string', value: 'NAME', description: 'one object by name (rules limited by resourceNames then count)' },
  ...RBAC_INPUT_OPTIONS,
];

export const WHO_CAN_HELP = `Usage: palisade rbac who-can VERB RESOURCE [-n NAMESPACE] [options] PATH...
       palisade rbac who-can VERB RESOURCE [-n NAMESPACE] --cluster [--kubeconfig FILE] [--context NAME]

Lists every subject (User, Group, ServiceAccount) that RBAC lets make the request, with the binding and the role
rule that allow it (file:line for manifests, the object for a cluster).

RESOURCE as kubectl takes it: pods, po, deployments.apps, pods/exec, deployments.apps/scale, a resource of a
CustomResourceDefinition of the input, or a non-resource URL such as /metrics or /healthz. VERB: get, list,
watch, create, update, patch, delete, deletecollection, use, bind, escalate, impersonate, approve, …

Without -n only ClusterRoleBindings count (a cluster-wide answer); with -n NAMESPACE the RoleBindings of that
namespace too. A cluster-scoped resource (nodes, namespaces, clusterroles, …) and non-resource URLs are only
ever granted by ClusterRoleBindings. Groups are listed as groups (their members are not known); members of
system:masters may do everything without RBAC and are not listed.

${RBAC_INPUTS_HELP}

Options:
${formatOptions(WHO_CAN_OPTIONS)}

${RBAC_EXIT_CODES}
`;

const KNOWN_VERBS = new Set(['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'use', 'bind', 'escalate', 'impersonate', 'approve', 'sign', 'attest', 'proxy', 'post', 'put', 'head', 'options', '*']);

/** What a group stands for when its members come from authentication rather than from any object. */
function implicitGroupNote(group: string, model: RbacModel): string | undefined {
  if (!isImplicitGroup(group)) return undefined;
  if (group === 'system:authenticated') return `${group} is implicit: every authenticated user and every ServiceAccount is a member`;
  if (group === 'system:unauthenticated') return `${group} is implicit: anonymous requests are members (when the API server allows anonymous requests)`;
  if (group === 'system:serviceaccounts') return `${group} is implicit: every ServiceAccount of every namespace is a member`;
  const namespace = group.slice('system:serviceaccounts:'.length);
  const known = [...model.serviceAccounts.keys()].filter((key) => key.startsWith(`${namespace}/`)).map((key) => key.slice(namespace.length + 1)).sort(compareStrings);
  return `${group} is implicit: every ServiceAccount of namespace ${namespace} is a member${known.length > 0 ? ` (in the input: ${known.join(', ')})` : ''}`;
}

interface Answer {
  readonly grants: readonly Grant[];
  /** Subjects allowed only for some object names (no --name given). */
  readonly namedOnly: readonly Grant[];
  readonly notes: readonly string[];
}

function compareGrants(a: Grant, b: Grant): number {
  return compareSubjects(a.subject, b.subject) || compareBindings(a.binding, b.binding) || a.rule.index - b.rule.index;
}

function bindingApplies(binding: BindingEntry, request: RequestAttributes): boolean {
  const namespace = request.kind === 'resource' ? request.namespace : undefined;
  return binding.kind === 'ClusterRoleBinding' || (namespace !== undefined && namespace !== '' && binding.namespace === namespace);
}

function answer(source: RbacSource, request: RequestAttributes): Answer {
  const { model } = source;
  const grants = whoCan(model, request).sort(compareGrants);
  const namedOnly: Grant[] = [];
  if (request.kind === 'resource' && request.name === undefined) {
    const allowed = new Set(grants.map((grant) => grant.binding));
    for (const binding of model.bindings) {
      if (!binding.role || allowed.has(binding) || !bindingApplies(binding, request)) continue;
      const rule = binding.role.rules.find((candidate) => candidate.rule.resourceNames.length > 0 && ruleAllows({ ...candidate.rule, resourceNames: [] }, request));
      if (rule) for (const subject of binding.subjects) namedOnly.push({ binding, subject, rule });
    }
    namedOnly.sort(compareGrants);
  }
  const notes: string[] = [];
  const groups = new Set([...grants, ...namedOnly].filter((grant) => grant.subject.kind === 'Group').map((grant) => grant.subject.name));
  for (const group of [...groups].sort(compareStrings)) {
    const note = implicitGroupNote(group, model);
    if (note) notes.push(note);
  }
  if (model.bindings.length === 0) notes.push('the input holds no RoleBinding or ClusterRoleBinding');
  return { grants, namedOnly, notes };
}

function scopeOf(target: ResolvedTarget, namespace: string | undefined): { scope: 'cluster-wide' | 'namespace'; requestNamespace: string | undefined; note: string } {
  const what = formatTarget(target);
  if (target.kind === 'nonResource') {
    return { scope: 'cluster-wide', requestNamespace: undefined, note: `non-resource URLs are granted by ClusterRoleBindings only${namespace !== undefined ? `; -n ${namespace} changes nothing` : ''}` };
  }
  if (target.namespaced === false) {
    return {
      scope: 'cluster-wide',
      requestNamespace: undefined,
      note: `${what} is cluster-scoped: only ClusterRoleBindings grant it${namespace !== undefined ? ` (a RoleBinding in ${namespace}, even to a ClusterRole, grants nothing on it)` : ''}`,
    };
  }
  if (namespace === undefined) {
    return { scope: 'cluster-wide', requestNamespace: undefined, note: 'cluster-wide: ClusterRoleBindings only; pass -n NAMESPACE to add the RoleBindings of a namespace' };
  }
  return { scope: 'namespace', requestNamespace: namespace, note: `in namespace ${namespace}: ClusterRoleBindings and the RoleBindings of ${namespace}` };
}

function grantJson(grant: Grant, model: RbacModel): Record<string, unknown> {
  return {
    subject: subjectJson(grant.subject),
    implicitGroup: grant.subject.kind === 'Group' && implicitGroupNote(grant.subject.name, model) !== undefined,
    binding: bindingJson(grant.binding),
    rule: ruleJson(grant.rule),
  };
}

function grantRows(grants: readonly Grant[]): string[][] {
  return grants.map((grant) => [
    `${describeSubject(grant.subject)}${grant.subject.kind === 'Group' && isImplicitGroup(grant.subject.name) ? ' (implicit)' : ''}`,
    describeBinding(grant.binding),
    `${describeRule(grant.rule)}${grant.rule.rule.resourceNames.length > 0 ? ` [names: ${grant.rule.rule.resourceNames.join(', ')}]` : ''}`,
  ]);
}

export async function whoCanCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, WHO_CAN_OPTIONS, 'rbac who-can');
  if (values['help']) {
    io.stdout(WHO_CAN_HELP);
    return 0;
  }
  const format = parseFormat(values, ['table', 'json'] as const);
  const [verb, resource, ...paths] = positionals;
  if (verb === undefined || resource === undefined) {
    throw new UsageError('palisade rbac who-can needs VERB and RESOURCE, e.g. `palisade rbac who-can get secrets -n shop deploy/` (see `palisade rbac who-can --help`)');
  }
  if (verb === '') throw new UsageError('VERB must not be empty');
  const namespace = values['namespace'] as string | undefined;
  if (namespace === '') throw new UsageError('-n/--namespace must not be empty');
  const name = values['name'] as string | undefined;
  const subresource = values['subresource'] as string | undefined;
  if (resource.startsWith('/') && name !== undefined) throw new UsageError(`--name does not apply to the non-resource URL ${JSON.stringify(resource)}`);
  // RESOURCE syntax problems are usage errors before any input is read.
  resolveTarget(resource, subresource, []);

  const inputs = await readRbacInputs(values, paths, io, 'who-can');
  if (!inputs) return 2;
  const target = resolveTarget(resource, subresource, knownResources(inputs.objects));
  const { scope, requestNamespace, note } = scopeOf(target, namespace);
  const request = requestFor(target, verb, requestNamespace, name);
  const notes = [
    ...(target.kind === 'resource' && target.note !== undefined ? [target.note] : []),
    ...(KNOWN_VERBS.has(verb) ? [] : [`${JSON.stringify(verb)} is not a verb Kubernetes uses; only rules with that verb or * match`]),
    note,
    `members of ${MASTERS_GROUP} can do everything: the API server allows them before RBAC is asked, so they are not listed`,
  ];
  const answers = inputs.sources.map((source) => ({ source, answer: answer(source, request) }));

  if (format === 'json') {
    io.stdout(
      json({
        request:
          request.kind === 'nonResource'
            ? { verb, nonResourceURL: request.path }
            : {
                verb,
                apiGroup: request.apiGroup,
                resource: request.resource,
                ...(request.subresource !== undefined ? { subresource: request.subresource } : {}),
                ...(request.name !== undefined ? { name: request.name } : {}),
                ...(request.namespace !== undefined ? { namespace: request.namespace } : {}),
                ...(target.kind === 'resource' && target.namespaced !== undefined ? { namespaced: target.namespaced } : {}),
              },
        scope,
        notes,
        sources: answers.map(({ source, answer: result }) => ({
          source: source.source,
          subjects: result.grants.map((grant) => grantJson(grant, source.model)),
          namedOnly: result.namedOnly.map((grant) => grantJson(grant, source.model)),
          notes: result.notes,
        })),
      }),
    );
    return 0;
  }

  const what = `${verb} ${formatTarget(target)}${name !== undefined ? ` named ${name}` : ''}`;
  const lines: string[] = [];
  for (const { source, answer: result } of answers) {
    lines.push(...sourceHeading(source, answers.length));
    if (result.grants.length === 0) lines.push(`No subject can ${what}${scope === 'namespace' ? ` in namespace ${namespace}` : ''} through RBAC.`);
    else {
      lines.push(`Who can ${what}${scope === 'namespace' ? ` in namespace ${namespace}` : ''} (${result.grants.length}):`, '');
      lines.push(...renderTable(['SUBJECT', 'BINDING', 'RULE'], grantRows(result.grants), '  '));
    }
    if (result.namedOnly.length > 0) {
      lines.push('', `Only for some ${formatTarget(target)} by name (pass --name NAME to ask about one) (${result.namedOnly.length}):`, '');
      lines.push(...renderTable(['SUBJECT', 'BINDING', 'RULE'], grantRows(result.namedOnly), '  '));
    }
    lines.push('');
    if (answers.length > 1) lines.push(...result.notes.map((text) => `- ${text}`), '');
  }
  const allNotes = answers.length === 1 ? [...notes, ...answers[0]!.answer.notes] : notes;
  lines.push('Notes:', ...allNotes.map((text) => `- ${text}`));
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}
