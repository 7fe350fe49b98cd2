// etcd's effective settings from what a scan can see. etcd reads each flag from the command line and, when the flag
// is not given there, from the environment variable ETCD_<FLAG NAME, upper case, `-` → `_`> if it is non-empty
// (go.etcd.io/etcd/pkg/flags SetFlagsFromEnv; giving both is a fatal error at start-up). --config-file (or
// ETCD_CONFIG_FILE) replaces all of it with a YAML file the scan does not read. Shared by the etcd rules.

import { getFlag, parseGoBool, type Flag } from '../../analysers/components/index.ts';
import { asArray, asObject, asString, getAtPath, type Path } from '../../core/model.ts';
import type { InventorySubject } from '../../core/rule-api.ts';
import { isLoopbackIp, parseIp } from './ip-address.ts';
import { invocationsOf, ON_CONTROL_PLANE, type LocatedInvocation } from './component-flags.ts';

/** `meta.requires` of the etcd rules: etcdInvocations are what they judge. */
export const REQUIRES_ETCD = `an etcd command line that does not read a --config-file (${ON_CONTROL_PLANE})`;

export interface EtcdSetting {
  /** The flag's name: `cert-file`. */
  readonly name: string;
  /** Its environment variable: `ETCD_CERT_FILE`. */
  readonly variable: string;
  /**
   * `flag`: on the command line; `env`: a literal, non-empty container `env` value; `default`: neither;
   * `unknown`: the container sets the variable from a `valueFrom` source the input does not show.
   */
  readonly origin: 'flag' | 'env' | 'default' | 'unknown';
  /** The value for `flag` and `env`. */
  readonly value: string | undefined;
  /** The deciding flag token or env entry; for `default` and `unknown`, where the flag would be written. */
  readonly path: Path;
  readonly flag: Flag | undefined;
  /**
   * For `default`: what could still set the variable out of the scan's sight — `env-from` (the container's
   * envFrom), `environment` (a process or systemd command line, whose environment was not read), or `none`.
   */
  readonly unseen: 'none' | 'env-from' | 'environment';
}

/** `cert-file` → `ETCD_CERT_FILE` (pkg/flags FlagToEnv). */
export function etcdVariable(name: string): string {
  return `ETCD_${name.replaceAll('-', '_').toUpperCase()}`;
}

/** The setting of one etcd flag, following etcd's precedence: command line, then the environment, then the default. */
export function etcdSetting(located: LocatedInvocation, name: string): EtcdSetting {
  const { invocation } = located;
  const variable = etcdVariable(name);
  const flag = getFlag(invocation.flags, name);
  const base = { name, variable, flag, unseen: 'none' as const };
  if (flag) return { ...base, origin: 'flag', value: flag.value, path: located.pathOf(flag) };
  if (invocation.source.type !== 'container') {
    return { ...base, origin: 'default', value: undefined, path: located.pathOf(undefined), unseen: 'environment' };
  }
  const container = asObject(getAtPath(located.object.object, invocation.source.containerPath));
  // The last `env` entry of a name wins; `env` overrides `envFrom`.
  const entries = asArray(container?.['env']).map((entry) => asObject(entry));
  const index = entries.findLastIndex((entry) => asString(entry?.['name']) === variable);
  if (index !== -1) {
    if (entries[index]?.['valueFrom'] !== undefined) {
      return { ...base, origin: 'unknown', value: undefined, path: [...invocation.source.containerPath, 'env', index] };
    }
    const literal = invocation.environment.get(variable);
    // An empty value is ignored by etcd (os.Getenv returns "" for both).
    if (literal && literal.value !== '') return { ...base, origin: 'env', value: literal.value, path: literal.path };
    return { ...base, origin: 'default', value: undefined, path: located.pathOf(undefined) };
  }
  const envFrom = asArray(container?.['envFrom']).some((source) => variable.startsWith(asString(asObject(source)?.['prefix']) ?? ''));
  return { ...base, origin: 'default', value: undefined, path: located.pathOf(undefined), unseen: envFrom ? 'env-from' : 'none' };
}

