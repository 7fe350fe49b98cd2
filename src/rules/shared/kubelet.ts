// What the kubelet rules (CIS 4.2) share: every kubelet in the input with its effective settings, and for each
// setting where a finding points and how a message names it.
//
// A kubelet is a command line (`palisade node`: a ComponentCommandLine from systemd or /proc, or a container running
// the kubelet) paired with the KubeletConfiguration file its --config names, or a KubeletConfiguration scanned alone
// (`palisade scan config.yaml`: the file is then taken as loaded, with no flags over it). Findings point at the flag
// token when a flag decides, at the field when the file decides, and at the nearest existing parent in the file when
// a default decides; a kubelet running without --config is pointed at its command line.
//
// (Shared by the kubelet-* rule folders; it belongs in src/rules/shared/ once the rules are registered.)

import {
  effectiveKubeletConfig,
  getFlag,
  type FlagOccurrence,
  type KubeletEffectiveConfig,
  type KubeletSetting,
  type KubeletSettings,
  type SettingOrigin,
} from '../../analysers/components/index.ts';
import { apiGroupOf, type InventoryObject } from '../../core/inventory.ts';
import { deepestExistingPath, getAtPath, type JsonValue, type Path } from '../../core/model.ts';
import type { InventorySubject, Report } from '../../core/rule-api.ts';
import { invocationsOf, type LocatedInvocation } from './component-flags.ts';
import { judgedControls } from './judged-controls.ts';

export const KUBELET_CONFIGURATION_KIND = { group: 'kubelet.config.k8s.io', kind: 'KubeletConfiguration' } as const;

/** `meta.requires` of the rules that judge a kubelet's effective settings. */
export const REQUIRES_KUBELET = 'a kubelet configuration or command line (palisade node, or a KubeletConfiguration file)';

/** The settings the rules judge: the analyser's, plus tlsMinVersion (`''` when unset: Go's default, TLS 1.2). */
export type SettingKey = keyof KubeletSettings | 'tlsMinVersion';

export interface Kubelet {
  readonly effective: KubeletEffectiveConfig;
  /** The kubelet's command line, when the input has one. */
  readonly commandLine: LocatedInvocation | undefined;
  /** The KubeletConfiguration paired with it (or scanned alone); the kubelet reads it only when --config names a file. */
  readonly config: InventoryObject | undefined;
  readonly tlsMinVersion: KubeletSetting<string>;
}

function isKubeletConfiguration(object: InventoryObject): boolean {
  return object.ref.kind === KUBELET_CONFIGURATION_KIND.kind && apiGroupOf(object.ref.apiVersion) === KUBELET_CONFIGURATION_KIND.group;
}

const fileOf = (object: InventoryObject): string | undefined => (object.origin.type === 'file' ? object.origin.file : undefined);

function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * How well a scanned file's path matches the kubelet's --config: 2 the same path; 1 one ends with the other at a
 * directory boundary (`/var/lib/kubelet/config.yaml` and a relative `var/lib/kubelet/config.yaml` or
 * `node1/var/lib/kubelet/config.yaml`); 0 no match.
 */
export function configPathMatch(configFlag: string, scannedFile: string): number {
  const wanted = normalise(configFlag);
  const file = normalise(scannedFile);
  if (wanted === file) return 2;
  const endsWith = (long: string, short: string) => long.endsWith(short.startsWith('/') ? short : `/${short}`);
  return endsWith(wanted, file) || endsWith(file, wanted) ? 1 : 0;
}

function bestConfig(configs: readonly InventoryObject[], configFlag: string): InventoryObject | undefined {
  let best: InventoryObject | undefined;
  let bestScore = 0;
  for (const config of configs) {
    const file = fileOf(config);
    const score = file === undefined ? 0 : configPathMatch(configFlag, file);
    if (score > bestScore) {
      best = config;
      bestScore = score;
    }
  }
  return best;
}

