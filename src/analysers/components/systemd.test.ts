// The kubelet's command line from its systemd unit, drop-ins and environment files, as systemd builds it.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { componentInvocationOfArgv } from './components.ts';
import { flagValue, getFlag } from './flags.ts';
import { parseEnvironmentFile, parseUnitFile, resolveSystemdService, type SystemdService } from './systemd.ts';

const UNIT = '/lib/systemd/system/kubelet.service';
const KUBEADM_DROP_IN = '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf';

const kubeletUnit = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/

[Service]
ExecStart=/usr/bin/kubelet
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

const kubeadmDropIn = `# Note: This dropin only works with kubeadm and kubelet v1.11+
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
# This is a file that "kubeadm init" and "kubeadm join" generates at runtime, populating the KUBELET_KUBEADM_ARGS variable dynamically
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
# This is a file that the user can use for overrides of the kubelet args as a last resort.
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

const kubeadmFlags = 'KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.9"\n';

const argvOf = (service: SystemdService) => service.execStart?.argv.map((token) => token.text);
const sourcesOf = (service: SystemdService) => service.execStart?.argv.map((token) => token.source);
const problemsOf = (service: SystemdService) => service.problems.map((problem) => `${problem.code} ${problem.file}:${problem.line}`);

describe('resolveSystemdService', () => {
  test('kubeadm kubelet: drop-in resets ExecStart, $VARS split into words, each token located', () => {
    const service = resolveSystemdService({
      unit: { file: UNIT, text: kubeletUnit },
      dropIns: [{ file: KUBEADM_DROP_IN, text: kubeadmDropIn }],
      environmentFiles: new Map([['/var/lib/kubelet/kubeadm-flags.env', kubeadmFlags]]),
    });
    assert.deepEqual(argvOf(service), [
      '/usr/bin/kubelet',
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf',
      '--kubeconfig=/etc/kubernetes/kubelet.conf',
      '--config=/var/lib/kubelet/config.yaml',
      '--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock',
      '--pod-infra-container-image=registry.k8s.io/pause:3.9',
    ]);
    const exec = { file: KUBEADM_DROP_IN, line: 10 };
    assert.deepEqual(sourcesOf(service), [
      { type: 'file', ...exec },
      { type: 'file', file: KUBEADM_DROP_IN, line: 3, via: { variable: 'KUBELET_KUBECONFIG_ARGS', ...exec } },
      { type: 'file', file: KUBEADM_DROP_IN, line: 3, via: { variable: 'KUBELET_KUBECONFIG_ARGS', ...exec } },
      { type: 'file', file: KUBEADM_DROP_IN, line: 4, via: { variable: 'KUBELET_CONFIG_ARGS', ...exec } },
      { type: 'file', file: '/var/lib/kubelet/kubeadm-flags.env', line: 1, via: { variable: 'KUBELET_KUBEADM_ARGS', ...exec } },
      { type: 'file', file: '/var/lib/kubelet/kubeadm-flags.env', line: 1, via: { variable: 'KUBELET_KUBEADM_ARGS', ...exec } },
    ]);
    assert.equal(service.execStart!.path, '/usr/bin/kubelet');
    assert.deepEqual(service.files, [UNIT, KUBEADM_DROP_IN]);
    // /etc/default/kubelet is optional and missing; $KUBELET_EXTRA_ARGS is then unset and expands to nothing.
    assert.deepEqual(problemsOf(service), [`optional-environment-file-missing ${KUBEADM_DROP_IN}:8`, `unset-variable ${KUBEADM_DROP_IN}:10`]);

    const kubelet = componentInvocationOfArgv(service.execStart!.argv, { type: 'systemd', unit: 'kubelet.service' })!;
    assert.equal(kubelet.component, 'kubelet');
    assert.equal(flagValue(kubelet.flags, 'config'), '/var/lib/kubelet/config.yaml');
    assert.deepEqual(getFlag(kubelet.flags, 'config')!.last.source, { type: 'file', file: KUBEADM_DROP_IN, line: 4, via: { variable: 'KUBELET_CONFIG_ARGS', ...exec } });
  });

  test('several quoted assignments per Environment= line; values with spaces; ${VAR} stays one word, $VAR splits', () => {
    const service = resolveSystemdService({
      unit: {
        file: '/etc/systemd/system/kubelet.service',
        text: [
          '[Service]',
          `Environment="A=--node-labels=a=1 --v=2" B=--read-only-port=0 'C=$word 5'`,
          'Environment=D="--x=1 --y=2"',
          'ExecStart=/usr/bin/kubelet $A "${A}" --e=${B}${C} $D',
        ].join('\n'),
      },
    });
    const environment = Object.fromEntries([...service.environment].map(([name, variable]) => [name, variable.value]));
    assert.deepEqual(environment, { A: '--node-labels=a=1 --v=2', B: '--read-only-port=0', C: '$word 5', D: '--x=1 --y=2' });
    assert.deepEqual(argvOf(service), ['/usr/bin/kubelet', '--node-labels=a=1', '--v=2', '--node-labels=a=1 --v=2', '--e=--read-only-port=0$word 5', '--x=1', '--y=2']);
    assert.deepEqual(service.problems, []);
  });

  test('quotes inside a variable value are honoured when $VAR splits it', () => {
    const service = resolveSystemdService({
      unit: { file: 'u', text: `[Service]\nEnvironment="ARGS=--a='x y' --b=\\"q r\\" --c"\nExecStart=/bin/kubelet $ARGS` },
    });
    assert.deepEqual(argvOf(service), ['/bin/kubelet', '--a=x y', '--b=q r', '--c']);
  });

  test('EnvironmentFile= overrides Environment= whatever their order; later files win', () => {
    const service = resolveSystemdService({
      unit: {
        file: 'u',
        text: ['[Service]', 'EnvironmentFile=/etc/kubelet.env', 'EnvironmentFile=-/etc/kubelet-2.env', 'Environment=X=from-environment Y=kept', 'ExecStart=/bin/kubelet $X $Y'].join('\n'),
      },
      environmentFiles: (path) => ({ '/etc/kubelet.env': 'X=from-file-1\n', '/etc/kubelet-2.env': 'X=from-file-2\n' })[path],
    });
    assert.deepEqual(argvOf(service), ['/bin/kubelet', 'from-file-2', 'kept']);
    assert.deepEqual(service.environment.get('X'), { value: 'from-file-2', file: '/etc/kubelet-2.env', line: 1, from: 'EnvironmentFile' });
  });

  test('a missing EnvironmentFile without `-` stops the service; with `-` it is skipped', () => {
    const service = resolveSystemdService({
      unit: { file: 'u', text: '[Service]\nEnvironmentFile=/etc/sysconfig/kubelet\nEnvironmentFile=-/etc/default/kubelet\nExecStart=/bin/kubelet' },
    });
    assert.deepEqual(problemsOf(service), ['environment-file-missing u:2', 'optional-environment-file-missing u:3']);
    assert.deepEqual(argvOf(service), ['/bin/kubelet']);
  });

  test('empty ExecStart= resets; drop-ins apply in file-name order whatever order they are given', () => {
    const service = resolveSystemdService({
      unit: { file: UNIT, text: '[Service]\nExecStart=/usr/bin/kubelet --from-unit' },
      dropIns: [
        { file: '/etc/systemd/system/kubelet.service.d/20-override.conf', text: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --from-20' },
        { file: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', text: '[Service]\nExecStart=\nExecStart=/usr/bin/kubelet --from-10' },
      ],
    });
    assert.deepEqual(argvOf(service), ['/usr/bin/kubelet', '--from-20']);
    assert.deepEqual(service.files, [UNIT, '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', '/etc/systemd/system/kubelet.service.d/20-override.conf']);
    assert.deepEqual(service.problems, []);
  });

  test('without a reset the commands accumulate: systemd refuses that for a simple service; the last one is reported and used', () => {
    const service = resolveSystemdService({
      unit: { file: UNIT, text: '[Service]\nExecStart=/usr/bin/kubelet --a' },
      dropIns: [{ file: '/etc/systemd/system/kubelet.service.d/10-x.conf', text: '[Service]\nExecStart=/usr/bin/kubelet --b' }],
    });
    assert.deepEqual(argvOf(service), ['/usr/bin/kubelet', '--b']);
    assert.deepEqual(problemsOf(service), ['multiple-exec-start /etc/systemd/system/kubelet.service.d/10-x.conf:2']);
  });

  test('drop-ins: only *.conf, and a name seen earlier (higher-priority directory first) shadows later ones', () => {
    const service = resolveSystemdService({
      unit: { file: UNIT, text: '[Service]\nExecStart=/usr/bin/kubelet' },
      dropIns: [
        { file: '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf', text: '[Service]\nEnvironment=WHO=etc' },
        { file: '/usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf', text: '[Service]\nEnvironment=WHO=usr' },
        { file: '/etc/systemd/system/kubelet.service.d/README', text: '[Service]\nEnvironment=WHO=readme' },
      ],
    });
    assert.equal(service.environment.get('WHO')?.value, 'etc');
    // Reported in file-name order (`10-kubeadm.conf` sorts before `README`).
    assert.deepEqual(problemsOf(service), ['ignored-drop-in /usr/lib/systemd/system/kubelet.service.d/10-kubeadm.conf:0', 'ignored-drop-in /etc/systemd/system/kubelet.service.d/README:0']);
  });

  test('line continuations: tokens keep their physical line; comment lines inside a continuation are skipped', () => {
    const text = ['[Service]', 'ExecStart=/usr/bin/kubelet \\', '  --anonymous-auth=false \\', '# --read-only-port=10255 \\', '  --read-only-port=0 \\', '  --v=2', 'Restart=always'].join('\n');
    const service = resolveSystemdService({ unit: { file: UNIT, text } });
    assert.deepEqual(
      service.execStart!.argv.map((token) => [token.text, token.source.type === 'file' ? token.source.line : -1]),
      [
        ['/usr/bin/kubelet', 2],
        ['--anonymous-auth=false', 3],
        ['--read-only-port=0', 5],
        ['--v=2', 6],
      ],
    );
    assert.equal(service.execStart!.line, 2);
  });

  test('prefixes: `:` turns substitution off, `@` sets argv[0], `-` is kept; $$ is a dollar; bad names are dropped', () => {
    const plain = resolveSystemdService({ unit: { file: 'u', text: '[Service]\nEnvironment=A=1\nExecStart=-:/bin/kubelet $A ${A}' } });
    assert.deepEqual(argvOf(plain), ['/bin/kubelet', '$A', '${A}']);
    assert.equal(plain.execStart!.prefixes, '-:');
    const argv0 = resolveSystemdService({ unit: { file: 'u', text: '[Service]\nExecStart=@/opt/bin/kubelet kubelet --v=$$HOME $A/b ${UNSET} %%' } });
    assert.deepEqual(argvOf(argv0), ['kubelet', '--v=$HOME', '', '%']);
    assert.equal(argv0.execStart!.path, '/opt/bin/kubelet');
    assert.deepEqual(problemsOf(argv0), ['invalid-variable u:2', 'unset-variable u:2']);
  });

  test('C escapes and quoting in ExecStart; an unbalanced quote makes the line invalid', () => {
    const service = resolveSystemdService({ unit: { file: 'u', text: `[Service]\nExecStart=/bin/kubelet "--a=x y" --b=it\\'s --c=\\x41\\s\\t "--d=\\"q\\""` } });
    assert.deepEqual(argvOf(service), ['/bin/kubelet', '--a=x y', "--b=it's", '--c=A \t', '--d="q"']);
    const broken = resolveSystemdService({ unit: { file: 'u', text: '[Service]\nExecStart=/bin/kubelet "--a=x' } });
    assert.equal(broken.execStart, undefined);
    assert.deepEqual(problemsOf(broken), ['syntax-error u:2', 'no-exec-start u:0']);
    const badEscape = resolveSystemdService({ unit: { file: 'u', text: '[Service]\nExecStart=/bin/kubelet --a=\\q' } });
    assert.deepEqual(problemsOf(badEscape), ['syntax-error u:2', 'no-exec-start u:0']);
  });

  test('a lone `;` separates commands, `\\;` is a literal semicolon', () => {
    const service = resolveSystemdService({ unit: { file: 'u', text: '[Service]\nExecStart=/bin/a x \\; y ; /bin/kubelet --v=1' } });
    assert.deepEqual(argvOf(service), ['/bin/kubelet', '--v=1']);
    assert.deepEqual(problemsOf(service), ['multiple-exec-start u:2']);
    const literal = resolveSystemdService({ unit: { file: 'u', text: '[Service]\nExecStart=/bin/kubelet --a=x; \\;' } });
    assert.deepEqual(argvOf(literal), ['/bin/kubelet', '--a=x;', ';']);
  });

  test('Environment= resets, invalid assignments ignored, other sections ignored', () => {
    const service = resolveSystemdService({
      unit: {
        file: 'u',
        text: ['[Unit]', 'Environment=IGNORED=1', '[Service]', 'Environment=A=1 B=2', 'Environment=', 'Environment=C=3 1BAD=x noequals', 'ExecStart=/bin/kubelet'].join('\n'),
      },
    });
    assert.deepEqual([...service.environment.keys()], ['C']);
    assert.deepEqual(problemsOf(service), ['invalid-assignment u:6', 'invalid-assignment u:6']);
  });
});

