// Identifying control-plane components in containers and command lines, and collecting their flags with locations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { JsonObject } from '../../core/model.ts';
import {
  componentInvocationOfArgv,
  componentInvocationOfContainer,
  componentInvocationsOfPod,
  componentOfImage,
  containerArgv,
  expandContainerReferences,
  identifyComponent,
  shellCommands,
} from './components.ts';
import { argvTokens, flagValue, getFlag, listValue, procCmdlineTokens } from './flags.ts';

const kubeadmApiServer: JsonObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'kube-apiserver', namespace: 'kube-system' },
  spec: {
    initContainers: [{ name: 'wait', image: 'busybox', command: ['sh', '-c', 'sleep 1'] }],
    containers: [
      {
        name: 'kube-apiserver',
        image: 'registry.k8s.io/kube-apiserver:v1.30.2',
        command: [
          'kube-apiserver',
          '--advertise-address=10.0.0.10',
          '--anonymous-auth=false',
          '--authorization-mode=Node,RBAC',
          '--enable-admission-plugins=NodeRestriction',
          '--profiling',
          'false',
        ],
      },
      { name: 'audit-shipper', image: 'fluent/fluent-bit:3.0', args: ['--config=/etc/fluent-bit.conf'] },
    ],
  },
};

describe('identifyComponent', () => {
  test('by executable basename, in any directory, with Windows .exe', () => {
    assert.deepEqual(identifyComponent(['/usr/local/bin/kube-apiserver', '--x']), { component: 'kube-apiserver', executableIndex: 0, argsIndex: 1, wrappers: [] });
    assert.equal(identifyComponent(['C:\\k\\kubelet.exe'])?.component, 'kubelet');
    assert.equal(identifyComponent(['etcd'])?.component, 'etcd');
    assert.equal(identifyComponent(['kube-proxy'])?.component, 'kube-proxy');
    assert.equal(identifyComponent(['/usr/bin/kube-apiserver-wrapper']), undefined);
    assert.equal(identifyComponent([]), undefined);
  });

  test('hyperkube: the subcommand names the component (old aliases too), flags start after it', () => {
    assert.deepEqual(identifyComponent(['/hyperkube', 'apiserver', '--x']), { component: 'kube-apiserver', executableIndex: 0, argsIndex: 2, wrappers: ['hyperkube'] });
    assert.equal(identifyComponent(['hyperkube', 'kube-controller-manager'])?.component, 'kube-controller-manager');
    assert.equal(identifyComponent(['hyperkube', 'scheduler'])?.component, 'kube-scheduler');
    assert.equal(identifyComponent(['hyperkube', 'proxy'])?.component, 'kube-proxy');
    assert.equal(identifyComponent(['hyperkube', 'kubectl']), undefined);
    assert.equal(identifyComponent(['hyperkube']), undefined);
  });

  test('go-runner: its own flags are skipped, the component after them is found', () => {
    assert.deepEqual(identifyComponent(['/go-runner', '--log-file=/var/log/kube-scheduler.log', '--also-stdout', '/usr/local/bin/kube-scheduler', '--v=2']), {
      component: 'kube-scheduler',
      executableIndex: 3,
      argsIndex: 4,
      wrappers: ['go-runner'],
    });
    assert.equal(identifyComponent(['/go-runner', '-log-file', '/var/log/x.log', 'kube-apiserver'])?.executableIndex, 3);
    assert.deepEqual(identifyComponent(['/go-runner', 'hyperkube', 'apiserver'])?.wrappers, ['go-runner', 'hyperkube']);
  });
});

