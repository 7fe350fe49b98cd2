// Generates a synthetic cluster's manifests: N workload objects of mixed kinds (Deployments, StatefulSets,
// DaemonSets, Jobs, CronJobs, Pods), each with a Service or ConfigMap now and then, secure and insecure, spread
// over files of 100 documents. Deterministic for a given N and seed.
//
//   node bench/generate.ts --workloads 10000 --out bench/out/10k

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** A small seeded PRNG (mulberry32): the same seed gives the same synthetic cluster. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KINDS = [
  ['apps/v1', 'Deployment', 0.45],
  ['apps/v1', 'StatefulSet', 0.12],
  ['apps/v1', 'DaemonSet', 0.08],
  ['batch/v1', 'Job', 0.1],
  ['batch/v1', 'CronJob', 0.1],
  ['v1', 'Pod', 0.15],
] as const;

const IMAGES = ['nginx:1.27', 'registry.example.com/shop/api:2.3.1', 'redis', 'postgres:16@sha256:' + 'ab'.repeat(32), 'ghcr.io/acme/worker:latest', 'busybox:1.36'];

function container(name: string, random: () => number, secure: boolean, indent: string): string {
  const image = secure ? `registry.example.com/team/${name}:1.${Math.floor(random() * 20)}.0@sha256:${'cd'.repeat(32)}` : IMAGES[Math.floor(random() * IMAGES.length)]!;
  const lines = [`- name: ${name}`, `  image: ${image}`, '  ports:', `  - containerPort: ${8000 + Math.floor(random() * 100)}`];
  if (!secure && random() < 0.3) lines.push(`    hostPort: ${30000 + Math.floor(random() * 1000)}`);
  lines.push('  env:', '  - name: LOG_LEVEL', '    value: info');
  if (!secure && random() < 0.2) lines.push('  - name: API_TOKEN', `    value: "tok-${Math.floor(random() * 1e9).toString(36)}"`);
  else lines.push('  - name: API_TOKEN', '    valueFrom:', '      secretKeyRef: {name: api, key: token}');
  if (secure) {
    lines.push('  imagePullPolicy: Always', '  securityContext:', '    allowPrivilegeEscalation: false', '    readOnlyRootFilesystem: true', '    capabilities:', '      drop: ["ALL"]');
    lines.push('  resources:', '    requests: {cpu: 100m, memory: 128Mi}', '    limits: {cpu: 500m, memory: 256Mi}');
  } else {
    const roll = random();
    if (roll < 0.2) lines.push('  securityContext:', '    privileged: true');
    else if (roll < 0.4) lines.push('  securityContext:', '    capabilities:', '      add: ["NET_ADMIN", "SYS_TIME"]');
    else if (roll < 0.6) lines.push('  securityContext:', '    runAsUser: 0', '    allowPrivilegeEscalation: true');
    if (random() < 0.5) lines.push('  resources:', '    limits: {memory: 512Mi}');
  }
  lines.push('  volumeMounts:', '  - {name: data, mountPath: /data}');
  return lines.map((line) => indent + line).join('\n');
}

function podSpec(name: string, random: () => number, secure: boolean, indent: string): string {
  const lines: string[] = [];
  if (secure) {
    lines.push(`serviceAccountName: ${name}`, 'automountServiceAccountToken: false', 'runtimeClassName: gvisor', 'securityContext:', '  runAsNonRoot: true', '  runAsUser: 10001', '  runAsGroup: 10001', '  seccompProfile: {type: RuntimeDefault}');
  } else {
    if (random() < 0.15) lines.push('hostNetwork: true');
    if (random() < 0.1) lines.push('hostPID: true');
  }
  lines.push('containers:');
  const head = lines.map((line) => indent + line).join('\n');
  const containers = [container(name, random, secure, indent)];
  if (random() < 0.3) containers.push(container(`${name}-sidecar`, random, secure, indent));
  const volume = !secure && random() < 0.15 ? '  hostPath: {path: /var/run/docker.sock}' : '  emptyDir: {}';
  return `${head}\n${containers.join('\n')}\n${indent}volumes:\n${indent}- name: data\n${indent}${volume}`;
}

function workload(index: number, random: () => number): string {
  let pick = random();
  let chosen: (typeof KINDS)[number] = KINDS[0];
  for (const kind of KINDS) {
    if (pick < kind[2]) {
      chosen = kind;
      break;
    }
    pick -= kind[2];
  }
  const [apiVersion, kind] = chosen;
  const secure = random() < 0.35;
  const namespace = `team-${index % 50}`;
  const name = `app-${index}`;
  const meta = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\n  labels:\n    app: ${name}\n    tier: ${random() < 0.5 ? 'web' : 'batch'}`;
  if (kind === 'Pod') return `${meta}\nspec:\n${podSpec(name, random, secure, '  ')}`;
  const template = (indent: string) =>
    `${indent}template:\n${indent}  metadata:\n${indent}    labels:\n${indent}      app: ${name}\n${indent}  spec:\n${kind === 'Job' || kind === 'CronJob' ? `${indent}    restartPolicy: OnFailure\n` : ''}${podSpec(name, random, secure, `${indent}    `)}`;
  if (kind === 'CronJob') return `${meta}\nspec:\n  schedule: "*/15 * * * *"\n  jobTemplate:\n    spec:\n${template('      ')}`;
  const selector = kind === 'Job' ? '' : `  selector:\n    matchLabels:\n      app: ${name}\n`;
  return `${meta}\nspec:\n${kind === 'Deployment' || kind === 'StatefulSet' ? `  replicas: ${1 + Math.floor(random() * 5)}\n` : ''}${selector}${template('  ')}`;
}

function extra(index: number, random: () => number): string | undefined {
  const roll = random();
  const namespace = `team-${index % 50}`;
  if (roll < 0.3) {
    const type = random() < 0.2 ? 'NodePort' : 'ClusterIP';
    return `apiVersion: v1\nkind: Service\nmetadata:\n  name: app-${index}\n  namespace: ${namespace}\nspec:\n  type: ${type}\n  selector:\n    app: app-${index}\n  ports:\n  - port: 80\n    targetPort: 8080`;
  }
  if (roll < 0.4) return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${index}-config\n  namespace: ${namespace}\ndata:\n  settings.json: |\n    {"feature": true, "level": ${index}}`;
  return undefined;
}

export function generate(workloads: number, out: string, seed = 42, perFile = 100): { files: number; workloads: number; documents: number } {
  const random = prng(seed);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  let documents = 0;
  let files = 0;
  for (let start = 0; start < workloads; start += perFile) {
    const docs: string[] = [];
    for (let i = start; i < Math.min(workloads, start + perFile); i++) {
      docs.push(workload(i, random));
      const more = extra(i, random);
      if (more) docs.push(more);
    }
    documents += docs.length;
    writeFileSync(join(out, `manifests-${String(files).padStart(5, '0')}.yaml`), `${docs.join('\n---\n')}\n`);
    files++;
  }
  return { files, workloads, documents };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { workloads: { type: 'string', default: '10000' }, out: { type: 'string', default: 'bench/out/generated' }, seed: { type: 'string', default: '42' } } });
  const result = generate(Number(values.workloads), values.out, Number(values.seed));
  console.log(`wrote ${result.workloads} workloads (${result.documents} documents) in ${result.files} files to ${values.out}`);
}
