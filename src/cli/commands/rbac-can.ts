// `palisade rbac can SUBJECT`: everything one identity may do, by scope, with evidence, and the risky capabilities
// among it.
import {
  AUTHENTICATED_GROUP,
  bindingsForUser,
  grantsFor,
  MASTERS_GROUP,
  serviceAccountUser,
  userForSubject,
  type Grant,
  type UserInfo,
} from '../../analysers/rbac/authorizer.ts';
import { bindingIsClusterAdmin, capabilitiesOfBinding, type Capability } from '../../analysers/rbac/capabilities.ts';
import { describeBinding, describeRule, describeSubject } from '../../analysers/rbac/evidence.ts';
import { collectWorkloads, isImplicitGroup, summariseRule } from '../../analysers/rbac/graph.ts';
import type { BindingEntry, EffectiveRule } from '../../analysers/rbac/model.ts';
import type { WorkloadIdentity } from '../../analysers/rbac/workloads.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, UsageError, type OptionDefinition } from '../options.ts';
import {
  bindingJson,
  citation,
  citationText,
  compareBindings,
  compareStrings,
  json,
  parseFormat,
  RBAC_EXIT_CODES,
  RBAC_INPUT_OPTIONS,
  RBAC_INPUTS_HELP,
  readRbacInputs,
  ruleJson,
  sourceHeading,
  subjectJson,
  type RbacInputs,
  type RbacSource,
} from './rbac-common.ts';
import { isClusterScoped, knownResources } from './rbac-resources.ts';

const CAN_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'table (default) or json' },
  { name: 'namespace', short: 'n', type: 'string', value: 'NAMESPACE', description: 'only this namespace besides the cluster-wide grants (default: every namespace with a RoleBinding for the subject)' },
  { name: 'group', type: 'string', multiple: true, value: 'GROUP', description: 'with user:NAME: a group the user also belongs to' },
  ...RBAC_INPUT_OPTIONS,
];

export const CAN_HELP = `Usage: palisade rbac can SUBJECT [-n NAMESPACE] [options] PATH...
       palisade rbac can SUBJECT [-n NAMESPACE] --cluster [--kubeconfig FILE] [--context NAME]

Everything SUBJECT may do: its effective rules, cluster-wide (ClusterRoleBindings) and per namespace
(RoleBindings), each with the binding and role rule that grant it, the risky capabilities among them (reading
Secrets, creating pods, exec, impersonation, binding roles, …) and, for a ServiceAccount, the workloads that
run as it.

SUBJECT is one of:
  user:NAME                          a user (with the implicit group system:authenticated, and --group GROUP)
  group:NAME                         any member of a group (members are also system:authenticated)
  serviceaccount:NAMESPACE:NAME      a ServiceAccount, also written system:serviceaccount:NAMESPACE:NAME;
                                     with its implicit groups system:serviceaccounts,
                                     system:serviceaccounts:NAMESPACE and system:authenticated

${RBAC_INPUTS_HELP}

Options:
${formatOptions(CAN_OPTIONS)}

${RBAC_EXIT_CODES}
`;

interface Identity {
  readonly subject: { readonly kind: 'User' | 'Group' | 'ServiceAccount'; readonly name: string; readonly namespace?: string };
  readonly user: UserInfo;
}

const SUBJECT_SYNTAX = 'SUBJECT must be user:NAME, group:NAME or serviceaccount:NAMESPACE:NAME (also system:serviceaccount:NAMESPACE:NAME)';