describe('componentInvocationsOfPod', () => {
  test('kubeadm kube-apiserver static Pod: component, flags and the command element each came from; other containers skipped', () => {
    const [invocation, ...rest] = componentInvocationsOfPod(kubeadmApiServer);
    assert.equal(rest.length, 0);
    assert.equal(invocation!.component, 'kube-apiserver');
    assert.deepEqual(invocation!.source, { type: 'container', containerPath: ['spec', 'containers', 0], containerName: 'kube-apiserver' });
    assert.deepEqual(invocation!.executable, { text: 'kube-apiserver', source: { type: 'container', path: ['spec', 'containers', 0, 'command', 0] } });
    const flags = invocation!.flags;
    assert.equal(flagValue(flags, 'anonymous-auth'), 'false');
    assert.deepEqual(getFlag(flags, 'anonymous-auth')!.last.source, { type: 'container', path: ['spec', 'containers', 0, 'command', 2] });
    assert.deepEqual(listValue(getFlag(flags, 'authorization-mode')!).map((item) => item.value), ['Node', 'RBAC']);
    // `--profiling false`: profiling stays on (the component refuses the stray `false`).
    assert.equal(flagValue(flags, 'profiling'), 'true');
    assert.deepEqual(
      flags.problems.map((problem) => [problem.code, problem.token.source]),
      [['unexpected-argument', { type: 'container', path: ['spec', 'containers', 0, 'command', 6] }]],
    );
    assert.deepEqual(invocation!.problems, []);
    assert.deepEqual(invocation!.wrappers, []);
  });

  test('command then args, as the runtime concatenates them; init containers are included', () => {
    const pod: JsonObject = {
      spec: {
        initContainers: [{ name: 'etcd-init', image: 'etcd', command: ['/usr/local/bin/etcd', '--version'] }],
        containers: [{ name: 'cm', command: ['/usr/local/bin/kube-controller-manager'], args: ['--use-service-account-credentials', '--profiling=false'] }],
      },
    };
    const invocations = componentInvocationsOfPod(pod);
    assert.deepEqual(
      invocations.map((invocation) => invocation.component),
      ['etcd', 'kube-controller-manager'],
    );
    const cm = invocations[1]!.flags;
    assert.equal(flagValue(cm, 'use-service-account-credentials'), 'true');
    assert.deepEqual(getFlag(cm, 'profiling')!.last.source, { type: 'container', path: ['spec', 'containers', 0, 'args', 1] });
  });

  test('etcd parses with Go flag rules: bool flags alone, value flags take the next word', () => {
    const invocation = componentInvocationOfContainer(
      { name: 'etcd', command: ['etcd', '--client-cert-auth', '--cert-file', '/etc/kubernetes/pki/etcd/server.crt', '-peer-client-cert-auth=true'] },
      ['spec', 'containers', 0],
    )!;
    assert.equal(invocation.component, 'etcd');
    assert.equal(invocation.flags.grammar.dialect, 'goflag');
    assert.deepEqual(Object.fromEntries([...invocation.flags.flags].map(([name, flag]) => [name, flag.value])), {
      'client-cert-auth': 'true',
      'cert-file': '/etc/kubernetes/pki/etcd/server.crt',
      'peer-client-cert-auth': 'true',
    });
    assert.deepEqual(invocation.flags.problems, []);
  });

  test('hyperkube and go-runner wrappers in a container', () => {
    const hyperkube = componentInvocationOfContainer({ name: 'a', command: ['/hyperkube', 'apiserver', '--anonymous-auth=false'] }, ['spec', 'containers', 0])!;
    assert.equal(hyperkube.component, 'kube-apiserver');
    assert.deepEqual(hyperkube.wrappers, ['hyperkube']);
    assert.deepEqual(getFlag(hyperkube.flags, 'anonymous-auth')!.last.source, { type: 'container', path: ['spec', 'containers', 0, 'command', 2] });
    const runner = componentInvocationOfContainer(
      { name: 'b', command: ['/go-runner', '--log-file=/var/log/kube-apiserver.log', '--also-stdout', '/usr/local/bin/kube-apiserver'], args: ['--profiling=false'] },
      ['spec', 'containers', 0],
    )!;
    assert.deepEqual(runner.wrappers, ['go-runner']);
    assert.equal(runner.executable!.text, '/usr/local/bin/kube-apiserver');
    assert.deepEqual([...runner.flags.flags.keys()], ['profiling']);
  });

  test('without command the image entrypoint is unknown: recognised from args[0] or the image, and said so', () => {
    const fromImage = componentInvocationOfContainer(
      { name: 'api', image: 'registry.k8s.io/kube-apiserver-amd64@sha256:abc', args: ['--anonymous-auth=false'] },
      ['spec', 'containers', 0],
    )!;
    assert.equal(fromImage.component, 'kube-apiserver');
    assert.equal(fromImage.executable, undefined);
    assert.equal(flagValue(fromImage.flags, 'anonymous-auth'), 'false');
    assert.deepEqual(fromImage.problems.map((problem) => [problem.code, problem.path]), [['entrypoint-unknown', ['spec', 'containers', 0]]]);
    const fromArgs = componentInvocationOfContainer({ name: 's', image: 'example/scheduler:1', args: ['kube-scheduler', '--profiling=false'] }, ['spec', 'containers', 1])!;
    assert.equal(fromArgs.component, 'kube-scheduler');
    assert.deepEqual(fromArgs.executable?.source, { type: 'container', path: ['spec', 'containers', 1, 'args', 0] });
    assert.deepEqual(fromArgs.problems.map((problem) => problem.code), ['entrypoint-unknown']);
    assert.equal(componentInvocationOfContainer({ name: 'x', image: 'nginx:1.27', args: ['--port=80'] }, ['spec', 'containers', 0]), undefined);
    // `command: []` is the same as no command.
    const emptyCommand = componentInvocationOfContainer({ name: 'e', image: 'quay.io/coreos/etcd:v3.5.9', command: [], args: ['--client-cert-auth'] }, ['spec', 'containers', 0])!;
    assert.equal(emptyCommand.component, 'etcd');
    assert.deepEqual(emptyCommand.problems.map((problem) => problem.code), ['entrypoint-unknown']);
  });

  test('$(VAR) from literal env values, with the env entry as a source; $$ escapes; valueFrom stays unresolved', () => {
    const container: JsonObject = {
      name: 'api',
      command: ['kube-apiserver', '--anonymous-auth=$(ANON)', '--advertise-address=$(POD_IP)', '--audit-log-path=$$(ANON)', '--etcd-prefix=$(PREFIX)'],
      env: [
        { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'ANON', value: 'false' },
        { name: 'PREFIX', value: '/registry-$(ANON)' },
      ],
    };
    const invocation = componentInvocationOfContainer(container, ['spec', 'containers', 0])!;
    const flags = invocation.flags;
    assert.equal(flagValue(flags, 'anonymous-auth'), 'false');
    assert.deepEqual(getFlag(flags, 'anonymous-auth')!.last.source, {
      type: 'container',
      path: ['spec', 'containers', 0, 'command', 1],
      env: [['spec', 'containers', 0, 'env', 1]],
    });
    assert.equal(flagValue(flags, 'advertise-address'), '$(POD_IP)');
    assert.equal(flagValue(flags, 'audit-log-path'), '$(ANON)');
    assert.equal(flagValue(flags, 'etcd-prefix'), '/registry-false');
    assert.deepEqual(invocation.problems.map((problem) => [problem.code, problem.path]), [['unresolved-env-reference', ['spec', 'containers', 0, 'command', 2]]]);
    assert.deepEqual([...invocation.environment.keys()], ['ANON', 'PREFIX']);
  });

  test('non-string command elements are skipped and reported', () => {
    const { tokens, problems } = containerArgv({ command: ['kube-scheduler', 42, '--profiling=false'] }, ['spec', 'containers', 0]);
    assert.deepEqual(tokens.map((token) => token.text), ['kube-scheduler', '--profiling=false']);
    assert.deepEqual(problems.map((problem) => [problem.code, problem.path]), [['non-string-argument', ['spec', 'containers', 0, 'command', 1]]]);
  });
});

