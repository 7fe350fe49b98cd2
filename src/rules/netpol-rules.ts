import type { AnyRule } from '../core/rule-api.ts';
import { rule as netpolAllowAll } from './netpol-allow-all/rule.ts';
import { rule as netpolCniUnsupported } from './netpol-cni-unsupported/rule.ts';
import { rule as netpolEgressMetadata } from './netpol-egress-metadata/rule.ts';
import { rule as netpolEgressNoDns } from './netpol-egress-no-dns/rule.ts';
import { rule as netpolExposedWorkload } from './netpol-exposed-workload/rule.ts';
import { rule as netpolForeignPolicies } from './netpol-foreign-policies/rule.ts';
import { rule as netpolNamedPortUndefined } from './netpol-named-port-undefined/rule.ts';
import { rule as netpolNamespaceDefaultDeny } from './netpol-namespace-default-deny/rule.ts';
import { rule as netpolPeerMatchesNothing } from './netpol-peer-matches-nothing/rule.ts';
import { rule as netpolPolicySelectsNothing } from './netpol-policy-selects-nothing/rule.ts';
import { rule as netpolPortProtocol } from './netpol-port-protocol/rule.ts';
import { rule as netpolSelectsHostNetwork } from './netpol-selects-host-network/rule.ts';
import { rule as netpolServicePortMismatch } from './netpol-service-port-mismatch/rule.ts';
import { rule as netpolServiceSelectsNothing } from './netpol-service-selects-nothing/rule.ts';
import { rule as netpolWorkloadUnselected } from './netpol-workload-unselected/rule.ts';

/**
 * NetworkPolicy rules over the models of analysers/netpol (one per source: the files of a scan together, each
 * cluster on its own): coverage (default deny, unselected workloads, the CNI), exposure (allow-all rules, the cloud
 * metadata service, workloads reachable from outside or from every namespace), and policies that do not do what they
 * say (selectors and peers matching nothing, named ports, protocols, Service ports, hostNetwork pods, DNS). Manifests
 * are judged conservatively: what the input does not hold is not taken to be missing; a live cluster, or a snapshot
 * of one, is authoritative.
 */
export const NETPOL_RULES: readonly AnyRule[] = [
  netpolNamespaceDefaultDeny,
  netpolWorkloadUnselected,
  netpolCniUnsupported,
  netpolAllowAll,
  netpolEgressMetadata,
  netpolExposedWorkload,
  netpolSelectsHostNetwork,
  netpolEgressNoDns,
  netpolPolicySelectsNothing,
  netpolPeerMatchesNothing,
  netpolNamedPortUndefined,
  netpolPortProtocol,
  netpolServicePortMismatch,
  netpolServiceSelectsNothing,
  netpolForeignPolicies,
];
