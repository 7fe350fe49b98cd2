// The messages of the NetworkPolicy rules, word for word, on their invalid fixtures: the evidence each finding
// names (namespaces, workloads, policies, rules, ports, addresses) is part of the rule's contract.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { runRules } from '../core/engine.ts';
import { BUILTIN_POD_TEMPLATE_LOCATIONS } from '../core/pod-templates.ts';
import { DEFAULT_SCAN_SETTINGS } from '../core/settings.ts';
import { parseManifests } from '../source/index.ts';
import { NETPOL_RULES } from './netpol-rules.ts';

function messages(ruleId: string, fixture: string): string[] {
  const rule = NETPOL_RULES.find((r) => r.meta.id === ruleId);
  assert.ok(rule, ruleId);
  const file = join(import.meta.dirname, ruleId, 'fixtures', 'invalid', fixture);
  const parsed = parseManifests({ file, text: readFileSync(file, 'utf8') });
  assert.deepEqual(parsed.errors, []);
  const result = runRules({
    inventory: { objects: parsed.objects },
    rules: [{ rule, severity: rule.meta.defaultSeverity, options: {} }],
    settings: DEFAULT_SCAN_SETTINGS,
    podTemplateLocations: BUILTIN_POD_TEMPLATE_LOCATIONS,
  });
  assert.deepEqual(result.failures, []);
  return result.findings.map((finding) => finding.message);
}

