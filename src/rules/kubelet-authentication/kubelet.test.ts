// The kubelet rules' shared view: pairing command lines with config files, and where settings point.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InventoryObject } from '../../core/inventory.ts';
import { parseManifests } from '../../source/index.ts';
import { configPathMatch, kubeletsOf, locateSetting, settingOf } from '../shared/kubelet.ts';

const objectsOf = (file: string, text: string): InventoryObject[] => [...parseManifests({ file, text }).objects];
const commandLine = (name: string, ...args: string[]) =>
  objectsOf(
    `/etc/systemd/system/${name}.service`,
    `apiVersion: palisade.dev/v1alpha1\nkind: ComponentCommandLine\nmetadata: {name: ${name}}\nspec:\n  component: kubelet\n  from: systemd\n  argv: ${JSON.stringify(['/usr/bin/kubelet', ...args])}\n`,
  );
const kubeletConfig = (file: string, fields = '') => objectsOf(file, `apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\n${fields}`);
const subjectOf = (...objects: InventoryObject[][]) => ({ objects: objects.flat(), podTemplates: [] });
const fileOf = (object: InventoryObject | undefined) => (object?.origin.type === 'file' ? object.origin.file : undefined);

describe('configPathMatch', () => {
  test('the same path, a relative scan path the --config path ends with, or a scan path ending with the --config path', () => {
    assert.equal(configPathMatch('/var/lib/kubelet/config.yaml', '/var/lib/kubelet/config.yaml'), 2);
    assert.equal(configPathMatch('/var/lib/kubelet/config.yaml', 'var/lib/kubelet/config.yaml'), 1);
    assert.equal(configPathMatch('/var/lib/kubelet/config.yaml', './config.yaml'), 1);
    assert.equal(configPathMatch('/var/lib/kubelet/config.yaml', 'node1/var/lib/kubelet/config.yaml'), 1);
    assert.equal(configPathMatch('/var/lib/kubelet/config.yaml', 'kubelet-config.yaml'), 0);
    assert.equal(configPathMatch('/var/lib/kubelet/config.yaml', '/etc/kubernetes/config.yaml'), 0);
  });
});

describe('kubeletsOf', () => {
  test('each command line gets the config file its --config names; a config no command line names is judged alone', () => {
    const kubelets = kubeletsOf(
      subjectOf(
        kubeletConfig('/etc/kubernetes/kubelet.yaml'),
        kubeletConfig('node1/var/lib/kubelet/config.yaml', 'readOnlyPort: 10255'),
        kubeletConfig('spare/kubelet.yaml'),
        commandLine('a', '--config=/var/lib/kubelet/config.yaml'),
        commandLine('b', '--config', '/etc/kubernetes/kubelet.yaml'),
      ),
    );
    assert.deepEqual(
      kubelets.map((kubelet) => [kubelet.commandLine?.object.ref.name, fileOf(kubelet.config)]),
      [
        ['a', 'node1/var/lib/kubelet/config.yaml'],
        ['b', '/etc/kubernetes/kubelet.yaml'],
        [undefined, 'spare/kubelet.yaml'],
      ],
    );
    assert.equal(kubelets[0]!.effective.settings.readOnlyPort.value, 10255);
    assert.deepEqual(locateSetting(kubelets[0]!, 'readOnlyPort')?.path, ['readOnlyPort']);
  });

  test('one command line and one config file are paired whatever the paths', () => {
    const [kubelet, ...rest] = kubeletsOf(subjectOf(kubeletConfig('<stdin>', 'readOnlyPort: 10255'), commandLine('a', '--config=/var/lib/kubelet/config.yaml')));
    assert.equal(rest.length, 0);
    assert.equal(fileOf(kubelet!.config), '<stdin>');
    assert.equal(kubelet!.effective.settings.readOnlyPort.value, 10255);
  });

  test('--config naming a file the input lacks: defaults are unknown, flags are located', () => {
    const [kubelet] = kubeletsOf(subjectOf(commandLine('a', '--config=/var/lib/kubelet/config.yaml', '--read-only-port=10255')));
    assert.equal(locateSetting(kubelet!, 'podPidsLimit'), undefined);
    assert.deepEqual(locateSetting(kubelet!, 'readOnlyPort')?.path, ['spec', 'argv', 2]);
  });

  test('tlsMinVersion: the flag over the file, the file only when the kubelet reads it', () => {
    const file = kubeletConfig('/var/lib/kubelet/config.yaml', 'tlsMinVersion: VersionTLS11');
    const [flagged] = kubeletsOf(subjectOf(file, commandLine('a', '--config=/var/lib/kubelet/config.yaml', '--tls-min-version=VersionTLS13')));
    assert.equal(settingOf(flagged!, 'tlsMinVersion').value, 'VersionTLS13');
    const [fromFile] = kubeletsOf(subjectOf(file, commandLine('a', '--config=/var/lib/kubelet/config.yaml')));
    assert.deepEqual(locateSetting(fromFile!, 'tlsMinVersion')?.path, ['tlsMinVersion']);
    const [unread] = kubeletsOf(subjectOf(file, commandLine('a', '--v=2')));
    assert.equal(settingOf(unread!, 'tlsMinVersion').value, '');
    assert.deepEqual(locateSetting(unread!, 'tlsMinVersion')?.path, ['spec', 'argv']);
  });
});
