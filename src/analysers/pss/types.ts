import type { Path } from '../../core/model.ts';

export const PSS_LEVELS = ['baseline', 'restricted'] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];

/**
 * For each upstream check id (kubernetes/kubernetes `staging/src/k8s.io/pod-security-admission/policy/check_*.go`),
 * the reasons a violation of it can have. A reason doubles as the message id of the check's rule.
 */
export interface PssReasons {
  readonly privileged: 'privileged';
  readonly hostNamespaces: 'hostNamespace';
  readonly hostPathVolumes: 'hostPathVolume';
  readonly hostPorts: 'hostPort';
  readonly hostProbesAndHostLifecycle: 'probeHost' | 'lifecycleHost';
  readonly capabilities_baseline: 'nonDefaultCapability';
  readonly appArmorProfile: 'profileType' | 'annotation';
  readonly seLinuxOptions: 'type' | 'user' | 'role';
  readonly procMount: 'procMount';
  readonly seccompProfile_baseline: 'profileType' | 'annotation';
  readonly sysctls: 'unsafeSysctl';
  readonly windowsHostProcess: 'hostProcess';
  readonly restrictedVolumes: 'volumeType';
  readonly allowPrivilegeEscalation: 'missing' | 'enabled';
  readonly runAsNonRoot: 'missing' | 'disabled';
  readonly runAsUser: 'rootUser';
  readonly seccompProfile_restricted: 'missing' | 'profileType';
  readonly capabilities_restricted: 'dropAllMissing' | 'addedCapability';
  readonly procMount_restricted: 'procMount';
}

export type PssCheckId = keyof PssReasons;

export type PssData = Readonly<Record<string, string>>;

/** One offending field (or missing required field) of a pod template, for one check. */
export type PssViolation<C extends PssCheckId = PssCheckId> = {
  readonly [K in C]: {
    readonly check: K;
    /** The level the check belongs to; restricted includes every baseline check it does not override. */
    readonly level: PssLevel;
    readonly reason: PssReasons[K];
    /** Absolute path from the object root to the offending field, or to the field that must be set. */
    readonly path: Path;
    /** Human text, e.g. `container "web" sets securityContext.privileged: true`. */
    readonly detail: string;
    /** Values for the message placeholders of the reason (`subject`, `container`, `capability`, …). */
    readonly data: PssData;
  };
}[C];
