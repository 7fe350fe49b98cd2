// A benchmark's recommendations as data (src/data/cis-kubernetes-1.12.json), and how a scan's findings and the
// rules that ran decide each one's status. A recommendation passes only with evidence: a rule that judges it ran,
// what it needs was in the input, and nothing was reported.
import type { Finding, SuppressedFinding } from '../../core/findings.ts';
import type { ComplianceControl, ComplianceStatus, ComplianceSummary } from '../../core/report.ts';
import cisData from '../../data/cis-kubernetes-1.12.json' with { type: 'json' };

export interface Recommendation {
  readonly id: string;
  readonly section: string;
  readonly title: string;
  readonly assessment: 'automated' | 'manual';
}

export interface Benchmark {
  readonly framework: string;
  readonly name: string;
  readonly version: string;
  readonly sections: readonly { readonly id: string; readonly title: string }[];
  readonly recommendations: readonly Recommendation[];
}

export const CIS_KUBERNETES: Benchmark = cisData as Benchmark;

export interface StatusInput {
  readonly benchmark: Benchmark;
  readonly scope: string;
  /** Which recommendations the scan's scope covers. */
  readonly inScope: (recommendation: Recommendation) => boolean;
  /** `<framework>/<id>` of every control the rules that ran declare. */
  readonly judged: ReadonlySet<string>;
  /** Why a judged recommendation could not be evaluated here (what it needs was not found); undefined when it was. */
  readonly unevaluatedBecause: (recommendation: Recommendation) => string | undefined;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

function countCitations(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) for (const control of finding.controls) counts.set(control, (counts.get(control) ?? 0) + 1);
  return counts;
}

export function complianceSummary(input: StatusInput): ComplianceSummary {
  const { benchmark } = input;
  const reported = countCitations(input.findings);
  const accepted = countCitations(input.suppressed);
  const counts: Record<ComplianceStatus, number> = { pass: 0, fail: 0, manual: 0, 'not-evaluated': 0 };
  const controls: ComplianceControl[] = [];
  for (const recommendation of benchmark.recommendations) {
    if (!input.inScope(recommendation)) continue;
    const id = `${benchmark.framework}/${recommendation.id}`;
    const findings = reported.get(id) ?? 0;
    let status: ComplianceStatus;
    let reason: string | undefined;
    if (findings > 0 || (accepted.get(id) ?? 0) > 0) {
      // A suppressed finding is an accepted deviation, not a pass.
      status = 'fail';
    } else if (!input.judged.has(id)) {
      status = recommendation.assessment === 'manual' ? 'manual' : 'not-evaluated';
      if (status === 'not-evaluated') reason = 'no rule judges it yet';
    } else {
      reason = input.unevaluatedBecause(recommendation);
      status = reason === undefined ? 'pass' : 'not-evaluated';
    }
    counts[status]++;
    controls.push({ id, title: recommendation.title, assessment: recommendation.assessment, status, findings, ...(reason !== undefined ? { reason } : {}) });
  }
  return { framework: benchmark.framework, name: benchmark.name, version: benchmark.version, scope: input.scope, counts, controls };
}
