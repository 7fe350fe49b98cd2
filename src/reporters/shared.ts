// Helpers shared by the reporters. Pure: no node:* imports, no clock, no environment.
import { compareFindings, type Finding, type SuppressedFinding } from '../core/findings.ts';
import { clusterLabel, compareStrings, type ClusterRef, type ObjectRef } from '../core/model.ts';
import type { ReportContext } from '../core/report.ts';
import type { RuleMeta } from '../core/rule-api.ts';

export { compareStrings };


/** `namespace/Kind/name`, or `Kind/name` for cluster-scoped objects. */
export function qualifiedName(ref: ObjectRef): string {
  return ref.namespace ? `${ref.namespace}/${ref.kind}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects. */
export function kindFirstName(ref: ObjectRef): string {
  return ref.namespace ? `${ref.kind}/${ref.namespace}/${ref.name}` : `${ref.kind}/${ref.name}`;
}

/** `cluster prod-eu (https://10.0.0.1:6443)`: the kubeconfig context and the API server, as people name them. */
export function describeCluster(cluster: ClusterRef): string {
  return `cluster ${cluster.context} (${cluster.server})`;
}

const CLUSTER_LABEL_PREFIX = clusterLabel({ context: '', server: '' });

/**
 * The kubeconfig context when `source` is a `cluster:<context>` label (what core's `clusterLabel` puts in the `file`
 * of rule failures and suppression problems on live objects), undefined when it is a file.
 */
export function clusterContextOf(source: string): string | undefined {
  return source.startsWith(CLUSTER_LABEL_PREFIX) ? source.slice(CLUSTER_LABEL_PREFIX.length) : undefined;
}

export function toForwardSlashes(file: string): string {
  return file.replaceAll('\\', '/');
}

/** Sorted, deduplicated controls (a rule may list the same control twice by mistake). */
export function sortedControls(controls: readonly string[]): string[] {
  return [...new Set(controls)].sort(compareStrings);
}

/**
 * The rules to describe, sorted by id: every rule that ran, plus a stand-in built from its findings for any rule
 * that has findings but no metadata in the context (so that every result can point at a rule).
 */
export function reportedRules(context: ReportContext): RuleMeta[] {
  const byId = new Map<string, RuleMeta>();
  for (const rule of context.rules) if (!byId.has(rule.id)) byId.set(rule.id, rule);
  for (const finding of [...context.report.findings, ...context.report.suppressed]) {
    if (byId.has(finding.ruleId)) continue;
    byId.set(finding.ruleId, {
      id: finding.ruleId,
      title: finding.title,
      category: finding.category as RuleMeta['category'],
      defaultSeverity: finding.severity,
      rationale: finding.title,
      remediation: finding.remediation,
      controls: finding.controls,
      messages: {},
      example: { bad: '', good: '' },
    });
  }
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}

/** Findings and suppressed findings in one list, in the engine's order (where, rule, fingerprint). */
export function allFindings(context: ReportContext): (Finding | SuppressedFinding)[] {
  return [...context.report.findings, ...context.report.suppressed].sort(compareFindings);
}

export function isSuppressed(finding: Finding | SuppressedFinding): finding is SuppressedFinding {
  return 'suppression' in finding;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
