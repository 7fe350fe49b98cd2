import {
  endpointClasses,
  externalAccess,
  formatPorts,
  isIsolated,
  networkModels,
  NO_PORTS,
  policyApplies,
  portsContain,
  portsEmpty,
  unionPorts,
  type Endpoint,
  type EndpointClass,
  type ExternalAccess,
  type PolicyRule,
} from '../../analysers/netpol/index.ts';
import {
  containerPortPath,
  ingressBackendsOf,
  isEmptySelector,
  listText,
  openToEveryAddress,
  portsForEndpoint,
  ruleText,
  servicesOf,
  targetPortOf,
  workloadText,
  type ServiceEntry,
  type ServicePort,
} from '../../analysers/netpol/rules-support.ts';
import type { Path } from '../../core/model.ts';
import { defineRule } from '../../core/rule-api.ts';

interface Exposure {
  readonly endpoint: Endpoint;
  readonly path: Path;
  readonly port: string;
  readonly reason: string;
  readonly via: string[];
}

/** How a Service reaches outside the cluster, or undefined for an in-cluster one. */
function externalVia(service: ServiceEntry, port: ServicePort): string | undefined {
  const ways: string[] = [];
  if (service.type === 'NodePort' || service.type === 'LoadBalancer') ways.push(port.nodePort !== undefined ? `${service.type} ${port.nodePort}` : service.type);
  if (service.externalIPs.length > 0) ways.push(`externalIPs ${service.externalIPs.join(', ')}`);
  return ways.length > 0 ? `Service ${service.id} (${ways.join(', ')}; port ${port.port})` : undefined;
}

/** A rule admitting every pod of every namespace: no peers, or namespaceSelector: {} without a narrowing podSelector. */
function admitsAllNamespaces(rule: PolicyRule): boolean {
  if (rule.peers === undefined) return true;
  return rule.peers.some(
    (peer) => peer.kind === 'selector' && peer.namespaceSelector !== undefined && isEmptySelector(peer.namespaceSelector) && (!peer.podSelector || isEmptySelector(peer.podSelector)),
  );
}