/** The setting's text when it is set to something other than the empty string. */
export function settingText(setting: EtcdSetting): string | undefined {
  return setting.value === undefined || setting.value === '' ? undefined : setting.value;
}

/** A boolean setting (strconv.ParseBool; etcd refuses a value that does not parse), undefined when unknown. */
export function settingBool(setting: EtcdSetting, defaultValue: boolean): boolean | undefined {
  if (setting.origin === 'unknown') return undefined;
  if (setting.value === undefined) return defaultValue;
  return parseGoBool(setting.value) ?? defaultValue;
}

/** How a message names the setting: `--cert-file` or `ETCD_CERT_FILE`. */
export function settingLabel(setting: EtcdSetting): string {
  return setting.origin === 'env' ? setting.variable : `--${setting.name}`;
}

/** What a message says about one setting: `--auto-tls is set to true`, `neither --cert-file nor ETCD_CERT_FILE is set`. */
export function describeSetting(setting: EtcdSetting): string {
  switch (setting.origin) {
    case 'flag':
      return `--${setting.name} is set to ${setting.value === '' ? 'an empty value' : setting.value}`;
    case 'env':
      return `${setting.variable} is set to ${setting.value} in the container env`;
    case 'unknown':
      return `${setting.variable} comes from a valueFrom source`;
    case 'default':
      return describeUnset([setting]);
  }
}

/** What a message says about settings that are all unset (origin `default`), named together. */
function describeUnset(settings: readonly EtcdSetting[]): string {
  const flags = settings.map((setting) => `--${setting.name}`);
  const variables = settings.map((setting) => setting.variable);
  const unseen = settings[0]?.unseen ?? 'none';
  if (unseen === 'environment') {
    const [flagList, variableList] = [flags, variables].map((names) => names.join(' and '));
    return (
      `${flagList} ${settings.length > 1 ? 'are' : 'is'} not on the command line (${variableList} in the process ` +
      `environment, which was not read, could still set ${settings.length > 1 ? 'them' : 'it'})`
    );
  }
  const names = [...flags, ...variables];
  const text = names.length === 2 ? `neither ${names[0]!} nor ${names[1]!} is set` : `none of ${names.join(', ')} is set`;
  return unseen === 'env-from' ? `${text} (unless the container's envFrom supplies ${variables.join(' or ')})` : text;
}

/** What a message says about the missing ones of settings that must all be set: unset ones are named together. */
export function describeMissing(settings: readonly EtcdSetting[]): string {
  const unset = settings.filter((setting) => setting.origin === 'default');
  const parts = settings.filter((setting) => setting.origin !== 'default').map(describeSetting);
  if (unset.length > 0) parts.push(describeUnset(unset));
  return parts.join('; ');
}

/**
 * Every etcd invocation whose flags and environment decide its configuration: those reading a --config-file (or
 * ETCD_CONFIG_FILE) ignore both, and are left out.
 */
export function etcdInvocations(subject: InventorySubject): LocatedInvocation[] {
  return invocationsOf(subject, 'etcd').filter((located) => {
    const configFile = etcdSetting(located, 'config-file');
    return configFile.origin !== 'unknown' && settingText(configFile) === undefined;
  });
}

export interface EtcdUrl {
  readonly text: string;
  /** Lower case, as Go's url.Parse returns it. */
  readonly scheme: string;
  /** Without brackets and port. */
  readonly host: string;
}

/** A URL list setting (types.NewURLs: comma-separated, each trimmed); the default when unset. */
export function settingUrls(setting: EtcdSetting, defaultValue: string): EtcdUrl[] {
  const text = setting.origin === 'default' ? defaultValue : (setting.value ?? '');
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const match = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(item);
      const authority = match?.[2] ?? '';
      const host = authority.startsWith('[') ? authority.slice(1, authority.indexOf(']')) : authority.replace(/:[^:]*$/, '');
      return { text: item, scheme: (match?.[1] ?? '').toLowerCase(), host };
    });
}

/** `localhost` or a loopback IP: reachable from the node itself only. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const ip = parseIp(host);
  return ip !== undefined && isLoopbackIp(ip);
}
