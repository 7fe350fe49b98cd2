// The ClusterInfo objects of an inventory, and which cluster an object was read from, for the cross-object rules.
// A live scan's objects carry their cluster in their origin. A snapshot of a live scan (`--save-snapshot`, read back
// with `palisade scan FILE`) is one file holding the cluster's objects and its ClusterInfo: the objects of that file
// are the cluster's objects as they were read, so an offline rescan reaches the verdicts of the live scan.
import { isClusterInfo, readClusterInfo, type ClusterInfoSpec } from '../../core/cluster-info.ts';
import type { InventoryObject } from '../../core/inventory.ts';
import { parseServerVersion, type KubeVersion } from './kubernetes-version.ts';

// `meta.requires` of the rules that judge what a live scan learnt about the cluster itself (its ClusterInfo).
const LIVE_CLUSTER = 'a live cluster (palisade scan --cluster, or a snapshot of one)';
export const REQUIRES_ANONYMOUS_PROBES = `${LIVE_CLUSTER}: its ClusterInfo with the answers to requests sent without credentials`;
export const REQUIRES_SERVER_VERSION = `${LIVE_CLUSTER}: its ClusterInfo with the API server's version`;
export const REQUIRES_SERVED_API_VERSIONS = `${LIVE_CLUSTER}: its ClusterInfo with the API server's version and the API versions it serves`;
export const REQUIRES_CLUSTER_NETWORK_POLICIES = 'a live cluster holding NetworkPolicies (palisade scan --cluster, or a snapshot of one): its ClusterInfo and DaemonSets';

export interface ClusterFacts {
  readonly object: InventoryObject;
  readonly info: ClusterInfoSpec;
  /** The API server's version, when the ClusterInfo names a readable one. */
  readonly version?: KubeVersion;
}

/** Every ClusterInfo object of the inventory, read. */
export function clusterFactsOf(objects: readonly InventoryObject[]): readonly ClusterFacts[] {
  const facts: ClusterFacts[] = [];
  for (const object of objects) {
    if (!isClusterInfo(object.object)) continue;
    const info = readClusterInfo(object.object);
    const version = info.serverVersion ? parseServerVersion(info.serverVersion) : undefined;
    facts.push({ object, info, ...(version ? { version } : {}) });
  }
  return facts;
}

/**
 * Whether `object` was read from the cluster a ClusterInfo describes: a live object of the same kubeconfig context,
 * or an object of the same snapshot file.
 */
export function belongsTo(object: InventoryObject, facts: ClusterFacts): boolean {
  const origin = facts.object.origin;
  if (origin.type === 'cluster') return object.origin.type === 'cluster' && object.origin.cluster.context === origin.cluster.context;
  return object.origin.type === 'file' && object.origin.file === origin.file;
}

/** The ClusterInfo of the cluster an object was read from; undefined for manifests (files without a ClusterInfo). */
export function clusterFactsFor(object: InventoryObject, facts: readonly ClusterFacts[]): ClusterFacts | undefined {
  return facts.find((candidate) => belongsTo(object, candidate));
}
