import type { RuleFailure } from './engine.ts';
import type { Finding, SuppressedFinding } from './findings.ts';
import type { ObjectRef, Severity } from './model.ts';
import type { RuleMeta } from './rule-api.ts';

/** Version of the JSON report schema (schema/report.schema.json). Bump the major on breaking changes. */
export const REPORT_SCHEMA_VERSION = '1.2';

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
 * How one recommendation of a benchmark fared: `fail` (a finding cites it), `pass` (a rule judges it, what it needs
 * was found, and nothing was reported), `manual` (the benchmark leaves it to a person and no rule judges it),
 * `not-evaluated` (no rule judges it, or what it needs was not found). Never `pass` without evidence.
 */
export type ComplianceStatus = 'pass' | 'fail' | 'manual' | 'not-evaluated';

export interface ComplianceControl {
  /** `cis-k8s/1.2.6`. */
  readonly id: string;
  readonly title: string;
  readonly assessment: 'automated' | 'manual';
  readonly status: ComplianceStatus;
  /** Findings citing it (suppressed ones not counted). */
  readonly findings: number;
  /** Why a control was not evaluated, when it was not. */
  readonly reason?: string;
}

/** A benchmark's recommendations in the scan's scope, each with its status. */
export interface ComplianceSummary {
  readonly framework: string;
  readonly name: string;
  readonly version: string;
  /** Which part of the benchmark was in scope: `node` (sections 1-4). */
  readonly scope: string;
  readonly counts: Readonly<Record<ComplianceStatus, number>>;
  readonly controls: readonly ComplianceControl[];
}

export interface ScanReport {
  readonly schemaVersion: string;
  readonly tool: { readonly name: 'palisade'; readonly version: string };
  readonly settings: { readonly failOn: Severity | 'none'; readonly pssVersion: string };
  /** Present for live scans (`--cluster`). */
  readonly cluster?: ClusterTarget;
  /** Present for `palisade node`: the CIS Benchmark's recommendations and their status. */
  readonly compliance?: ComplianceSummary;
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
