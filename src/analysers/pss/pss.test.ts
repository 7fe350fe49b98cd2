import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deepFreeze, refOf, type InventoryObject } from '../../core/inventory.ts';
import { deepestExistingPath, formatPath, type JsonObject } from '../../core/model.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS, findPodTemplate, type PodTemplate } from '../../core/pod-templates.ts';
import { LATEST_KUBE_MINOR, parseKubeMinorVersion } from '../../core/settings.ts';
import {
  PSS_CHECK_IDS,
  PSS_LATEST_MINOR,
  PSS_MESSAGES,
  PSS_REGISTRY_MAX_MINOR,
  evaluatePodSecurity,
  parsePssVersion,
  pssChecksAtLevel,
  pssViolationsAtLevel,
  pssViolationsOf,
  type PssCheckId,
} from './index.ts';

const v = (minor: number) => ({ major: 1, minor }) as const;

function templateOf(object: JsonObject): PodTemplate {
  const frozen = deepFreeze(structuredClone(object));
  const inventoryObject: InventoryObject = {
    ref: refOf(frozen)!,
    object: frozen,
    origin: { type: 'file', file: 'test.yaml', documentIndex: 0, pathInDocument: [] },
    locator: { locate: () => ({ line: 1, column: 1 }) },
  };
  return findPodTemplate(inventoryObject, BUILTIN_POD_TEMPLATE_LOCATIONS)!;
}

function pod(spec: JsonObject, metadata: JsonObject = {}): PodTemplate {
  return templateOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...metadata }, spec });
}

/** A pod that passes restricted at every version; `patch` edits a copy of it. */
function restrictedPod(patch: (spec: Record<string, any>) => void = () => {}): PodTemplate {
  const hardened = { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } };
  const spec: Record<string, any> = {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    initContainers: [{ name: 'init', image: 'i', securityContext: structuredClone(hardened) }],
    containers: [{ name: 'app', image: 'a', securityContext: structuredClone(hardened) }],
  };
  patch(spec);
  return pod(spec);
}

function checks(template: PodTemplate, minor: number): PssCheckId[] {
  return [...new Set(evaluatePodSecurity(template, v(minor)).map((violation) => violation.check))].sort();
}

function rendered(template: PodTemplate, minor: number): string[] {
  return evaluatePodSecurity(template, v(minor)).map((violation) => `${violation.check} ${formatPath(violation.path)}`);
}

describe('versions', () => {
  test('parses PSA version labels', () => {
    assert.deepEqual(parsePssVersion('v1.25'), v(25));
    assert.deepEqual(parsePssVersion('1.0'), v(0));
    assert.deepEqual(parsePssVersion('latest'), v(PSS_LATEST_MINOR));
    assert.deepEqual(parsePssVersion('v1.40'), v(40));
    for (const bad of ['1', 'v2.1', '1.x', '1.01', '', 'v1.25.3']) assert.equal(parsePssVersion(bad), undefined, bad);
  });

  test('the latest minor is the newest check revision and agrees with the scan settings', () => {
    assert.equal(PSS_REGISTRY_MAX_MINOR, PSS_LATEST_MINOR);
    assert.equal(LATEST_KUBE_MINOR, PSS_LATEST_MINOR);
    assert.deepEqual(parseKubeMinorVersion('latest'), parsePssVersion('latest'));
  });

  test('versions above the latest evaluate like the latest', () => {
    const template = pod({ securityContext: { sysctls: [{ name: 'net.ipv4.tcp_notsent_lowat', value: '1' }] }, containers: [{ name: 'a' }] });
    assert.deepEqual(pssViolationsAtLevel(template, 'baseline', v(36)).map((x) => formatPath(x.path)), ['spec.securityContext.sysctls[0].name']);
    assert.deepEqual(pssViolationsAtLevel(template, 'baseline', v(99)), []);
  });
});

