// metav1.LabelSelector semantics (apimachinery labels.Selector): matchLabels AND every matchExpression.
// An empty selector ({}) matches everything; an absent one is the caller's to interpret.
import { asArray, asObject, asString, type JsonObject } from './model.ts';

export type Labels = Readonly<Record<string, string>>;

export interface LabelSelector {
  readonly matchLabels: Labels;
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}

export function parseLabelSelector(value: unknown): LabelSelector {
  const object = asObject(value) ?? {};
  const matchLabels: Record<string, string> = {};
  // A value that is not a string (`aggregate: true` unquoted) makes the API server reject the object: it becomes a
  // requirement nothing meets. Dropped, it would leave a selector that matches everything.
  const unmatchable: LabelSelector['matchExpressions'][number][] = [];
  for (const [key, label] of Object.entries(asObject(object['matchLabels']) ?? {})) {
    if (typeof label === 'string') matchLabels[key] = label;
    else unmatchable.push({ key, operator: 'In', values: [] });
  }
  const matchExpressions = asArray(object['matchExpressions'])
    .map((expression) => asObject(expression))
    .filter((expression): expression is JsonObject => expression !== undefined)
    .map((expression) => ({
      key: asString(expression['key']) ?? '',
      operator: asString(expression['operator']) ?? '',
      values: asArray(expression['values']).filter((v): v is string => typeof v === 'string'),
    }));
  return { matchLabels, matchExpressions: [...unmatchable, ...matchExpressions] };
}

/** Unknown operators match nothing, as the API server rejects them. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const has = Object.hasOwn(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key]!)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function labelsOf(object: JsonObject): Labels {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(asObject(asObject(object['metadata'])?.['labels']) ?? {})) {
    if (typeof value === 'string') labels[key] = value;
  }
  return labels;
}
