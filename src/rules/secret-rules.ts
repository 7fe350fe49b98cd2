import type { AnyRule } from '../core/rule-api.ts';
import { rule as auditPolicySecretBodies } from './audit-policy-secret-bodies/rule.ts';
import { rule as encryptionAtRestCoverage } from './encryption-at-rest-coverage/rule.ts';
import { rule as externalSecretStore } from './external-secret-store/rule.ts';
import { rule as hardcodedSecret } from './hardcoded-secret/rule.ts';
import { rule as helmReleaseCredentials } from './helm-release-credentials/rule.ts';
import { rule as legacyServiceAccountTokenSecret } from './legacy-service-account-token-secret/rule.ts';
import { rule as secretCommitted } from './secret-committed/rule.ts';
import { rule as secretEnvVar } from './secret-env-var/rule.ts';
import { rule as secretInConfigmap } from './secret-in-configmap/rule.ts';
import { rule as secretInLastApplied } from './secret-in-last-applied/rule.ts';
import { rule as secretRefMissing } from './secret-ref-missing/rule.ts';

/** Credentials where they should not be, and how Secrets are kept and consumed (the secret analyser's rules). */
export const SECRET_RULES: readonly AnyRule[] = [
  hardcodedSecret,
  secretInConfigmap,
  secretCommitted,
  secretInLastApplied,
  helmReleaseCredentials,
  legacyServiceAccountTokenSecret,
  secretEnvVar,
  secretRefMissing,
  externalSecretStore,
  encryptionAtRestCoverage,
  auditPolicySecretBodies,
];