describe('registry', () => {
  test('lists the nineteen upstream checks, each with messages', () => {
    assert.equal(PSS_CHECK_IDS.length, 19);
    assert.deepEqual(Object.keys(PSS_MESSAGES).sort(), [...PSS_CHECK_IDS].sort());
  });

  test('restricted checks override their baseline counterparts from the version they apply', () => {
    const at = (level: 'baseline' | 'restricted', minor: number) => pssChecksAtLevel(level, v(minor));
    assert.ok(!at('restricted', 0).has('hostPathVolumes'));
    assert.ok(at('restricted', 18).has('seccompProfile_baseline'));
    assert.ok(!at('restricted', 19).has('seccompProfile_baseline'));
    assert.ok(at('restricted', 21).has('capabilities_baseline'));
    assert.ok(!at('restricted', 22).has('capabilities_baseline'));
    assert.ok(at('restricted', 34).has('procMount'));
    assert.ok(!at('restricted', 35).has('procMount'));
    assert.ok(at('baseline', 35).has('procMount'));
    assert.ok(!at('baseline', 37).has('runAsNonRoot'));
    assert.ok(!at('restricted', 7).has('allowPrivilegeEscalation'));
    assert.ok(at('restricted', 8).has('allowPrivilegeEscalation'));
    assert.ok(!at('restricted', 22).has('runAsUser'));
    assert.ok(at('restricted', 23).has('runAsUser'));
    assert.ok(!at('baseline', 33).has('hostProbesAndHostLifecycle'));
    assert.ok(at('baseline', 34).has('hostProbesAndHostLifecycle'));
  });
});

describe('evaluation', () => {
  test('a hardened pod passes restricted at every version', () => {
    for (let minor = 0; minor <= 40; minor++) assert.deepEqual(rendered(restrictedPod(), minor), [], `v1.${minor}`);
  });

  test('paths are absolute from the object root, through workload templates', () => {
    const template = templateOf({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c' },
      spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', securityContext: { privileged: true } }] } } } } },
    });
    const [violation] = pssViolationsOf(template, v(37), 'privileged');
    assert.equal(formatPath(violation!.path), 'spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged');
    assert.equal(violation!.detail, 'container "job" sets securityContext.privileged: true');
    assert.equal(violation!.level, 'baseline');
  });

  test('a missing required field points at that field; its deepest existing node is the container', () => {
    const template = pod({ containers: [{ name: 'app', image: 'a' }] });
    const missing = pssViolationsOf(template, v(37), 'runAsNonRoot');
    assert.equal(missing.length, 1);
    assert.equal(missing[0]!.reason, 'missing');
    assert.equal(formatPath(missing[0]!.path), 'spec.containers[0].securityContext.runAsNonRoot');
    assert.equal(formatPath(deepestExistingPath(template.object.object, missing[0]!.path)), 'spec.containers[0]');
  });

  test('init and ephemeral containers are checked like containers', () => {
    const template = pod({
      containers: [{ name: 'app' }],
      initContainers: [{ name: 'init', securityContext: { privileged: true } }],
      ephemeralContainers: [{ name: 'debug', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }],
    });
    assert.deepEqual(rendered(template, 37).filter((line) => !/runAsNonRoot|allowPrivilegeEscalation|seccomp|capabilities_restricted/.test(line)), [
      'privileged spec.initContainers[0].securityContext.privileged',
      'capabilities_baseline spec.ephemeralContainers[0].securityContext.capabilities.add[0]',
    ]);
    assert.match(pssViolationsOf(template, v(37), 'capabilities_baseline')[0]!.detail, /^ephemeral container "debug" adds capability SYS_PTRACE/);
  });

  test('null fields are unset, like nil pointers', () => {
    const template = pod({
      containers: [{ name: 'a', securityContext: { privileged: null, procMount: null, seccompProfile: null }, ports: [{ containerPort: 80, hostPort: 0 }] }],
      volumes: [{ name: 'v', hostPath: null }],
    });
    assert.deepEqual(pssViolationsAtLevel(template, 'baseline', v(37)), []);
  });

  test('memoises per template and version', () => {
    const template = restrictedPod((spec) => {
      spec['hostPID'] = true;
    });
    assert.equal(evaluatePodSecurity(template, v(30)), evaluatePodSecurity(template, v(30)));
    assert.equal(evaluatePodSecurity(template, v(99)), evaluatePodSecurity(template, v(37)));
    assert.notEqual(evaluatePodSecurity(template, v(30)), evaluatePodSecurity(template, v(31)));
    assert.ok(Object.isFrozen(evaluatePodSecurity(template, v(30))));
  });
});