function resolveTlsMinVersion(commandLine: LocatedInvocation | undefined, config: InventoryObject | undefined, effective: KubeletEffectiveConfig): KubeletSetting<string> {
  const flags = commandLine?.invocation.flags;
  const fileInEffect = config !== undefined && (commandLine === undefined || effective.configPath !== undefined);
  const file = config ? fileOf(config) : undefined;
  const path = ['tlsMinVersion'];
  let setting: KubeletSetting<string> = {
    value: '',
    origin: { type: 'default', basis: commandLine !== undefined && effective.configPath === undefined ? 'command-line' : 'config-file', ...(fileInEffect && file !== undefined ? { file, path } : {}) },
  };
  if (fileInEffect && file !== undefined) {
    const raw = getAtPath(config.object, path);
    if (typeof raw === 'string' && raw !== '') setting = { value: raw, origin: { type: 'config', file, path }, raw };
  }
  const flag = flags ? getFlag(flags, 'tls-min-version') : undefined;
  if (flag && flag.value !== '') setting = { value: flag.value, origin: { type: 'flag', flag: flag.name, occurrence: flag.last }, raw: flag.value };
  return setting;
}

function kubeletOf(commandLine: LocatedInvocation | undefined, config: InventoryObject | undefined): Kubelet {
  const file = config ? (fileOf(config) ?? '<input>') : undefined;
  const effective = effectiveKubeletConfig({
    ...(commandLine ? { flags: commandLine.invocation.flags } : {}),
    ...(config && file !== undefined ? { config: { file, object: config.object } } : {}),
  });
  return { effective, commandLine, config, tlsMinVersion: resolveTlsMinVersion(commandLine, config, effective) };
}

/**
 * Every kubelet in the input. A command line is paired with the KubeletConfiguration whose file its --config names
 * (the same path, or one path ending with the other); with a single command line and a single configuration, those
 * two. Configurations left over are judged alone, as the kubelet would load them.
 */
export function kubeletsOf(subject: InventorySubject): Kubelet[] {
  const configs = subject.objects.filter(isKubeletConfiguration);
  const commandLines = invocationsOf(subject, 'kubelet');
  const paired = new Set<InventoryObject>();
  const pairs = commandLines.map((commandLine) => {
    const configFlag = getFlag(commandLine.invocation.flags, 'config')?.value;
    const config = configFlag ? bestConfig(configs.filter((candidate) => !paired.has(candidate)), configFlag) : undefined;
    if (config) paired.add(config);
    return { commandLine, config };
  });
  if (pairs.length === 1 && configs.length === 1 && pairs[0]!.config === undefined) {
    pairs[0] = { commandLine: pairs[0]!.commandLine, config: configs[0] };
    paired.add(configs[0]!);
  }
  return [
    ...pairs.map((pair) => kubeletOf(pair.commandLine, pair.config)),
    ...configs.filter((config) => !paired.has(config)).map((config) => kubeletOf(undefined, config)),
  ];
}

interface SettingNames {
  /** The command-line flag, without dashes. */
  readonly flag?: string;
  /** The config file field, dotted. */
  readonly field?: string;
  /** How to write a value as a flag, when not `--flag=value`. */
  readonly flagText?: (value: string) => string;
  /** How to name the default value, when not the value itself; undefined when it is only "not set". */
  readonly defaultText?: (value: unknown) => string | undefined;
}

const goDuration = (seconds: unknown): string => {
  if (typeof seconds !== 'number') return String(seconds);
  if (seconds === 0) return '0s';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
};

