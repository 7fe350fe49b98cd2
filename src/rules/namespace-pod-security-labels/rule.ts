import { evaluatePodSecurity, formatPssVersion, pssChecksAtLevel, type PssCheckId } from '../../analysers/pss/index.ts';
import { isCoreKind, type InventoryObject } from '../../core/inventory.ts';
import { asObject } from '../../core/model.ts';
import type { PodTemplate } from '../../core/pod-templates.ts';
import { defineRule } from '../../core/rule-api.ts';

const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
/** PSA's valid levels (`api.ParseLevel`); anything else, case included, is invalid. */
const VALID_LEVELS: ReadonlySet<unknown> = new Set(['privileged', 'baseline', 'restricted']);
/** How many failing pod templates a message names before it says "and N more". */
const NAMES_SHOWN = 3;

// Each message states the consequence PSA documents for a namespace without an enforce label.
const NO_LABEL =
  'Namespace has no pod-security.kubernetes.io/enforce label, so only the cluster default is enforced ' +
  '(privileged unless an AdmissionConfiguration sets another)';

function isNamespace(object: InventoryObject): boolean {
  return isCoreKind(object, 'Namespace');
}

/**
 * Which namespace an object is in: its name, scoped by cluster for live objects so that a scan of several clusters
 * does not pool their pods. Files form one scope: a manifest's namespace is whatever it names.
 */
function namespaceKey(object: InventoryObject, namespace: string): string {
  return object.origin.type === 'cluster' ? `${object.origin.cluster.context}\u0000${object.origin.cluster.server}\u0000${namespace}` : namespace;
}