export const rule = defineRule({
  meta: {
    id: 'netpol-exposed-workload',
    title: 'Workload is reachable from outside the cluster or from every namespace',
    category: 'network-exposure',
    defaultSeverity: 'medium',
    rationale:
      'A workload behind a NodePort or LoadBalancer Service (internal load balancers included: their network is ' +
      'still outside the cluster), a Service with externalIPs, or an Ingress backend receives traffic from outside ' +
      'the cluster; its own NetworkPolicies are the last control on who gets through ' +
      'to the pod port (the Service\'s targetPort, which policies see after the translation). The rule follows ' +
      'Service → pods and Ingress → Service → pods and reports each workload whose ingress, on that pod port, is ' +
      'open to every address of a family: no policy isolates it, a rule without `from`, or an ipBlock of 0.0.0.0/0 ' +
      'or ::/0 (hostNetwork pods: policies do not apply). Restricting the sources to the load balancer\'s or ' +
      'ingress controller\'s addresses or pods is not reported. It also reports workloads isolated for ingress ' +
      'whose rules nevertheless admit every pod of every namespace (a rule without `from`, or a namespaceSelector: {} ' +
      'peer without a podSelector narrowing it), on the ports those rules allow: any compromised pod of the cluster, ' +
      'in namespaces created later too, can connect. Workloads under foreign policies (Cilium, Calico, ' +
      'AdminNetworkPolicy) are not judged. service-node-port, service-load-balancer and service-external-ips report ' +
      'the Services themselves; this rule reports what the traffic reaches.',
    remediation:
      'Isolate the workload for ingress and allow the exposed port only from where the traffic really comes from: the ' +
      'ingress controller\'s namespace and pods, or the load balancer\'s source ranges (externalTrafficPolicy: Local ' +
      'keeps client addresses); replace namespaceSelector: {} by the namespaces that need access.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1133', 'mitre-attack/T1190', 'mitre-attack/T1046', 'nist-800-190/4.3.3', 'nist-800-53/AC-4', 'nist-800-53/SC-7', 'pci-dss/1.3.1', 'pci-dss/1.4.2', 'soc2/CC6.6', 'iso-27001/8.20', 'iso-27001/8.22', 'hipaa/164.312(a)(1)'],
    messages: {
      exposedExternally:
        '{{workload}} is exposed outside the cluster through {{via}}, and {{port}} is open to any address: {{reason}}',
      reachableFromAllNamespaces:
        '{{workload}} accepts connections on {{ports}} from every pod of every namespace, including namespaces created later ({{rules}})',
    },
    example: {
      bad: 'kind: NetworkPolicy\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - ports:\n    - port: 8080',
      good:
        'kind: NetworkPolicy\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {kubernetes.io/metadata.name: ingress-nginx}\n' +
        '    ports:\n    - port: 8080',
    },
  },
  scope: {
    type: 'inventory',
    kinds: [
      { group: '', kind: 'Service' },
      { group: 'networking.k8s.io', kind: 'Ingress' },
      { group: 'extensions', kind: 'Ingress' },
      { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
    ],
  },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const { classOf, classes } = endpointClasses(model);
      const accessMemo = new Map<EndpointClass, ExternalAccess>();
      const ingressAccess = (cls: EndpointClass): ExternalAccess => {
        let access = accessMemo.get(cls);
        if (!access) {
          access = externalAccess(cls, 'ingress');
          accessMemo.set(cls, access);
        }
        return access;
      };

      // Outside the cluster → Service (or Ingress → Service) → pod port.
      const exposures = new Map<string, Exposure>();
      const expose = (service: ServiceEntry, port: ServicePort, via: string): void => {
        for (const endpoint of service.endpoints) {
          const cls = classOf(endpoint);
          if (cls.foreign.length > 0) continue;
          const target = targetPortOf(port, endpoint);
          if (target === undefined) continue;
          const access = ingressAccess(cls);
          if (!openToEveryAddress(access, port.protocol, target)) continue;
          const path = containerPortPath(endpoint, port.protocol, target) ?? [...endpoint.template.specPath, 'containers'];
          const key = `${endpoint.id}\u0000${path.join('\u0001')}`;
          let exposure = exposures.get(key);
          if (!exposure) {
            const allowing = access.allowedBy.filter((r) => portsContain(portsForEndpoint(r.ports, endpoint), port.protocol, target)).map(ruleText);
            const reason =
              access.status === 'host-network'
                ? 'it uses the host network, where NetworkPolicies do not apply'
                : access.status === 'not-isolated'
                  ? 'no NetworkPolicy isolates it for ingress'
                  : `${listText(allowing)} allow${allowing.length === 1 ? 's' : ''} it`;
            exposure = { endpoint, path, port: `${port.protocol.toLowerCase()}/${target}`, reason, via: [] };
            exposures.set(key, exposure);
          }
          if (!exposure.via.includes(via)) exposure.via.push(via);
        }
      };
      const services = servicesOf(model, objects);
      for (const service of services) {
        for (const port of service.ports) {
          const via = externalVia(service, port);
          if (via) expose(service, port, via);
        }
      }
      const byId = new Map(services.map((service) => [service.id, service]));
      for (const backend of ingressBackendsOf(model, objects)) {
        const service = byId.get(`${backend.namespace}/${backend.service}`);
        if (!service) continue;
        const ingress = `Ingress ${backend.namespace}/${backend.object.ref.name}${backend.host ? ` (${backend.host})` : ''}`;
        for (const port of service.ports) {
          if (backend.port !== undefined && backend.port !== port.port && backend.port !== port.name) continue;
          expose(service, port, `${ingress} → Service ${service.id} port ${port.port}`);
        }
      }
      for (const { endpoint, path, port, reason, via } of exposures.values()) {
        context.report({ messageId: 'exposedExternally', data: { workload: workloadText(endpoint), via: listText(via, 4), port, reason }, path, object: endpoint.object });
      }

      // Every pod of every namespace: class by class, from the rules that select it.
      for (const cls of classes) {
        const first = cls.endpoints[0]!;
        if (cls.hostNetwork || cls.foreign.length > 0 || !isIsolated(first, 'ingress')) continue;
        let ports = NO_PORTS;
        const rules: string[] = [];
        for (const policy of cls.selectedBy) {
          if (!policyApplies(policy, 'ingress')) continue;
          for (const rule of policy.ingress) {
            if (!admitsAllNamespaces(rule)) continue;
            const allowed = portsForEndpoint(rule.ports, first);
            if (portsEmpty(allowed)) continue;
            ports = unionPorts(ports, allowed);
            rules.push(ruleText(rule));
          }
        }
        if (rules.length === 0) continue;
        for (const endpoint of cls.endpoints) {
          context.report({
            messageId: 'reachableFromAllNamespaces',
            data: { workload: workloadText(endpoint), ports: formatPorts(ports), rules: listText(rules) },
            path: [...endpoint.template.metadataPath, 'labels'],
            object: endpoint.object,
          });
        }
      }
    }
  },
});
