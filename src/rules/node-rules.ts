import type { AnyRule } from '../core/rule-api.ts';
import { rule as apiserverAuthorization } from './apiserver-authorization/rule.ts';
import { rule as apiserverAnonymousAuth } from './apiserver-anonymous-auth/rule.ts';
import { rule as apiserverAuthenticationConfig } from './apiserver-authentication-config/rule.ts';
import { rule as apiserverAdmissionPlugins } from './apiserver-admission-plugins/rule.ts';
import { rule as apiserverAuditLog } from './apiserver-audit-log/rule.ts';
import { rule as apiserverTls } from './apiserver-tls/rule.ts';
import { rule as apiserverEncryptionProvider } from './apiserver-encryption-provider/rule.ts';
import { rule as etcdSecretsEncrypted } from './etcd-secrets-encrypted/rule.ts';
import { rule as etcdTls } from './etcd-tls/rule.ts';
import { rule as etcdClientUrls } from './etcd-client-urls/rule.ts';
import { rule as controllerManagerConfig } from './controller-manager-config/rule.ts';
import { rule as controlPlaneBindAddress } from './control-plane-bind-address/rule.ts';
import { rule as controlPlaneProfiling } from './control-plane-profiling/rule.ts';
import { rule as kubeletAuthentication } from './kubelet-authentication/rule.ts';
import { rule as kubeletReadOnlyPort } from './kubelet-read-only-port/rule.ts';
import { rule as kubeletHardening } from './kubelet-hardening/rule.ts';
import { rule as kubeletTls } from './kubelet-tls/rule.ts';
import { rule as kubeletHostnameOverride } from './kubelet-hostname-override/rule.ts';
import { rule as nodeFileOwnership } from './node-file-ownership/rule.ts';
import { rule as nodeFilePermissions } from './node-file-permissions/rule.ts';

/**
 * CIS Kubernetes Benchmark sections 1, 2 and 4 on real component configuration: control-plane flags in static Pod
 * manifests (or command lines `palisade node` reads), etcd, the kubelet, and the files they use.
 */
export const NODE_RULES: readonly AnyRule[] = [
  apiserverAuthorization,
  apiserverAnonymousAuth,
  apiserverAuthenticationConfig,
  apiserverAdmissionPlugins,
  apiserverAuditLog,
  apiserverTls,
  apiserverEncryptionProvider,
  etcdTls,
  etcdSecretsEncrypted,
  etcdClientUrls,
  controllerManagerConfig,
  controlPlaneBindAddress,
  controlPlaneProfiling,
  kubeletAuthentication,
  kubeletReadOnlyPort,
  kubeletHardening,
  kubeletTls,
  kubeletHostnameOverride,
  nodeFilePermissions,
  nodeFileOwnership,
];
