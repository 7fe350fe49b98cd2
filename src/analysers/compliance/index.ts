export { controlsByFramework, FRAMEWORKS, frameworkById, isControlFramework, type Framework, type FrameworkControl } from './catalogue.ts';
export { complianceSummary, COVERAGE_FORMULA, SCORE_FORMULA, SEVERITY_WEIGHTS, type ComplianceInput } from './evaluate.ts';
