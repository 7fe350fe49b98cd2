import type { AnyRule } from '../core/rule-api.ts';
import { rule as rbacAnonymousBinding } from './rbac-anonymous-binding/rule.ts';
import { rule as rbacBroadGroupBinding } from './rbac-broad-group-binding/rule.ts';
import { rule as rbacClusterAdminBinding } from './rbac-cluster-admin-binding/rule.ts';
import { rule as rbacCsrApproval } from './rbac-csr-approval/rule.ts';
import { rule as rbacDanglingBinding } from './rbac-dangling-binding/rule.ts';
import { rule as rbacDefaultServiceAccountBound } from './rbac-default-service-account-bound/rule.ts';
import { rule as rbacEmptyRole } from './rbac-empty-role/rule.ts';
import { rule as rbacEscalationPath } from './rbac-escalation-path/rule.ts';
import { rule as rbacEventsDelete } from './rbac-events-delete/rule.ts';
import { rule as rbacNamespaceAdminBinding } from './rbac-namespace-admin-binding/rule.ts';
import { rule as rbacNodesProxy } from './rbac-nodes-proxy/rule.ts';
import { rule as rbacPersistentvolumeCreate } from './rbac-persistentvolume-create/rule.ts';
import { rule as rbacPodCreation } from './rbac-pod-creation/rule.ts';
import { rule as rbacPodExec } from './rbac-pod-exec/rule.ts';
import { rule as rbacPrivilegeEscalationVerbs } from './rbac-privilege-escalation-verbs/rule.ts';
import { rule as rbacSecretsAccess } from './rbac-secrets-access/rule.ts';
import { rule as rbacTokenRequest } from './rbac-token-request/rule.ts';
import { rule as rbacWebhookConfigWrite } from './rbac-webhook-config-write/rule.ts';
import { rule as rbacWildcardRule } from './rbac-wildcard-rule/rule.ts';

/**
 * RBAC rules over the models of analysers/rbac (one per source: the files of a scan together, each cluster on its
 * own): who is granted what through which binding, with the role rule cited. Bindings that grant everything are
 * reported once by the admin-binding rules, not again by the rules about single powers.
 */
export const RBAC_RULES: readonly AnyRule[] = [
  rbacEscalationPath,
  rbacClusterAdminBinding,
  rbacNamespaceAdminBinding,
  rbacAnonymousBinding,
  rbacBroadGroupBinding,
  rbacPrivilegeEscalationVerbs,
  rbacSecretsAccess,
  rbacPodCreation,
  rbacPodExec,
  rbacNodesProxy,
  rbacTokenRequest,
  rbacCsrApproval,
  rbacWebhookConfigWrite,
  rbacPersistentvolumeCreate,
  rbacEventsDelete,
  rbacDefaultServiceAccountBound,
  rbacWildcardRule,
  rbacDanglingBinding,
  rbacEmptyRole,
];