describe('shell wrappers', () => {
  test('kops-style `/bin/sh -c "… exec kube-apiserver … > pipe 2>&1"`: flags from the script, redirections dropped', () => {
    const script =
      'mkfifo /tmp/pipe; (tee -a /var/log/kube-apiserver.log < /tmp/pipe & ) ; exec /usr/local/bin/kube-apiserver ' +
      "--allow-privileged=true --anonymous-auth=false --authorization-mode='Node,RBAC' --audit-policy-file=\"/srv/audit policy.yaml\" > /tmp/pipe 2>&1";
    const invocation = componentInvocationOfContainer({ name: 'api', command: ['/bin/sh', '-c'], args: [script] }, ['spec', 'containers', 0])!;
    assert.equal(invocation.component, 'kube-apiserver');
    assert.deepEqual(invocation.wrappers, ['shell']);
    assert.deepEqual(Object.fromEntries([...invocation.flags.flags].map(([name, flag]) => [name, flag.value])), {
      'allow-privileged': 'true',
      'anonymous-auth': 'false',
      'authorization-mode': 'Node,RBAC',
      'audit-policy-file': '/srv/audit policy.yaml',
    });
    assert.deepEqual(invocation.flags.problems, []);
    assert.deepEqual(getFlag(invocation.flags, 'anonymous-auth')!.last.source, { type: 'container', path: ['spec', 'containers', 0, 'args', 0] });
    assert.deepEqual(invocation.problems.map((problem) => problem.code), ['shell-script']);
  });

  test('a shell that runs no component is not one', () => {
    assert.equal(componentInvocationOfArgv(argvTokens(['sh', '-c', 'echo kube-apiserver']), { type: 'argv' }), undefined);
    assert.equal(componentInvocationOfArgv(argvTokens(['bash', '-ec', 'X=1 exec etcd --name=a']), { type: 'argv' })?.component, 'etcd');
  });

  test('shellCommands: quoting, escapes, operators, comments, line continuations', () => {
    assert.deepEqual(shellCommands(`a 'b c' "d \\"e\\" \\$f" g\\ h && i | j # k l\nm \\\n n; o>p 2>&1 q`), [
      ['a', 'b c', 'd "e" $f', 'g h'],
      ['i'],
      ['j'],
      ['m', 'n'],
      ['o', 'q'],
    ]);
  });
});