describe('parseUnitFile', () => {
  test('sections, whitespace around =, comments, errors', () => {
    const { directives, problems } = parseUnitFile({
      file: 'u',
      text: 'Stray=1\n[Service]\n  ; comment\nType = notify\n\n  ExecStart =  /bin/x  a  \nnot an assignment\n[Broken\n',
    });
    assert.deepEqual(
      directives.map((d) => [d.section, d.key, d.value, d.line]),
      [
        ['Service', 'Type', 'notify', 4],
        ['Service', 'ExecStart', '/bin/x  a', 6],
      ],
    );
    assert.deepEqual(
      problems.map((p) => `${p.code}:${p.line}`),
      ['outside-section:1', 'syntax-error:7', 'syntax-error:8'],
    );
  });

  test('an escaped backslash at the end does not continue the line', () => {
    const { directives } = parseUnitFile({ file: 'u', text: '[Service]\nA=x \\\\\nB=y' });
    assert.deepEqual(
      directives.map((d) => [d.key, d.value]),
      [
        ['A', 'x \\\\'],
        ['B', 'y'],
      ],
    );
  });
});

describe('parseEnvironmentFile', () => {
  test('KEY=VALUE, quotes, escapes, comments, continuation, trailing whitespace, invalid keys', () => {
    const text = [
      '# comment',
      '; also a comment',
      'KUBELET_KUBEADM_ARGS="--a=1 --b=\\"two\\" --c=\\$HOME --d=\\n"',
      "SINGLE='--x=\\y $Z'",
      'PLAIN = --p=1 --q=2   ',
      'CONT=--r=1 \\',
      '--s=2',
      'export EXPORTED=1',
      'NOEQUALS',
      'EMPTY=',
      'MIXED="a b"c',
    ].join('\n');
    const { assignments, problems } = parseEnvironmentFile({ file: '/etc/default/kubelet', text });
    assert.deepEqual(
      assignments.map((a) => [a.name, a.value, a.line]),
      [
        ['KUBELET_KUBEADM_ARGS', '--a=1 --b="two" --c=$HOME --d=\\n', 3],
        ['SINGLE', '--x=\\y $Z', 4],
        ['PLAIN', '--p=1 --q=2', 5],
        ['CONT', '--r=1 --s=2', 6],
        ['EMPTY', '', 10],
        ['MIXED', 'a bc', 11],
      ],
    );
    assert.deepEqual(
      problems.map((p) => `${p.code}:${p.line}`),
      ['invalid-assignment:8', 'syntax-error:9'],
    );
  });
});
