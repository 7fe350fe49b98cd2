// Restricted checks: current pod hardening best practice, on top of every baseline check they do not override.
// Semantics follow kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/check_*.go.

import { asArray, asObject } from '../../core/model.ts';
import { badSeccompProfileTypes, unmaskedProcMounts } from './baseline-checks.ts';
import { defineCheck, type CheckFn, type CheckHit } from './check-api.ts';
import {
  CAPABILITY_ALL,
  RESTRICTED_ADDABLE_CAPABILITY,
  RESTRICTED_ALLOWED_VOLUME_TYPES,
  RESTRICTED_FORBIDDEN_VOLUME_TYPES,
} from './check-data.ts';
import { field, isSet } from './pod-view.ts';
import type { PssCheckId } from './types.ts';

/** From 1.25, checks whose fields the API forbids on Windows pods admit `spec.os.name: windows` pods. */
function exemptWindows<C extends PssCheckId>(evaluate: CheckFn<C>): CheckFn<C> {
  return (pod) => (pod.windows ? [] : evaluate(pod));
}

/** From 1.35, user-namespace pods (`hostUsers: false`) are exempt: root in the pod is not root on the host. */
function exemptUserNamespace<C extends PssCheckId>(evaluate: CheckFn<C>): CheckFn<C> {
  return (pod) => (pod.userNamespace ? [] : evaluate(pod));
}

const restrictedVolumesV1Dot0: CheckFn<'restrictedVolumes'> = (pod) =>
  pod.volumes.flatMap(({ volume, index, name }) => {
    if (RESTRICTED_ALLOWED_VOLUME_TYPES.some((type) => isSet(volume, type))) return [];
    const type = RESTRICTED_FORBIDDEN_VOLUME_TYPES.find((candidate) => isSet(volume, candidate));
    // A volume naming no known source is defaulted to an emptyDir by the API server before admission sees it.
    if (type === undefined) return [];
    return [{ reason: 'volumeType', path: [...pod.volumesPath, index, type], data: { volume: name, volumeType: type } }];
  });

export const restrictedVolumes = defineCheck({
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [{ since: 0, evaluate: restrictedVolumesV1Dot0, overrides: ['hostPathVolumes'] }],
});

const allowPrivilegeEscalationV1Dot8: CheckFn<'allowPrivilegeEscalation'> = (pod) =>
  pod.containers.flatMap((c) => {
    const value = field(c.securityContext, 'allowPrivilegeEscalation');
    if (value === false) return [];
    const path = [...c.securityContextPath, 'allowPrivilegeEscalation'];
    const data = { subject: c.subject, container: c.name };
    return [
      value === undefined
        ? { reason: 'missing' as const, path, data }
        : { reason: 'enabled' as const, path, data: { ...data, value: JSON.stringify(value) } },
    ];
  });

export const allowPrivilegeEscalation = defineCheck({
  id: 'allowPrivilegeEscalation',
  level: 'restricted',
  versions: [
    // The field exists from Kubernetes 1.8.
    { since: 8, evaluate: allowPrivilegeEscalationV1Dot8 },
    { since: 25, evaluate: exemptWindows(allowPrivilegeEscalationV1Dot8) },
  ],
});

const runAsNonRootV1Dot0: CheckFn<'runAsNonRoot'> = (pod) => {
  const hits: CheckHit<'runAsNonRoot'>[] = [];
  const podValue = field(pod.securityContext, 'runAsNonRoot');
  if (podValue !== undefined && podValue !== true) {
    hits.push({ reason: 'disabled', path: [...pod.securityContextPath, 'runAsNonRoot'], data: { subject: 'pod' } });
  }
  for (const c of pod.containers) {
    const value = field(c.securityContext, 'runAsNonRoot');
    const path = [...c.securityContextPath, 'runAsNonRoot'];
    if (value !== undefined) {
      if (value !== true) hits.push({ reason: 'disabled', path, data: { subject: c.subject, container: c.name } });
    } else if (podValue === undefined) {
      // Inherits nothing. (Containers inheriting an explicit pod-level false are covered by the pod's violation.)
      hits.push({ reason: 'missing', path, data: { subject: c.subject, container: c.name } });
    }
  }
  return hits;
};

