// The kubelet's effective settings: config file, v1beta1 defaults, legacy command-line defaults, flag precedence.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import { componentInvocationOfArgv } from './components.ts';
import { COMPONENT_FLAG_GRAMMARS } from './flag-grammars.ts';
import { argvTokens, parseFlags } from './flags.ts';
import { effectiveKubeletConfig, type KubeletSettings } from './kubelet-config.ts';
import { resolveSystemdService } from './systemd.ts';

const CONFIG_FILE = '/var/lib/kubelet/config.yaml';
const kubeletFlags = (...args: string[]) => parseFlags(argvTokens(args), COMPONENT_FLAG_GRAMMARS.kubelet);
const configOf = (fields: JsonObject) => ({
  file: CONFIG_FILE,
  object: { apiVersion: 'kubelet.config.k8s.io/v1beta1', kind: 'KubeletConfiguration', ...fields },
});
const valuesOf = (settings: KubeletSettings) => Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, setting.value]));
const originsOf = (settings: KubeletSettings) =>
  Object.fromEntries(Object.entries(settings).map(([key, setting]) => [key, setting.origin.type === 'default' ? `default:${setting.origin.basis}` : setting.origin.type]));

const V1BETA1_DEFAULTS = {
  anonymousAuth: false,
  webhookAuthentication: true,
  authorizationMode: 'Webhook',
  clientCAFile: '',
  readOnlyPort: 0,
  streamingConnectionIdleTimeout: 14400,
  protectKernelDefaults: false,
  makeIPTablesUtilChains: true,
  hostnameOverride: '',
  eventRecordQPS: 50,
  tlsCertFile: '',
  tlsPrivateKeyFile: '',
  rotateCertificates: false,
  serverTLSBootstrap: false,
  rotateKubeletServerCertificate: true,
  tlsCipherSuites: [],
  podPidsLimit: -1,
  seccompDefault: false,
};

