import type { AnyRule } from '../core/rule-api.ts';
import { rule as controlPlaneProfiling } from './control-plane-profiling/rule.ts';
import { rule as nodeFileOwnership } from './node-file-ownership/rule.ts';
import { rule as nodeFilePermissions } from './node-file-permissions/rule.ts';

/**
 * CIS Kubernetes Benchmark sections 1, 2 and 4 on real component configuration: control-plane flags in static Pod
 * manifests (or command lines `palisade node` reads), etcd, the kubelet, and the files they use.
 */
export const NODE_RULES: readonly AnyRule[] = [controlPlaneProfiling, nodeFilePermissions, nodeFileOwnership];
