// What the CIS control-plane and node rules share: every invocation of a component in the input — containers of
// static Pods (and of any pod template), and command lines `palisade node` read from /proc or systemd — with a way to
// point at a flag, or at where a missing flag belongs.
import {
  argvTokens,
  componentInvocationOfArgv,
  componentInvocationOfContainer,
  getFlag,
  listValue,
  parseGoBool,
  type ComponentInvocation,
  type ComponentName,
  type Flag,
  type FlagSource,
  type SourcedValue,
} from '../../analysers/components/index.ts';
import { COMPONENT_COMMAND_LINE_KIND } from '../../core/node-objects.ts';
import type { InventoryObject } from '../../core/inventory.ts';
import { apiGroupOf } from '../../core/inventory.ts';
import { asArray, asObject, asString, type Path } from '../../core/model.ts';
import type { InventorySubject } from '../../core/rule-api.ts';

// `meta.requires` of the rules that judge a component's command line: what the input must hold, and how to give it.
export const ON_CONTROL_PLANE = 'palisade node on a control-plane node, or its static Pod manifest';
export const REQUIRES_KUBE_APISERVER = `a kube-apiserver command line (${ON_CONTROL_PLANE})`;
export const REQUIRES_KUBE_CONTROLLER_MANAGER = `a kube-controller-manager command line (${ON_CONTROL_PLANE})`;
export const REQUIRES_CONTROLLER_MANAGER_OR_SCHEDULER = 'a kube-controller-manager or kube-scheduler command line (palisade node on a control-plane node, or their static Pod manifests)';
export const REQUIRES_CONTROL_PLANE_COMPONENT =
  'a kube-apiserver, kube-controller-manager or kube-scheduler command line (palisade node on a control-plane node, or their static Pod manifests)';
export const REQUIRES_KUBELET_COMMAND_LINE = 'a kubelet command line (palisade node)';

export interface LocatedInvocation {
  readonly invocation: ComponentInvocation;
  readonly object: InventoryObject;
  /** Where a finding about this flag points: its deciding occurrence, or where flags are written when it is unset. */
  pathOf(flag: Flag | undefined): Path;
  /** Where one token of the command line is: a list element's value word, the value of `--flag value`. */
  pathOfSource(source: FlagSource): Path;
}

function pathInContainer(source: FlagSource, fallback: Path): Path {
  return source.type === 'container' ? source.path : fallback;
}

function pathInArgv(source: FlagSource): Path {
  return source.type === 'argv' ? ['spec', 'argv', source.index] : ['spec', 'argv'];
}

// Twenty-odd rules ask for invocations of the same inputs: find them all once per inventory.
const perInventory = new WeakMap<readonly unknown[], LocatedInvocation[]>();

function containerInvocations(subject: InventorySubject): LocatedInvocation[] {
  const found: LocatedInvocation[] = [];
  for (const template of subject.podTemplates) {
    for (const entry of template.containers) {
      const invocation = componentInvocationOfContainer(entry.container, entry.path);
      if (!invocation) continue;
      const listPath = entry.container['command'] !== undefined ? [...entry.path, 'command'] : entry.container['args'] !== undefined ? [...entry.path, 'args'] : entry.path;
      found.push({
        invocation,
        object: template.object,
        pathOf: (flag) => (flag ? pathInContainer(flag.last.source, listPath) : listPath),
        pathOfSource: (source) => pathInContainer(source, listPath),
      });
    }
  }
  return found;
}

function commandLineInvocations(subject: InventorySubject): LocatedInvocation[] {
  const found: LocatedInvocation[] = [];
  for (const object of subject.objects) {
    if (object.ref.kind !== COMPONENT_COMMAND_LINE_KIND || apiGroupOf(object.ref.apiVersion) !== 'palisade.dev') continue;
    const spec = asObject(object.object['spec']);
    const component = asString(spec?.['component']);
    const argv = asArray(spec?.['argv']).map((item) => asString(item) ?? '');
    const invocation = componentInvocationOfArgv(argvTokens(argv), { type: 'argv' });
    if (!invocation || invocation.component !== component) continue;
    found.push({
      invocation,
      object,
      pathOf: (flag) => (flag ? pathInArgv(flag.last.source) : ['spec', 'argv']),
      pathOfSource: pathInArgv,
    });
  }
  return found;
}

function allInvocations(subject: InventorySubject): LocatedInvocation[] {
  let all = perInventory.get(subject.objects);
  if (!all) {
    all = [...containerInvocations(subject), ...commandLineInvocations(subject)];
    perInventory.set(subject.objects, all);
  }
  return all;
}

/** Every invocation of `component` in the input, containers first, in input order. */
export function invocationsOf(subject: InventorySubject, component: ComponentName): LocatedInvocation[] {
  return allInvocations(subject).filter((located) => located.invocation.component === component);
}

/** The flag's boolean value (Go's strconv.ParseBool), the default when it is unset or unparsable. */
export function boolFlag(invocation: ComponentInvocation, name: string, defaultValue: boolean): boolean {
  const flag = getFlag(invocation.flags, name);
  if (!flag) return defaultValue;
  return parseGoBool(flag.value) ?? defaultValue;
}

/** A list flag's elements as the components assemble them: every occurrence appends; trimmed, empty ones dropped. */
export function listElements(flag: Flag | undefined): SourcedValue[] {
  if (!flag) return [];
  return listValue(flag)
    .map((item) => ({ value: item.value.trim(), source: item.source }))
    .filter((item) => item.value !== '');
}

/** The elements of a comma-separated list flag (`--authorization-mode=Node,RBAC`), trimmed; empty when unset. */
export function listFlag(invocation: ComponentInvocation, name: string): string[] {
  const flag = getFlag(invocation.flags, name);
  return flag ? listValue(flag).map((item) => item.value.trim()).filter((item) => item !== '') : [];
}

/** The flag's value when set to something other than the empty string. */
export function stringFlag(invocation: ComponentInvocation, name: string): string | undefined {
  const value = getFlag(invocation.flags, name)?.value;
  return value === undefined || value === '' ? undefined : value;
}

/** How a message names where the component runs: `static Pod kube-system/kube-apiserver-node1` or `process 1234`. */
export function componentData(located: LocatedInvocation): { component: string } {
  return { component: located.invocation.component };
}
