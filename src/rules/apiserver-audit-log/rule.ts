import { getFlag, parseGoInt, type Flag } from '../../analysers/components/index.ts';
import { defineRule } from '../../core/rule-api.ts';
import { invocationsOf, ON_CONTROL_PLANE, stringFlag } from '../shared/component-flags.ts';
import { judgedControls } from '../shared/judged-controls.ts';

const NSA = 'nsa-cisa/audit-logging';
const MITRE = 'mitre-attack/T1562.008';
/** The recommendations it judges one by one; its other controls are judged on every API server. */
const CIS = ['cis-k8s/1.2.16', 'cis-k8s/1.2.17', 'cis-k8s/1.2.18', 'cis-k8s/1.2.19', 'cis-k8s/3.2.1'];

// lumberjack, which writes the audit log file: MaxSize 0 means 100 MB; MaxAge and MaxBackups 0 mean no limit.
const DEFAULT_MAX_SIZE_MB = 100;

export const rule = defineRule({
  meta: {
    id: 'apiserver-audit-log',
    title: 'API server does not keep an audit log',
    category: 'cluster',
    defaultSeverity: 'medium',
    // Rotation and retention (1.2.17 to 1.2.19) are judged only for an API server that writes a log file.
    requires: `a kube-apiserver command line, and for the rotation settings one that writes an audit log file (${ON_CONTROL_PLANE})`,
    rationale:
      'kube-apiserver records audit events only when --audit-policy-file names a Policy (without one, every backend ' +
      'stays empty: CIS 3.2.1) and a backend receives them: a log file (--audit-log-path; `-` writes to standard ' +
      'output, into the container log) or a webhook (--audit-webhook-config-file, accepted here in place of a log ' +
      'path since the events then leave the node for a collector whose retention is its own). Without them nothing ' +
      'records who read Secrets, changed RBAC or exec\'d into Pods (CIS 1.2.16). The log file is rotated at ' +
      '--audit-log-maxsize megabytes (0, the default, means 100); rotated files are deleted after --audit-log-maxage ' +
      'days and beyond --audit-log-maxbackup files, where 0, the default, means no limit. CIS asks to keep 30 days ' +
      '(1.2.17) and 10 files (1.2.18) and to rotate at 100 MB (1.2.19); the rule reports values set below those ' +
      'minimums (options minAgeDays, minBackups, minSizeMegabytes), and only for a log file, not for `-`.',
    remediation:
      'In the API server\'s static Pod manifest (for kubeadm, /etc/kubernetes/manifests/kube-apiserver.yaml) set ' +
      '--audit-policy-file=/etc/kubernetes/audit-policy.yaml and --audit-log-path=/var/log/kubernetes/audit/audit.log ' +
      '(mounting both with hostPath volumes), with --audit-log-maxage=30, --audit-log-maxbackup=10 and ' +
      '--audit-log-maxsize=100 or more; or send events to a collector with --audit-webhook-config-file.',
    controls: ['cis-k8s/1.2.16', 'cis-k8s/1.2.17', 'cis-k8s/1.2.18', 'cis-k8s/1.2.19', 'cis-k8s/3.2.1', NSA, MITRE, 'nist-800-190/4.4.5', 'nist-800-53/AU-4', 'nist-800-53/AU-11', 'nist-800-53/AU-12', 'pci-dss/10.2.1', 'pci-dss/10.5.1', 'soc2/CC7.2', 'iso-27001/8.15', 'hipaa/164.312(b)'],
    messages: {
      noAuditBackend:
        'kube-apiserver keeps no audit log: {{state}}; set --audit-log-path (e.g. /var/log/kubernetes/audit/audit.log) or --audit-webhook-config-file, with --audit-policy-file',
      noAuditPolicy:
        'kube-apiserver records no audit events: --audit-policy-file is not set, and without a policy {{consequence}}; set --audit-policy-file to an audit Policy file',
      shortMaxAge:
        'kube-apiserver deletes rotated audit log files after {{age}}: --audit-log-maxage is {{value}}, below {{minimum}}; set --audit-log-maxage={{minimum}} or more (0 keeps them regardless of age)',
      fewBackups:
        'kube-apiserver keeps only {{count}}: --audit-log-maxbackup is {{value}}, below {{minimum}}; set --audit-log-maxbackup={{minimum}} or more (0 keeps all)',
      smallMaxSize:
        'kube-apiserver rotates the audit log at {{value}} MB: --audit-log-maxsize is {{state}}, below {{minimum}}; set --audit-log-maxsize={{minimum}} or more',
    },
    example: {
      bad: 'command:\n- kube-apiserver\n- --authorization-mode=Node,RBAC',
      good:
        'command:\n- kube-apiserver\n- --audit-policy-file=/etc/kubernetes/audit-policy.yaml\n' +
        '- --audit-log-path=/var/log/kubernetes/audit/audit.log\n- --audit-log-maxage=30\n- --audit-log-maxbackup=10\n- --audit-log-maxsize=100',
    },
  },
  scope: { type: 'inventory' },
  options: {
    minAgeDays: { type: 'number', default: 30, description: 'Fewest days rotated audit log files must be kept (--audit-log-maxage).' },
    minBackups: { type: 'number', default: 10, description: 'Fewest rotated audit log files that must be kept (--audit-log-maxbackup).' },
    minSizeMegabytes: { type: 'number', default: 100, description: 'Smallest size in MB at which the audit log may be rotated (--audit-log-maxsize).' },
  },
  check(context, subject) {
    const { minAgeDays, minBackups, minSizeMegabytes } = context.options;
    for (const located of invocationsOf(subject, 'kube-apiserver')) {
      const { invocation, object } = located;
      const flags = invocation.flags;
      const logPath = stringFlag(invocation, 'audit-log-path');
      const webhook = stringFlag(invocation, 'audit-webhook-config-file');
      const pathFlag = getFlag(flags, 'audit-log-path');
      // Every API server is judged on its backend and policy; rotation and retention below only for a log file.
      const judged = ['cis-k8s/1.2.16', 'cis-k8s/3.2.1'];

      if (logPath === undefined && webhook === undefined) {
        context.report({
          messageId: 'noAuditBackend',
          data: { state: pathFlag ? '--audit-log-path is empty and --audit-webhook-config-file is not set' : 'neither --audit-log-path nor --audit-webhook-config-file is set' },
          path: located.pathOf(pathFlag),
          object,
          controls: ['cis-k8s/1.2.16', NSA, MITRE],
        });
      }

      if (stringFlag(invocation, 'audit-policy-file') === undefined) {
        const backends = [
          ...(logPath === '-' ? ['the audit events written to standard output'] : logPath !== undefined ? [`the audit log ${logPath}`] : []),
          ...(webhook !== undefined ? ['the audit webhook'] : []),
        ];
        context.report({
          messageId: 'noAuditPolicy',
          data: { consequence: backends.length > 0 ? `${backends.join(' and ')} ${backends.length > 1 ? 'stay' : 'stays'} empty` : 'no backend added later would receive anything' },
          path: located.pathOf(getFlag(flags, 'audit-policy-file')),
          object,
          controls: ['cis-k8s/3.2.1', NSA, MITRE],
        });
      }

      // Rotation and retention apply to a log file only.
      if (logPath === undefined || logPath === '-') {
        context.evaluated(judgedControls(rule.meta.controls, CIS, judged));
        continue;
      }
      /** The flag's value as the API server reads it (pflag int: strconv.ParseInt base 0), or undefined when unusable. */
      const intFlag = (name: string): { value: number | undefined; flag: Flag | undefined } => {
        const flag = getFlag(flags, name);
        if (!flag) return { value: 0, flag };
        const value = parseGoInt(flag.value, 64);
        // Unparsable and negative values stop the API server from starting: nothing is logged to judge.
        return { value: value !== undefined && value >= 0 ? value : undefined, flag };
      };
      const age = intFlag('audit-log-maxage');
      if (age.value !== undefined && age.value > 0 && age.value < minAgeDays) {
        context.report({
          messageId: 'shortMaxAge',
          data: { age: age.value === 1 ? '1 day' : `${age.value} days`, value: age.value, minimum: minAgeDays },
          path: (age.flag ? located.pathOfSource(age.flag.last.valueSource) : located.pathOf(undefined)),
          object,
          controls: ['cis-k8s/1.2.17', NSA, MITRE],
        });
      }
      const backups = intFlag('audit-log-maxbackup');
      if (backups.value !== undefined && backups.value > 0 && backups.value < minBackups) {
        context.report({
          messageId: 'fewBackups',
          data: { count: backups.value === 1 ? '1 rotated audit log file' : `${backups.value} rotated audit log files`, value: backups.value, minimum: minBackups },
          path: (backups.flag ? located.pathOfSource(backups.flag.last.valueSource) : located.pathOf(undefined)),
          object,
          controls: ['cis-k8s/1.2.18', NSA, MITRE],
        });
      }
      const size = intFlag('audit-log-maxsize');
      // A value that does not parse stops the API server: that setting is not judged. With all three usable, every
      // control of the rule is.
      const rotation = [
        [age, 'cis-k8s/1.2.17'],
        [backups, 'cis-k8s/1.2.18'],
        [size, 'cis-k8s/1.2.19'],
      ] as const;
      const usable = rotation.filter(([setting]) => setting.value !== undefined).map(([, control]) => control);
      context.evaluated(usable.length === rotation.length ? undefined : judgedControls(rule.meta.controls, CIS, [...judged, ...usable]));
      if (size.value !== undefined) {
        const megabytes = size.value === 0 ? DEFAULT_MAX_SIZE_MB : size.value;
        if (megabytes < minSizeMegabytes) {
          context.report({
            messageId: 'smallMaxSize',
            data: {
              value: megabytes,
              state: size.flag && size.value !== 0 ? `set to ${size.flag.value}` : `${size.flag ? `set to ${size.flag.value}` : 'not set'}, which means ${DEFAULT_MAX_SIZE_MB} MB`,
              minimum: minSizeMegabytes,
            },
            path: (size.flag ? located.pathOfSource(size.flag.last.valueSource) : located.pathOf(undefined)),
            object,
            controls: ['cis-k8s/1.2.19', NSA, MITRE],
          });
        }
      }
    }
  },
});
