// The kubelet's effective settings for the CIS checks: its KubeletConfiguration file (kubelet.config.k8s.io/v1beta1)
// with the API's defaults, overridden by command-line flags, each value saying where it came from.
//
// Verified against kubernetes/kubernetes:
// - pkg/kubelet/apis/config/v1beta1/defaults.go (SetDefaults_KubeletConfiguration): anonymous auth false, webhook
//   authentication true, authorization mode Webhook (also when set to ""), eventRecordQPS 50 when absent (an
//   explicit 0 stays), streamingConnectionIdleTimeout 4h when zero (so `0s` in the file cannot disable it),
//   makeIPTablesUtilChains true, podPidsLimit -1 when absent or negative, seccompDefault false; readOnlyPort,
//   protectKernelDefaults, rotateCertificates, serverTLSBootstrap and the TLS fields have no default (zero values).
// - cmd/kubelet/app/options/options.go (applyLegacyDefaults): without --config the command-line defaults differ:
//   anonymous auth true, webhook authentication false, authorization AlwaysAllow, read-only port 10255.
// - cmd/kubelet/app/server.go (kubeletConfigFlagPrecedence): flags given on the command line are re-applied over the
//   file; feature gates merge per key, the flag's winning. --seccomp-default is a KubeletFlags field combined as
//   `flag || config`, so --seccomp-default=false cannot turn off `seccompDefault: true`.

import { type JsonObject, type JsonValue, type Path, getAtPath, isJsonObject } from '../../core/model.ts';
import { boolValue, getFlag, listValue, type Flag, type FlagOccurrence, type ParsedFlags } from './flags.ts';
import { parseGoBool, parseGoDuration, parseGoInt } from './go-values.ts';

export type SettingOrigin =
  | { readonly type: 'flag'; readonly flag: string; readonly occurrence: FlagOccurrence }
  | { readonly type: 'config'; readonly file: string; readonly path: Path }
  | {
      readonly type: 'default';
      /** `config-file`: the v1beta1 API default (the kubelet loaded a config file); `command-line`: the kubelet runs without --config. */
      readonly basis: 'config-file' | 'command-line';
      /** The config file and the path the field would take there, to point a finding at (resolve to the deepest existing node). */
      readonly file?: string;
      readonly path?: Path;
    };

export interface KubeletSetting<T> {
  readonly value: T;
  readonly origin: SettingOrigin;
  /** The flag text or the config file's JSON value, when one of them set it. */
  readonly raw?: string | JsonValue;
}

export interface KubeletSettings {
  /** --anonymous-auth ↔ authentication.anonymous.enabled */
  readonly anonymousAuth: KubeletSetting<boolean>;
  /** --authentication-token-webhook ↔ authentication.webhook.enabled */
  readonly webhookAuthentication: KubeletSetting<boolean>;
  /** --authorization-mode ↔ authorization.mode */
  readonly authorizationMode: KubeletSetting<string>;
  /** --client-ca-file ↔ authentication.x509.clientCAFile; `''` when unset. */
  readonly clientCAFile: KubeletSetting<string>;
  /** --read-only-port ↔ readOnlyPort; 0 disables it. */
  readonly readOnlyPort: KubeletSetting<number>;
  /** --streaming-connection-idle-timeout ↔ streamingConnectionIdleTimeout, in seconds; 0 means no timeout. */
  readonly streamingConnectionIdleTimeout: KubeletSetting<number>;
  /** --protect-kernel-defaults ↔ protectKernelDefaults */
  readonly protectKernelDefaults: KubeletSetting<boolean>;
  /** --make-iptables-util-chains ↔ makeIPTablesUtilChains */
  readonly makeIPTablesUtilChains: KubeletSetting<boolean>;
  /** --hostname-override (no config field); `''` when unset. */
  readonly hostnameOverride: KubeletSetting<string>;
  /** --event-qps ↔ eventRecordQPS; 0 means unlimited. */
  readonly eventRecordQPS: KubeletSetting<number>;
  /** --tls-cert-file ↔ tlsCertFile */
  readonly tlsCertFile: KubeletSetting<string>;
  /** --tls-private-key-file ↔ tlsPrivateKeyFile */
  readonly tlsPrivateKeyFile: KubeletSetting<string>;
  /** --rotate-certificates ↔ rotateCertificates (client certificate) */
  readonly rotateCertificates: KubeletSetting<boolean>;
  /** --rotate-server-certificates ↔ serverTLSBootstrap (serving certificate; needs the RotateKubeletServerCertificate gate) */
  readonly serverTLSBootstrap: KubeletSetting<boolean>;
  /** The RotateKubeletServerCertificate feature gate (--feature-gates ↔ featureGates); on by default since 1.12. */
  readonly rotateKubeletServerCertificate: KubeletSetting<boolean>;
  /** --tls-cipher-suites ↔ tlsCipherSuites; empty means Go's defaults. */
  readonly tlsCipherSuites: KubeletSetting<readonly string[]>;
  /** --pod-max-pids ↔ podPidsLimit; -1 means the node's allocatable PIDs. */
  readonly podPidsLimit: KubeletSetting<number>;
  /** --seccomp-default ↔ seccompDefault */
  readonly seccompDefault: KubeletSetting<boolean>;
}

