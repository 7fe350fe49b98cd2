// `palisade rbac <subcommand>`: questions about who may do what, answered from manifests or a live cluster.
import type { CliIo } from '../io.ts';
import { UsageError } from '../options.ts';
import { canCommand } from './rbac-can.ts';
import { graphCommand } from './rbac-graph.ts';
import { pathsCommand } from './rbac-paths.ts';
import { whoCanCommand } from './rbac-who-can.ts';

export const RBAC_HELP = `Usage: palisade rbac <subcommand> [options] PATH...
       palisade rbac <subcommand> [options] --cluster [--kubeconfig FILE] [--context NAME]

Answers RBAC questions exactly as the API server's authorizer would decide them (wildcards, */subresource,
resourceNames, ClusterRole aggregation, RoleBindings to ClusterRoles, implicit groups), with the binding and
role rule behind every answer.

Subcommands:
  who-can VERB RESOURCE [-n NS]   every subject that may make the request, e.g. who-can get secrets -n shop
  can SUBJECT [-n NS]             everything one identity may do, e.g. can serviceaccount:shop:builder
  paths                           privilege-escalation paths from subjects and workloads
  graph [--format dot|json]       the graph subjects → bindings → roles → permissions, and workloads

Inputs are those of \`palisade scan\`: manifests, directories, Helm charts, kustomizations, - (stdin), or
--cluster. Every subcommand takes --format (table or json; graph: dot or json) and --help.

Exit codes: 0 answered, 2 usage, config or input error. Documentation: docs/rbac.md.
`;

const SUBCOMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  'who-can': whoCanCommand,
  can: canCommand,
  paths: pathsCommand,
  graph: graphCommand,
};

export async function rbacCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '-h' || subcommand === '--help' || subcommand === 'help') {
    io.stdout(RBAC_HELP);
    return subcommand === undefined ? 2 : 0;
  }
  const run = SUBCOMMANDS[subcommand];
  if (!run) throw new UsageError(`unknown rbac subcommand ${JSON.stringify(subcommand)}; subcommands: ${Object.keys(SUBCOMMANDS).join(', ')} (see \`palisade rbac --help\`)`);
  return run(rest, io);
}