export const runAsNonRoot = defineCheck({
  id: 'runAsNonRoot',
  level: 'restricted',
  versions: [
    { since: 0, evaluate: runAsNonRootV1Dot0 },
    { since: 35, evaluate: exemptUserNamespace(runAsNonRootV1Dot0) },
  ],
});

const runAsUserV1Dot23: CheckFn<'runAsUser'> = (pod) => {
  const hits: CheckHit<'runAsUser'>[] = [];
  if (field(pod.securityContext, 'runAsUser') === 0) {
    hits.push({ reason: 'rootUser', path: [...pod.securityContextPath, 'runAsUser'], data: { subject: 'pod' } });
  }
  for (const c of pod.containers) {
    if (field(c.securityContext, 'runAsUser') === 0) {
      hits.push({ reason: 'rootUser', path: [...c.securityContextPath, 'runAsUser'], data: { subject: c.subject, container: c.name } });
    }
  }
  return hits;
};

export const runAsUser = defineCheck({
  id: 'runAsUser',
  level: 'restricted',
  versions: [
    { since: 23, evaluate: runAsUserV1Dot23 },
    { since: 35, evaluate: exemptUserNamespace(runAsUserV1Dot23) },
  ],
});

const seccompProfileRestrictedV1Dot19: CheckFn<'seccompProfile_restricted'> = (pod) => {
  const hits = badSeccompProfileTypes<'seccompProfile_restricted'>(pod);
  // Only a valid pod-level profile covers containers that set none; an invalid one is reported on the pod.
  if (isSet(pod.securityContext, 'seccompProfile')) return hits;
  for (const c of pod.containers) {
    if (isSet(c.securityContext, 'seccompProfile')) continue;
    hits.push({
      reason: 'missing',
      path: [...c.securityContextPath, 'seccompProfile', 'type'],
      data: { subject: c.subject, container: c.name },
    });
  }
  return hits;
};

export const seccompProfileRestricted = defineCheck({
  id: 'seccompProfile_restricted',
  level: 'restricted',
  versions: [
    { since: 19, evaluate: seccompProfileRestrictedV1Dot19, overrides: ['seccompProfile_baseline'] },
    { since: 25, evaluate: exemptWindows(seccompProfileRestrictedV1Dot19), overrides: ['seccompProfile_baseline'] },
  ],
});

const capabilitiesRestrictedV1Dot22: CheckFn<'capabilities_restricted'> = (pod) =>
  pod.containers.flatMap((c) => {
    const hits: CheckHit<'capabilities_restricted'>[] = [];
    const data = { subject: c.subject, container: c.name };
    const capabilitiesPath = [...c.securityContextPath, 'capabilities'];
    const capabilities = asObject(field(c.securityContext, 'capabilities'));
    const drop = asArray(capabilities?.['drop']);
    if (!drop.includes(CAPABILITY_ALL)) hits.push({ reason: 'dropAllMissing', path: [...capabilitiesPath, 'drop'], data });
    asArray(capabilities?.['add']).forEach((capability, index) => {
      if (capability === RESTRICTED_ADDABLE_CAPABILITY) return;
      const name = typeof capability === 'string' ? capability : JSON.stringify(capability);
      hits.push({ reason: 'addedCapability', path: [...capabilitiesPath, 'add', index], data: { ...data, capability: name } });
    });
    return hits;
  });

export const capabilitiesRestricted = defineCheck({
  id: 'capabilities_restricted',
  level: 'restricted',
  versions: [
    { since: 22, evaluate: capabilitiesRestrictedV1Dot22, overrides: ['capabilities_baseline'] },
    { since: 25, evaluate: exemptWindows(capabilitiesRestrictedV1Dot22), overrides: ['capabilities_baseline'] },
  ],
});

export const procMountRestricted = defineCheck({
  id: 'procMount_restricted',
  level: 'restricted',
  versions: [
    // Baseline relaxes procMount for user-namespace pods from 1.35; restricted keeps the unconditional check.
    { since: 35, evaluate: (pod) => unmaskedProcMounts<'procMount_restricted'>(pod), overrides: ['procMount'] },
  ],
});

export const RESTRICTED_CHECKS = [
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
] as const;