describe('effectiveKubeletConfig', () => {
  test('an empty config file: every setting is the v1beta1 default', () => {
    const result = effectiveKubeletConfig({ flags: kubeletFlags('--config', CONFIG_FILE), config: configOf({}) });
    assert.deepEqual(valuesOf(result.settings), V1BETA1_DEFAULTS);
    assert.ok(Object.values(originsOf(result.settings)).every((origin) => origin === 'default:config-file'));
    assert.deepEqual(result.settings.anonymousAuth.origin, { type: 'default', basis: 'config-file', file: CONFIG_FILE, path: ['authentication', 'anonymous', 'enabled'] });
    assert.deepEqual(result.settings.hostnameOverride.origin, { type: 'default', basis: 'config-file' });
    assert.equal(result.configPath, CONFIG_FILE);
    assert.deepEqual(result.problems, []);
  });

  test('no --config: the command-line defaults are the insecure legacy ones', () => {
    const result = effectiveKubeletConfig({ flags: kubeletFlags('--kubeconfig=/etc/kubernetes/kubelet.conf') });
    assert.deepEqual(valuesOf(result.settings), {
      ...V1BETA1_DEFAULTS,
      anonymousAuth: true,
      webhookAuthentication: false,
      authorizationMode: 'AlwaysAllow',
      readOnlyPort: 10255,
    });
    assert.deepEqual(result.settings.readOnlyPort.origin, { type: 'default', basis: 'command-line' });
    assert.deepEqual(result.problems, []);
  });

  test('a config object the command line does not reference is not used', () => {
    const result = effectiveKubeletConfig({ flags: kubeletFlags('--v=2'), config: configOf({ authentication: { anonymous: { enabled: false } } }) });
    assert.equal(result.settings.anonymousAuth.value, true);
    assert.deepEqual(result.problems.map((problem) => problem.code), ['config-not-referenced']);
  });

  test('without a known command line the file is taken as loaded', () => {
    const result = effectiveKubeletConfig({ config: configOf({ readOnlyPort: 10255 }) });
    assert.equal(result.settings.readOnlyPort.value, 10255);
    assert.deepEqual(result.settings.readOnlyPort.origin, { type: 'config', file: CONFIG_FILE, path: ['readOnlyPort'] });
    assert.equal(result.settings.readOnlyPort.raw, 10255);
    assert.equal(result.configPath, undefined);
  });

  test('file values, then flags override them; origins point at the field or the flag occurrence', () => {
    const config = configOf({
      authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
      authorization: { mode: 'Webhook' },
      readOnlyPort: 0,
      protectKernelDefaults: true,
      makeIPTablesUtilChains: false,
      tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt',
      tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key',
      rotateCertificates: true,
      serverTLSBootstrap: true,
      tlsCipherSuites: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'],
    });
    const flags = kubeletFlags(
      '--config=/var/lib/kubelet/config.yaml',
      '--anonymous-auth=true',
      '--read-only-port',
      '10255',
      '--hostname-override=node-a',
      '--tls-cipher-suites=TLS_RSA_WITH_RC4_128_SHA',
      '--tls-cipher-suites=TLS_RSA_WITH_3DES_EDE_CBC_SHA',
    );
    const { settings, problems } = effectiveKubeletConfig({ flags, config });
    assert.deepEqual(valuesOf(settings), {
      ...V1BETA1_DEFAULTS,
      anonymousAuth: true,
      clientCAFile: '/etc/kubernetes/pki/ca.crt',
      readOnlyPort: 10255,
      protectKernelDefaults: true,
      makeIPTablesUtilChains: false,
      hostnameOverride: 'node-a',
      tlsCertFile: '/var/lib/kubelet/pki/kubelet.crt',
      tlsPrivateKeyFile: '/var/lib/kubelet/pki/kubelet.key',
      rotateCertificates: true,
      serverTLSBootstrap: true,
      tlsCipherSuites: ['TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA'],
    });
    assert.equal(settings.anonymousAuth.origin.type, 'flag');
    assert.deepEqual(settings.anonymousAuth.origin.type === 'flag' && settings.anonymousAuth.origin.occurrence.source, { type: 'argv', index: 1 });
    assert.deepEqual(settings.readOnlyPort.origin.type === 'flag' && settings.readOnlyPort.origin.occurrence.valueSource, { type: 'argv', index: 3 });
    assert.equal(settings.readOnlyPort.raw, '10255');
    assert.deepEqual(settings.makeIPTablesUtilChains.origin, { type: 'config', file: CONFIG_FILE, path: ['makeIPTablesUtilChains'] });
    assert.equal(settings.tlsCipherSuites.origin.type, 'flag');
    assert.deepEqual(problems, []);
  });

  test('defaulting applies to zero values the API defaults: `0s` idle timeout, empty mode, negative PID limit', () => {
    const { settings } = effectiveKubeletConfig({
      config: configOf({ streamingConnectionIdleTimeout: '0s', authorization: { mode: '' }, podPidsLimit: -5, eventRecordQPS: 0 }),
    });
    assert.equal(settings.streamingConnectionIdleTimeout.value, 14400);
    assert.deepEqual(settings.streamingConnectionIdleTimeout.origin, { type: 'default', basis: 'config-file', file: CONFIG_FILE, path: ['streamingConnectionIdleTimeout'] });
    assert.equal(settings.streamingConnectionIdleTimeout.raw, '0s');
    assert.equal(settings.authorizationMode.value, 'Webhook');
    assert.equal(settings.podPidsLimit.value, -1);
    // eventRecordQPS is a pointer: an explicit 0 (unlimited) is kept.
    assert.equal(settings.eventRecordQPS.value, 0);
    assert.equal(settings.eventRecordQPS.origin.type, 'config');
  });

  test('flags are not defaulted: --streaming-connection-idle-timeout=0 disables the timeout; ints use Go base-0 syntax', () => {
    const { settings, problems } = effectiveKubeletConfig({
      flags: kubeletFlags('--config=/c', '--streaming-connection-idle-timeout=0', '--pod-max-pids=0x400', '--event-qps=0'),
      config: { file: '/c', object: configOf({ streamingConnectionIdleTimeout: '5m', podPidsLimit: 100 }).object },
    });
    assert.equal(settings.streamingConnectionIdleTimeout.value, 0);
    assert.equal(settings.podPidsLimit.value, 1024);
    assert.equal(settings.eventRecordQPS.value, 0);
    assert.deepEqual(problems, []);
    const fromFile = effectiveKubeletConfig({ config: configOf({ streamingConnectionIdleTimeout: '5m' }) });
    assert.equal(fromFile.settings.streamingConnectionIdleTimeout.value, 300);
  });

  test('feature gates merge per key with flags winning; RotateKubeletServerCertificate defaults to on', () => {
    const config = configOf({ featureGates: { RotateKubeletServerCertificate: false, SomeGate: true } });
    const withFlag = effectiveKubeletConfig({ flags: kubeletFlags('--config', CONFIG_FILE, '--feature-gates=RotateKubeletServerCertificate=true'), config });
    assert.equal(withFlag.settings.rotateKubeletServerCertificate.value, true);
    assert.equal(withFlag.settings.rotateKubeletServerCertificate.origin.type, 'flag');
    assert.deepEqual(
      [...withFlag.featureGates].map(([name, gate]) => [name, gate.value, gate.origin.type]),
      [
        ['RotateKubeletServerCertificate', true, 'flag'],
        ['SomeGate', true, 'config'],
      ],
    );
    const fileOnly = effectiveKubeletConfig({ flags: kubeletFlags('--config', CONFIG_FILE), config });
    assert.equal(fileOnly.settings.rotateKubeletServerCertificate.value, false);
    assert.deepEqual(fileOnly.settings.rotateKubeletServerCertificate.origin, { type: 'config', file: CONFIG_FILE, path: ['featureGates', 'RotateKubeletServerCertificate'] });
    const none = effectiveKubeletConfig({ flags: kubeletFlags('--config', CONFIG_FILE), config: configOf({}) });
    assert.deepEqual(none.settings.rotateKubeletServerCertificate, {
      value: true,
      origin: { type: 'default', basis: 'config-file', file: CONFIG_FILE, path: ['featureGates', 'RotateKubeletServerCertificate'] },
    });
  });

  test('--seccomp-default is OR-ed with the file: the flag cannot turn it off', () => {
    const on = effectiveKubeletConfig({ flags: kubeletFlags('--config', CONFIG_FILE, '--seccomp-default=false'), config: configOf({ seccompDefault: true }) });
    assert.equal(on.settings.seccompDefault.value, true);
    assert.equal(on.settings.seccompDefault.origin.type, 'config');
    const flagOn = effectiveKubeletConfig({ flags: kubeletFlags('--config', CONFIG_FILE, '--seccomp-default'), config: configOf({ seccompDefault: false }) });
    assert.equal(flagOn.settings.seccompDefault.value, true);
    assert.equal(flagOn.settings.seccompDefault.origin.type, 'flag');
    const bothOff = effectiveKubeletConfig({ flags: kubeletFlags('--seccomp-default=false') });
    assert.equal(bothOff.settings.seccompDefault.value, false);
    assert.equal(bothOff.settings.seccompDefault.origin.type, 'flag');
  });

  test('invalid values are reported; the kubelet would not start, the other source is shown', () => {
    const { settings, problems } = effectiveKubeletConfig({
      flags: kubeletFlags('--config', CONFIG_FILE, '--read-only-port=http', '--feature-gates=A=maybe', '--streaming-connection-idle-timeout=5'),
      config: configOf({ authentication: { anonymous: { enabled: 'false' } }, readOnlyPort: 10255, ReadOnlyPort: 1, Authorization: { mode: 'AlwaysAllow' } }),
    });
    assert.equal(settings.anonymousAuth.value, false);
    assert.equal(settings.anonymousAuth.origin.type, 'default');
    assert.equal(settings.readOnlyPort.value, 10255);
    assert.equal(settings.readOnlyPort.origin.type, 'config');
    assert.equal(settings.authorizationMode.value, 'Webhook');
    assert.equal(settings.streamingConnectionIdleTimeout.value, 14400);
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ['invalid-config-value', 'field-case-mismatch', 'invalid-flag-value', 'invalid-flag-value', 'invalid-flag-value'],
    );
    assert.deepEqual(problems[1]!.origin, { type: 'config', file: CONFIG_FILE, path: ['Authorization'] });
  });

  test('missing config file, --config-dir, wrong kind', () => {
    const missing = effectiveKubeletConfig({ flags: kubeletFlags('--config=/var/lib/kubelet/config.yaml', '--config-dir=/etc/kubernetes/kubelet.conf.d') });
    assert.deepEqual(missing.problems.map((problem) => problem.code), ['config-dir-not-evaluated', 'config-not-provided']);
    assert.equal(missing.settings.anonymousAuth.value, false);
    const wrong = effectiveKubeletConfig({ config: { file: 'x.yaml', object: { apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration' } } });
    assert.deepEqual(wrong.problems.map((problem) => problem.code), ['not-a-kubelet-configuration']);
  });

  test('end to end: kubelet from systemd plus its config file', () => {
    const service = resolveSystemdService({
      unit: {
        file: '/etc/systemd/system/kubelet.service',
        text: '[Service]\nEnvironment="KUBELET_ARGS=--config=/var/lib/kubelet/config.yaml --anonymous-auth=true"\nExecStart=/usr/bin/kubelet $KUBELET_ARGS',
      },
    });
    const kubelet = componentInvocationOfArgv(service.execStart!.argv, { type: 'systemd', unit: 'kubelet.service' })!;
    const { settings } = effectiveKubeletConfig({ flags: kubelet.flags, config: configOf({ authentication: { anonymous: { enabled: false } } }) });
    assert.equal(settings.anonymousAuth.value, true);
    assert.deepEqual(settings.anonymousAuth.origin.type === 'flag' && settings.anonymousAuth.origin.occurrence.source, {
      type: 'file',
      file: '/etc/systemd/system/kubelet.service',
      line: 2,
      via: { variable: 'KUBELET_ARGS', file: '/etc/systemd/system/kubelet.service', line: 3 },
    });
  });
});
