// What a rule that judges only some of its controls on a subject tells the engine (`context.evaluated(controls)`).
//
// Such a rule names, per subject, the controls of that subject (a file's CIS recommendation, a kubelet setting's):
// its `particular` controls. Its other controls (a framework that maps the rule as a whole, such as NIST 800-53 AC-3
// for every file permission) are judged whenever any subject is. The list given to the engine holds both, so that it
// is exact whether the engine records it as given or widens it by framework as it does a finding's controls
// (findingControls: a framework the list does not name counts as wholly judged). For the latter, every judgement
// must name a control of each framework its particular controls come from: one that names only a MITRE technique
// would count as judging every CIS recommendation of the rule.

/** The rule's controls judged on one subject: those `named`, and every one that no subject names in particular. */
export function judgedControls(ruleControls: readonly string[], particular: readonly string[], named: readonly string[]): string[] {
  const isParticular = new Set(particular);
  const isNamed = new Set(named);
  return ruleControls.filter((control) => isNamed.has(control) || !isParticular.has(control));
}
