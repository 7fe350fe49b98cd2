import type { PalisadeConfig } from '../config/config.ts';
import { podTemplateLocations } from '../config/config.ts';
import { complianceSummary, frameworkById, type FrameworkControl } from '../analysers/compliance/index.ts';
import { runRules, type ActiveRule } from '../core/engine.ts';
import { atOrAbove } from '../core/findings.ts';
import type { InventoryObject } from '../core/inventory.ts';
import { SEVERITIES, type Severity } from '../core/model.ts';
import { REPORT_SCHEMA_VERSION, type ClusterTarget, type ComplianceSummary, type InputError, type ScanEvaluation, type ScanReport, type SkippedInput } from '../core/report.ts';
import { defaultOptions, type AnyRule, type ControlFramework, type ScanSettings } from '../core/rule-api.ts';
import { formatKubeMinorVersion } from '../core/settings.ts';
import { parseManifests, type SourceText } from '../source/index.ts';
import { applySuppressions } from '../suppress/suppressions.ts';
import { buildReportGraphs } from './report-graphs.ts';

export interface ScanRequest {
  readonly sources: readonly SourceText[];
  /** Objects already in inventory form: read from a live cluster. */
  readonly liveObjects?: readonly InventoryObject[];
  readonly cluster?: ClusterTarget;
  readonly warnings?: readonly InputError[];
  /** Errors met while collecting inputs (missing files, helm failures…). */
  readonly inputErrors: readonly InputError[];
  readonly inputs: number;
  readonly catalogue: readonly AnyRule[];
  readonly config: PalisadeConfig;
  readonly configFile: string | undefined;
  readonly settings: ScanSettings;
  /** Undefined: never fail on findings. */
  readonly failOn: Severity | undefined;
  /** Fingerprints of an earlier report: findings with these are left out. */
  readonly baseline: ReadonlySet<string> | undefined;
  /** YYYY-MM-DD, for suppression expiry. */
  readonly today: string;
  readonly toolVersion: string;
  /** Frameworks to report compliance with (`--framework`). */
  readonly frameworks?: readonly ControlFramework[];
  /** The part of the frameworks in scope, when not all of it (`palisade node`: CIS sections 1-4). */
  readonly complianceScope?: ComplianceScope;
  /** Build the data of the HTML report's graphs (cluster map, RBAC, network) into the report. */
  readonly graphs?: boolean;
}

export interface ComplianceScope {
  /** The framework it narrows; the others are whole. */
  readonly framework: ControlFramework;
  readonly name: string;
  readonly includes: (control: FrameworkControl) => boolean;
}

/** `meta.requires` of every rule that has one: why its controls are not evaluated when it found nothing to judge. */
export function ruleRequirements(catalogue: readonly AnyRule[]): ReadonlyMap<string, string> {
  return new Map(catalogue.flatMap((rule) => (rule.meta.requires !== undefined ? [[rule.meta.id, rule.meta.requires] as const] : [])));
}

export interface ComplianceRequest {
  readonly frameworks: readonly ControlFramework[];
  readonly scope?: ComplianceScope;
  readonly evaluation: ScanEvaluation;
  readonly requirements: ReadonlyMap<string, string>;
  readonly findings: ScanReport['findings'];
  readonly suppressed: ScanReport['suppressed'];
}

/** Each framework's controls judged from a scan's findings and evaluation, in the order asked. */
export function frameworkCompliance(request: ComplianceRequest): ComplianceSummary[] {
  return request.frameworks.map((id) =>
    complianceSummary({
      framework: frameworkById(id),
      ...(request.scope?.framework === id ? { scope: request.scope.name, inScope: request.scope.includes } : { scope: 'all' }),
      evaluation: request.evaluation,
      requirements: request.requirements,
      findings: request.findings,
      suppressed: request.suppressed,
    }),
  );
}

export interface ScanOutcome {
  readonly report: ScanReport;
  readonly activeRules: readonly ActiveRule[];
}

/** The rules this scan runs, with configured severities and options. */
export function activateRules(catalogue: readonly AnyRule[], config: PalisadeConfig): ActiveRule[] {
  return catalogue
    .filter((rule) => !config.disabledRules.includes(rule.meta.id))
    .filter((rule) => rule.meta.enabledByDefault !== false || config.enabledRules.includes(rule.meta.id))
    .map((rule) => ({
      rule,
      severity: config.severity[rule.meta.id] ?? rule.meta.defaultSeverity,
      options: { ...defaultOptions(rule), ...config.ruleOptions[rule.meta.id] },
    }));
}

