// Baseline checks: minimally restrictive, they prevent known privilege escalations.
// Semantics follow kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_*.go.

import { asArray, asObject, type JsonObject, type Path } from '../../core/model.ts';
import { defineCheck, type CheckFn, type CheckHit } from './check-api.ts';
import {
  ALLOWED_PROFILE_TYPES,
  APPARMOR_CONTAINER_ANNOTATION_PREFIX,
  BASELINE_ADDABLE_CAPABILITIES,
  HOST_HANDLER_ACTIONS,
  LIFECYCLE_HANDLER_FIELDS,
  PROBE_FIELDS,
  SECCOMP_CONTAINER_ANNOTATION_PREFIX,
  SECCOMP_POD_ANNOTATION,
  allowedAppArmorAnnotationValue,
  allowedSeLinuxTypes,
  allowedSeccompAnnotationValue,
  safeSysctls,
} from './check-data.ts';
import { field, isSet, stringField, type PodView } from './pod-view.ts';

/** The pod's own securityContext and each container's, with the subject naming it: the places many checks read. */
export function securityContexts(pod: PodView): { subject: string; context: JsonObject | undefined; path: Path }[] {
  return [
    { subject: 'pod', context: pod.securityContext, path: pod.securityContextPath },
    ...pod.containers.map((c) => ({ subject: c.subject, context: c.securityContext, path: c.securityContextPath })),
  ];
}

function annotationValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export const privileged = defineCheck({
  id: 'privileged',
  level: 'baseline',
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        pod.containers.flatMap((c) =>
          c.securityContext?.['privileged'] === true
            ? [{ reason: 'privileged', path: [...c.securityContextPath, 'privileged'], data: { subject: c.subject, container: c.name } }]
            : [],
        ),
    },
  ],
});

const HOST_NAMESPACES = [
  ['hostNetwork', 'network'],
  ['hostPID', 'PID'],
  ['hostIPC', 'IPC'],
] as const;

export const hostNamespaces = defineCheck({
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        HOST_NAMESPACES.flatMap(([name, namespace]) =>
          pod.spec[name] === true
            ? [{ reason: 'hostNamespace', path: [...pod.specPath, name], data: { subject: 'pod', field: name, namespace } }]
            : [],
        ),
    },
  ],
});

export const hostPathVolumes = defineCheck({
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        pod.volumes.flatMap(({ volume, index, name }) => {
          if (!isSet(volume, 'hostPath')) return [];
          const hostPath = stringField(asObject(volume['hostPath']), 'path');
          return [{ reason: 'hostPathVolume', path: [...pod.volumesPath, index, 'hostPath'], data: { volume: name, hostPath } }];
        }),
    },
  ],
});

export const hostPorts = defineCheck({
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        pod.containers.flatMap((c) =>
          asArray(c.entry.container['ports']).flatMap((port, index) => {
            const hostPort = field(asObject(port), 'hostPort');
            if (hostPort === undefined || hostPort === 0) return [];
            return [
              {
                reason: 'hostPort',
                path: [...c.entry.path, 'ports', index, 'hostPort'],
                data: { subject: c.subject, container: c.name, hostPort: String(hostPort) },
              },
            ];
          }),
        ),
    },
  ],
});

export const hostProbesAndHostLifecycle = defineCheck({
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [
    {
      since: 34,
      evaluate: (pod) =>
        pod.containers.flatMap((c) => {
          const hits: CheckHit<'hostProbesAndHostLifecycle'>[] = [];
          const inspect = (handler: JsonObject | undefined, handlerPath: Path, name: string, reason: 'probeHost' | 'lifecycleHost'): void => {
            for (const action of HOST_HANDLER_ACTIONS) {
              const host = stringField(asObject(handler?.[action]), 'host');
              if (host === '') continue;
              hits.push({
                reason,
                path: [...handlerPath, action, 'host'],
                data: { subject: c.subject, container: c.name, field: `${name}.${action}`, host },
              });
            }
          };
          for (const probe of PROBE_FIELDS) {
            inspect(asObject(c.entry.container[probe]), [...c.entry.path, probe], probe, 'probeHost');
          }
          const lifecycle = asObject(c.entry.container['lifecycle']);
          for (const hook of LIFECYCLE_HANDLER_FIELDS) {
            inspect(asObject(lifecycle?.[hook]), [...c.entry.path, 'lifecycle', hook], hook, 'lifecycleHost');
          }
          return hits;
        }),
    },
  ],
});

