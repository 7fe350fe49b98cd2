import { makeFinding, compareFindings, type Finding } from './findings.ts';
import { apiGroupOf, originLabel, type Inventory, type InventoryObject } from './inventory.ts';
import type { Severity } from './model.ts';
import type { RuleEvaluation } from './report.ts';
import { findPodTemplate, type PodTemplate, type PodTemplateLocation } from './pod-templates.ts';
import { renderMessage, type AnyRule, type InventorySubject, type Report, type ScanSettings } from './rule-api.ts';

/** A rule as configured for one scan: its effective severity and options. */
export interface ActiveRule {
  readonly rule: AnyRule;
  readonly severity: Severity;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A rule that threw on an object: reported against that rule and object; the scan goes on. */
export interface RuleFailure {
  readonly ruleId: string;
  readonly resource?: InventoryObject['ref'];
  readonly file?: string;
  readonly message: string;
}

export interface EngineResult {
  readonly findings: readonly Finding[];
  readonly failures: readonly RuleFailure[];
  readonly podTemplates: number;
  /** The pod templates found, in inventory order (for analyses after the rules: the report's graphs). */
  readonly templates: readonly PodTemplate[];
  /** Objects no rule looked at: no pod template and no object rule for their kind (inventory rules aside). */
  readonly unevaluated: readonly InventoryObject[];
  /** Per rule that ran, in rule order: how many subjects it judged (the evidence compliance statuses rest on). */
  readonly evaluations: readonly RuleEvaluation[];
}

/**
 * A finding's controls: the rule's, narrowed per framework to those the report names. A report that names
 * `cis-k8s/1.2.1` keeps only that CIS control, and every control the rule cites in other frameworks.
 */
export function findingControls(ruleControls: readonly string[], reported: readonly string[] | undefined): readonly string[] {
  if (reported === undefined) return ruleControls;
  const narrowed = new Set(reported.map((control) => control.slice(0, control.indexOf('/'))));
  return ruleControls.filter((control) => !narrowed.has(control.slice(0, control.indexOf('/'))) || reported.includes(control));
}

class EvidenceCounter {
  subjects = 0;
  allControls = false;
  readonly controls = new Set<string>();
}

export interface EngineInput {
  readonly inventory: Inventory;
  readonly rules: readonly ActiveRule[];
  readonly settings: ScanSettings;
  readonly podTemplateLocations: readonly PodTemplateLocation[];
}

type Invoke = (active: ActiveRule, subjectObject: InventoryObject | undefined, subject: unknown) => void;

function isKindIn(kind: string, group: string, kinds: readonly { readonly group?: string; readonly kind: string }[]): boolean {
  return kinds.some((k) => k.kind === kind && (k.group === undefined || k.group === group));
}

export function runRules(input: EngineInput): EngineResult {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const byScope = {
    object: input.rules.filter((r) => r.rule.scope.type === 'object'),
    podTemplate: input.rules.filter((r) => r.rule.scope.type === 'podTemplate'),
    container: input.rules.filter((r) => r.rule.scope.type === 'container'),
    inventory: input.rules.filter((r) => r.rule.scope.type === 'inventory'),
  };

  const evidence = new Map<string, EvidenceCounter>(input.rules.map((active) => [active.rule.meta.id, new EvidenceCounter()]));
  const invoke: Invoke = (active, subjectObject, subject) => {
    const { rule } = active;
    const counter = evidence.get(rule.meta.id)!;
    const explicit = rule.meta.requires !== undefined;
    if (!explicit && rule.scope.type !== 'inventory') counter.subjects++;
    const context = {
      options: active.options,
      settings: input.settings,
      report(report: Report<string>) {
        const object = report.object ?? subjectObject;
        if (!object) throw new Error(`rule ${rule.meta.id} reported without naming an object`);
        const template = rule.meta.messages[report.messageId];
        if (template === undefined) throw new Error(`rule ${rule.meta.id} has no message '${report.messageId}'`);
        const unknownControl = report.controls?.find((control) => !rule.meta.controls.includes(control));
        if (unknownControl !== undefined) throw new Error(`rule ${rule.meta.id} reported control ${unknownControl}, which its meta.controls does not list`);
        findings.push(
          makeFinding({
            ruleId: rule.meta.id,
            messageId: report.messageId,
            severity: active.severity,
            title: rule.meta.title,
            category: rule.meta.category,
            message: renderMessage(template, report.data),
            controls: findingControls(rule.meta.controls, report.controls),
            remediation: rule.meta.remediation,
            object,
            path: report.path,
          }),
        );
      },
      evaluated(controls?: readonly string[]) {
        if (!explicit) return;
        const unknownControl = controls?.find((control) => !rule.meta.controls.includes(control));
        if (unknownControl !== undefined) throw new Error(`rule ${rule.meta.id} evaluated control ${unknownControl}, which its meta.controls does not list`);
        counter.subjects++;
        if (controls === undefined) counter.allControls = true;
        // Recorded as given (unlike a finding's controls, not widened per framework): see rules/shared/judged-controls.ts.
        else for (const control of controls) counter.controls.add(control);
      },
    };
    try {
      rule.check(context, subject as never);
    } catch (error) {
      failures.push({
        ruleId: rule.meta.id,
        ...(subjectObject ? { resource: subjectObject.ref, file: originLabel(subjectObject.origin) } : {}),
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };

  const inventoryKinds = byScope.inventory.flatMap((active) => (active.rule.scope.type === 'inventory' ? (active.rule.scope.kinds ?? []) : []));
  const kindCounts = new Map<ActiveRule, number>();
  const podTemplates: PodTemplate[] = [];
  const unevaluated: InventoryObject[] = [];
  for (const object of input.inventory.objects) {
    const { kind } = object.ref;
    const group = apiGroupOf(object.ref.apiVersion);
    let evaluated = isKindIn(kind, group, inventoryKinds);
    if (evaluated) {
      for (const active of byScope.inventory) {
        const scope = active.rule.scope;
        if (scope.type === 'inventory' && scope.kinds && isKindIn(kind, group, scope.kinds)) kindCounts.set(active, (kindCounts.get(active) ?? 0) + 1);
      }
    }
    for (const active of byScope.object) {
      const scope = active.rule.scope;
      if (scope.type !== 'object') continue;
      if (isKindIn(kind, group, scope.kinds)) {
        evaluated = true;
        invoke(active, object, object);
      }
    }
    const template = findPodTemplate(object, input.podTemplateLocations);
    if (!template) {
      if (!evaluated) unevaluated.push(object);
      continue;
    }
    podTemplates.push(template);
    for (const active of byScope.podTemplate) invoke(active, object, template);
    for (const entry of template.containers) {
      for (const active of byScope.container) invoke(active, object, { template, entry });
    }
  }
  const inventory: InventorySubject = { objects: input.inventory.objects, podTemplates };
  for (const active of byScope.inventory) {
    invoke(active, undefined, inventory);
    const scope = active.rule.scope;
    if (active.rule.meta.requires === undefined && scope.type === 'inventory') {
      evidence.get(active.rule.meta.id)!.subjects += scope.kinds ? (kindCounts.get(active) ?? 0) : input.inventory.objects.length;
    }
  }

  findings.sort(compareFindings);
  const evaluations = input.rules.map((active): RuleEvaluation => {
    const counter = evidence.get(active.rule.meta.id)!;
    const partial = active.rule.meta.requires !== undefined && !counter.allControls && counter.controls.size > 0;
    return {
      id: active.rule.meta.id,
      severity: active.severity,
      subjects: counter.subjects,
      ...(partial ? { controls: [...counter.controls].sort() } : {}),
    };
  });
  return { findings, failures, podTemplates: podTemplates.length, templates: podTemplates, unevaluated, evaluations };
}