export type KubeletProblemCode =
  /** --config names a file the caller did not provide: values come from the API defaults and may be wrong. */
  | 'config-not-provided'
  /** A config object was provided but the command line has no --config: the kubelet does not read it. */
  | 'config-not-referenced'
  /** --config-dir drop-ins are not evaluated: they may override the values shown. */
  | 'config-dir-not-evaluated'
  | 'not-a-kubelet-configuration'
  /** A field of the wrong type or format: the kubelet fails to load the file. */
  | 'invalid-config-value'
  /** A key that matches a known field only ignoring case: the kubelet does not read it. */
  | 'field-case-mismatch'
  /** A flag value the kubelet rejects at start-up. */
  | 'invalid-flag-value';

export interface KubeletProblem {
  readonly code: KubeletProblemCode;
  readonly message: string;
  readonly origin?: SettingOrigin;
}

export interface KubeletConfigInput {
  /** The kubelet's flags (from systemd or /proc). Omit when the command line is unknown: the file is then taken as loaded. */
  readonly flags?: ParsedFlags;
  /** The KubeletConfiguration object and the file it was read from. */
  readonly config?: { readonly file: string; readonly object: JsonObject };
}

export interface KubeletEffectiveConfig {
  readonly settings: KubeletSettings;
  /** Feature gates set explicitly (file and flags merged per key, flags winning). */
  readonly featureGates: ReadonlyMap<string, KubeletSetting<boolean>>;
  /** The --config path, when the command line has one. */
  readonly configPath: string | undefined;
  readonly problems: readonly KubeletProblem[];
}

type ValueType = 'bool' | 'int32' | 'int64' | 'string' | 'duration' | 'stringList';
type TypeOf<V extends ValueType> = V extends 'bool'
  ? boolean
  : V extends 'string'
    ? string
    : V extends 'stringList'
      ? readonly string[]
      : number;

interface SettingDefinition<V extends ValueType> {
  readonly type: V;
  readonly flag?: string;
  readonly configPath?: readonly string[];
  /** The v1beta1 default, and when it applies to a value present in the file (`absent` = only when missing). */
  readonly defaultValue: TypeOf<V>;
  readonly defaultWhen?: 'absent' | 'zero' | 'negative';
  /** The value when the kubelet runs without --config, where it differs (applyLegacyDefaults). */
  readonly legacyDefault?: TypeOf<V>;
}

const define = <V extends ValueType>(definition: SettingDefinition<V>) => definition;

