// The facts a live scan records about the cluster itself, as one synthetic object that flows through the same
// pipeline as every other: rules match it by kind, findings point at its fields, and a snapshot carries it so an
// offline rescan reaches the same verdicts.
//
//   apiVersion: palisade.dev/v1alpha1
//   kind: ClusterInfo
//   metadata: { name: <kubeconfig context> }
//   spec:
//     server: https://10.0.0.1:6443
//     serverVersion: { major: "1", minor: "37", gitVersion: "v1.37.2" }     # GET /version, as returned
//     anonymousAccess:                                                      # the same requests without credentials
//       probes:
//         - { path: /version, status: 200 }
//         - { path: /api/v1/namespaces?limit=1, status: 403 }
//     servedAPIVersions: [v1, apps/v1, batch/v1, ...]                      # discovery, sorted
import { asArray, asObject, asString, type JsonObject } from './model.ts';

export const CLUSTER_INFO_API_VERSION = 'palisade.dev/v1alpha1';
export const CLUSTER_INFO_KIND = 'ClusterInfo';
export const CLUSTER_INFO_GROUP = 'palisade.dev';

export interface ServerVersion {
  readonly major: string;
  readonly minor: string;
  readonly gitVersion: string;
}

export interface AnonymousProbe {
  readonly path: string;
  /** HTTP status the API server answered an unauthenticated request with; 0 when the request failed. */
  readonly status: number;
}

export interface ClusterInfoSpec {
  readonly server: string;
  readonly serverVersion?: ServerVersion;
  readonly anonymousAccess?: { readonly probes: readonly AnonymousProbe[] };
  readonly servedAPIVersions: readonly string[];
}

/** Reads a ClusterInfo object's spec, tolerating hand-written or partial objects (a snapshot may be edited). */
export function readClusterInfo(object: JsonObject): ClusterInfoSpec {
  const spec = asObject(object['spec']) ?? {};
  const version = asObject(spec['serverVersion']);
  const probes = asArray(asObject(spec['anonymousAccess'])?.['probes'])
    .map((probe) => asObject(probe))
    .filter((probe): probe is JsonObject => probe !== undefined)
    .map((probe) => ({ path: asString(probe['path']) ?? '', status: typeof probe['status'] === 'number' ? probe['status'] : 0 }));
  const gitVersion = asString(version?.['gitVersion']);
  return {
    server: asString(spec['server']) ?? '',
    ...(version && gitVersion !== undefined
      ? { serverVersion: { major: asString(version['major']) ?? '', minor: asString(version['minor']) ?? '', gitVersion } }
      : {}),
    ...(asObject(spec['anonymousAccess']) ? { anonymousAccess: { probes } } : {}),
    servedAPIVersions: asArray(spec['servedAPIVersions']).filter((v): v is string => typeof v === 'string'),
  };
}

export function isClusterInfo(object: JsonObject): boolean {
  return object['apiVersion'] === CLUSTER_INFO_API_VERSION && object['kind'] === CLUSTER_INFO_KIND;
}