const NAMES: Readonly<Record<SettingKey, SettingNames>> = {
  anonymousAuth: { flag: 'anonymous-auth', field: 'authentication.anonymous.enabled' },
  webhookAuthentication: { flag: 'authentication-token-webhook', field: 'authentication.webhook.enabled' },
  authorizationMode: { flag: 'authorization-mode', field: 'authorization.mode' },
  clientCAFile: { flag: 'client-ca-file', field: 'authentication.x509.clientCAFile', defaultText: () => undefined },
  readOnlyPort: { flag: 'read-only-port', field: 'readOnlyPort', defaultText: (value) => (value === 0 ? '0, disabled' : String(value)) },
  streamingConnectionIdleTimeout: { flag: 'streaming-connection-idle-timeout', field: 'streamingConnectionIdleTimeout', defaultText: goDuration },
  protectKernelDefaults: { flag: 'protect-kernel-defaults', field: 'protectKernelDefaults' },
  makeIPTablesUtilChains: { flag: 'make-iptables-util-chains', field: 'makeIPTablesUtilChains' },
  hostnameOverride: { flag: 'hostname-override' },
  eventRecordQPS: { flag: 'event-qps', field: 'eventRecordQPS' },
  tlsCertFile: { flag: 'tls-cert-file', field: 'tlsCertFile', defaultText: () => undefined },
  tlsPrivateKeyFile: { flag: 'tls-private-key-file', field: 'tlsPrivateKeyFile', defaultText: () => undefined },
  rotateCertificates: { flag: 'rotate-certificates', field: 'rotateCertificates' },
  serverTLSBootstrap: { flag: 'rotate-server-certificates', field: 'serverTLSBootstrap' },
  rotateKubeletServerCertificate: {
    flag: 'feature-gates',
    field: 'featureGates.RotateKubeletServerCertificate',
    flagText: (value) => `--feature-gates=RotateKubeletServerCertificate=${value}`,
    defaultText: () => 'on (the gate is beta and enabled by default)',
  },
  tlsCipherSuites: { flag: 'tls-cipher-suites', field: 'tlsCipherSuites', defaultText: () => "Go's suite list" },
  podPidsLimit: { flag: 'pod-max-pids', field: 'podPidsLimit', defaultText: (value) => (value === -1 ? '-1, no limit' : String(value)) },
  seccompDefault: { flag: 'seccomp-default', field: 'seccompDefault' },
  tlsMinVersion: { flag: 'tls-min-version', field: 'tlsMinVersion', defaultText: () => "unset (Go's default minimum, TLS 1.2)" },
};

export function settingOf<K extends SettingKey>(kubelet: Kubelet, key: K): K extends keyof KubeletSettings ? KubeletSettings[K] : KubeletSetting<string>;
export function settingOf(kubelet: Kubelet, key: SettingKey): KubeletSetting<unknown> {
  return key === 'tlsMinVersion' ? kubelet.tlsMinVersion : kubelet.effective.settings[key];
}

/** A config-file value as YAML shows it. */
function yamlText(value: JsonValue | undefined): string {
  if (typeof value === 'string') return value === '' ? '""' : value;
  if (Array.isArray(value)) return `[${value.map((item) => yamlText(item)).join(', ')}]`;
  return JSON.stringify(value);
}

/** The word after a flag's token, when the parser left it as a stray argument (`--anonymous-auth false`). */
function strayWordAfter(commandLine: LocatedInvocation, occurrence: FlagOccurrence): string | undefined {
  const source = occurrence.source;
  const stray = commandLine.invocation.flags.positionals.find((token) => {
    const next = token.source;
    if (source.type === 'argv' && next.type === 'argv') return next.index === source.index + 1;
    if (source.type === 'container' && next.type === 'container') {
      const last = source.path.at(-1);
      return typeof last === 'number' && next.path.length === source.path.length && next.path.at(-1) === last + 1 && next.path.slice(0, -1).join('/') === source.path.slice(0, -1).join('/');
    }
    return false;
  });
  return stray?.text;
}

