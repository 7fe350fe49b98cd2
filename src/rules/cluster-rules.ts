import type { AnyRule } from '../core/rule-api.ts';
import { rule as anonymousApiAccess } from './anonymous-api-access/rule.ts';
import { rule as anonymousAuthEnabled } from './anonymous-auth-enabled/rule.ts';
import { rule as auditPolicyCoverage } from './audit-policy-coverage/rule.ts';
import { rule as deprecatedApiServed } from './deprecated-api-served/rule.ts';
import { rule as deprecatedApiVersion } from './deprecated-api-version/rule.ts';
import { rule as kubernetesVersionCurrent } from './kubernetes-version-current/rule.ts';
import { rule as kubernetesVersionSupported } from './kubernetes-version-supported/rule.ts';

/** Rules about the cluster itself (its ClusterInfo: version, anonymous access, served APIs), API versions and the audit policy. */
export const CLUSTER_RULES: readonly AnyRule[] = [
  kubernetesVersionSupported,
  kubernetesVersionCurrent,
  anonymousApiAccess,
  anonymousAuthEnabled,
  deprecatedApiVersion,
  deprecatedApiServed,
  auditPolicyCoverage,
];