describe('argv and /proc', () => {
  test('a process command line keeps pid and argv index', () => {
    const invocation = componentInvocationOfArgv(procCmdlineTokens(4242, '/usr/bin/kubelet\0--anonymous-auth=false\0--read-only-port\x000\0'), { type: 'process', pid: 4242 })!;
    assert.equal(invocation.component, 'kubelet');
    assert.deepEqual(getFlag(invocation.flags, 'read-only-port')!.last, {
      name: 'read-only-port',
      written: '--read-only-port',
      value: '0',
      form: 'separate',
      source: { type: 'process', pid: 4242, index: 2 },
      valueSource: { type: 'process', pid: 4242, index: 3 },
      index: 1,
    });
  });

  test('image names', () => {
    assert.equal(componentOfImage('registry.k8s.io/etcd:3.5.12-0'), 'etcd');
    assert.equal(componentOfImage('localhost:5000/kube-scheduler'), 'kube-scheduler');
    assert.equal(componentOfImage('k8s.gcr.io/kube-proxy-arm64:v1.20.0'), 'kube-proxy');
    assert.equal(componentOfImage('example.com/kube-apiserver-proxy:1'), undefined);
  });

  test('Kubernetes $(VAR) expansion details', () => {
    const lookup = (name: string) => ({ A: 'x', B: '' })[name];
    assert.deepEqual(expandContainerReferences('$(A)-$(B)-$(C)-$$(A)-$A-$(A', lookup), { text: 'x--$(C)-$(A)-$A-$(A', used: ['A', 'B'], unresolved: ['C'] });
    assert.equal(expandContainerReferences('cost: 5$', lookup).text, 'cost: 5$');
  });
});
