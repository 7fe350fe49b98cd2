// `palisade netpol graph`: the reachability graph (analysers/netpol/graph.ts) as Graphviz DOT or JSON, for drawings
// and the HTML report.
import { formatAddresses, formatPorts, matrix as buildMatrix, portsEmpty } from '../../analysers/netpol/index.ts';
import { networkGraph, OUTSIDE_NODE, type GraphEdge, type GraphNode, type NetworkGraph } from '../../analysers/netpol/graph.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, type OptionDefinition } from '../options.ts';
import {
  checkNamespaces,
  entriesText,
  exposureOf,
  exposureText,
  NETPOL_EXIT_CODES,
  NETPOL_INPUT_OPTIONS,
  NETPOL_INPUTS_HELP,
  parseNamespaces,
  readNetpolInputs,
} from './netpol-common.ts';
import { json, parseFormat } from './rbac-common.ts';
import { dotString } from './rbac-graph.ts';

const GRAPH_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'dot (default, Graphviz) or json' },
  { name: 'namespace', short: 'n', type: 'string', multiple: true, value: 'NS', description: 'only workloads of this namespace' },
  ...NETPOL_INPUT_OPTIONS,
];

export const GRAPH_HELP = `Usage: palisade netpol graph [--format dot|json] [-n NS] [options] PATH...
       palisade netpol graph [--format dot|json] [-n NS] --cluster [--kubeconfig FILE] [--context NAME]

The reachability graph: one node per group of workloads that every policy treats alike (usually one workload),
inside a box per namespace, and a node for outside the cluster; one edge per pair of nodes that can connect,
labelled with the ports (dashed: unknown), an edge from a node to itself when two of its pods can connect.
Same input, byte-identical output.

  palisade netpol graph deploy/ | dot -Tsvg > netpol.svg
  palisade netpol graph --format json --cluster > graph.json

Nodes are grey when they are isolated in neither direction (no NetworkPolicy selects them) and red when the
host network or other policy APIs make them unknown. --format json gives the same graph as data (docs/netpol.md).

${NETPOL_INPUTS_HELP}

Options:
${formatOptions(GRAPH_OPTIONS)}

${NETPOL_EXIT_CODES}
`;

function nodeLabel(node: GraphNode): string {
  if (node.kind === 'outside') return 'outside the cluster';
  const names = node.workloads.slice(0, 3).map((w) => `${w.kind} ${w.name}`);
  if (node.workloads.length > 3) names.push(`+${node.workloads.length - 3} more`);
  return names.join('\n');
}

function edgeLabel(edge: GraphEdge): string {
  if (edge.outside && edge.verdict === 'allowed') return entriesText(edge.outside, edge.from === OUTSIDE_NODE ? 'ingress' : 'egress');
  const parts: string[] = [];
  if (!portsEmpty(edge.ports)) parts.push(formatPorts(edge.ports));
  if (!portsEmpty(edge.unknownPorts)) parts.push(`? ${formatPorts(edge.unknownPorts)}`);
  return parts.join(' ');
}

function nodeStyle(node: GraphNode): string {
  if (node.kind === 'outside') return 'shape=doubleoctagon, style=filled, fillcolor="#f3f4f6"';
  if ((node.foreign?.length ?? 0) > 0 || node.hostNetwork) return 'shape=box, style="rounded,filled", fillcolor="#fee2e2"';
  if (!node.isolated?.ingress && !node.isolated?.egress) return 'shape=box, style="rounded,filled", fillcolor="#e5e7eb"';
  return 'shape=box, style="rounded,filled", fillcolor="#dbeafe"';
}

function renderDot(graph: NetworkGraph, name: string): string {
  const lines = [
    `digraph ${dotString(name)} {`,
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=10];',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
  ];
  const line = (node: GraphNode): string => `${dotString(node.id)} [label=${dotString(nodeLabel(node))}, ${nodeStyle(node)}];`;
  const byNamespace = new Map<string, GraphNode[]>();
  for (const node of graph.nodes) {
    if (node.namespace === undefined) {
      lines.push(`  ${line(node)}`);
      continue;
    }
    const list = byNamespace.get(node.namespace);
    if (list) list.push(node);
    else byNamespace.set(node.namespace, [node]);
  }
  for (const [namespace, nodes] of byNamespace) {
    lines.push(`  subgraph ${dotString(`cluster_ns_${namespace}`)} {`, `    label=${dotString(`namespace ${namespace}`)};`, '    style=rounded; color="#9ca3af";');
    for (const node of nodes) lines.push(`    ${line(node)}`);
    lines.push('  }');
  }
  for (const edge of graph.edges) {
    const style = edge.verdict === 'unknown' ? ', style=dashed, color="#d97706"' : '';
    lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)} [label=${dotString(edgeLabel(edge))}${style}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export async function graphCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, GRAPH_OPTIONS, 'netpol graph');
  if (values['help']) {
    io.stdout(GRAPH_HELP);
    return 0;
  }
  const format = parseFormat(values, ['dot', 'json'] as const);
  const namespaces = parseNamespaces(values);
  const inputs = await readNetpolInputs(values, positionals, io, 'graph');
  if (!inputs) return 2;
  const graphs = inputs.sources.map((source) => {
    checkNamespaces(namespaces, source.model);
    const m = buildMatrix(source.model, { ipBlockPods: inputs.ipBlockPods });
    return { source, graph: networkGraph(m, namespaces ? { namespaces } : {}) };
  });
  if (format === 'dot') {
    io.stdout(graphs.map(({ source, graph }) => renderDot(graph, graphs.length > 1 ? `netpol ${source.source}` : 'netpol')).join('\n'));
    return 0;
  }
  io.stdout(
    json({
      sources: graphs.map(({ source, graph }) => {
        const exposure = exposureOf(source.model, source.objects);
        return {
          source: source.source,
          nodes: graph.nodes.map((node) => ({
            id: node.id,
            kind: node.kind,
            ...(node.namespace !== undefined ? { namespace: node.namespace } : {}),
            label: nodeLabel(node),
            workloads: node.workloads,
            ...(node.kind === 'workloads'
              ? {
                  labels: node.labels,
                  isolated: node.isolated,
                  hostNetwork: node.hostNetwork,
                  foreign: node.foreign,
                  exposedBy: [...new Set(node.workloads.flatMap((w) => (exposure.get(w.id) ?? []).map(exposureText)))],
                }
              : {}),
          })),
          edges: graph.edges.map((edge) => ({
            from: edge.from,
            to: edge.to,
            verdict: edge.verdict,
            ports: formatPorts(edge.ports),
            unknownPorts: formatPorts(edge.unknownPorts),
            label: edgeLabel(edge),
            ...(edge.outside ? { outside: edge.outside.map((entry) => ({ ports: formatPorts(entry.ports), addresses: formatAddresses(entry.addresses) })) } : {}),
          })),
        };
      }),
    }),
  );
  return 0;
}
