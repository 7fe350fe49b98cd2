import {
  addressesEmpty,
  addressIntersect,
  cidrAddresses,
  endpointClasses,
  externalAccess,
  externalVerdict,
  networkModels,
  portsContain,
  type AddressSet,
  type Endpoint,
  type IpBlockPeer,
  type PolicyRule,
  type PortQuery,
} from '../../analysers/netpol/index.ts';
import { countText, listText, peerText, workloadText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

/** Instance metadata services: AWS, GCP, Azure, OCI and others answer on 169.254.169.254; AWS also on fd00:ec2::254. */
const METADATA: readonly { readonly address: string; readonly cidr: string; readonly addresses: AddressSet }[] = [
  { address: '169.254.169.254', cidr: '169.254.169.254/32', addresses: cidrAddresses('169.254.169.254/32')! },
  { address: 'fd00:ec2::254', cidr: 'fd00:ec2::254/128', addresses: cidrAddresses('fd00:ec2::254/128')! },
];
const HTTP: PortQuery = { protocol: 'TCP', port: 80 };

interface Exposure {
  readonly rule: PolicyRule;
  readonly peer?: IpBlockPeer;
  readonly addresses: Set<string>;
  readonly cidrs: Set<string>;
  readonly endpoints: Endpoint[];
}

export const rule = defineRule({
  meta: {
    id: 'netpol-egress-metadata',
    title: 'NetworkPolicy lets workloads reach the cloud metadata service',
    category: 'network-exposure',
    defaultSeverity: 'high',
    rationale:
      'Cloud instance metadata services answer on the link-local address 169.254.169.254 (and fd00:ec2::254 on AWS) ' +
      'and hand out the credentials of the node\'s cloud identity to any process that can reach them on TCP port 80 ' +
      'unless the provider\'s protections are configured (IMDSv2 with a hop limit of 1, GKE metadata concealment ' +
      'or Workload Identity). An attacker with code execution in a pod uses them to move from the cluster to the ' +
      'cloud account. Egress policies are the usual control: a rule whose ipBlock covers the address without an ' +
      'except for it (0.0.0.0/0, 169.254.0.0/16 …), or a rule without `to`, re-opens it for every workload the policy ' +
      'isolates. The rule reports each such rule or ipBlock with the egress-isolated workloads that get through on ' +
      'TCP 80; workloads isolated by no egress policy reach it too, which netpol-workload-unselected and ' +
      'netpol-namespace-default-deny report.',
    remediation:
      'Add 169.254.169.254/32 (and fd00:ec2::254/128) to the ipBlock\'s except list, or narrow the cidr; give a rule ' +
      'without `to` its destinations. Also enforce IMDSv2 with a hop limit of 1 (AWS) or use workload identity.',
    controls: ['nsa-cisa/network-separation', 'mitre-attack/T1552.005', 'nist-800-190/4.4.2', 'nist-800-53/AC-4', 'nist-800-53/SC-7', 'pci-dss/1.3.2', 'soc2/CC6.6', 'iso-27001/8.22'],
    messages: {
      ipBlock:
        '{{peer}} includes the cloud metadata address {{addresses}}, so {{workloads}} ({{names}}) can connect to it on tcp/80 and obtain the node\'s ' +
        'cloud credentials: add {{except}} to except',
      noDestination:
        'spec.egress[{{index}}] has no `to`, so {{workloads}} ({{names}}) can connect to the cloud metadata address {{addresses}} on tcp/80 and obtain ' +
        'the node\'s cloud credentials: list the destinations, or use an ipBlock whose except holds {{except}}',
    },
    example: {
      bad: 'egress:\n- to:\n  - ipBlock:\n      cidr: 0.0.0.0/0',
      good: 'egress:\n- to:\n  - ipBlock:\n      cidr: 0.0.0.0/0\n      except: [169.254.169.254/32]',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: 'networking.k8s.io', kind: 'NetworkPolicy' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const exposures = new Map<string, Exposure>();
      for (const cls of endpointClasses(model).classes) {
        if (cls.hostNetwork || cls.foreign.length > 0) continue;
        const access = externalAccess(cls, 'egress');
        if (access.status !== 'isolated') continue;
        for (const metadata of METADATA) {
          if (externalVerdict(access, metadata.addresses, HTTP) !== 'allowed') continue;
          // The evidence: each rule, and each of its ipBlocks, that lets tcp/80 through to the address.
          for (const rule of access.allowedBy) {
            if (!portsContain(rule.ports.numeric, HTTP.protocol, HTTP.port)) continue;
            const peers: (IpBlockPeer | undefined)[] =
              rule.peers === undefined
                ? [undefined]
                : rule.peers.filter((peer): peer is IpBlockPeer => peer.kind === 'ipBlock' && !addressesEmpty(addressIntersect(peer.addresses, metadata.addresses)));
            for (const peer of peers) {
              const key = `${rule.policy.id}\u0000${rule.index}\u0000${peer?.index ?? ''}`;
              let exposure = exposures.get(key);
              if (!exposure) {
                exposure = { rule, ...(peer ? { peer } : {}), addresses: new Set(), cidrs: new Set(), endpoints: [] };
                exposures.set(key, exposure);
              }
              exposure.addresses.add(metadata.address);
              exposure.cidrs.add(metadata.cidr);
              for (const endpoint of cls.endpoints) if (!exposure.endpoints.includes(endpoint)) exposure.endpoints.push(endpoint);
            }
          }
        }
      }
      for (const { rule, peer, addresses, cidrs, endpoints } of exposures.values()) {
        endpoints.sort((a, b) => (a.id < b.id ? -1 : 1));
        const data = {
          addresses: [...addresses].join(' and '),
          except: [...cidrs].join(' and '),
          workloads: countText(endpoints.length, 'workload'),
          names: listText(endpoints.map(workloadText)),
        };
        if (peer) context.report({ messageId: 'ipBlock', data: { ...data, peer: peerText(peer) }, path: [...peer.path, 'ipBlock'], object: rule.policy.object });
        else context.report({ messageId: 'noDestination', data: { ...data, index: rule.index }, path: rule.path, object: rule.policy.object });
      }
    }
  },
});
