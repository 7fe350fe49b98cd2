import type { AnyRule } from '../core/rule-api.ts';
import { rule as pssPrivileged } from './pss-privileged/rule.ts';
import { rule as pssHostNamespaces } from './pss-host-namespaces/rule.ts';
import { rule as pssHostPathVolumes } from './pss-host-path-volumes/rule.ts';
import { rule as pssHostPorts } from './pss-host-ports/rule.ts';
import { rule as pssHostProbesAndLifecycle } from './pss-host-probes-and-lifecycle/rule.ts';
import { rule as pssCapabilitiesBaseline } from './pss-capabilities-baseline/rule.ts';
import { rule as pssApparmorProfile } from './pss-apparmor-profile/rule.ts';
import { rule as pssSelinuxOptions } from './pss-selinux-options/rule.ts';
import { rule as pssProcMount } from './pss-proc-mount/rule.ts';
import { rule as pssSeccompProfileBaseline } from './pss-seccomp-profile-baseline/rule.ts';
import { rule as pssSysctls } from './pss-sysctls/rule.ts';
import { rule as pssWindowsHostProcess } from './pss-windows-host-process/rule.ts';
import { rule as pssRestrictedVolumes } from './pss-restricted-volumes/rule.ts';
import { rule as pssAllowPrivilegeEscalation } from './pss-allow-privilege-escalation/rule.ts';
import { rule as pssRunAsNonRoot } from './pss-run-as-non-root/rule.ts';
import { rule as pssRunAsUser } from './pss-run-as-user/rule.ts';
import { rule as pssSeccompProfileRestricted } from './pss-seccomp-profile-restricted/rule.ts';
import { rule as pssCapabilitiesRestricted } from './pss-capabilities-restricted/rule.ts';
import { rule as pssProcMountRestricted } from './pss-proc-mount-restricted/rule.ts';

/** One rule per upstream Pod Security Admission check: baseline checks first, then restricted. */
export const PSS_RULES: readonly AnyRule[] = [
  pssPrivileged,
  pssHostNamespaces,
  pssHostPathVolumes,
  pssHostPorts,
  pssHostProbesAndLifecycle,
  pssCapabilitiesBaseline,
  pssApparmorProfile,
  pssSelinuxOptions,
  pssProcMount,
  pssSeccompProfileBaseline,
  pssSysctls,
  pssWindowsHostProcess,
  pssRestrictedVolumes,
  pssAllowPrivilegeEscalation,
  pssRunAsNonRoot,
  pssRunAsUser,
  pssSeccompProfileRestricted,
  pssCapabilitiesRestricted,
  pssProcMountRestricted,
];