const SETTINGS = {
  anonymousAuth: define({ type: 'bool', flag: 'anonymous-auth', configPath: ['authentication', 'anonymous', 'enabled'], defaultValue: false, legacyDefault: true }),
  webhookAuthentication: define({ type: 'bool', flag: 'authentication-token-webhook', configPath: ['authentication', 'webhook', 'enabled'], defaultValue: true, legacyDefault: false }),
  authorizationMode: define({ type: 'string', flag: 'authorization-mode', configPath: ['authorization', 'mode'], defaultValue: 'Webhook', defaultWhen: 'zero', legacyDefault: 'AlwaysAllow' }),
  clientCAFile: define({ type: 'string', flag: 'client-ca-file', configPath: ['authentication', 'x509', 'clientCAFile'], defaultValue: '' }),
  readOnlyPort: define({ type: 'int32', flag: 'read-only-port', configPath: ['readOnlyPort'], defaultValue: 0, legacyDefault: 10255 }),
  streamingConnectionIdleTimeout: define({ type: 'duration', flag: 'streaming-connection-idle-timeout', configPath: ['streamingConnectionIdleTimeout'], defaultValue: 4 * 3600, defaultWhen: 'zero' }),
  protectKernelDefaults: define({ type: 'bool', flag: 'protect-kernel-defaults', configPath: ['protectKernelDefaults'], defaultValue: false }),
  makeIPTablesUtilChains: define({ type: 'bool', flag: 'make-iptables-util-chains', configPath: ['makeIPTablesUtilChains'], defaultValue: true }),
  hostnameOverride: define({ type: 'string', flag: 'hostname-override', defaultValue: '' }),
  eventRecordQPS: define({ type: 'int32', flag: 'event-qps', configPath: ['eventRecordQPS'], defaultValue: 50 }),
  tlsCertFile: define({ type: 'string', flag: 'tls-cert-file', configPath: ['tlsCertFile'], defaultValue: '' }),
  tlsPrivateKeyFile: define({ type: 'string', flag: 'tls-private-key-file', configPath: ['tlsPrivateKeyFile'], defaultValue: '' }),
  rotateCertificates: define({ type: 'bool', flag: 'rotate-certificates', configPath: ['rotateCertificates'], defaultValue: false }),
  serverTLSBootstrap: define({ type: 'bool', flag: 'rotate-server-certificates', configPath: ['serverTLSBootstrap'], defaultValue: false }),
  tlsCipherSuites: define({ type: 'stringList', flag: 'tls-cipher-suites', configPath: ['tlsCipherSuites'], defaultValue: [] as readonly string[] }),
  podPidsLimit: define({ type: 'int64', flag: 'pod-max-pids', configPath: ['podPidsLimit'], defaultValue: -1, defaultWhen: 'negative' }),
  // --seccomp-default is combined with the file's value separately (see seccompDefault below).
  seccompDefault: define({ type: 'bool', configPath: ['seccompDefault'], defaultValue: false }),
} as const;

const SERVER_CERTIFICATE_GATE = 'RotateKubeletServerCertificate';

/** A config-file JSON value as the setting's type, or undefined when the kubelet's decoder would reject it. */
function fromJson(type: ValueType, value: JsonValue): number | boolean | string | readonly string[] | undefined {
  switch (type) {
    case 'bool':
      return typeof value === 'boolean' ? value : undefined;
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'int32':
    case 'int64': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
      const limit = type === 'int32' ? 2 ** 31 : 2 ** 63;
      return value >= -limit && value < limit ? value : undefined;
    }
    case 'duration':
      return typeof value === 'string' ? parseGoDuration(value) : undefined;
    case 'stringList':
      return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as readonly string[]) : undefined;
  }
}

/** A flag as the setting's type (pflag's Set for that type), or undefined when the kubelet rejects it. */
function fromFlag(type: ValueType, flag: Flag): number | boolean | string | readonly string[] | undefined {
  switch (type) {
    case 'bool':
      return boolValue(flag);
    case 'string':
      return flag.value;
    case 'int32':
      return parseGoInt(flag.value, 32);
    case 'int64':
      return parseGoInt(flag.value, 64);
    case 'duration':
      return parseGoDuration(flag.value);
    case 'stringList':
      return listValue(flag).map((item) => item.value);
  }
}

function isDefaultedInFile(definition: SettingDefinition<ValueType>, value: unknown): boolean {
  switch (definition.defaultWhen) {
    case 'zero':
      return value === '' || value === 0;
    case 'negative':
      return typeof value === 'number' && value < 0;
    default:
      return false;
  }
}