function occurrenceText(commandLine: LocatedInvocation, occurrence: FlagOccurrence): string {
  switch (occurrence.form) {
    case 'inline':
      return occurrence.value === '' ? `${occurrence.written}= (empty)` : `${occurrence.written}=${occurrence.value}`;
    case 'separate':
      return `${occurrence.written} ${occurrence.value}`;
    case 'implicit': {
      const stray = strayWordAfter(commandLine, occurrence);
      return stray === undefined
        ? `${occurrence.written} (alone, which means true)`
        : `${occurrence.written} ${stray} (which means true: a boolean flag never takes the next word, so "${stray}" is a stray argument)`;
    }
  }
}

function valueText(names: SettingNames, value: unknown): string | undefined {
  if (names.defaultText) return names.defaultText(value);
  if (Array.isArray(value)) return `[${value.join(', ')}]`;
  return typeof value === 'string' ? (value === '' ? '""' : value) : String(value);
}

function occurrencePath(commandLine: LocatedInvocation, occurrence: FlagOccurrence): Path {
  const source = occurrence.source;
  if (source.type === 'container') return source.path;
  if (source.type === 'argv') return ['spec', 'argv', source.index];
  return commandLine.pathOf(undefined);
}

export interface SettingLocation {
  readonly object: InventoryObject;
  readonly path: Path;
  /** Where the value comes from, for a message: `--read-only-port=10255 on the command line`. */
  readonly source: string;
  /** What decides it. */
  readonly decidedBy: SettingOrigin['type'];
}

/**
 * Where a finding about the setting points, and how a message names its value. Undefined when the value is not known:
 * a default, while the command line's --config names a file the input does not hold (the file may set it).
 */
export function locateSetting(kubelet: Kubelet, key: SettingKey, setting: KubeletSetting<unknown> = settingOf(kubelet, key)): SettingLocation | undefined {
  const names = NAMES[key];
  const origin = setting.origin;
  const { commandLine, config } = kubelet;
  const configFile = config ? fileOf(config) : undefined;
  switch (origin.type) {
    case 'flag': {
      if (!commandLine) return undefined;
      const field = names.field;
      const fileValue = field && config && kubelet.effective.configPath !== undefined ? getAtPath(config.object, field.split('.')) : undefined;
      const overriding = fileValue !== undefined && field ? `, overriding ${field}: ${yamlText(fileValue)} in ${configFile}` : '';
      return { object: commandLine.object, path: occurrencePath(commandLine, origin.occurrence), source: `${occurrenceText(commandLine, origin.occurrence)} on the command line${overriding}`, decidedBy: 'flag' };
    }
    case 'config': {
      if (!config) return undefined;
      return { object: config, path: origin.path, source: `${origin.path.join('.')}: ${yamlText(setting.raw as JsonValue)} in ${origin.file}`, decidedBy: 'config' };
    }
    case 'default': {
      const value = valueText(names, setting.value);
      if (origin.basis === 'command-line') {
        if (!commandLine) return undefined;
        const unread = configFile !== undefined ? ` (so ${configFile} is not read)` : '';
        const source = `the kubelet runs without --config${unread} and --${names.flag} is not set${value === undefined ? '' : `, so it is ${value}`}`;
        return { object: commandLine.object, path: commandLine.pathOf(undefined), source, decidedBy: 'default' };
      }
      if (config && origin.path) {
        const field = origin.path.join('.');
        const source =
          setting.raw !== undefined
            ? `${field}: ${yamlText(setting.raw as JsonValue)} in ${origin.file} is replaced by the default${value === undefined ? '' : `, ${value}`}`
            : `${field} is not set in ${origin.file}${value === undefined ? '' : `, and the default is ${value}`}`;
        return { object: config, path: deepestExistingPath(config.object, origin.path), source, decidedBy: 'default' };
      }
      // --config names a file the input does not hold: it may set what the default would decide.
      if (!commandLine || names.field !== undefined) return undefined;
      return { object: commandLine.object, path: commandLine.pathOf(undefined), source: `--${names.flag} is not set${value === undefined ? '' : ` (${value})`}`, decidedBy: 'default' };
    }
  }
}

