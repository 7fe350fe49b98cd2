import type { InventoryObject } from './inventory.ts';
import type { Path, Severity } from './model.ts';
import type { ContainerEntry, PodTemplate } from './pod-templates.ts';

export const RULE_CATEGORIES = [
  'pod-security',
  'privileges',
  'host-access',
  'resources',
  'images',
  'service-accounts',
  'network-exposure',
  'secrets',
  'namespaces',
  'cluster',
  'rbac',
] as const;
export type RuleCategory = (typeof RULE_CATEGORIES)[number];

/** Framework slugs a control string may start with: `<framework>/<control>`. */
export const CONTROL_FRAMEWORKS = [
  'cis-k8s',
  'nsa-cisa',
  'pss-baseline',
  'pss-restricted',
  'mitre-attack',
  'nist-800-190',
  'nist-800-53',
  'pci-dss',
  'soc2',
  'iso-27001',
  'hipaa',
] as const;
export type ControlFramework = (typeof CONTROL_FRAMEWORKS)[number];

export type OptionType = 'number' | 'string' | 'boolean' | 'string[]';
type OptionValue<T extends OptionType> = T extends 'number'
  ? number
  : T extends 'string'
    ? string
    : T extends 'boolean'
      ? boolean
      : readonly string[];

export interface OptionSpec<T extends OptionType = OptionType> {
  readonly type: T;
  readonly default: OptionValue<T>;
  readonly description: string;
}
export type OptionsSpec = Readonly<Record<string, OptionSpec>>;
export type OptionsOf<S extends OptionsSpec> = { readonly [K in keyof S]: OptionValue<S[K]['type']> };

export interface RuleMeta<M extends string = string> {
  /** Stable kebab-case id; never derived from the title and never reused. */
  readonly id: string;
  readonly title: string;
  readonly category: RuleCategory;
  readonly defaultSeverity: Severity;
  /** Why it matters, in a few sentences. */
  readonly rationale: string;
  readonly remediation: string;
  /** `<framework>/<control>`, e.g. `pss-baseline/privileged`, `cis-k8s/5.2.2`, `mitre-attack/T1611`. */
  readonly controls: readonly string[];
  /** Message templates by id; `{{name}}` is replaced from the report's data. */
  readonly messages: Readonly<Record<M, string>>;
  /** A minimal failing snippet and its fix, shown by `palisade explain`. */
  readonly example: { readonly bad: string; readonly good: string };
  /** Rules that are off unless enabled in the config. */
  readonly enabledByDefault?: boolean;
  /**
   * What the rule needs in its input before it can judge anything, for rules whose subject is not in every scan (a
   * kube-apiserver's command line, a live cluster's ClusterInfo). Such a rule says what it judged by calling
   * `context.evaluated()`; when it never does, the controls it judges are not evaluated, with this as the reason.
   * Rules without it count as having judged every object, pod template or container their scope gave them.
   */
  readonly requires?: string;
}

/** What a cross-object rule sees: every object, and every pod template found with the scan's locations. */
export interface InventorySubject {
  readonly objects: readonly InventoryObject[];
  readonly podTemplates: readonly PodTemplate[];
}

export interface ContainerSubject {
  readonly template: PodTemplate;
  readonly entry: ContainerEntry;
}

export type Scope =
  | { readonly type: 'object'; readonly kinds: readonly { readonly group?: string; readonly kind: string }[] }
  | { readonly type: 'podTemplate' }
  | { readonly type: 'container' }
  /** `kinds`: the kinds of object the rule looks at, so they are not reported as objects no rule applies to. */
  | { readonly type: 'inventory'; readonly kinds?: readonly { readonly group?: string; readonly kind: string }[] };

export type SubjectOf<S extends Scope> = S extends { type: 'object' }
  ? InventoryObject
  : S extends { type: 'podTemplate' }
    ? PodTemplate
    : S extends { type: 'container' }
      ? ContainerSubject
      : InventorySubject;

/** Kubernetes version the Pod Security Standards are evaluated at (`--pss-version 1.N`). */
export interface KubeMinorVersion {
  readonly major: 1;
  readonly minor: number;
}

/** Scan-wide settings a rule may read. */
export interface ScanSettings {
  readonly pssVersion: KubeMinorVersion;
  /** The scan's date, YYYY-MM-DD, for rules that judge dates (end of life); absent, they skip that judgement. */
  readonly today?: string;
}

export interface Report<M extends string> {
  readonly messageId: M;
  readonly data?: Readonly<Record<string, string | number>>;
  /** Path from the object's root to the offending field (or the field that is missing). */
  readonly path: Path;
  /** The object the finding is about; defaults to the subject's object (required for inventory rules). */
  readonly object?: InventoryObject;
  /**
   * For rules that cover several controls (one per message, say CIS 1.2.1 and 1.2.2): the controls this finding
   * is about, a subset of the rule's `meta.controls`. Defaults to all of them.
   */
  readonly controls?: readonly string[];
}

export interface RuleContext<M extends string, O> {
  readonly options: O;
  readonly settings: ScanSettings;
  report(report: Report<M>): void;
  /**
   * For rules with `meta.requires`: the rule found something to judge (one API server, one file), and judged these
   * of its controls on it (default: all of them). Compliance passes a control only on such evidence.
   */
  evaluated(controls?: readonly string[]): void;
}

export interface Rule<M extends string = string, S extends Scope = Scope, O extends OptionsSpec = OptionsSpec> {
  readonly meta: RuleMeta<M>;
  readonly scope: S;
  readonly options: O;
  check(context: RuleContext<M, OptionsOf<O>>, subject: SubjectOf<S>): void;
}

/** A rule of any shape, as the engine and the catalogue hold them. */
export interface AnyRule {
  readonly meta: RuleMeta;
  readonly scope: Scope;
  readonly options: OptionsSpec;
  check(context: RuleContext<string, Readonly<Record<string, unknown>>>, subject: never): void;
}

export function defineRule<M extends string, S extends Scope, O extends OptionsSpec = Record<never, never>>(rule: {
  meta: RuleMeta<M>;
  scope: S;
  options?: O;
  check(context: RuleContext<M, OptionsOf<O>>, subject: SubjectOf<S>): void;
}): AnyRule {
  return { ...rule, options: rule.options ?? ({} as O) } as unknown as AnyRule;
}

export function defaultOptions(rule: AnyRule): Readonly<Record<string, unknown>> {
  return Object.fromEntries(Object.entries(rule.options).map(([name, spec]) => [name, spec.default]));
}

type MessagePart = string | { readonly name: string; readonly raw: string };
const compiledMessages = new Map<string, readonly MessagePart[]>();

function compileMessage(template: string): readonly MessagePart[] {
  const parts: MessagePart[] = [];
  let last = 0;
  for (const match of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
    parts.push(template.slice(last, match.index), { name: match[1]!, raw: match[0] });
    last = match.index + match[0].length;
  }
  parts.push(template.slice(last));
  return parts;
}

export function renderMessage(template: string, data: Readonly<Record<string, string | number>> | undefined): string {
  let parts = compiledMessages.get(template);
  if (!parts) {
    parts = compileMessage(template);
    compiledMessages.set(template, parts);
  }
  // Joined, not concatenated: findings keep their messages, and a rope of cons-strings costs several times more.
  return parts.map((part) => (typeof part === 'string' ? part : data && Object.hasOwn(data, part.name) ? String(data[part.name]) : part.raw)).join('');
}
