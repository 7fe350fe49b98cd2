import type { PssCheckId, PssReasons } from './types.ts';

/**
 * Message templates per check and reason; `{{name}}` placeholders are filled from a violation's data. The analyser
 * renders them into `detail`, and each check's rule uses them as its `meta.messages`, so the wording lives once.
 * `subject` is always `pod`, `container "x"`, `init container "x"` or `ephemeral container "x"`.
 */
export const PSS_MESSAGES: { readonly [C in PssCheckId]: Readonly<Record<PssReasons[C], string>> } = {
  privileged: {
    privileged: '{{subject}} sets securityContext.privileged: true',
  },
  hostNamespaces: {
    hostNamespace: 'pod sets {{field}}: true and shares the host {{namespace}} namespace',
  },
  hostPathVolumes: {
    hostPathVolume: 'volume "{{volume}}" mounts the host path "{{hostPath}}"',
  },
  hostPorts: {
    hostPort: '{{subject}} binds host port {{hostPort}}',
  },
  hostProbesAndHostLifecycle: {
    probeHost: '{{subject}} sends its {{field}} probe to host "{{host}}"',
    lifecycleHost: '{{subject}} sends its {{field}} lifecycle hook to host "{{host}}"',
  },
  capabilities_baseline: {
    nonDefaultCapability: '{{subject}} adds capability {{capability}}, which is outside the baseline default set',
  },
  appArmorProfile: {
    profileType: '{{subject}} sets appArmorProfile.type "{{type}}"; only RuntimeDefault and Localhost are allowed',
    annotation: 'annotation {{annotation}}="{{value}}" selects a forbidden AppArmor profile',
  },
  seLinuxOptions: {
    type: '{{subject}} sets seLinuxOptions.type "{{type}}", which is not an allowed container type',
    user: '{{subject}} sets seLinuxOptions.user "{{user}}"',
    role: '{{subject}} sets seLinuxOptions.role "{{role}}"',
  },
  procMount: {
    procMount: '{{subject}} sets securityContext.procMount: {{procMount}}',
  },
  seccompProfile_baseline: {
    profileType: '{{subject}} sets seccompProfile.type "{{type}}"; only RuntimeDefault and Localhost are allowed',
    annotation: 'annotation {{annotation}}="{{value}}" selects a forbidden seccomp profile',
  },
  sysctls: {
    unsafeSysctl: 'pod sets sysctl {{sysctl}}, which is not in the baseline safe set',
  },
  windowsHostProcess: {
    hostProcess: '{{subject}} sets securityContext.windowsOptions.hostProcess: true',
  },
  restrictedVolumes: {
    volumeType: 'volume "{{volume}}" uses the restricted volume type {{volumeType}}',
  },
  allowPrivilegeEscalation: {
    missing: '{{subject}} does not set securityContext.allowPrivilegeEscalation: false',
    enabled: '{{subject}} sets securityContext.allowPrivilegeEscalation: {{value}}',
  },
  runAsNonRoot: {
    missing: '{{subject}} does not set securityContext.runAsNonRoot: true, and neither does the pod',
    disabled: '{{subject}} sets securityContext.runAsNonRoot: false',
  },
  runAsUser: {
    rootUser: '{{subject}} sets securityContext.runAsUser: 0',
  },
  seccompProfile_restricted: {
    missing: '{{subject}} does not set seccompProfile.type to RuntimeDefault or Localhost, and neither does the pod',
    profileType: '{{subject}} sets seccompProfile.type "{{type}}"; only RuntimeDefault and Localhost are allowed',
  },
  capabilities_restricted: {
    dropAllMissing: '{{subject}} does not drop ALL capabilities (securityContext.capabilities.drop: ["ALL"])',
    addedCapability: '{{subject}} adds capability {{capability}}; restricted allows adding only NET_BIND_SERVICE',
  },
  procMount_restricted: {
    procMount: '{{subject}} sets securityContext.procMount: {{procMount}}',
  },
};
