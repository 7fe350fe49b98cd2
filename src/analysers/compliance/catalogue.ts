// The compliance frameworks as data (src/data/frameworks/<framework>.json): each control with its id, title and the
// rules that judge it. Rules cite the same controls in `meta.controls`; a test keeps the two in agreement.
import { CONTROL_FRAMEWORKS, type ControlFramework } from '../../core/rule-api.ts';
import cisK8s from '../../data/frameworks/cis-k8s.json' with { type: 'json' };
import hipaa from '../../data/frameworks/hipaa.json' with { type: 'json' };
import iso27001 from '../../data/frameworks/iso-27001.json' with { type: 'json' };
import mitreAttack from '../../data/frameworks/mitre-attack.json' with { type: 'json' };
import nist80053 from '../../data/frameworks/nist-800-53.json' with { type: 'json' };
import nist800190 from '../../data/frameworks/nist-800-190.json' with { type: 'json' };
import nsaCisa from '../../data/frameworks/nsa-cisa.json' with { type: 'json' };
import pciDss from '../../data/frameworks/pci-dss.json' with { type: 'json' };
import pssBaseline from '../../data/frameworks/pss-baseline.json' with { type: 'json' };
import pssRestricted from '../../data/frameworks/pss-restricted.json' with { type: 'json' };
import soc2 from '../../data/frameworks/soc2.json' with { type: 'json' };

export interface FrameworkControl {
  /** The framework's own id: `1.2.6`, `AC-6(9)`, `CC6.1`, `164.312(b)`. */
  readonly id: string;
  readonly title: string;
  /** Section or family id, one of the framework's `sections`. */
  readonly section?: string;
  /** `manual`: the framework leaves it to a person (a process, a policy, a review) unless a rule judges it. */
  readonly assessment: 'automated' | 'manual';
  /** Ids of the rules that judge it. */
  readonly rules: readonly string[];
}

export interface Framework {
  readonly framework: ControlFramework;
  readonly name: string;
  readonly version: string;
  /** Where the ids and titles come from. */
  readonly source: string;
  /** Which of the framework's controls the catalogue holds, when not all of them. */
  readonly scope?: string;
  readonly sections?: readonly { readonly id: string; readonly title: string }[];
  readonly controls: readonly FrameworkControl[];
}

// The JSON files are checked against this shape by catalogue.test.ts.
const asFramework = (data: object): Framework => data as Framework;

const BY_ID: Readonly<Record<ControlFramework, Framework>> = {
  'cis-k8s': asFramework(cisK8s),
  'nsa-cisa': asFramework(nsaCisa),
  'pss-baseline': asFramework(pssBaseline),
  'pss-restricted': asFramework(pssRestricted),
  'mitre-attack': asFramework(mitreAttack),
  'nist-800-190': asFramework(nist800190),
  'nist-800-53': asFramework(nist80053),
  'pci-dss': asFramework(pciDss),
  soc2: asFramework(soc2),
  'iso-27001': asFramework(iso27001),
  hipaa: asFramework(hipaa),
};

/** Every framework, in CONTROL_FRAMEWORKS order. */
export const FRAMEWORKS: readonly Framework[] = CONTROL_FRAMEWORKS.map((id) => BY_ID[id]);

export function isControlFramework(id: string): id is ControlFramework {
  return (CONTROL_FRAMEWORKS as readonly string[]).includes(id);
}

export function frameworkById(id: ControlFramework): Framework {
  return BY_ID[id];
}

/** `<framework>/<id>` strings grouped per framework, in catalogue order, with each control's catalogue entry. */
export function controlsByFramework(controls: readonly string[]): { readonly framework: Framework; readonly controls: readonly FrameworkControl[] }[] {
  const cited = new Set(controls);
  return FRAMEWORKS.flatMap((framework) => {
    const entries = framework.controls.filter((control) => cited.has(`${framework.framework}/${control.id}`));
    return entries.length > 0 ? [{ framework, controls: entries }] : [];
  });
}