export interface ParsedInputs {
  readonly objects: InventoryObject[];
  readonly errors: InputError[];
  readonly skipped: SkippedInput[];
}

/** The inventory of what was read: live objects as they are, texts parsed; no objects and no errors is an error. */
export function parseInputs(sources: readonly SourceText[], liveObjects: readonly InventoryObject[] | undefined, inputErrors: readonly InputError[], fromCluster: boolean): ParsedInputs {
  const errors: InputError[] = [...inputErrors];
  const skipped: SkippedInput[] = [];
  const objects: InventoryObject[] = [...(liveObjects ?? [])];
  for (const source of sources) {
    const parsed = parseManifests(source);
    objects.push(...parsed.objects);
    errors.push(...parsed.errors);
    skipped.push(...parsed.skipped);
  }
  if (objects.length === 0 && errors.length === 0 && !fromCluster) {
    errors.push({
      code: 'no-input',
      file: sources[0]?.file ?? '.',
      message: 'no Kubernetes objects found in the input (expected *.yaml, *.yml or *.json manifests, a Helm chart or a kustomization)',
    });
  }
  return { objects, errors, skipped };
}

export function sortInputErrors(errors: InputError[]): void {
  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
}

/** Parse → inventory → rules → suppressions → baseline → report. Pure: all I/O happened before. */
export function runScan(request: ScanRequest): ScanOutcome {
  const { objects, errors, skipped } = parseInputs(request.sources, request.liveObjects, request.inputErrors, request.cluster !== undefined);

  const activeRules = activateRules(request.catalogue, request.config);
  const locations = podTemplateLocations(request.config);
  const engine = runRules({ inventory: { objects }, rules: activeRules, settings: request.settings, podTemplateLocations: locations });

  for (const object of engine.unevaluated) {
    if (object.origin.type !== 'file') continue; // a cluster holds thousands of such objects; its summary counts them
    skipped.push({ file: object.origin.file, line: object.locator.locate([]).line, reason: `no rule applies to ${object.ref.kind}`, resource: object.ref });
  }

  const suppression = applySuppressions({
    findings: engine.findings,
    objects,
    entries: request.config.suppressions,
    configFile: request.configFile,
    allowInline: request.config.allowInlineSuppressions,
    knownRules: new Set(request.catalogue.map((rule) => rule.meta.id)),
    today: request.today,
  });
  const baseline = request.baseline;
  const findings = baseline ? suppression.findings.filter((finding) => !baseline.has(finding.fingerprint)) : suppression.findings;
  const baselinedControls: Record<string, number> = {};
  if (baseline) {
    for (const finding of suppression.findings) {
      if (!baseline.has(finding.fingerprint)) continue;
      for (const control of finding.controls) baselinedControls[control] = (baselinedControls[control] ?? 0) + 1;
    }
  }
  const evaluation: ScanEvaluation = { rules: engine.evaluations, baselinedControls };
  const compliance =
    request.frameworks !== undefined && request.frameworks.length > 0
      ? frameworkCompliance({
          frameworks: request.frameworks,
          ...(request.complianceScope ? { scope: request.complianceScope } : {}),
          evaluation,
          requirements: ruleRequirements(request.catalogue),
          findings,
          suppressed: suppression.suppressed,
        })
      : undefined;

  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) bySeverity[finding.severity]++;
  const failOn = request.failOn;
  const failing = failOn === undefined ? 0 : findings.filter((finding) => atOrAbove(finding.severity, failOn)).length;

  sortInputErrors(errors);
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));

  const report: ScanReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'palisade', version: request.toolVersion },
    settings: { failOn: failOn ?? 'none', pssVersion: formatKubeMinorVersion(request.settings.pssVersion) },
    ...(request.cluster !== undefined ? { cluster: request.cluster } : {}),
    ...(compliance !== undefined ? { compliance } : {}),
    evaluation,
    ...(request.graphs ? { graphs: buildReportGraphs(objects, engine.templates, findings, { podTemplateLocations: locations }) } : {}),
    findings,
    suppressed: suppression.suppressed,
    errors,
    ...(request.warnings !== undefined && request.warnings.length > 0 ? { warnings: request.warnings } : {}),
    ruleFailures: engine.failures,
    suppressionProblems: suppression.problems,
    skipped,
    summary: {
      files: request.inputs,
      objects: objects.length,
      podTemplates: engine.podTemplates,
      skipped: skipped.length,
      findings: findings.length,
      bySeverity,
      suppressed: suppression.suppressed.length,
      baselined: suppression.findings.length - findings.length,
      errors: errors.length,
      failing,
    },
  };
  return { report, activeRules };
}