describe('NetworkPolicy rule messages', () => {
  test("netpol-allow-all: allow-everything.yaml", () => {
    assert.deepEqual(messages("netpol-allow-all", "allow-everything.yaml"), [
      "spec.ingress[0] has no from and no ports: it allows every source, in the cluster and outside, on every port, for the 1 workload it selects (Deployment legacy/monolith)",
      "namespaceSelector {} and podSelector {} matches every pod of every namespace, including namespaces created later, and the rule has no ports: it allows them on every port, for the 1 workload it selects (Deployment shop/api)",
      "ipBlock 0.0.0.0/0 covers every IPv4 address and the rule has no ports: it allows connections to any IPv4 address outside the cluster on every port, for the 1 workload it selects (Deployment shop/api)",
      "ipBlock ::/0 covers every IPv6 address and the rule has no ports: it allows connections to any IPv6 address outside the cluster on every port, for the 1 workload it selects (Deployment shop/api)",
    ]);
  });

  test("netpol-cni-unsupported: eks-agent-disabled.yaml", () => {
    assert.deepEqual(messages("netpol-cni-unsupported", "eks-agent-disabled.yaml"), [
      "this cluster has 1 NetworkPolicy, but its network plugin does not enforce them: Amazon VPC CNI (DaemonSet kube-system/aws-node, which runs its network policy agent without --enable-network-policy=true); the policies have no effect",
    ]);
  });

  test("netpol-cni-unsupported: flannel.yaml", () => {
    assert.deepEqual(messages("netpol-cni-unsupported", "flannel.yaml"), [
      "this cluster has 1 NetworkPolicy, but its network plugin does not enforce them: flannel (DaemonSet kube-flannel/kube-flannel-ds); the policies have no effect",
    ]);
  });

  test("netpol-cni-unsupported: kindnet.yaml", () => {
    assert.deepEqual(messages("netpol-cni-unsupported", "kindnet.yaml"), [
      "this cluster has 1 NetworkPolicy, but no network plugin that enforces them was recognised among its DaemonSets (kindnet (DaemonSet kube-system/kindnet, which enforces them only from kind v0.24 on, a version its DaemonSet does not show)): check that its CNI enforces NetworkPolicies, or they have no effect",
    ]);
  });

  test("netpol-cni-unsupported: unrecognised.yaml", () => {
    assert.deepEqual(messages("netpol-cni-unsupported", "unrecognised.yaml"), [
      "this cluster has 1 NetworkPolicy, but no network plugin that enforces them was recognised among its DaemonSets (none of its 2 DaemonSets is a known network plugin): check that its CNI enforces NetworkPolicies, or they have no effect",
    ]);
  });

  test("netpol-egress-metadata: metadata-reachable.yaml", () => {
    assert.deepEqual(messages("netpol-egress-metadata", "metadata-reachable.yaml"), [
      "ipBlock 0.0.0.0/0 except 10.0.0.0/8 includes the cloud metadata address 169.254.169.254, so 2 workloads (Deployment shop/api, Deployment shop/worker) can connect to it on tcp/80 and obtain the node's cloud credentials: add 169.254.169.254/32 to except",
      "ipBlock ::/0 includes the cloud metadata address fd00:ec2::254, so 2 workloads (Deployment shop/api, Deployment shop/worker) can connect to it on tcp/80 and obtain the node's cloud credentials: add fd00:ec2::254/128 to except",
      "spec.egress[0] has no `to`, so 1 workload (Deployment search/crawler) can connect to the cloud metadata address 169.254.169.254 and fd00:ec2::254 on tcp/80 and obtain the node's cloud credentials: list the destinations, or use an ipBlock whose except holds 169.254.169.254/32 and fd00:ec2::254/128",
    ]);
  });

  test("netpol-egress-no-dns: manifests.yaml", () => {
    assert.deepEqual(messages("netpol-egress-no-dns", "manifests.yaml"), [
      "Deployment orders/orders is isolated for egress (NetworkPolicy orders/egress) and cannot reach cluster DNS (pods labelled k8s-app=kube-dns in kube-system, port 53; judged from its egress rules, as the input holds no DNS workload) over UDP or TCP: its name lookups fail",
      "Deployment payments/payments is isolated for egress (NetworkPolicy payments/egress) and can reach cluster DNS (pods labelled k8s-app=kube-dns in kube-system, port 53; judged from its egress rules, as the input holds no DNS workload) over TCP but not UDP: resolvers ask over UDP first, so lookups time out or fail",
      "CronJob reports/weekly is isolated for egress (NetworkPolicy reports/egress) and can reach cluster DNS (pods labelled k8s-app=kube-dns in kube-system, port 53; judged from its egress rules, as the input holds no DNS workload) over UDP but not TCP: lookups whose answers are retried over TCP (large or truncated answers) fail",
    ]);
  });

  test("netpol-egress-no-dns: openshift-dns-port.yaml", () => {
    assert.deepEqual(messages("netpol-egress-no-dns", "openshift-dns-port.yaml"), [
      "Deployment app/frontend is isolated for egress (NetworkPolicy app/default-egress) and cannot reach cluster DNS (Service openshift-dns/dns-default → DaemonSet openshift-dns/dns-default, pod ports udp/5353, tcp/5353) over UDP or TCP: its name lookups fail",
    ]);
  });

  test("netpol-exposed-workload: all-namespaces.yaml", () => {
    assert.deepEqual(messages("netpol-exposed-workload", "all-namespaces.yaml"), [
      "StatefulSet data/postgres accepts connections on tcp/5432 from every pod of every namespace, including namespaces created later (NetworkPolicy data/postgres spec.ingress[0])",
    ]);
  });

  test("netpol-exposed-workload: exposed.yaml", () => {
    assert.deepEqual(messages("netpol-exposed-workload", "exposed.yaml"), [
      "Deployment monitoring/grafana is exposed outside the cluster through Service monitoring/grafana (NodePort 32000; port 3000), and tcp/3000 is open to any address: no NetworkPolicy isolates it for ingress",
      "Deployment shop/api accepts connections on tcp/8443 from every pod of every namespace, including namespaces created later (NetworkPolicy shop/api spec.ingress[0])",
      "Deployment shop/api is exposed outside the cluster through Service shop/api (LoadBalancer; port 443), and tcp/8443 is open to any address: NetworkPolicy shop/api spec.ingress[0] allows it",
      "Deployment docs/docs is exposed outside the cluster through Ingress docs/docs (docs.example.com) → Service docs/docs port 80, and tcp/4000 is open to any address: NetworkPolicy docs/docs spec.ingress[0] allows it",
    ]);
  });

  test("netpol-foreign-policies: foreign.yaml", () => {
    assert.deepEqual(messages("netpol-foreign-policies", "foreign.yaml"), [
      "CiliumNetworkPolicy (cilium.io) shop/api-l7 is not analysed: the 2 workloads of namespace shop in the input (Deployment shop/api, Deployment shop/web) count as covered, and reachability verdicts involving them are unknown",
      "NetworkPolicy (projectcalico.org) backup/allow-backup is not analysed; namespace backup has no workload in the input, and those it gets will count as covered, with unknown verdicts",
      "AdminNetworkPolicy (policy.networking.k8s.io) protect-kube-system applies cluster-wide and is not analysed: all 2 workloads in the input count as covered, and every reachability verdict involving them is unknown",
    ]);
  });

  test("netpol-named-port-undefined: undefined-names.yaml", () => {
    assert.deepEqual(messages("netpol-named-port-undefined", "undefined-names.yaml"), [
      "named port http (TCP) is defined by none of the workloads this policy selects (Deployment shop/api): this entry allows nothing",
      "named port metrics (SCTP) is defined by none of the workloads this policy selects (Deployment shop/api); they define it for TCP: this entry allows nothing",
      "named port grpc (TCP) is defined by none of the workloads the rule's peers match in the input (Deployment shop/cart): this entry allows nothing",
      "named port https has no pod to be resolved against: the rule's only peers are ipBlocks (203.0.113.0/24), so it matches nothing; use the port number",
    ]);
  });

  test("netpol-namespace-default-deny: no-policies.yaml", () => {
    assert.deepEqual(messages("netpol-namespace-default-deny", "no-policies.yaml"), [
      "namespace shop has 1 workload (Deployment shop/web) and no NetworkPolicy in the input: every pod accepts connections from any source and connects to any destination; add a default deny (podSelector: {}, policyTypes: [Ingress, Egress]) and allow what each workload needs",
      "namespace billing has 2 workloads (CronJob billing/monthly-run, StatefulSet billing/invoices) and no NetworkPolicy in the input: every pod accepts connections from any source and connects to any destination; add a default deny (podSelector: {}, policyTypes: [Ingress, Egress]) and allow what each workload needs",
    ]);
  });

  test("netpol-namespace-default-deny: one-direction.yaml", () => {
    assert.deepEqual(messages("netpol-namespace-default-deny", "one-direction.yaml"), [
      "namespace frontend has no default-deny egress NetworkPolicy (podSelector: {} with the type in policyTypes and no rule allowing everything): its 1 workload (Deployment frontend/storefront) may connect to any destination, and so will workloads added later",
      "namespace backend has no default-deny ingress NetworkPolicy (podSelector: {} with the type in policyTypes and no rule allowing everything): its 1 workload (Deployment backend/orders) accepts connections from any source, and so will workloads added later (NetworkPolicy backend/baseline selects every pod, but its spec.ingress[0] allows every source on every port)",
    ]);
  });

  test("netpol-namespace-default-deny: specific-policies-only.yaml", () => {
    assert.deepEqual(messages("netpol-namespace-default-deny", "specific-policies-only.yaml"), [
      "namespace shop has no default-deny NetworkPolicy for ingress or egress (podSelector: {} with the type in policyTypes and no rule allowing everything): for ingress, 1 of its 2 workloads (Deployment shop/api) accepts connections from any source, and so will workloads added later; for egress, its 2 workloads (Deployment shop/api, StatefulSet shop/db) may connect to any destination, and so will workloads added later",
    ]);
  });

  test("netpol-peer-matches-nothing: cluster-legacy-name-label.yaml", () => {
    assert.deepEqual(messages("netpol-peer-matches-nothing", "cluster-legacy-name-label.yaml"), [
      "Ingress peer namespaceSelector {name=ingress-nginx} matches no namespace in the cluster: this peer allows nothing",
    ]);
  });

  test("netpol-peer-matches-nothing: peers.yaml", () => {
    assert.deepEqual(messages("netpol-peer-matches-nothing", "peers.yaml"), [
      "Ingress peer podSelector {app=frontend} matches no workload in the input: namespace(s) shop hold 2 workloads, with pod labels {app.kubernetes.io/name=frontend}, {app=api}; this peer allows nothing",
      "Ingress peer namespaceSelector {kubernetes.io/metadata.name=monitoring} and podSelector {app.kubernetes.io/name=prometheus} matches no workload in the input: namespace(s) monitoring hold 1 workload, with pod labels {app=prometheus}; this peer allows nothing",
      "Egress peer namespaceSelector {kubernetes.io/metadata.name=platform, team=observability} matches no namespace in the input (namespace platform has labels kubernetes.io/metadata.name=platform, team=sre): this peer allows nothing",
    ]);
  });

  test("netpol-policy-selects-nothing: cluster-snapshot.yaml", () => {
    assert.deepEqual(messages("netpol-policy-selects-nothing", "cluster-snapshot.yaml"), [
      "podSelector {app=jupyter} matches nothing: namespace sandbox has no workload in the cluster",
      "podSelector {track=canary} matches no workload of namespace web in the cluster (1 workload, with pod labels {app=web, track=stable}): this policy isolates nothing and allows nothing",
    ]);
  });

  test("netpol-policy-selects-nothing: typo.yaml", () => {
    assert.deepEqual(messages("netpol-policy-selects-nothing", "typo.yaml"), [
      "podSelector {app=payments} matches no workload of namespace payments in the input (2 workloads, with pod labels {app.kubernetes.io/component=api, app.kubernetes.io/name=payments}, {app.kubernetes.io/name=payments-worker}): this policy isolates nothing and allows nothing",
    ]);
  });

  test("netpol-port-protocol: udp-ports.yaml", () => {
    assert.deepEqual(messages("netpol-port-protocol", "udp-ports.yaml"), [
      "this entry names no protocol, so it allows TCP port 514, but that port is UDP-only on DaemonSet logging/syslog: add protocol: UDP (and a separate TCP entry if TCP is needed too)",
      "this entry names no protocol, so it allows TCP port game (7777), but that port is UDP-only on StatefulSet games/arena: add protocol: UDP (and a separate TCP entry if TCP is needed too)",
    ]);
  });

  test("netpol-selects-host-network: host-network.yaml", () => {
    assert.deepEqual(messages("netpol-selects-host-network", "host-network.yaml"), [
      "DaemonSet monitoring/node-exporter uses the host network: the NetworkPolicies selecting it (monitoring/default-deny, monitoring/node-exporter) do not apply to it, so it accepts and opens connections like the node itself",
    ]);
  });

  test("netpol-service-port-mismatch: service-ports.yaml", () => {
    assert.deepEqual(messages("netpol-service-port-mismatch", "service-ports.yaml"), [
      "port 80 is the port of Service shop/web, which forwards it to targetPort 8080: policies see the pod port after the Service translates it, so this entry does not let traffic through the Service reach Deployment shop/web; allow tcp/8080 instead",
      "port 5432 is the port of Service shop/postgres, which forwards it to targetPort pg: policies see the pod port after the Service translates it, so this entry does not let traffic through the Service reach StatefulSet shop/postgres; allow tcp/6432 instead",
    ]);
  });

  test("netpol-service-selects-nothing: cluster-empty-namespace.yaml", () => {
    assert.deepEqual(messages("netpol-service-selects-nothing", "cluster-empty-namespace.yaml"), [
      "selector {app=billing-api} matches nothing: namespace legacy-billing has no workload in the cluster, so the Service has no endpoints, and a pod created later with these labels receives its traffic",
    ]);
  });

  test("netpol-service-selects-nothing: services.yaml", () => {
    assert.deepEqual(messages("netpol-service-selects-nothing", "services.yaml"), [
      "selector {app=checkout} matches no workload of namespace shop in the input (1 workload, with pod labels {app.kubernetes.io/name=checkout}): the Service has no endpoints, and a pod created later with these labels receives its traffic",
    ]);
  });

  test("netpol-workload-unselected: unselected.yaml", () => {
    assert.deepEqual(messages("netpol-workload-unselected", "unselected.yaml"), [
      "Deployment orders/orders-api (pod labels app=orders-api, version=v3) matches the podSelector of none of the NetworkPolicies of namespace orders (api): it accepts connections from any source and may connect to any destination",
      "Pod orders/migrate-once (pod labels job=migrate) matches the podSelector of none of the NetworkPolicies of namespace orders (api): it accepts connections from any source and may connect to any destination",
      "Deployment reporting/report-builder is selected by no NetworkPolicy, as namespace reporting has none in the input: it accepts connections from any source and may connect to any destination",
    ]);
  });
});
