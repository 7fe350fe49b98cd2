import { networkModels } from '../../analysers/netpol/index.ts';
import { countText, fromCluster, labelsText, listText, modelIndex, servicesOf, whereText } from '../../analysers/netpol/rules-support.ts';
import { defineRule } from '../../core/rule-api.ts';

export const rule = defineRule({
  meta: {
    id: 'netpol-service-selects-nothing',
    title: 'Service selector matches no workload',
    category: 'network-exposure',
    defaultSeverity: 'low',
    rationale:
      'A Service with a selector sends its traffic to the pods of its namespace whose labels match it. When none ' +
      'match (a label renamed in the Deployment but not in the Service, a Service left behind), clients get ' +
      'connection errors, and the Service waits for a pod with those labels: anyone allowed to create pods in the ' +
      'namespace can start one and receive the traffic (and whatever credentials it carries). Manifests are often ' +
      'applied in parts, so a Service is only judged against a namespace whose workloads the input holds (at least ' +
      'one of them); a live cluster, or a snapshot of one, is judged as it is. Services without a selector (their ' +
      'EndpointSlices are managed by hand or by a controller) and ExternalName Services are not judged.',
    remediation: 'Fix the selector to the labels of the workload\'s pod template, or delete the Service.',
    controls: ['nsa-cisa/network-separation'],
    messages: {
      selectsNothing:
        'selector {{selector}} matches no workload of namespace {{namespace}} {{where}} ({{workloads}}, with pod labels {{labels}}): the Service has no ' +
        'endpoints, and a pod created later with these labels receives its traffic',
      namespaceEmpty:
        'selector {{selector}} matches nothing: namespace {{namespace}} has no workload {{where}}, so the Service has no endpoints, and a pod created later ' +
        'with these labels receives its traffic',
    },
    example: {
      bad: 'kind: Service\nspec:\n  selector: {app: checkout}     # the pods are labelled app: checkout-api',
      good: 'kind: Service\nspec:\n  selector: {app: checkout-api}',
    },
  },
  scope: { type: 'inventory', kinds: [{ group: '', kind: 'Service' }] },
  check(context, { objects, podTemplates }) {
    for (const model of networkModels(objects, podTemplates).values()) {
      const index = modelIndex(model);
      for (const service of servicesOf(model, objects)) {
        if (!service.selector || service.type === 'ExternalName' || service.endpoints.length > 0) continue;
        const authoritative = fromCluster(service.object, objects);
        const classes = index.classesByNamespace.get(service.namespace) ?? [];
        const common = { selector: `{${labelsText(service.selector)}}`, namespace: service.namespace, where: whereText(model, authoritative) };
        const path = ['spec', 'selector'];
        if (classes.length > 0) {
          const workloads = classes.reduce((sum, cls) => sum + cls.endpoints.length, 0);
          const labels = listText([...new Set(classes.map((cls) => `{${labelsText(cls.labels)}}`))].sort());
          context.report({ messageId: 'selectsNothing', data: { ...common, workloads: countText(workloads, 'workload'), labels }, path, object: service.object });
        } else if (authoritative) {
          context.report({ messageId: 'namespaceEmpty', data: common, path, object: service.object });
        }
      }
    }
  },
});
