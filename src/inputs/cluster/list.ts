// Lists one resource page by page (limit/continue), as kubectl does for large collections.
import { asArray, asObject, asString, type JsonObject } from '../../core/model.ts';
import { ApiStatusError, parseJson, statusMessage, type ApiClient } from './api-client.ts';
import type { ServedResource } from './discovery.ts';

export function resourcePath(resource: ServedResource, namespace: string | undefined): string {
  const base = resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
  return namespace !== undefined && resource.namespaced
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.resource}`
    : `${base}/${resource.resource}`;
}

export interface ListedPage {
  readonly items: readonly JsonObject[];
  readonly warnings: readonly string[];
}

/** Yields each page's items; an HTTP error becomes an ApiStatusError naming the resource. */
export async function* listPages(
  client: ApiClient,
  resource: ServedResource,
  namespace: string | undefined,
  options: { readonly pageSize: number; readonly signal: AbortSignal },
): AsyncGenerator<ListedPage> {
  const path = resourcePath(resource, namespace);
  let continueToken: string | undefined;
  do {
    const query = `?limit=${options.pageSize}${continueToken ? `&continue=${encodeURIComponent(continueToken)}` : ''}`;
    const response = await client.get(path + query, { signal: options.signal });
    if (response.status !== 200) {
      const expired = response.status === 410 ? ' (the list changed too much while it was read page by page; run the scan again)' : '';
      throw new ApiStatusError(response.status, `${statusMessage(response)}${expired}`);
    }
    const list = asObject(parseJson(response, `GET ${path}`)) ?? {};
    const items = asArray(list['items']).map((item) => asObject(item)).filter((item): item is JsonObject => item !== undefined);
    yield { items, warnings: response.warnings };
    continueToken = asString(asObject(list['metadata'])?.['continue']) || undefined;
  } while (continueToken !== undefined);
}
