import { makeFinding, compareFindings, type Finding } from './findings.ts';
import { apiGroupOf, originLabel, type Inventory, type InventoryObject } from './inventory.ts';
import type { Severity } from './model.ts';
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
  /** Objects no rule looked at: no pod template and no object rule for their kind (inventory rules aside). */
  readonly unevaluated: readonly InventoryObject[];
}

export interface EngineInput {
  readonly inventory: Inventory;
  readonly rules: readonly ActiveRule[];
  readonly settings: ScanSettings;
  readonly podTemplateLocations: readonly PodTemplateLocation[];
}

type Invoke = (active: ActiveRule, subjectObject: InventoryObject | undefined, subject: unknown) => void;

export function runRules(input: EngineInput): EngineResult {
  const findings: Finding[] = [];
  const failures: RuleFailure[] = [];
  const byScope = {
    object: input.rules.filter((r) => r.rule.scope.type === 'object'),
    podTemplate: input.rules.filter((r) => r.rule.scope.type === 'podTemplate'),
    container: input.rules.filter((r) => r.rule.scope.type === 'container'),
    inventory: input.rules.filter((r) => r.rule.scope.type === 'inventory'),
  };

  const invoke: Invoke = (active, subjectObject, subject) => {
    const { rule } = active;
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
            controls: report.controls ?? rule.meta.controls,
            remediation: rule.meta.remediation,
            object,
            path: report.path,
          }),
        );
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
  const podTemplates: PodTemplate[] = [];
  const unevaluated: InventoryObject[] = [];
  for (const object of input.inventory.objects) {
    const group = apiGroupOf(object.ref.apiVersion);
    let evaluated = inventoryKinds.some((k) => k.kind === object.ref.kind && (k.group === undefined || k.group === group));
    for (const active of byScope.object) {
      const scope = active.rule.scope;
      if (scope.type !== 'object') continue;
      if (scope.kinds.some((k) => k.kind === object.ref.kind && (k.group === undefined || k.group === group))) {
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
  for (const active of byScope.inventory) invoke(active, undefined, inventory);

  findings.sort(compareFindings);
  return { findings, failures, podTemplates: podTemplates.length, unevaluated };
}
