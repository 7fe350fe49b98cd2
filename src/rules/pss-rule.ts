import { PSS_MESSAGES, pssViolationsOf, type PssCheckId, type PssReasons } from '../analysers/pss/index.ts';
import { defineRule, type AnyRule, type RuleMeta } from '../core/rule-api.ts';

/**
 * A rule for one upstream Pod Security Admission check: the evaluator decides, per policy version, and the rule
 * reports each violation; the messages are the analyser's, written once.
 */
export function definePssRule<C extends PssCheckId>(check: C, meta: Omit<RuleMeta<PssReasons[C]>, 'messages'>): AnyRule {
  return defineRule({
    meta: { ...meta, messages: PSS_MESSAGES[check] as RuleMeta<PssReasons[C]>['messages'] },
    scope: { type: 'podTemplate' },
    check(context, template) {
      for (const violation of pssViolationsOf(template, context.settings.pssVersion, check)) {
        context.report({ messageId: violation.reason as PssReasons[C], data: violation.data, path: violation.path });
      }
    },
  });
}