export function parseSubject(text: string, extraGroups: readonly string[]): Identity {
  const colon = text.indexOf(':');
  const prefix = colon === -1 ? '' : text.slice(0, colon).toLowerCase();
  const rest = text.slice(colon + 1);
  const serviceAccount = (spec: string): Identity => {
    const parts = spec.split(':');
    if (parts.length !== 2 || parts[0] === '' || parts[1] === '') throw new UsageError(`${SUBJECT_SYNTAX}, got ${JSON.stringify(text)}`);
    const [namespace, name] = parts as [string, string];
    const user = serviceAccountUser(namespace, name);
    return { subject: { kind: 'ServiceAccount', name, namespace }, user: { name: user.name, groups: [...user.groups, ...extraGroups] } };
  };
  if (text.startsWith('system:serviceaccount:')) return serviceAccount(text.slice('system:serviceaccount:'.length));
  if (prefix === 'serviceaccount' || prefix === 'sa') return serviceAccount(rest);
  if (colon === -1 || rest === '') throw new UsageError(`${SUBJECT_SYNTAX}, got ${JSON.stringify(text)}`);
  if (prefix === 'user') {
    const user = userForSubject('User', rest);
    return { subject: { kind: 'User', name: rest }, user: { name: user.name, groups: [...user.groups, ...extraGroups] } };
  }
  if (prefix === 'group') {
    if (extraGroups.length > 0) throw new UsageError('--group applies to user: and serviceaccount: subjects');
    return { subject: { kind: 'Group', name: rest }, user: userForSubject('Group', rest) };
  }
  throw new UsageError(`${SUBJECT_SYNTAX}, got ${JSON.stringify(text)}`);
}

interface ScopedGrants {
  readonly scope: 'cluster-wide' | 'namespace';
  readonly namespace?: string;
  readonly grants: readonly Grant[];
}

interface CapabilityHit {
  readonly capability: Capability | 'cluster-admin';
  readonly scope: 'cluster-wide' | 'namespace';
  readonly namespace?: string;
  readonly via: readonly { readonly binding: BindingEntry; readonly rule: EffectiveRule }[];
}

interface Answer {
  readonly masters: boolean;
  readonly scopes: readonly ScopedGrants[];
  readonly capabilities: readonly CapabilityHit[];
  readonly workloads: readonly WorkloadIdentity[];
}

function compareGrants(a: Grant, b: Grant): number {
  return compareBindings(a.binding, b.binding) || a.rule.index - b.rule.index;
}

/** The parts of a rule a RoleBinding cannot grant: cluster-scoped resources it knows, and non-resource URLs. */
function noEffectThroughRoleBinding(grant: Grant, known: ReturnType<typeof knownResources>): string[] {
  if (grant.binding.kind !== 'RoleBinding') return [];
  const rule = grant.rule.rule;
  const ignored = rule.resources.flatMap((resource) =>
    rule.apiGroups.filter((group) => isClusterScoped(resource, group, known)).map((group) => `${resource.split('/')[0]}${group === '' ? '' : `.${group}`}${resource.includes('/') ? resource.slice(resource.indexOf('/')) : ''}`),
  );
  return [...ignored, ...rule.nonResourceURLs];
}

function answer(source: RbacSource, identity: Identity, namespace: string | undefined, locations: Pick<RbacInputs, 'podTemplateLocations'>): Answer {
  const { model } = source;
  const { user } = identity;
  const scopes: ScopedGrants[] = [{ scope: 'cluster-wide', grants: grantsFor(model, user, undefined).sort(compareGrants) }];
  const namespaces =
    namespace !== undefined
      ? [namespace]
      : [...new Set(bindingsForUser(model, user).flatMap((binding) => (binding.kind === 'RoleBinding' && binding.namespace !== undefined ? [binding.namespace] : [])))].sort(compareStrings);
  for (const ns of namespaces) {
    scopes.push({ scope: 'namespace', namespace: ns, grants: grantsFor(model, user, ns).filter((grant) => grant.binding.kind === 'RoleBinding').sort(compareGrants) });
  }

  const capabilities: CapabilityHit[] = [];
  for (const scoped of scopes) {
    const bindings = [...new Set(scoped.grants.map((grant) => grant.binding))].sort(compareBindings);
    const hits = new Map<string, { capability: Capability | 'cluster-admin'; via: { binding: BindingEntry; rule: EffectiveRule }[] }>();
    const add = (capability: Capability | 'cluster-admin', binding: BindingEntry, rule: EffectiveRule): void => {
      const id = capability === 'cluster-admin' ? capability : capability.id;
      const hit = hits.get(id) ?? { capability, via: [] };
      hit.via.push({ binding, rule });
      hits.set(id, hit);
    };
    for (const binding of bindings) {
      const admin = bindingIsClusterAdmin(binding);
      if (admin) add('cluster-admin', binding, admin);
      for (const { capability, rule } of capabilitiesOfBinding(binding)) add(capability, binding, rule);
    }
    for (const hit of hits.values()) capabilities.push({ ...hit, scope: scoped.scope, ...(scoped.namespace !== undefined ? { namespace: scoped.namespace } : {}) });
  }

  const workloads =
    identity.subject.kind === 'ServiceAccount'
      ? collectWorkloads(source.objects, model, locations.podTemplateLocations)
          .filter((workload) => workload.namespace === identity.subject.namespace && workload.serviceAccount === identity.subject.name)
          .sort((a, b) => compareStrings(a.template.object.ref.kind, b.template.object.ref.kind) || compareStrings(a.template.object.ref.name, b.template.object.ref.name))
      : [];
  return { masters: user.groups.includes(MASTERS_GROUP), scopes, capabilities, workloads };
}

