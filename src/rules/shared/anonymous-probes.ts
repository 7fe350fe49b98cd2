// What a request without credentials to a path of the API server reveals (ClusterInfo spec.anonymousAccess.probes).

/**
 * `health`: /healthz, /livez, /readyz (and their checks), which load balancers probe and which anonymous
 * authentication may be limited to; `version`: /version, readable by system:unauthenticated by default;
 * `resource`: a resource or resource list under /api/v1 or /apis/GROUP/VERSION; `other`: discovery documents,
 * OpenAPI, metrics, logs and any other non-resource URL.
 */
export type ProbeKind = 'health' | 'version' | 'resource' | 'other';

const HEALTH = new Set(['healthz', 'livez', 'readyz']);

export function probeKind(path: string): ProbeKind {
  const segments = (path.split('?')[0] ?? '').split('/').filter((segment) => segment !== '');
  const first = segments[0];
  if (first !== undefined && HEALTH.has(first)) return 'health';
  if (first === 'version' && segments.length === 1) return 'version';
  if (first === 'api' && segments.length >= 3) return 'resource';
  if (first === 'apis' && segments.length >= 4) return 'resource';
  return 'other';
}

/** The request was served. */
export function isServed(status: number): boolean {
  return status >= 200 && status < 300;
}
