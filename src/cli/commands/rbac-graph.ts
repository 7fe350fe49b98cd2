// `palisade rbac graph`: the RBAC graph (analysers/rbac/graph.ts) as Graphviz DOT or as JSON.
import { buildRbacGraph, collectWorkloads, type GraphEdge, type GraphNode, type RbacGraph } from '../../analysers/rbac/graph.ts';
import type { CliIo } from '../io.ts';
import { formatOptions, parseOptions, type OptionDefinition } from '../options.ts';
import { json, parseFormat, RBAC_EXIT_CODES, RBAC_INPUT_OPTIONS, RBAC_INPUTS_HELP, readRbacInputs } from './rbac-common.ts';

const GRAPH_OPTIONS: readonly OptionDefinition[] = [
  { name: 'format', short: 'f', type: 'string', value: 'FORMAT', description: 'dot (default, Graphviz) or json' },
  ...RBAC_INPUT_OPTIONS,
];

export const GRAPH_HELP = `Usage: palisade rbac graph [--format dot|json] [options] PATH...
       palisade rbac graph [--format dot|json] --cluster [--kubeconfig FILE] [--context NAME]

The RBAC graph: subjects → bindings → roles → permissions (one node per distinct rule), aggregated ClusterRoles →
the ClusterRoles they take rules from, workloads → the ServiceAccount their pods run as, and subjects → the
implicit groups they belong to (system:serviceaccounts, system:serviceaccounts:NAMESPACE,
system:authenticated) where a binding names such a group. Same input, byte-identical output.

  palisade rbac graph deploy/ | dot -Tsvg > rbac.svg

--format dot draws namespaced objects inside one box per namespace; permissions that grant a risky
capability are red. --format json gives the graph as data (see docs/rbac.md).

${RBAC_INPUTS_HELP}

Options:
${formatOptions(GRAPH_OPTIONS)}

${RBAC_EXIT_CODES}
`;

/** A DOT double-quoted string: backslashes and quotes escaped, line breaks as \n, other control characters dropped. */
export function dotString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n?|\n/g, '\\n')
    .replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${escaped}"`;
}

function nodeStyle(node: GraphNode): string {
  const a = node.attributes;
  switch (node.kind) {
    case 'subject': {
      const fill = a['subjectKind'] === 'ServiceAccount' ? '#dbeafe' : a['subjectKind'] === 'Group' ? '#fef9c3' : '#ffffff';
      return `shape=ellipse, style=${a['implicit'] === true ? '"filled,dashed"' : 'filled'}, fillcolor="${fill}"`;
    }
    case 'binding':
      return 'shape=box';
    case 'role':
      return a['missing'] === true ? 'shape=box, style="rounded,dashed", color="#dc2626"' : 'shape=box, style=rounded';
    case 'permission': {
      const risky = a['clusterAdmin'] === true || (Array.isArray(a['capabilities']) && a['capabilities'].length > 0);
      return risky ? `shape=note, color="#dc2626", fontcolor="#dc2626"${a['clusterAdmin'] === true ? ', style=bold' : ''}` : 'shape=note';
    }
    case 'workload':
      return 'shape=component';
  }
}

function edgeStyle(edge: GraphEdge): string {
  switch (edge.kind) {
    case 'member-of':
      return ' [style=dashed, label="member of"]';
    case 'aggregates':
      return ' [style=dotted, label="aggregates"]';
    case 'runs-as':
      return ' [style=bold, label="runs as"]';
    default:
      return '';
  }
}

/** Graphviz DOT for one source's graph; namespaced nodes sit in a `cluster_` subgraph per namespace. */
export function renderDot(graph: RbacGraph, name: string): string {
  const lines = [
    `digraph ${dotString(name)} {`,
    '  graph [rankdir=LR, fontname="Helvetica", fontsize=10];',
    '  node [fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=8];',
  ];
  const line = (node: GraphNode): string => `${dotString(node.id)} [label=${dotString(node.label)}, ${nodeStyle(node)}];`;
  const byNamespace = new Map<string, GraphNode[]>();
  const loose: GraphNode[] = [];
  for (const node of graph.nodes) {
    const namespace = node.attributes['namespace'];
    if (typeof namespace === 'string' && namespace !== '') {
      const list = byNamespace.get(namespace);
      if (list) list.push(node);
      else byNamespace.set(namespace, [node]);
    } else {
      loose.push(node);
    }
  }
  for (const node of loose) lines.push(`  ${line(node)}`);
  for (const [namespace, nodes] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    lines.push(`  subgraph ${dotString(`cluster_ns_${namespace}`)} {`, `    label=${dotString(`namespace ${namespace}`)};`, '    style=rounded; color="#9ca3af";');
    for (const node of nodes) lines.push(`    ${line(node)}`);
    lines.push('  }');
  }
  for (const edge of graph.edges) lines.push(`  ${dotString(edge.from)} -> ${dotString(edge.to)}${edgeStyle(edge)};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

export async function graphCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseOptions(args, GRAPH_OPTIONS, 'rbac graph');
  if (values['help']) {
    io.stdout(GRAPH_HELP);
    return 0;
  }
  const format = parseFormat(values, ['dot', 'json'] as const);
  const inputs = await readRbacInputs(values, positionals, io, 'graph');
  if (!inputs) return 2;
  const graphs = inputs.sources.map((source) => ({
    source: source.source,
    graph: buildRbacGraph(source.model, collectWorkloads(source.objects, source.model, inputs.podTemplateLocations)),
  }));
  if (format === 'json') {
    io.stdout(json({ sources: graphs.map(({ source, graph }) => ({ source, nodes: graph.nodes, edges: graph.edges })) }));
  } else {
    io.stdout(graphs.map(({ source, graph }) => renderDot(graph, graphs.length > 1 ? `rbac ${source}` : 'rbac')).join('\n'));
  }
  return 0;
}
