// Live objects as rules should see them: the shape a manifest has. `status` and `metadata.managedFields` are the
// server's bookkeeping, not configuration; the last-applied-configuration annotation stays (it shows what users
// apply, including API versions and secret values that later rules look for).
import type { JsonObject, JsonValue } from '../../core/model.ts';

/** Items of a typed list carry no apiVersion and kind; the list's group version and the resource's kind are theirs. */
export function normaliseLiveObject(item: JsonObject, apiVersion: string, kind: string): JsonObject {
  const result: Record<string, JsonValue> = { apiVersion, kind };
  for (const [key, value] of Object.entries(item)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'status') continue;
    if (key === 'metadata' && typeof value === 'object' && value !== null && !Array.isArray(value) && 'managedFields' in value) {
      const { managedFields: _dropped, ...metadata } = value as JsonObject;
      result[key] = metadata;
    } else {
      result[key] = value;
    }
  }
  return result;
}
