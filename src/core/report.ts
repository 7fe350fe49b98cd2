import type { RuleFailure } from './engine.ts';
import type { Finding, SuppressedFinding } from './findings.ts';
import type { ObjectRef, Severity } from './model.ts';
import type { ReportGraphs } from './report-graphs.ts';
import type { RuleMeta } from './rule-api.ts';

/** Version of the JSON report schema (schema/report.schema.json). Bump the major on breaking changes. */
export const REPORT_SCHEMA_VERSION = '2.0';

export const INPUT_ERROR_CODES = [
  'not-found',
  'unreadable',
  'binary-file',
  'file-too-large',
  'yaml-syntax',
  'duplicate-key',
  'alias-limit',
  'unsupported-document',
  'no-input',
  'helm-missing',
  'helm-failed',
  'kustomize-missing',
  'kustomize-failed',
  'cluster-discovery',
  'cluster-forbidden',
  'cluster-list-failed',
  'cluster-api-warning',
] as const;
export type InputErrorCode = (typeof INPUT_ERROR_CODES)[number];

/** An input that could not be read completely. The rest of the scan goes on. */
export interface InputError {
  readonly code: InputErrorCode;
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** A document or object that is not evaluated, with why (not a Kubernetes object, a kind no rule covers). */
export interface SkippedInput {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
  readonly resource?: ObjectRef;
}

export type SuppressionProblemKind = 'expired' | 'unused' | 'invalid';

export interface SuppressionProblem {
  readonly kind: SuppressionProblemKind;
  readonly source: 'annotation' | 'config';
  readonly message: string;
  /** Config entries: `.palisade.yaml` and the index of the entry; annotations: the object's file. */
  readonly file: string;
  readonly line?: number;
  readonly resource?: ObjectRef;
}

export interface ReportSummary {
  readonly files: number;
  readonly objects: number;
  readonly podTemplates: number;
  readonly skipped: number;
  readonly findings: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly suppressed: number;
  /** Findings left out because their fingerprint is in the `--baseline` report. */
  readonly baselined: number;
  readonly errors: number;
  /** Findings at or above the fail-on threshold: the exit code is 1 when this is not zero. */
  readonly failing: number;
}

/** The cluster a live scan read, and how much of it. */
export interface ClusterTarget {
  readonly context: string;
  readonly server: string;
  readonly serverVersion: string;
  /** Namespaces read; absent when all were. */
  readonly namespaces?: readonly string[];
  /** Resource lists requested, and how many of them were refused (403) or failed. */
  readonly resources: number;
  readonly forbidden: number;
  readonly failed: number;
}

/**
 * How one control of a framework fared in a scan:
 * - `fail`: a finding cites it (a suppressed or baselined one too: an accepted deviation is not a pass);
 * - `pass`: a rule that judges it ran, had something to judge, and reported nothing;
 * - `not-applicable`: the rules that judge it ran but the input holds nothing they apply to (no Pods, no RBAC);
 * - `not-evaluated`: no rule judges it, or what its rules need was not in the input (a kube-apiserver's flags);
 * - `manual`: the framework leaves it to a person (a process, a policy) and no rule judges it.
 * Never `pass` without evidence.
 */
export const COMPLIANCE_STATUSES = ['pass', 'fail', 'manual', 'not-applicable', 'not-evaluated'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export interface ComplianceControl {
  /** `cis-k8s/1.2.6`. */
  readonly id: string;
  readonly title: string;
  /** The framework's section or family, when it has them (`1.2`, `AC`). */
  readonly section?: string;
  readonly assessment: 'automated' | 'manual';
  readonly status: ComplianceStatus;
  /** The highest severity among the rules that judged it in this scan; absent when none did. */
  readonly severity?: Severity;
  /** Its weight in the score (by `severity`); 0 when it does not count. */
  readonly weight: number;
  /** Findings citing it (suppressed and baselined ones not counted). */
  readonly findings: number;
  /** Rules that judge it, from the framework catalogue. */
  readonly rules: readonly string[];
  /** Why it is not pass or fail. */
  readonly reason?: string;
}

/** `value` = 100 × passedWeight / evaluatedWeight (one decimal), over the controls that passed or failed. */
export interface ComplianceScore {
  /** Null when no weighted control was evaluated. */
  readonly value: number | null;
  readonly passedWeight: number;
  readonly evaluatedWeight: number;
}

/** What share of the controls the scan could evaluate, and why not for the rest. */
export interface ComplianceCoverage {
  /** Controls that passed or failed. */
  readonly evaluated: number;
  /** Controls minus those not applicable to the input. */
  readonly applicable: number;
  /** 100 × evaluated / applicable, one decimal; null when nothing was applicable. */
  readonly percent: number | null;
  /** The manual and not-evaluated controls grouped by reason, most frequent first. */
  readonly gaps: readonly { readonly reason: string; readonly controls: number }[];
}

/** One framework's controls in the scan's scope, each with its status, and the framework's score and coverage. */
export interface ComplianceSummary {
  readonly framework: string;
  readonly name: string;
  readonly version: string;
  /** Which part of the framework was in scope: `all`, or `node` (CIS sections 1-4) for `palisade node`. */
  readonly scope: string;
  readonly counts: Readonly<Record<ComplianceStatus, number>>;
  readonly score: ComplianceScore;
  readonly coverage: ComplianceCoverage;
  readonly controls: readonly ComplianceControl[];
}

/** What one rule judged in a scan: the evidence compliance statuses rest on. */
export interface RuleEvaluation {
  readonly id: string;
  /** Its severity in this scan (as configured). */
  readonly severity: Severity;
  /** Objects, pod templates or containers it judged; for rules with a `requires`, what they said they judged. */
  readonly subjects: number;
  /** Rules that judge some of their controls per subject (file permissions): the controls judged at least once. */
  readonly controls?: readonly string[];
}

/** How the scan's rules covered its input, so compliance can be worked out again from the report alone. */
export interface ScanEvaluation {
  readonly rules: readonly RuleEvaluation[];
  /** Findings left out by `--baseline`, counted per control they cite: they still fail their controls. */
  readonly baselinedControls: Readonly<Record<string, number>>;
}

export interface ScanReport {
  readonly schemaVersion: string;
  readonly tool: { readonly name: 'palisade'; readonly version: string };
  readonly settings: { readonly failOn: Severity | 'none'; readonly pssVersion: string };
  /** Present for live scans (`--cluster`). */
  readonly cluster?: ClusterTarget;
  /** Frameworks asked for with `--framework` (`palisade node`: the CIS Benchmark), each control's status, the score and coverage. */
  readonly compliance?: readonly ComplianceSummary[];
  /** What each rule judged: lets `palisade report --framework` work compliance out from this report. */
  readonly evaluation?: ScanEvaluation;
  /** Data for the HTML report's graphs, when the scan built them. */
  readonly graphs?: ReportGraphs;
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  readonly errors: readonly InputError[];
  /** What could not be read without making the scan incomplete in the user's own terms: resources the identity may not list, server warnings. The exit code ignores them. */
  readonly warnings?: readonly InputError[];
  readonly ruleFailures: readonly RuleFailure[];
  readonly suppressionProblems: readonly SuppressionProblem[];
  readonly skipped: readonly SkippedInput[];
  readonly summary: ReportSummary;
}

/** What a reporter gets: the report plus the metadata of every rule that ran (for SARIF `rules[]`, JUnit cases). */
export interface ReportContext {
  readonly report: ScanReport;
  readonly rules: readonly RuleMeta[];
  /** Whether the output is a colour terminal (table reporter only). */
  readonly color: boolean;
}

export type Reporter = (context: ReportContext) => string;

/** A reporter that yields its output in pieces (their concatenation is the report), so a large one need not sit in memory whole. */
export type StreamingReporter = (context: ReportContext) => Iterable<string>;
