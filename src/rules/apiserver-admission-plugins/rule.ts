import { getFlag, type ComponentInvocation, type Flag, type SourcedValue } from '../../analysers/components/index.ts';
import type { Path } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, listElements, REQUIRES_KUBE_APISERVER } from '../shared/component-flags.ts';

// Whether kube-apiserver (v1.34) enables these plugins when no flag names them. NamespaceLifecycle and ServiceAccount
// are in the default-on set; AlwaysAdmit and NodeRestriction are not.
const DEFAULT_ON: Readonly<Record<string, boolean>> = {
  AlwaysAdmit: false,
  NamespaceLifecycle: true,
  NodeRestriction: false,
  ServiceAccount: true,
};

interface PluginState {
  readonly enabled: boolean;
  /** Why: the flag element or flag that decides, for the message and the location. */
  readonly how: string;
  readonly flag: Flag | undefined;
  readonly element: SourcedValue | undefined;
  /** What to change. */
  readonly fix: string;
}

/**
 * How kube-apiserver's admission options decide a plugin. The deprecated --admission-control (when set alone) is the
 * exact list: default plugins it does not name are off. Otherwise a plugin is on when --enable-admission-plugins
 * names it, or when it is on by default and --disable-admission-plugins does not name it. (The API server refuses
 * --admission-control together with the other two, and a plugin named in both of those.)
 */
function pluginState(invocation: ComponentInvocation, plugin: string): PluginState {
  const flags = invocation.flags;
  const control = getFlag(flags, 'admission-control');
  const enable = getFlag(flags, 'enable-admission-plugins');
  const disable = getFlag(flags, 'disable-admission-plugins');
  if (control && !enable && !disable) {
    const element = listElements(control).find((item) => item.value === plugin);
    return element
      ? { enabled: true, how: 'in --admission-control', flag: control, element, fix: `remove ${plugin} from --admission-control` }
      : {
          enabled: false,
          how: '--admission-control replaces the default plugins and does not list it',
          flag: control,
          element: undefined,
          fix: `add ${plugin} to --admission-control, or better replace the deprecated --admission-control with --enable-admission-plugins`,
        };
  }
  const enabled = listElements(enable).find((item) => item.value === plugin);
  if (enabled) return { enabled: true, how: 'in --enable-admission-plugins', flag: enable, element: enabled, fix: `remove ${plugin} from --enable-admission-plugins` };
  const disabled = listElements(disable).find((item) => item.value === plugin);
  if (disabled) {
    return { enabled: false, how: '--disable-admission-plugins lists it', flag: disable, element: disabled, fix: `remove ${plugin} from --disable-admission-plugins` };
  }
  const on = DEFAULT_ON[plugin] ?? false;
  return {
    enabled: on,
    how: enable ? '--enable-admission-plugins does not list it and it is off by default' : '--enable-admission-plugins is not set and it is off by default',
    flag: enable,
    element: undefined,
    fix: `add ${plugin} to --enable-admission-plugins`,
  };
}