/**
 * The change that fixes a setting, where it has effect: the flag when a flag decides (it overrides the file), the
 * config file when the file or its default decides, the command line (or a config file) when the kubelet runs
 * without --config. `value` is written as is after `--flag=` and `field: `; give both texts when they differ.
 */
export function fixFor(kubelet: Kubelet, key: SettingKey, value: string | { readonly flag: string; readonly field: string }, location?: SettingLocation): string {
  const names = NAMES[key];
  const flagValue = typeof value === 'string' ? value : value.flag;
  const fieldValue = typeof value === 'string' ? value : value.field;
  const flagText = names.flagText ? names.flagText(flagValue) : `--${names.flag}=${flagValue}`;
  const decidedBy = location?.decidedBy ?? settingOf(kubelet, key).origin.type;
  const configFile = kubelet.config ? fileOf(kubelet.config) : undefined;
  if (key === 'seccompDefault' && kubelet.commandLine) {
    // `--seccomp-default || seccompDefault`: either one turns it on.
    const file = configFile ?? kubelet.effective.configPath;
    return kubelet.effective.configPath === undefined
      ? `add ${flagText} to the kubelet's command line, or start it with a --config file that sets ${names.field}: ${fieldValue}`
      : `set ${flagText} on the kubelet's command line or ${names.field}: ${fieldValue} in ${file}`;
  }
  if (decidedBy === 'flag') {
    return `set ${flagText} on the kubelet's command line${kubelet.effective.configPath === undefined ? '' : ' (the flag overrides the config file)'}`;
  }
  if (names.field === undefined) return `set ${flagText}`;
  if (kubelet.commandLine && kubelet.effective.configPath === undefined) {
    return `add ${flagText} to the kubelet's command line, or start it with a --config file that sets ${names.field}: ${fieldValue}`;
  }
  return `set ${names.field}: ${fieldValue}${configFile ? ` in ${configFile}` : ' in the kubelet config file'}`;
}

/** One setting judged on its own: when `failing`, a finding at the place that decided it, with the fix there. */
export interface SettingCheck<M extends string> {
  readonly messageId: M;
  readonly key: SettingKey;
  readonly failing: (kubelet: Kubelet) => boolean;
  readonly fix: string | { readonly flag: string; readonly field: string };
  readonly controls: readonly string[];
}

/** What judging a kubelet needs of the rule's context: reporting, and saying what was judged. */
export interface KubeletJudgement<M extends string> {
  report(report: Report<M>): void;
  evaluated(controls?: readonly string[]): void;
}

/**
 * Judges a kubelet's checks: reports every failing one where its deciding flag, field or default is, and tells the
 * engine once which of the rule's controls (`ruleControls`) it judged on this kubelet. A check whose value the input
 * does not show (a default, while --config names a file the input does not hold) is not judged. When every check is,
 * all the rule's controls are; otherwise those the judged checks name, and those no check names.
 */
export function reportFailingSettings<M extends string>(
  context: KubeletJudgement<M>,
  kubelet: Kubelet,
  checks: readonly SettingCheck<M>[],
  ruleControls: readonly string[],
): void {
  const judged = new Set<string>();
  let judgedAll = true;
  for (const check of checks) {
    const at = locateSetting(kubelet, check.key);
    if (!at) {
      judgedAll = false;
      continue;
    }
    for (const control of check.controls) judged.add(control);
    if (!check.failing(kubelet)) continue;
    context.report({
      messageId: check.messageId,
      data: { source: at.source, fix: fixFor(kubelet, check.key, check.fix, at) },
      path: at.path,
      object: at.object,
      controls: check.controls,
    });
  }
  if (judgedAll) context.evaluated();
  else if (judged.size > 0) context.evaluated(judgedControls(ruleControls, checks.flatMap((check) => check.controls), [...judged]));
}