describe('check semantics', () => {
  test('seccomp: annotations before 1.19, the field from 1.19', () => {
    const annotated = pod({ containers: [{ name: 'app' }] }, { annotations: { 'seccomp.security.alpha.kubernetes.io/pod': 'unconfined', 'container.seccomp.security.alpha.kubernetes.io/app': 'docker/default', 'container.seccomp.security.alpha.kubernetes.io/gone': 'unconfined' } });
    assert.deepEqual(pssViolationsAtLevel(annotated, 'baseline', v(18)).map((x) => formatPath(x.path)), ['metadata.annotations["seccomp.security.alpha.kubernetes.io/pod"]']);
    assert.deepEqual(pssViolationsAtLevel(annotated, 'baseline', v(19)), []);
    const field = pod({ containers: [{ name: 'app', securityContext: { seccompProfile: { type: 'Unconfined' } } }] });
    assert.deepEqual(pssViolationsAtLevel(field, 'baseline', v(18)), []);
    assert.deepEqual(pssViolationsAtLevel(field, 'baseline', v(19)).map((x) => x.check), ['seccompProfile_baseline']);
  });

  test('seccomp restricted: a valid pod-level profile covers containers; a container may not override it badly', () => {
    const covered = restrictedPod();
    assert.deepEqual(pssViolationsOf(covered, v(37), 'seccompProfile_restricted'), []);
    const overridden = restrictedPod((spec) => {
      spec['containers'][0].securityContext.seccompProfile = { type: 'Unconfined' };
    });
    assert.deepEqual(pssViolationsOf(overridden, v(37), 'seccompProfile_restricted').map((x) => x.reason), ['profileType']);
    const emptyProfile = restrictedPod((spec) => {
      spec['securityContext'].seccompProfile = {};
    });
    assert.deepEqual(pssViolationsOf(emptyProfile, v(37), 'seccompProfile_restricted').map((x) => formatPath(x.path)), ['spec.securityContext.seccompProfile.type']);
  });

  test('Windows pods are exempt from three restricted checks from 1.25 only', () => {
    const windows = pod({ os: { name: 'windows' }, securityContext: { runAsNonRoot: true }, containers: [{ name: 'app' }] });
    assert.deepEqual(checks(windows, 24), ['allowPrivilegeEscalation', 'capabilities_restricted', 'seccompProfile_restricted']);
    assert.deepEqual(checks(windows, 25), []);
    // Baseline has no Windows exemption.
    const adds = pod({ os: { name: 'windows' }, containers: [{ name: 'app', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }] });
    assert.deepEqual(pssViolationsAtLevel(adds, 'baseline', v(37)).map((x) => x.check), ['capabilities_baseline']);
  });

  test('user namespaces (hostUsers: false) relax procMount, runAsNonRoot and runAsUser from 1.35 only', () => {
    const userNs = restrictedPod((spec) => {
      spec['hostUsers'] = false;
      delete spec['securityContext'].runAsNonRoot;
      spec['securityContext'].runAsUser = 0;
      spec['containers'][0].securityContext.procMount = 'Unmasked';
    });
    assert.deepEqual(checks(userNs, 34), ['procMount', 'runAsNonRoot', 'runAsUser']);
    assert.deepEqual(checks(userNs, 35), ['procMount_restricted']);
    assert.deepEqual(pssViolationsAtLevel(userNs, 'baseline', v(35)), []);
    // hostUsers: true or unset relaxes nothing.
    const hostNs = restrictedPod((spec) => {
      spec['hostUsers'] = true;
      spec['containers'][0].securityContext.procMount = 'Unmasked';
    });
    assert.deepEqual(checks(hostNs, 35), ['procMount', 'procMount_restricted']);
    // Capabilities are not relaxed.
    const caps = restrictedPod((spec) => {
      spec['hostUsers'] = false;
      spec['containers'][0].securityContext.capabilities.add = ['SYS_ADMIN'];
    });
    assert.deepEqual(checks(caps, 37), ['capabilities_baseline', 'capabilities_restricted']);
  });

  test('runAsNonRoot: an explicit false anywhere fails; the pod-level true covers unset containers', () => {
    const overridden = restrictedPod((spec) => {
      spec['containers'][0].securityContext.runAsNonRoot = false;
    });
    assert.deepEqual(rendered(overridden, 37), ['runAsNonRoot spec.containers[0].securityContext.runAsNonRoot']);
    const podFalse = restrictedPod((spec) => {
      spec['securityContext'].runAsNonRoot = false;
      spec['initContainers'][0].securityContext.runAsNonRoot = true;
    });
    assert.deepEqual(rendered(podFalse, 37), ['runAsNonRoot spec.securityContext.runAsNonRoot']);
    const perContainer = restrictedPod((spec) => {
      delete spec['securityContext'].runAsNonRoot;
      spec['containers'][0].securityContext.runAsNonRoot = true;
    });
    assert.deepEqual(rendered(perContainer, 37), ['runAsNonRoot spec.initContainers[0].securityContext.runAsNonRoot']);
  });

  test('runAsUser: a pod-level 0 fails even when every container overrides it', () => {
    const template = restrictedPod((spec) => {
      spec['securityContext'].runAsUser = 0;
      spec['containers'][0].securityContext.runAsUser = 1000;
      spec['initContainers'][0].securityContext.runAsUser = 1000;
    });
    assert.deepEqual(rendered(template, 37), ['runAsUser spec.securityContext.runAsUser']);
    assert.deepEqual(rendered(template, 22), []);
  });

  test('capabilities: exact names, drop ALL required, only NET_BIND_SERVICE may be added under restricted', () => {
    const template = restrictedPod((spec) => {
      spec['containers'][0].securityContext.capabilities = { drop: ['all'], add: ['NET_BIND_SERVICE', 'CHOWN', 'CAP_CHOWN'] };
    });
    assert.deepEqual(rendered(template, 37), [
      'capabilities_baseline spec.containers[0].securityContext.capabilities.add[2]',
      'capabilities_restricted spec.containers[0].securityContext.capabilities.drop',
      'capabilities_restricted spec.containers[0].securityContext.capabilities.add[1]',
      'capabilities_restricted spec.containers[0].securityContext.capabilities.add[2]',
    ]);
    assert.deepEqual(pssViolationsAtLevel(template, 'restricted', v(37)).map((x) => x.check).includes('capabilities_baseline'), false);
  });

  test('restricted volumes: allowed sources, image at every version, a source-less volume is an emptyDir', () => {
    const template = restrictedPod((spec) => {
      spec['volumes'] = [
        { name: 'defaulted' },
        { name: 'img', image: { reference: 'registry.example.com/data:1' } },
        { name: 'nfs', nfs: { server: 's', path: '/' } },
        { name: 'both', configMap: { name: 'c' }, hostPath: { path: '/' } },
        { name: 'host', hostPath: { path: '/var/run/docker.sock' } },
      ];
    });
    assert.deepEqual(rendered(template, 0), [
      'hostPathVolumes spec.volumes[3].hostPath',
      'hostPathVolumes spec.volumes[4].hostPath',
      'restrictedVolumes spec.volumes[2].nfs',
      'restrictedVolumes spec.volumes[4].hostPath',
    ]);
  });

  test('sysctls: the safe set grows with the policy version', () => {
    const template = pod({ containers: [{ name: 'a' }], securityContext: { sysctls: [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }, { name: 'net.ipv4.ip_local_reserved_ports', value: '30000' }] } });
    const unsafe = (minor: number) => pssViolationsOf(template, v(minor), 'sysctls').map((x) => x.data['sysctl']);
    assert.deepEqual(unsafe(26), ['net.ipv4.tcp_rmem', 'net.ipv4.ip_local_reserved_ports']);
    assert.deepEqual(unsafe(27), ['net.ipv4.tcp_rmem']);
    assert.deepEqual(unsafe(32), []);
  });

  test('seLinuxOptions: container_engine_t from 1.31; user and role never', () => {
    const template = pod({ containers: [{ name: 'a', securityContext: { seLinuxOptions: { type: 'container_engine_t', level: 's0:c1,c2' } } }], securityContext: { seLinuxOptions: { user: 'system_u', role: 'system_r' } } });
    assert.deepEqual(pssViolationsOf(template, v(30), 'seLinuxOptions').map((x) => formatPath(x.path)), [
      'spec.securityContext.seLinuxOptions.user',
      'spec.securityContext.seLinuxOptions.role',
      'spec.containers[0].securityContext.seLinuxOptions.type',
    ]);
    assert.deepEqual(pssViolationsOf(template, v(31), 'seLinuxOptions').map((x) => x.reason), ['user', 'role']);
  });

  test('probe and lifecycle hosts are forbidden from 1.34; an empty host is fine', () => {
    const template = pod({
      containers: [
        {
          name: 'a',
          livenessProbe: { httpGet: { host: '', port: 80 } },
          readinessProbe: { tcpSocket: { host: '10.0.0.1', port: 80 } },
          lifecycle: { preStop: { httpGet: { host: 'metadata.internal', port: 80 } } },
        },
      ],
    });
    assert.deepEqual(pssViolationsOf(template, v(33), 'hostProbesAndHostLifecycle'), []);
    assert.deepEqual(
      pssViolationsOf(template, v(34), 'hostProbesAndHostLifecycle').map((x) => `${x.reason} ${formatPath(x.path)}`),
      ['probeHost spec.containers[0].readinessProbe.tcpSocket.host', 'lifecycleHost spec.containers[0].lifecycle.preStop.httpGet.host'],
    );
  });

  test('AppArmor: field and annotation checked at every version', () => {
    const template = pod(
      { containers: [{ name: 'a', securityContext: { appArmorProfile: { type: 'Unconfined' } } }], securityContext: { appArmorProfile: { type: 'Localhost', localhostProfile: 'p' } } },
      { annotations: { 'container.apparmor.security.beta.kubernetes.io/a': 'unconfined', 'container.apparmor.security.beta.kubernetes.io/b': 'localhost/x' } },
    );
    assert.deepEqual(pssViolationsOf(template, v(0), 'appArmorProfile').map((x) => formatPath(x.path)), [
      'spec.containers[0].securityContext.appArmorProfile.type',
      'metadata.annotations["container.apparmor.security.beta.kubernetes.io/a"]',
    ]);
  });

  test('host ports and host namespaces', () => {
    const template = pod({ hostNetwork: true, hostIPC: false, containers: [{ name: 'a', ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }] }] });
    assert.deepEqual(pssViolationsAtLevel(template, 'baseline', v(37)).map((x) => x.detail), [
      'pod sets hostNetwork: true and shares the host network namespace',
      'container "a" binds host port 8443',
    ]);
  });

  test('Windows HostProcess at pod and container level', () => {
    const template = pod({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [{ name: 'a', securityContext: { windowsOptions: { hostProcess: false } } }] });
    assert.deepEqual(pssViolationsOf(template, v(37), 'windowsHostProcess').map((x) => x.detail), ['pod sets securityContext.windowsOptions.hostProcess: true']);
  });

  test('allowPrivilegeEscalation must be exactly false', () => {
    const template = restrictedPod((spec) => {
      spec['containers'][0].securityContext.allowPrivilegeEscalation = true;
      delete spec['initContainers'][0].securityContext.allowPrivilegeEscalation;
    });
    assert.deepEqual(pssViolationsOf(template, v(37), 'allowPrivilegeEscalation').map((x) => x.reason), ['missing', 'enabled']);
  });
});
