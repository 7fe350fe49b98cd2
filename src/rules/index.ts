import type { AnyRule } from '../core/rule-api.ts';
import { CLUSTER_RULES } from './cluster-rules.ts';
import { HARDENING_RULES } from './hardening-rules.ts';
import { NETPOL_RULES } from './netpol-rules.ts';
import { NODE_RULES } from './node-rules.ts';
import { PSS_RULES } from './pss-rules.ts';
import { RBAC_RULES } from './rbac-rules.ts';
import { SECRET_RULES } from './secret-rules.ts';

/** The catalogue: every built-in rule. */
export const ALL_RULES: readonly AnyRule[] = [...PSS_RULES, ...HARDENING_RULES, ...CLUSTER_RULES, ...RBAC_RULES, ...NETPOL_RULES, ...SECRET_RULES, ...NODE_RULES];
