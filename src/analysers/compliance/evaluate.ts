// A framework's controls judged from a scan's evidence: the findings that cite each control and what every rule
// that judges it had to judge (ScanEvaluation). A control passes only on evidence; see ComplianceStatus.
import type { Finding, SuppressedFinding } from '../../core/findings.ts';
import type { Severity } from '../../core/model.ts';
import type {
  ComplianceControl,
  ComplianceCoverage,
  ComplianceScore,
  ComplianceStatus,
  ComplianceSummary,
  RuleEvaluation,
  ScanEvaluation,
} from '../../core/report.ts';
import type { Framework, FrameworkControl } from './catalogue.ts';

/** A control's weight in the score is that of the most severe rule judging it. Informational rules do not count. */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = { critical: 10, high: 7, medium: 4, low: 1, info: 0 };

export const SCORE_FORMULA =
  'score = 100 × Σ weight(passed controls) / Σ weight(passed and failed controls); weight = that of the most severe rule judging the control ' +
  `(${Object.entries(SEVERITY_WEIGHTS).map(([severity, weight]) => `${severity} ${weight}`).join(', ')}); manual, not applicable and not evaluated controls do not count`;

export const COVERAGE_FORMULA = 'coverage = controls passed or failed / (controls − controls not applicable to the input)';

export interface ComplianceInput {
  readonly framework: Framework;
  /** `all`, or the part of the framework in scope (`node`). */
  readonly scope: string;
  readonly inScope?: (control: FrameworkControl) => boolean;
  readonly evaluation: ScanEvaluation;
  /** `meta.requires` of the rules that have one, by rule id. */
  readonly requirements: ReadonlyMap<string, string>;
  readonly findings: readonly Pick<Finding, 'controls'>[];
  readonly suppressed: readonly Pick<SuppressedFinding, 'controls'>[];
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

function countCitations(findings: readonly Pick<Finding, 'controls'>[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) for (const control of finding.controls) counts.set(control, (counts.get(control) ?? 0) + 1);
  return counts;
}

function mostSevere(evaluations: readonly RuleEvaluation[]): Severity | undefined {
  let worst: Severity | undefined;
  for (const { severity } of evaluations) if (worst === undefined || SEVERITY_WEIGHTS[severity] > SEVERITY_WEIGHTS[worst]) worst = severity;
  return worst;
}

function judgedIt(evaluation: RuleEvaluation, control: string): boolean {
  return evaluation.subjects > 0 && (evaluation.controls === undefined || evaluation.controls.includes(control));
}

interface Judgement {
  readonly status: ComplianceStatus;
  readonly reason?: string;
}

function judge(control: FrameworkControl, id: string, ran: readonly RuleEvaluation[], cited: number, input: ComplianceInput): Judgement {
  if (cited > 0) return { status: 'fail' };
  if (ran.length === 0) {
    if (control.rules.length > 0) return { status: 'not-evaluated', reason: `its rules did not run in this scan (${control.rules.join(', ')})` };
    return control.assessment === 'manual'
      ? { status: 'manual', reason: 'left to a person by the framework; no rule judges it' }
      : { status: 'not-evaluated', reason: 'no rule judges it yet' };
  }
  if (ran.some((evaluation) => judgedIt(evaluation, id))) return { status: 'pass' };
  const needs = [...new Set(ran.flatMap((evaluation) => input.requirements.get(evaluation.id) ?? []))];
  if (needs.length > 0) return { status: 'not-evaluated', reason: `needs ${needs.join('; or ')}` };
  return { status: 'not-applicable', reason: 'nothing in the input it applies to' };
}

export function complianceSummary(input: ComplianceInput): ComplianceSummary {
  const { framework, evaluation } = input;
  const reported = countCitations(input.findings);
  const accepted = countCitations(input.suppressed);
  const byRule = new Map(evaluation.rules.map((rule) => [rule.id, rule]));
  const counts: Record<ComplianceStatus, number> = { pass: 0, fail: 0, manual: 0, 'not-applicable': 0, 'not-evaluated': 0 };
  const controls: ComplianceControl[] = [];
  for (const control of framework.controls) {
    if (input.inScope && !input.inScope(control)) continue;
    const id = `${framework.framework}/${control.id}`;
    const findings = reported.get(id) ?? 0;
    const cited = findings + (accepted.get(id) ?? 0) + (evaluation.baselinedControls[id] ?? 0);
    const ran = control.rules.flatMap((rule) => byRule.get(rule) ?? []);
    const { status, reason } = judge(control, id, ran, cited, input);
    const severity = mostSevere(ran);
    counts[status]++;
    controls.push({
      id,
      title: control.title,
      ...(control.section !== undefined ? { section: control.section } : {}),
      assessment: control.assessment,
      status,
      ...(severity !== undefined ? { severity } : {}),
      weight: severity !== undefined && (status === 'pass' || status === 'fail') ? SEVERITY_WEIGHTS[severity] : 0,
      findings,
      rules: control.rules,
      ...(reason !== undefined ? { reason } : {}),
    });
  }
  return {
    framework: framework.framework,
    name: framework.name,
    version: framework.version,
    scope: input.scope,
    counts,
    score: scoreOf(controls),
    coverage: coverageOf(controls, counts),
    controls,
  };
}

function scoreOf(controls: readonly ComplianceControl[]): ComplianceScore {
  let passedWeight = 0;
  let evaluatedWeight = 0;
  for (const control of controls) {
    if (control.status === 'pass') passedWeight += control.weight;
    if (control.status === 'pass' || control.status === 'fail') evaluatedWeight += control.weight;
  }
  return { value: evaluatedWeight > 0 ? round1((100 * passedWeight) / evaluatedWeight) : null, passedWeight, evaluatedWeight };
}

function coverageOf(controls: readonly ComplianceControl[], counts: Readonly<Record<ComplianceStatus, number>>): ComplianceCoverage {
  const evaluated = counts.pass + counts.fail;
  const applicable = controls.length - counts['not-applicable'];
  const gaps = new Map<string, number>();
  for (const control of controls) {
    if ((control.status === 'manual' || control.status === 'not-evaluated') && control.reason !== undefined) gaps.set(control.reason, (gaps.get(control.reason) ?? 0) + 1);
  }
  return {
    evaluated,
    applicable,
    percent: applicable > 0 ? round1((100 * evaluated) / applicable) : null,
    gaps: [...gaps].map(([reason, n]) => ({ reason, controls: n })).sort((a, b) => b.controls - a.controls || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)),
  };
}