export const capabilitiesBaseline = defineCheck({
  id: 'capabilities_baseline',
  level: 'baseline',
  versions: [
    {
      // Upstream skipped this check for user-namespace pods only behind the perma-alpha
      // UserNamespacesPodSecurityStandards gate (off by default, removed in 1.35 without a relaxation here).
      since: 0,
      evaluate: (pod) =>
        pod.containers.flatMap((c) => {
          const capabilitiesPath = [...c.securityContextPath, 'capabilities', 'add'];
          return asArray(asObject(c.securityContext?.['capabilities'])?.['add']).flatMap((capability, index) => {
            const name = annotationValue(capability);
            if (BASELINE_ADDABLE_CAPABILITIES.has(name)) return [];
            return [
              {
                reason: 'nonDefaultCapability',
                path: [...capabilitiesPath, index],
                data: { subject: c.subject, container: c.name, capability: name },
              },
            ];
          });
        }),
    },
  ],
});

export const appArmorProfile = defineCheck({
  id: 'appArmorProfile',
  level: 'baseline',
  versions: [
    {
      // The field check was added to the 1.0 revision in place (Kubernetes 1.30): it applies at every version.
      since: 0,
      evaluate: (pod) => {
        const hits: CheckHit<'appArmorProfile'>[] = [];
        for (const { subject, context, path } of securityContexts(pod)) {
          if (!isSet(context, 'appArmorProfile')) continue;
          const type = stringField(asObject(context?.['appArmorProfile']), 'type');
          if (ALLOWED_PROFILE_TYPES.has(type)) continue;
          hits.push({ reason: 'profileType', path: [...path, 'appArmorProfile', 'type'], data: { subject, type } });
        }
        for (const [key, raw] of Object.entries(pod.annotations).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
          if (!key.startsWith(APPARMOR_CONTAINER_ANNOTATION_PREFIX) || raw === null) continue;
          const value = annotationValue(raw);
          if (allowedAppArmorAnnotationValue(value)) continue;
          hits.push({ reason: 'annotation', path: [...pod.annotationsPath, key], data: { subject: 'pod', annotation: key, value } });
        }
        return hits;
      },
    },
  ],
});

function seLinuxOptionsFor(minor: number): CheckFn<'seLinuxOptions'> {
  const allowedTypes = allowedSeLinuxTypes(minor);
  return (pod) =>
    securityContexts(pod).flatMap(({ subject, context, path }) => {
      if (!isSet(context, 'seLinuxOptions')) return [];
      const options = asObject(context?.['seLinuxOptions']);
      const optionsPath = [...path, 'seLinuxOptions'];
      const hits: CheckHit<'seLinuxOptions'>[] = [];
      const type = stringField(options, 'type');
      if (!allowedTypes.has(type)) hits.push({ reason: 'type', path: [...optionsPath, 'type'], data: { subject, type } });
      const user = stringField(options, 'user');
      if (user !== '') hits.push({ reason: 'user', path: [...optionsPath, 'user'], data: { subject, user } });
      const role = stringField(options, 'role');
      if (role !== '') hits.push({ reason: 'role', path: [...optionsPath, 'role'], data: { subject, role } });
      return hits;
    });
}

export const seLinuxOptions = defineCheck({
  id: 'seLinuxOptions',
  level: 'baseline',
  versions: [
    { since: 0, evaluate: seLinuxOptionsFor(0) },
    { since: 31, evaluate: seLinuxOptionsFor(31) },
  ],
});

