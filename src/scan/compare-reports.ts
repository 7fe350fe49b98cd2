// Two reports of the same target compared: which findings were fixed, which are new, which remain (by
// fingerprint, which survives reformatting and moves), and how each framework's score and coverage changed.
import { compareFindings, type Finding } from '../core/findings.ts';
import { SEVERITIES, type Severity } from '../core/model.ts';
import type { ComplianceStatus, ComplianceSummary, ScanReport } from '../core/report.ts';

export interface ControlChange {
  readonly id: string;
  readonly title: string;
  readonly from: ComplianceStatus;
  readonly to: ComplianceStatus;
}

export interface FrameworkChange {
  readonly framework: string;
  readonly name: string;
  readonly version: string;
  readonly score: { readonly from: number | null; readonly to: number | null; readonly change: number | null };
  readonly coverage: { readonly from: number | null; readonly to: number | null; readonly change: number | null };
  /** Controls whose status changed, in catalogue order. */
  readonly controls: readonly ControlChange[];
}

export interface ReportComparison {
  readonly fixed: readonly Finding[];
  readonly new: readonly Finding[];
  readonly unchanged: readonly Finding[];
  readonly bySeverity: Readonly<Record<Severity, { readonly fixed: number; readonly new: number; readonly unchanged: number }>>;
  /** Frameworks both reports have compliance for, in the newer report's order. */
  readonly frameworks: readonly FrameworkChange[];
}

const delta = (from: number | null, to: number | null): number | null => (from === null || to === null ? null : Math.round((to - from) * 10) / 10);

function frameworkChange(older: ComplianceSummary, newer: ComplianceSummary): FrameworkChange {
  const before = new Map(older.controls.map((control) => [control.id, control.status]));
  const controls: ControlChange[] = [];
  for (const control of newer.controls) {
    const from = before.get(control.id);
    if (from !== undefined && from !== control.status) controls.push({ id: control.id, title: control.title, from, to: control.status });
  }
  return {
    framework: newer.framework,
    name: newer.name,
    version: newer.version,
    score: { from: older.score.value, to: newer.score.value, change: delta(older.score.value, newer.score.value) },
    coverage: { from: older.coverage.percent, to: newer.coverage.percent, change: delta(older.coverage.percent, newer.coverage.percent) },
    controls,
  };
}

export function compareReports(older: Pick<ScanReport, 'findings' | 'compliance'>, newer: Pick<ScanReport, 'findings' | 'compliance'>): ReportComparison {
  const oldPrints = new Set(older.findings.map((finding) => finding.fingerprint));
  const newPrints = new Set(newer.findings.map((finding) => finding.fingerprint));
  const fixed = older.findings.filter((finding) => !newPrints.has(finding.fingerprint)).sort(compareFindings);
  const added = newer.findings.filter((finding) => !oldPrints.has(finding.fingerprint)).sort(compareFindings);
  const unchanged = newer.findings.filter((finding) => oldPrints.has(finding.fingerprint)).sort(compareFindings);
  const bySeverity = Object.fromEntries(
    SEVERITIES.map((severity) => [
      severity,
      {
        fixed: fixed.filter((finding) => finding.severity === severity).length,
        new: added.filter((finding) => finding.severity === severity).length,
        unchanged: unchanged.filter((finding) => finding.severity === severity).length,
      },
    ]),
  ) as ReportComparison['bySeverity'];
  const olderFrameworks = new Map((older.compliance ?? []).map((summary) => [`${summary.framework} ${summary.scope}`, summary]));
  const frameworks = (newer.compliance ?? []).flatMap((summary) => {
    const before = olderFrameworks.get(`${summary.framework} ${summary.scope}`);
    return before ? [frameworkChange(before, summary)] : [];
  });
  return { fixed, new: added, unchanged, bySeverity, frameworks };
}
