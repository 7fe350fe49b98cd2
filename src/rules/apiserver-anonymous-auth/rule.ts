import { getFlag, type ComponentInvocation, type Flag } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { boolFlag, invocationsOf, listFlag, REQUIRES_KUBE_APISERVER, stringFlag } from '../shared/component-flags.ts';

/**
 * Whether the mode list holds AlwaysAllow (or defaults to it): kube-apiserver then turns anonymous authentication off
 * itself (ApplyAuthorization, "AnonymousAuth is not allowed with the AlwaysAllow authorizer"). apiserver-authorization
 * reports that setup.
 */
function alwaysAllowAuthorizer(invocation: ComponentInvocation): boolean {
  if (stringFlag(invocation, 'authorization-config') !== undefined) return false;
  const modes = listFlag(invocation, 'authorization-mode');
  return modes.length === 0 || modes.includes('AlwaysAllow');
}

/** The flag's state for a message about a boolean that defaults to true. */
function describe(flag: Flag | undefined): string {
  if (!flag) return 'not set, and it defaults to true';
  if (flag.last.form === 'implicit') return `set to true by a bare ${flag.last.written} (a boolean flag never takes the next word)`;
  return `set to ${flag.value}`;
}

export const rule = defineRule({
  meta: {
    id: 'apiserver-anonymous-auth',
    title: 'API server accepts anonymous requests',
    category: 'cluster',
    defaultSeverity: 'high',
    requires: REQUIRES_KUBE_APISERVER,
    rationale:
      'kube-apiserver treats a request that no authenticator accepts as coming from system:anonymous (group ' +
      'system:unauthenticated) unless started with --anonymous-auth=false; the flag defaults to true. Every API ' +
      'endpoint is then one RBAC binding away from the network: the defaults already let anonymous clients read ' +
      'version and health information, and a single binding to system:anonymous or system:unauthenticated opens more. ' +
      'The CIS Kubernetes Benchmark (1.2.1) asks for --anonymous-auth=false. Where load balancers must probe health ' +
      'endpoints without credentials, an AuthenticationConfiguration (--authentication-config) can keep anonymous ' +
      'access for /healthz, /livez and /readyz only (anonymous.conditions); when --authentication-config is set and ' +
      '--anonymous-auth is not, anonymous access is configured in that file and the rule makes no claim. When the ' +
      'authorization mode is or defaults to AlwaysAllow, the API server turns anonymous authentication off itself ' +
      '(apiserver-authorization reports that far worse setup). Live evidence from the API server is judged by ' +
      'anonymous-auth-enabled.',
    remediation:
      'Add --anonymous-auth=false to the API server\'s command in its static Pod manifest (for kubeadm, ' +
      '/etc/kubernetes/manifests/kube-apiserver.yaml). Where anonymous health checks are needed, instead remove ' +
      '--anonymous-auth and set --authentication-config to an AuthenticationConfiguration with anonymous: ' +
      '{enabled: true, conditions: [{path: /healthz}, {path: /livez}, {path: /readyz}]}.',
    controls: ['cis-k8s/1.2.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078', 'nist-800-190/4.3.2', 'nist-800-53/AC-14', 'nist-800-53/IA-2', 'pci-dss/8.3.1', 'soc2/CC6.1', 'iso-27001/8.5', 'hipaa/164.312(d)'],
    messages: {
      anonymousEnabled:
        'kube-apiserver accepts anonymous requests: --anonymous-auth is {{state}}, so requests without credentials run as system:anonymous; set --anonymous-auth=false, or limit anonymous access to /healthz, /livez and /readyz with an AuthenticationConfiguration (--authentication-config)',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC',
      good: 'command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC\n- --anonymous-auth=false',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      const { invocation } = located;
      const flag = getFlag(invocation.flags, 'anonymous-auth');
      // Unset with an AuthenticationConfiguration: its `anonymous` section (if any) decides, and the file is not here.
      if (!flag && stringFlag(invocation, 'authentication-config') !== undefined) continue;
      context.evaluated();
      if (!boolFlag(invocation, 'anonymous-auth', true)) continue;
      if (alwaysAllowAuthorizer(invocation)) continue;
      context.report({
        messageId: 'anonymousEnabled',
        data: { state: describe(flag) },
        path: located.pathOf(flag),
        object: located.object,
        controls: ['cis-k8s/1.2.1', 'nsa-cisa/authentication-authorization', 'mitre-attack/T1078'],
      });
    }
  },
});