function capabilityId(hit: CapabilityHit): string {
  return hit.capability === 'cluster-admin' ? 'cluster-admin' : hit.capability.id;
}

function capabilityDescription(hit: CapabilityHit): string {
  return hit.capability === 'cluster-admin' ? 'everything, everywhere (cluster-admin)' : hit.capability.description;
}

function subjectLine(identity: Identity): string {
  const { subject, user } = identity;
  if (subject.kind === 'Group') return `${describeSubject(subject)} (any member; members are also ${AUTHENTICATED_GROUP})`;
  return `${describeSubject(subject)} (user ${user.name}; groups ${user.groups.join(', ')})`;
}

export async function canCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, CAN_OPTIONS, 'rbac can');
  if (values['help']) {
    io.stdout(CAN_HELP);
    return 0;
  }
  const format = parseFormat(values, ['table', 'json'] as const);
  const [subjectText, ...paths] = positionals;
  if (subjectText === undefined) throw new UsageError(`palisade rbac can needs a SUBJECT, e.g. \`palisade rbac can serviceaccount:shop:builder deploy/\` (see \`palisade rbac can --help\`)`);
  const identity = parseSubject(subjectText, (values['group'] as string[] | undefined) ?? []);
  const namespace = values['namespace'] as string | undefined;
  if (namespace === '') throw new UsageError('-n/--namespace must not be empty');

  const inputs = await readRbacInputs(values, paths, io, 'can');
  if (!inputs) return 2;
  const known = knownResources(inputs.objects);
  const answers = inputs.sources.map((source) => ({ source, answer: answer(source, identity, namespace, inputs) }));
  const implicit = identity.user.groups.filter(isImplicitGroup);
  const notes = [
    ...(implicit.length > 0 ? [`the answer includes what the implicit group${implicit.length > 1 ? 's' : ''} ${implicit.join(', ')} ${implicit.length > 1 ? 'are' : 'is'} granted`] : []),
    ...(identity.subject.kind === 'User' ? ['groups the authenticator adds are not known: pass --group GROUP for each'] : []),
    ...(namespace === undefined ? [] : [`namespaces other than ${namespace} are left out`]),
  ];

  if (format === 'json') {
    io.stdout(
      json({
        subject: { ...subjectJson(identity.subject), user: identity.user.name, groups: identity.user.groups },
        notes,
        sources: answers.map(({ source, answer: result }) => ({
          source: source.source,
          masters: result.masters,
          scopes: result.scopes.map((scoped) => ({
            scope: scoped.scope,
            ...(scoped.namespace !== undefined ? { namespace: scoped.namespace } : {}),
            rules: scoped.grants.map((grant) => {
              const noEffect = noEffectThroughRoleBinding(grant, known);
              return { as: subjectJson(grant.subject), binding: bindingJson(grant.binding), rule: ruleJson(grant.rule), ...(noEffect.length > 0 ? { noEffect } : {}) };
            }),
          })),
          capabilities: result.capabilities.map((hit) => ({
            id: capabilityId(hit),
            description: capabilityDescription(hit),
            scope: hit.scope,
            ...(hit.namespace !== undefined ? { namespace: hit.namespace } : {}),
            via: hit.via.map(({ binding, rule }) => ({ binding: bindingJson(binding), rule: ruleJson(rule) })),
          })),
          workloads: result.workloads.map((workload) => ({
            kind: workload.template.object.ref.kind,
            apiVersion: workload.template.object.ref.apiVersion,
            namespace: workload.namespace,
            name: workload.template.object.ref.name,
            tokenMounted: workload.tokenMounted,
            at: citation(workload.template.object, []),
          })),
        })),
      }),
    );
    return 0;
  }

  const lines: string[] = [];
  for (const { source, answer: result } of answers) {
    lines.push(...sourceHeading(source, answers.length));
    lines.push(subjectLine(identity), '');
    if (result.masters) lines.push(`Member of ${MASTERS_GROUP}: the API server allows every request before RBAC is asked.`, '');
    for (const scoped of result.scopes) {
      const title = scoped.scope === 'cluster-wide' ? 'Cluster-wide (ClusterRoleBindings)' : `Namespace ${scoped.namespace} (RoleBindings)`;
      if (scoped.grants.length === 0) {
        lines.push(`${title}: nothing.`, '');
        continue;
      }
      lines.push(`${title}:`);
      for (const grant of scoped.grants) {
        const as = grant.subject.kind === identity.subject.kind && grant.subject.name === identity.subject.name ? '' : ` as ${describeSubject(grant.subject)}`;
        const noEffect = noEffectThroughRoleBinding(grant, known);
        lines.push(`  ${summariseRule(grant.rule.rule)}${noEffect.length > 0 ? `  (no effect through a RoleBinding: ${noEffect.join(', ')})` : ''}`);
        lines.push(`      via ${describeBinding(grant.binding)}${as} → ${describeRule(grant.rule)}`);
      }
      lines.push('');
    }
    if (result.capabilities.length > 0) {
      lines.push(`Risky capabilities (${result.capabilities.length}):`);
      const admin = new Set(result.capabilities.filter((hit) => hit.capability === 'cluster-admin').map((hit) => hit.namespace ?? ''));
      for (const hit of result.capabilities) {
        // Under cluster-admin every other capability follows: one line says so, JSON lists them.
        if (hit.capability !== 'cluster-admin' && admin.has(hit.namespace ?? '')) continue;
        const first = hit.via[0]!;
        const where = hit.scope === 'cluster-wide' ? 'cluster-wide' : `in ${hit.namespace}`;
        const more = hit.via.length > 1 ? ` (+${hit.via.length - 1} more)` : '';
        lines.push(`  ${capabilityId(hit)} ${where}: ${capabilityDescription(hit)}`);
        lines.push(`      via ${describeBinding(first.binding)} → ${describeRule(first.rule)}${more}`);
        if (hit.capability === 'cluster-admin') {
          const others = result.capabilities.filter((other) => other.capability !== 'cluster-admin' && (other.namespace ?? '') === (hit.namespace ?? '')).length;
          if (others > 0) lines.push(`  and the ${others} other capabilities that follow from it (--format json lists them)`);
        }
      }
      lines.push('');
    } else {
      lines.push('Risky capabilities: none.', '');
    }
    if (identity.subject.kind === 'ServiceAccount') {
      if (result.workloads.length === 0) lines.push('Workloads running as this ServiceAccount: none in the input.', '');
      else {
        lines.push(`Workloads running as this ServiceAccount (${result.workloads.length}):`);
        for (const workload of result.workloads) {
          const ref = workload.template.object.ref;
          lines.push(`  ${ref.kind} ${workload.namespace}/${ref.name} (${workload.tokenMounted ? 'token mounted' : 'token not mounted'}) ${citationText(workload.template.object, [])}`);
        }
        lines.push('');
      }
    }
  }
  lines.push(...notes.map((text) => `Note: ${text}.`));
  io.stdout(`${lines.join('\n').replace(/\n+$/, '')}\n`);
  return 0;
}