/** Any container procMount other than unset or `Default` (shared with the restricted procMount check). */
export function unmaskedProcMounts<C extends 'procMount' | 'procMount_restricted'>(pod: PodView): CheckHit<C>[] {
  return pod.containers.flatMap((c) => {
    if (!isSet(c.securityContext, 'procMount')) return [];
    const procMount = stringField(c.securityContext, 'procMount');
    if (procMount === 'Default') return [];
    return [
      {
        reason: 'procMount',
        path: [...c.securityContextPath, 'procMount'],
        data: { subject: c.subject, container: c.name, procMount: procMount === '' ? '""' : procMount },
      } as CheckHit<C>,
    ];
  });
}

export const procMount = defineCheck({
  id: 'procMount',
  level: 'baseline',
  versions: [
    { since: 0, evaluate: (pod) => unmaskedProcMounts<'procMount'>(pod) },
    // From 1.35 a pod in a user namespace (hostUsers: false) may unmask /proc under baseline.
    { since: 35, evaluate: (pod) => (pod.userNamespace ? [] : unmaskedProcMounts<'procMount'>(pod)) },
  ],
});

/** Explicitly set seccompProfile types outside RuntimeDefault/Localhost (shared with the restricted check). */
export function badSeccompProfileTypes<C extends 'seccompProfile_baseline' | 'seccompProfile_restricted'>(pod: PodView): CheckHit<C>[] {
  return securityContexts(pod).flatMap(({ subject, context, path }) => {
    if (!isSet(context, 'seccompProfile')) return [];
    const type = stringField(asObject(context?.['seccompProfile']), 'type');
    if (ALLOWED_PROFILE_TYPES.has(type)) return [];
    return [{ reason: 'profileType', path: [...path, 'seccompProfile', 'type'], data: { subject, type } } as CheckHit<C>];
  });
}

export const seccompProfileBaseline = defineCheck({
  id: 'seccompProfile_baseline',
  level: 'baseline',
  versions: [
    {
      // Before the seccompProfile field (1.19): the alpha annotations.
      since: 0,
      evaluate: (pod) => {
        const hits: CheckHit<'seccompProfile_baseline'>[] = [];
        const keys = [SECCOMP_POD_ANNOTATION, ...pod.containers.map((c) => SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)];
        for (const key of new Set(keys)) {
          const raw = pod.annotations[key];
          if (raw === undefined || raw === null) continue;
          const value = annotationValue(raw);
          if (allowedSeccompAnnotationValue(value)) continue;
          hits.push({ reason: 'annotation', path: [...pod.annotationsPath, key], data: { subject: 'pod', annotation: key, value } });
        }
        return hits;
      },
    },
    { since: 19, evaluate: (pod) => badSeccompProfileTypes<'seccompProfile_baseline'>(pod) },
  ],
});

function sysctlsFor(minor: number): CheckFn<'sysctls'> {
  const safe = safeSysctls(minor);
  return (pod) =>
    asArray(pod.securityContext?.['sysctls']).flatMap((sysctl, index) => {
      const name = stringField(asObject(sysctl), 'name');
      if (safe.has(name)) return [];
      return [
        {
          reason: 'unsafeSysctl',
          path: [...pod.securityContextPath, 'sysctls', index, 'name'],
          data: { subject: 'pod', sysctl: name === '' ? '""' : name },
        },
      ];
    });
}

export const sysctls = defineCheck({
  id: 'sysctls',
  level: 'baseline',
  versions: [0, 27, 29, 32, 37].map((since) => ({ since, evaluate: sysctlsFor(since) })),
});

export const windowsHostProcess = defineCheck({
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      since: 0,
      evaluate: (pod) =>
        securityContexts(pod).flatMap(({ subject, context, path }) =>
          asObject(context?.['windowsOptions'])?.['hostProcess'] === true
            ? [{ reason: 'hostProcess', path: [...path, 'windowsOptions', 'hostProcess'], data: { subject } }]
            : [],
        ),
    },
  ],
});

export const BASELINE_CHECKS = [
  privileged,
  hostNamespaces,
  hostPathVolumes,
  hostPorts,
  hostProbesAndHostLifecycle,
  capabilitiesBaseline,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
] as const;
