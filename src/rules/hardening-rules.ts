import type { AnyRule } from '../core/rule-api.ts';
import { rule as capabilitiesDropAll } from './capabilities-drop-all/rule.ts';
import { rule as cpuLimit } from './cpu-limit/rule.ts';
import { rule as dangerousCapabilities } from './dangerous-capabilities/rule.ts';
import { rule as defaultNamespace } from './default-namespace/rule.ts';
import { rule as defaultServiceAccount } from './default-service-account/rule.ts';
import { rule as encryptionAtRestConfig } from './encryption-at-rest-config/rule.ts';
import { rule as envLiteralSecret } from './env-literal-secret/rule.ts';
import { rule as hostAliases } from './host-aliases/rule.ts';
import { rule as imageDigest } from './image-digest/rule.ts';
import { rule as imagePullPolicy } from './image-pull-policy/rule.ts';
import { rule as imageRegistryAllowlist } from './image-registry-allowlist/rule.ts';
import { rule as imageTag } from './image-tag/rule.ts';
import { rule as ingressTls } from './ingress-tls/rule.ts';
import { rule as memoryLimit } from './memory-limit/rule.ts';
import { rule as namespacePodSecurityLabels } from './namespace-pod-security-labels/rule.ts';
import { rule as readOnlyRootFilesystem } from './read-only-root-filesystem/rule.ts';
import { rule as resourceRequests } from './resource-requests/rule.ts';
import { rule as runAsUserFloor } from './run-as-user-floor/rule.ts';
import { rule as runAsUserUnset } from './run-as-user-unset/rule.ts';
import { rule as runtimeClassSandbox } from './runtime-class-sandbox/rule.ts';
import { rule as sensitiveHostPath } from './sensitive-host-path/rule.ts';
import { rule as serviceAccountTokenAutomount } from './service-account-token-automount/rule.ts';
import { rule as serviceExternalIps } from './service-external-ips/rule.ts';
import { rule as serviceLoadBalancer } from './service-load-balancer/rule.ts';
import { rule as serviceNodePort } from './service-node-port/rule.ts';
import { rule as shareProcessNamespace } from './share-process-namespace/rule.ts';
import { rule as writableHostPath } from './writable-host-path/rule.ts';

/** Hardening beyond the Pod Security Standards. */
export const HARDENING_RULES: readonly AnyRule[] = [
  readOnlyRootFilesystem,
  runAsUserFloor,
  runAsUserUnset,
  capabilitiesDropAll,
  dangerousCapabilities,
  sensitiveHostPath,
  writableHostPath,
  serviceAccountTokenAutomount,
  defaultServiceAccount,
  memoryLimit,
  cpuLimit,
  resourceRequests,
  imageTag,
  imageDigest,
  imageRegistryAllowlist,
  imagePullPolicy,
  shareProcessNamespace,
  hostAliases,
  runtimeClassSandbox,
  defaultNamespace,
  namespacePodSecurityLabels,
  envLiteralSecret,
  encryptionAtRestConfig,
  serviceNodePort,
  serviceLoadBalancer,
  serviceExternalIps,
  ingressTls,
];