/** Keys along `path` that exist only in another letter case (the kubelet's decoder is case-sensitive). */
function caseMismatch(root: JsonObject, path: readonly string[]): Path | undefined {
  let current: JsonValue = root;
  const seen: string[] = [];
  for (const key of path) {
    if (!isJsonObject(current)) return undefined;
    if (Object.hasOwn(current, key)) {
      current = current[key]!;
      seen.push(key);
      continue;
    }
    const other = Object.keys(current).find((candidate) => candidate.toLowerCase() === key.toLowerCase());
    return other === undefined ? undefined : [...seen, other];
  }
  return undefined;
}

/**
 * The kubelet's effective settings. With --config (or with no flags given), the file's values and the v1beta1
 * defaults for absent fields; without --config, the kubelet's command-line defaults. Flags on the command line win.
 */
export function effectiveKubeletConfig(input: KubeletConfigInput): KubeletEffectiveConfig {
  const problems: KubeletProblem[] = [];
  const flags = input.flags;
  const configFlag = flags ? getFlag(flags, 'config') : undefined;
  const configPath = configFlag?.value || undefined;
  if (flags && getFlag(flags, 'config-dir')?.value) {
    problems.push({ code: 'config-dir-not-evaluated', message: '--config-dir drop-ins were not read; they may override the values shown' });
  }
  // The file is in effect when the command line names one, or when no command line is known.
  const fileInEffect = flags === undefined || configPath !== undefined;
  let config = input.config;
  if (config && !fileInEffect) {
    problems.push({ code: 'config-not-referenced', message: `${config.file} is not read: the kubelet's command line has no --config` });
    config = undefined;
  }
  if (fileInEffect && flags && !config) {
    problems.push({ code: 'config-not-provided', message: `--config=${configPath} was not provided: absent values are the API defaults` });
  }
  if (config) {
    const { apiVersion, kind } = config.object;
    if (kind !== 'KubeletConfiguration' || apiVersion !== 'kubelet.config.k8s.io/v1beta1') {
      problems.push({
        code: 'not-a-kubelet-configuration',
        message: `${config.file} is ${String(kind)} ${String(apiVersion)}, not a kubelet.config.k8s.io/v1beta1 KubeletConfiguration`,
      });
    }
  }
  const basis = fileInEffect ? 'config-file' : 'command-line';

  const resolve = <V extends ValueType>(definition: SettingDefinition<V>): KubeletSetting<TypeOf<V>> => {
    const defaultOrigin: SettingOrigin = {
      type: 'default',
      basis,
      ...(config && definition.configPath ? { file: config.file, path: definition.configPath } : {}),
    };
    const defaultValue = (basis === 'command-line' ? (definition.legacyDefault ?? definition.defaultValue) : definition.defaultValue) as TypeOf<V>;
    let setting: KubeletSetting<TypeOf<V>> = { value: defaultValue, origin: defaultOrigin };
    if (config && definition.configPath) {
      const raw = getAtPath(config.object, definition.configPath);
      const origin: SettingOrigin = { type: 'config', file: config.file, path: definition.configPath };
      if (raw !== undefined && raw !== null) {
        const value = fromJson(definition.type, raw);
        if (value === undefined) {
          problems.push({ code: 'invalid-config-value', message: `${definition.configPath.join('.')}: ${JSON.stringify(raw)} is not a valid ${definition.type}`, origin });
        } else if (isDefaultedInFile(definition, value)) {
          setting = { value: defaultValue, origin: defaultOrigin, raw };
        } else {
          setting = { value: value as TypeOf<V>, origin, raw };
        }
      } else {
        const mismatch = caseMismatch(config.object, definition.configPath);
        if (mismatch) {
          problems.push({
            code: 'field-case-mismatch',
            message: `${mismatch.join('.')} is not read: the field is ${definition.configPath.join('.')}`,
            origin: { type: 'config', file: config.file, path: mismatch },
          });
        }
      }
    }
    const flag = flags && definition.flag ? getFlag(flags, definition.flag) : undefined;
    if (flag) {
      const value = fromFlag(definition.type, flag);
      const origin: SettingOrigin = { type: 'flag', flag: flag.name, occurrence: flag.last };
      if (value === undefined) {
        problems.push({ code: 'invalid-flag-value', message: `${flag.last.written}=${flag.value}: not a valid ${definition.type}; the kubelet refuses to start`, origin });
      } else {
        setting = { value: value as TypeOf<V>, origin, raw: flag.value };
      }
    }
    return setting;
  };

  const seccompDefault = (): KubeletSetting<boolean> => {
    // `--seccomp-default || seccompDefault`: the flag cannot switch off what the file switches on.
    const fromFile = resolve(SETTINGS.seccompDefault);
    const fromFlags = flags ? getFlag(flags, 'seccomp-default') : undefined;
    if (!fromFlags) return fromFile;
    const value = boolValue(fromFlags);
    const origin: SettingOrigin = { type: 'flag', flag: fromFlags.name, occurrence: fromFlags.last };
    if (value === undefined) {
      problems.push({ code: 'invalid-flag-value', message: `${fromFlags.last.written}=${fromFlags.value}: not a valid bool; the kubelet refuses to start`, origin });
      return fromFile;
    }
    return value || !fromFile.value ? { value, origin, raw: fromFlags.value } : fromFile;
  };

  const resolved = {
    anonymousAuth: resolve(SETTINGS.anonymousAuth),
    webhookAuthentication: resolve(SETTINGS.webhookAuthentication),
    authorizationMode: resolve(SETTINGS.authorizationMode),
    clientCAFile: resolve(SETTINGS.clientCAFile),
    readOnlyPort: resolve(SETTINGS.readOnlyPort),
    streamingConnectionIdleTimeout: resolve(SETTINGS.streamingConnectionIdleTimeout),
    protectKernelDefaults: resolve(SETTINGS.protectKernelDefaults),
    makeIPTablesUtilChains: resolve(SETTINGS.makeIPTablesUtilChains),
    hostnameOverride: resolve(SETTINGS.hostnameOverride),
    eventRecordQPS: resolve(SETTINGS.eventRecordQPS),
    tlsCertFile: resolve(SETTINGS.tlsCertFile),
    tlsPrivateKeyFile: resolve(SETTINGS.tlsPrivateKeyFile),
    rotateCertificates: resolve(SETTINGS.rotateCertificates),
    serverTLSBootstrap: resolve(SETTINGS.serverTLSBootstrap),
    tlsCipherSuites: resolve(SETTINGS.tlsCipherSuites),
    podPidsLimit: resolve(SETTINGS.podPidsLimit),
    seccompDefault: seccompDefault(),
  };

  const featureGates = new Map<string, KubeletSetting<boolean>>();
  const gatesObject = config ? getAtPath(config.object, ['featureGates']) : undefined;
  if (config && isJsonObject(gatesObject)) {
    for (const [name, raw] of Object.entries(gatesObject)) {
      const origin: SettingOrigin = { type: 'config', file: config.file, path: ['featureGates', name] };
      if (typeof raw === 'boolean') featureGates.set(name, { value: raw, origin, raw });
      else problems.push({ code: 'invalid-config-value', message: `featureGates.${name}: ${JSON.stringify(raw)} is not a bool`, origin });
    }
  }
  const gatesFlag = flags ? getFlag(flags, 'feature-gates') : undefined;
  for (const occurrence of gatesFlag?.occurrences ?? []) {
    const origin: SettingOrigin = { type: 'flag', flag: gatesFlag!.name, occurrence };
    for (const pair of occurrence.value.split(',')) {
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      const value = equals === -1 ? undefined : parseGoBool(pair.slice(equals + 1).trim());
      if (value === undefined) {
        problems.push({ code: 'invalid-flag-value', message: `${occurrence.written}: ${JSON.stringify(pair)} is not a name=bool pair; the kubelet refuses to start`, origin });
      } else {
        featureGates.set(pair.slice(0, equals).trim(), { value, origin, raw: occurrence.value });
      }
    }
  }
  const gate = featureGates.get(SERVER_CERTIFICATE_GATE);
  const rotateKubeletServerCertificate: KubeletSetting<boolean> = gate ?? {
    value: true,
    origin: { type: 'default', basis, ...(config ? { file: config.file, path: ['featureGates', SERVER_CERTIFICATE_GATE] } : {}) },
  };

  const settings: KubeletSettings = { ...resolved, rotateKubeletServerCertificate };
  return Object.freeze({ settings: Object.freeze(settings), featureGates, configPath, problems: Object.freeze(problems) });
}
