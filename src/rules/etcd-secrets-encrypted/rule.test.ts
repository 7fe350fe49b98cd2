import { testRule } from '../../testing/rule-tester.ts';
import { rule } from './rule.ts';
testRule(rule, import.meta.dirname);
