// Test support for the RBAC rules: run one rule on a YAML text, as manifests or as objects read from a cluster,
// and return what it reported (the fixture loader only makes file objects).
import assert from 'node:assert/strict';
import { runRules } from '../../core/engine.ts';
import { NO_POSITION_LOCATOR, type InventoryObject, type Origin } from '../../core/inventory.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../../core/pod-templates.ts';
import { defaultOptions, type AnyRule } from '../../core/rule-api.ts';
import { DEFAULT_SCAN_SETTINGS } from '../../core/settings.ts';
import { parseManifests } from '../../source/index.ts';

export const LIVE_ORIGIN: Origin = { type: 'cluster', cluster: { context: 'test', server: 'https://10.0.0.1:6443' } };

export interface ReportedFinding {
  readonly messageId: string;
  readonly object: string;
  readonly path: string;
  readonly message: string;
}

/** Parses YAML into objects; with `origin`, as if read from that cluster. */
export function objectsOf(text: string, origin?: Origin, file = 'rbac.yaml'): InventoryObject[] {
  const parsed = parseManifests({ file, text });
  assert.deepEqual(parsed.errors, []);
  return origin ? parsed.objects.map((object) => ({ ...object, origin, locator: NO_POSITION_LOCATOR })) : [...parsed.objects];
}

export function runRule(rule: AnyRule, objects: readonly InventoryObject[], options: Readonly<Record<string, unknown>> = {}): ReportedFinding[] {
  const result = runRules({
    inventory: { objects },
    rules: [{ rule, severity: rule.meta.defaultSeverity, options: { ...defaultOptions(rule), ...options } }],
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, []);
  return result.findings.map((finding) => ({
    messageId: finding.messageId,
    object: `${finding.resource.kind}/${finding.resource.namespace ? `${finding.resource.namespace}/` : ''}${finding.resource.name}`,
    path: finding.location.path,
    message: finding.message,
  }));
}

/** Messages of one rule on a YAML text (manifests unless `origin` is given). */
export function messagesOf(rule: AnyRule, text: string, origin?: Origin, options?: Readonly<Record<string, unknown>>): string[] {
  return runRule(rule, objectsOf(text, origin), options).map((finding) => finding.message);
}
