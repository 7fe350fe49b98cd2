// Workloads and the identity their pods run as: the ServiceAccount (spec.serviceAccountName, else the deprecated
// spec.serviceAccount, else `default`) and whether its token is mounted (the pod's automountServiceAccountToken
// wins over the ServiceAccount's; mounted unless one of them says false).
import type { PodTemplate } from '../../core/pod-templates.ts';
import { serviceAccountUser, type UserInfo } from './authorizer.ts';
import type { RbacModel } from './model.ts';

export interface WorkloadIdentity {
  readonly template: PodTemplate;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly tokenMounted: boolean;
  readonly user: UserInfo;
}

export function workloadIdentity(template: PodTemplate, model: RbacModel): WorkloadIdentity {
  // An object from a manifest without a namespace lands in the namespace it is applied to; `default` is assumed.
  const namespace = template.object.ref.namespace ?? 'default';
  const spec = template.spec;
  const named = spec['serviceAccountName'] ?? spec['serviceAccount'];
  const serviceAccount = typeof named === 'string' && named !== '' ? named : 'default';
  const podSetting = spec['automountServiceAccountToken'];
  const accountSetting = model.serviceAccounts.get(`${namespace}/${serviceAccount}`)?.object['automountServiceAccountToken'];
  const tokenMounted = typeof podSetting === 'boolean' ? podSetting : accountSetting !== false;
  return { template, namespace, serviceAccount, tokenMounted, user: serviceAccountUser(namespace, serviceAccount) };
}