function namesOf(templates: readonly PodTemplate[]): string {
  const names = templates.map((t) => `${t.object.ref.kind}/${t.object.ref.name || '<unnamed>'}`).sort();
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

export const rule = defineRule({
  meta: {
    id: 'namespace-pod-security-labels',
    title: 'Namespace does not enforce a Pod Security Standards level',
    category: 'pod-security',
    defaultSeverity: 'medium',
    rationale:
      'Pod Security Admission, built into Kubernetes since 1.23 (GA in 1.25), enforces a Pod Security Standards ' +
      'level per namespace through the pod-security.kubernetes.io/enforce label. Without the label the cluster ' +
      'default applies, which is privileged (nothing is checked) unless the API server is given an ' +
      'AdmissionConfiguration with other defaults; the scanner cannot see that configuration, so it reports every ' +
      'unlabelled Namespace, system namespaces included. To make the fix easy, the finding names the strictest level ' +
      'that every pod template of the input in that namespace already meets at the scan\'s Pod Security Standards ' +
      'version (only objects whose metadata.namespace is the namespace count, from the same cluster for live scans; objects ' +
      'without one are not attributed), and the templates that stand in the way of the next level. An enforce label whose value is not ' +
      'privileged, baseline or restricted is reported too: with Pod Security Admission enabled the API server ' +
      'rejects a Namespace created with it or changed to it, and where one exists anyway it is enforced as restricted.',
    remediation:
      'Label each namespace with the strictest level its workloads meet, e.g. ' +
      '`kubectl label namespace shop pod-security.kubernetes.io/enforce=restricted`, and consider pinning ' +
      'pod-security.kubernetes.io/enforce-version. Where workloads still fail the level you want, set ' +
      'pod-security.kubernetes.io/warn and /audit to it first, fix the workloads, then raise enforce. Namespaces that ' +
      'need privileged pods (CNI, storage or monitoring agents) should say so with enforce=privileged. ' +
      'Fix a misspelt level to one of privileged, baseline or restricted (lower case).',
    controls: ['cis-k8s/5.2.1', 'nsa-cisa/pod-security', 'nist-800-190/4.4.3', 'nist-800-53/CM-6', 'pci-dss/2.2.6', 'soc2/CC6.8', 'iso-27001/8.9'],
    messages: {
      missingLabel: `${NO_LABEL}; its pod templates ({{total}}) all pass restricted at {{version}}: label it enforce=restricted`,
      missingLabelFailing:
        `${NO_LABEL}; the strictest level all its pod templates ({{total}}) meet at {{version}} is {{level}}, ` +
        'since {{nextLevel}} rejects {{failing}} of them ({{names}}): label it enforce={{level}} now, or fix those and label it enforce={{nextLevel}}',
      missingLabelNoPods: `${NO_LABEL}; no pod template in the input is in this namespace: label it enforce=restricted before workloads arrive`,
      invalidLevel:
        'pod-security.kubernetes.io/enforce is {{value}}, not privileged, baseline or restricted: the API server rejects a ' +
        'Namespace created with it or changed to it, and where it is set anyway Pod Security Admission enforces restricted',
    },
    example: {
      bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop',
      good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    pod-security.kubernetes.io/enforce: restricted',
    },
  },
  // Inventory scope: a Namespace's finding depends on the pod templates of other objects in that namespace.
  scope: { type: 'inventory', kinds: [{ group: '', kind: 'Namespace' }] },
  check(context, inventory) {
    const unlabelled = new Map<string, InventoryObject[]>();
    for (const object of inventory.objects) {
      if (!isNamespace(object)) continue;
      const labels = asObject(asObject(object.object['metadata'])?.['labels']);
      if (labels && Object.hasOwn(labels, ENFORCE_LABEL)) {
        const value = labels[ENFORCE_LABEL];
        if (!VALID_LEVELS.has(value)) {
          context.report({
            messageId: 'invalidLevel',
            data: { value: JSON.stringify(value ?? null) },
            path: ['metadata', 'labels', ENFORCE_LABEL],
            object,
          });
        }
        continue;
      }
      // A key can repeat (the same Namespace in two files): each Namespace object gets its finding.
      const key = namespaceKey(object, object.ref.name);
      const list = unlabelled.get(key);
      if (list) list.push(object);
      else unlabelled.set(key, [object]);
    }
    if (unlabelled.size === 0) return;

    // One pass over the templates, evaluating only those in an unlabelled namespace.
    const version = context.settings.pssVersion;
    const baselineChecks = pssChecksAtLevel('baseline', version);
    const restrictedChecks = pssChecksAtLevel('restricted', version);
    const fails = (checks: ReadonlySet<PssCheckId>, violations: ReturnType<typeof evaluatePodSecurity>): boolean =>
      violations.some((violation) => checks.has(violation.check));
    const byNamespace = new Map<string, { total: number; failingBaseline: PodTemplate[]; failingRestricted: PodTemplate[] }>();
    for (const template of inventory.podTemplates) {
      const namespace = template.object.ref.namespace;
      if (namespace === undefined) continue;
      const key = namespaceKey(template.object, namespace);
      if (!unlabelled.has(key)) continue;
      let tally = byNamespace.get(key);
      if (!tally) {
        tally = { total: 0, failingBaseline: [], failingRestricted: [] };
        byNamespace.set(key, tally);
      }
      tally.total++;
      const violations = evaluatePodSecurity(template, version);
      if (violations.length === 0) continue;
      if (fails(baselineChecks, violations)) tally.failingBaseline.push(template);
      if (fails(restrictedChecks, violations)) tally.failingRestricted.push(template);
    }

    const versionText = formatPssVersion(version);
    const path = ['metadata', 'labels'];
    for (const [key, objects] of unlabelled) {
      const tally = byNamespace.get(key);
      for (const object of objects) {
        if (!tally) {
          context.report({ messageId: 'missingLabelNoPods', path, object });
        } else if (tally.failingRestricted.length === 0) {
          context.report({ messageId: 'missingLabel', data: { total: tally.total, version: versionText }, path, object });
        } else {
          const failing = tally.failingBaseline.length > 0 ? tally.failingBaseline : tally.failingRestricted;
          const level = tally.failingBaseline.length > 0 ? 'privileged' : 'baseline';
          context.report({
            messageId: 'missingLabelFailing',
            data: {
              total: tally.total,
              version: versionText,
              level,
              nextLevel: level === 'privileged' ? 'baseline' : 'restricted',
              failing: failing.length,
              names: namesOf(failing),
            },
            path,
            object,
          });
        }
      }
    }
  },
});