export const rule = defineRule({
  meta: {
    id: 'apiserver-admission-plugins',
    title: 'API server admission plugins weaken or miss built-in checks',
    category: 'cluster',
    defaultSeverity: 'medium',
    requires: REQUIRES_KUBE_APISERVER,
    rationale:
      'kube-apiserver runs a default set of admission plugins, changed with --enable-admission-plugins and ' +
      '--disable-admission-plugins; the deprecated --admission-control instead lists every plugin to run, turning ' +
      'off defaults it omits. AlwaysAdmit (deprecated, off by default) admits every request unchecked (CIS 1.2.10). ' +
      'ServiceAccount (on by default) gives Pods their ServiceAccount and its token volume and rejects Pods naming a ' +
      'ServiceAccount that does not exist (1.2.12). NamespaceLifecycle (on by default) rejects objects in namespaces ' +
      'that do not exist or are being deleted, and keeps default, kube-system and kube-public from being deleted ' +
      '(1.2.13). NodeRestriction is not on by default: it limits each kubelet to changing its own Node and the Pods ' +
      'bound to it, and keeps kubelets from setting node-restriction.kubernetes.io/ labels that steer workloads; ' +
      'without it a stolen kubelet credential can modify every Node and Pod status (1.2.14).',
    remediation:
      'In the API server\'s static Pod manifest (for kubeadm, /etc/kubernetes/manifests/kube-apiserver.yaml) set ' +
      '--enable-admission-plugins to include NodeRestriction and not AlwaysAdmit, keep ServiceAccount and ' +
      'NamespaceLifecycle out of --disable-admission-plugins, and replace the deprecated --admission-control with ' +
      '--enable-admission-plugins.',
    controls: ['cis-k8s/1.2.10', 'cis-k8s/1.2.12', 'cis-k8s/1.2.13', 'cis-k8s/1.2.14', 'nsa-cisa/authentication-authorization', 'nist-800-190/4.3.5', 'nist-800-53/AC-6', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.1', 'iso-27001/8.9'],
    messages: {
      alwaysAdmitEnabled:
        'kube-apiserver enables the AlwaysAdmit admission plugin ({{how}}), which admits every request without checking it and is deprecated; {{fix}}',
      serviceAccountDisabled:
        'kube-apiserver runs without the ServiceAccount admission plugin ({{how}}): Pods get no default ServiceAccount or token volume, and Pods naming a missing ServiceAccount are not rejected; {{fix}}',
      namespaceLifecycleDisabled:
        'kube-apiserver runs without the NamespaceLifecycle admission plugin ({{how}}): objects can be created in namespaces that do not exist or are being deleted, and default, kube-system and kube-public can be deleted; {{fix}}',
      nodeRestrictionMissing:
        'kube-apiserver runs without the NodeRestriction admission plugin ({{how}}): a kubelet\'s credentials can modify every Node and Pod status, not only its own, and set node-restriction.kubernetes.io/ labels; {{fix}}',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --enable-admission-plugins=AlwaysAdmit\n- --disable-admission-plugins=ServiceAccount',
      good: 'command:\n- kube-apiserver\n- --enable-admission-plugins=NodeRestriction',
    },
  },
  scope: { type: 'inventory' },
  check(context, subject) {
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      const { invocation, object } = located;
      context.evaluated();
      const where = (state: PluginState): Path =>
        state.flag && state.element ? located.pathOfSource(state.element.source) : located.pathOf(state.flag);
      const alwaysAdmit = pluginState(invocation, 'AlwaysAdmit');
      if (alwaysAdmit.enabled) {
        context.report({
          messageId: 'alwaysAdmitEnabled',
          data: { how: alwaysAdmit.how, fix: alwaysAdmit.fix },
          path: where(alwaysAdmit),
          object,
          controls: ['cis-k8s/1.2.10'],
        });
      }
      const serviceAccount = pluginState(invocation, 'ServiceAccount');
      if (!serviceAccount.enabled) {
        context.report({
          messageId: 'serviceAccountDisabled',
          data: { how: serviceAccount.how, fix: serviceAccount.fix },
          path: where(serviceAccount),
          object,
          controls: ['cis-k8s/1.2.12'],
        });
      }
      const lifecycle = pluginState(invocation, 'NamespaceLifecycle');
      if (!lifecycle.enabled) {
        context.report({
          messageId: 'namespaceLifecycleDisabled',
          data: { how: lifecycle.how, fix: lifecycle.fix },
          path: where(lifecycle),
          object,
          controls: ['cis-k8s/1.2.13'],
        });
      }
      const nodeRestriction = pluginState(invocation, 'NodeRestriction');
      if (!nodeRestriction.enabled) {
        context.report({
          messageId: 'nodeRestrictionMissing',
          data: { how: nodeRestriction.how, fix: nodeRestriction.fix },
          path: where(nodeRestriction),
          object,
          controls: ['cis-k8s/1.2.14', 'nsa-cisa/authentication-authorization'],
        });
      }
    }
  },
});
