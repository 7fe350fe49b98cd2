// `palisade netpol <subcommand>`: who can connect to whom under NetworkPolicies, answered from manifests or a live
// cluster.
import type { CliIo } from '../io.ts';
import { UsageError } from '../options.ts';
import { diffCommand } from './netpol-diff.ts';
import { graphCommand } from './netpol-graph.ts';
import { matrixCommand } from './netpol-matrix.ts';
import { reachCommand } from './netpol-reach.ts';

export const NETPOL_HELP = `Usage: palisade netpol <subcommand> [options] PATH...
       palisade netpol <subcommand> [options] --cluster [--kubeconfig FILE] [--context NAME]

Answers reachability questions exactly as networking.k8s.io/v1 NetworkPolicies decide them (both sides must
allow a common port; policyTypes defaulting; named ports resolved per destination pod; namespace and pod
selectors, ipBlocks and their exceptions), with the policy rule behind every answer.

Subcommands:
  reach --from A --to B [--port P]   can A connect to B, on which ports, and why (A, B: NS/WORKLOAD, ip:ADDR)
  matrix [--format table|json|csv]   every workload against every workload, and outside the cluster
  diff OLD NEW [--fail-on-open]      the connections a change opens and closes (a pull-request gate)
  graph [--format dot|json]          the reachability graph, for Graphviz or the HTML report

Inputs are those of \`palisade scan\`: manifests, directories, Helm charts, kustomizations, - (stdin), or
--cluster (diff takes two paths). Every subcommand takes --format and --help.

Exit codes: 0 answered, 1 diff --fail-on-open found an opening, 2 usage, config or input error.
Documentation: docs/netpol.md.
`;

const SUBCOMMANDS: Readonly<Record<string, (args: readonly string[], io: CliIo) => Promise<number>>> = {
  reach: reachCommand,
  matrix: matrixCommand,
  diff: diffCommand,
  graph: graphCommand,
};

export async function netpolCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = args;
  if (subcommand === undefined || subcommand === '-h' || subcommand === '--help' || subcommand === 'help') {
    io.stdout(NETPOL_HELP);
    return subcommand === undefined ? 2 : 0;
  }
  const run = SUBCOMMANDS[subcommand];
  if (!run) throw new UsageError(`unknown netpol subcommand ${JSON.stringify(subcommand)}; subcommands: ${Object.keys(SUBCOMMANDS).join(', ')} (see \`palisade netpol --help\`)`);
  return run(rest, io);
}
