// Secret-detection benchmark: a synthetic repository of mixed content — Kubernetes manifests (Deployments with
// env and args, ConfigMaps carrying config files, Secrets with base64 data, Services), Helm values files, env
// files, shell scripts, Markdown docs and JSON — with a few credentials sprinkled in (about one file in fifty), written
// under bench/out/secrets-<MB>mb/; then `bin/palisade secrets scan DIR --format json` is timed with the real CLI
// (process start-up, walking, reading, parsing and detection included; output to /dev/null), printing seconds,
// MB/s, secrets found and peak RSS.
//
//   node bench/secrets.ts                 # 100 MB
//   node bench/secrets.ts --mb 20 --runs 3

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { prng } from './generate.ts';

const root = resolve(import.meta.dirname, '..');
const palisade = join(root, 'bin', 'palisade');

function token(random: () => number, length: number, alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'): string {
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

const WORDS = 'the service reads its configuration from the mounted volume and retries each request with backoff while the cache warms up on start'.split(' ');

function prose(random: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(random() * WORDS.length)]!);
  return out.join(' ');
}

/** One credential of a kind users leak, in the syntax of the file it goes into. */
function leak(random: () => number): { env: string; yaml: string } {
  const kinds = [
    () => ['AWS_ACCESS_KEY_ID', `AKIA${token(random, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`],
    () => ['GITHUB_TOKEN', `ghp_${token(random, 36)}`],
    () => ['DATABASE_URL', `postgres://app:${token(random, 14)}@db.internal:5432/app`],
    () => ['DB_PASSWORD', token(random, 14)],
    () => ['SLACK_BOT_TOKEN', `xoxb-${token(random, 12, '0123456789')}-${token(random, 13, '0123456789')}-${token(random, 24)}`],
  ] as const;
  const [name, value] = kinds[Math.floor(random() * kinds.length)]!();
  return { env: `${name}=${value}`, yaml: `        - name: ${name}\n          value: "${value}"` };
}

function deployment(random: () => number, index: number, withLeak: boolean): string {
  const name = `svc-${index}`;
  const env = [
    `        - name: LOG_LEVEL\n          value: info`,
    `        - name: DB_PASSWORD\n          valueFrom:\n            secretKeyRef: {name: ${name}-db, key: password}`,
    `        - name: API_URL\n          value: https://api.internal/${token(random, 8)}`,
    `        - name: CACHE_TTL\n          value: "300"`,
    ...(withLeak ? [leak(random).yaml] : []),
  ];
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: team-${index % 40}
  labels: {app: ${name}, tier: backend}
  annotations:
    checksum/config: ${token(random, 64, '0123456789abcdef')}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: registry.example.com/${name}@sha256:${token(random, 64, '0123456789abcdef')}
        args: ["--port=8080", "--config=/etc/${name}/config.yaml", "--workers=4"]
        env:
${env.join('\n')}
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {cpu: 500m, memory: 256Mi}
`;
}

function configMap(random: () => number, index: number): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-${index}
  namespace: team-${index % 40}
data:
  application.properties: |
    server.port=8080
    spring.datasource.url=jdbc:postgresql://db:5432/app
    spring.datasource.password=\${DB_PASSWORD}
    feature.flags=${token(random, 20)}
    # ${prose(random, 12)}
  LOG_FORMAT: json
`;
}

function secret(random: () => number, index: number): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: sec-${index}
  namespace: team-${index % 40}
type: Opaque
data:
  username: ${Buffer.from(`user${index}`).toString('base64')}
  password: ${Buffer.from(token(random, 18)).toString('base64')}
`;
}

function service(index: number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: svc-${index}
  namespace: team-${index % 40}
spec:
  selector: {app: svc-${index}}
  ports:
  - {name: http, port: 80, targetPort: 8080}
`;
}

function manifestsFile(random: () => number, start: number, documents: number): string {
  const parts: string[] = [];
  for (let i = 0; i < documents; i++) {
    const index = start + i;
    const kind = index % 4;
    parts.push(kind === 0 ? deployment(random, index, random() < 0.02) : kind === 1 ? configMap(random, index) : kind === 2 ? service(index) : secret(random, index));
  }
  return parts.join('---\n');
}

function otherFile(random: () => number, index: number): [string, string] {
  const kind = index % 4;
  const withLeak = random() < 0.02;
  if (kind === 0) {
    const lines = ['LOG_LEVEL=info', 'PORT=8080', `REGION=eu-west-${index % 3}`, 'DB_PASSWORD_FILE=/run/secrets/db', ...(withLeak ? [leak(random).env] : [])];
    return [`env/service-${index}.env`, `${lines.join('\n')}\n`];
  }
  if (kind === 1) {
    const body = [`#!/bin/sh`, 'set -eu', `kubectl -n team-${index % 40} rollout status deploy/svc-${index}`, ...Array.from({ length: 30 }, () => `echo "${prose(random, 10)}"`)];
    if (withLeak) body.push(`export ${leak(random).env}`);
    return [`scripts/deploy-${index}.sh`, `${body.join('\n')}\n`];
  }
  if (kind === 2) {
    return [`docs/page-${index}.md`, `# Page ${index}\n\n${Array.from({ length: 40 }, () => prose(random, 16)).join('\n\n')}\n`];
  }
  const values = { replicaCount: 2, image: { repository: `registry.example.com/svc-${index}`, tag: `1.${index % 10}.0` }, postgresql: { auth: { username: 'app', existingSecret: `svc-${index}-db` } }, notes: prose(random, 40) };
  return [`values/svc-${index}.json`, `${JSON.stringify(values, null, 2)}\n`];
}

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** Writes about `megabytes` MB: two thirds manifests (100 documents per file), one third other text. */
export function generateSecretsCorpus(megabytes: number, out: string, seed = 7): { files: number; bytes: number } {
  rmSync(out, { recursive: true, force: true });
  for (const dir of ['manifests', 'env', 'scripts', 'docs', 'values']) mkdirSync(join(out, dir), { recursive: true });
  const random = prng(seed);
  const target = megabytes * 1_000_000;
  let bytes = 0;
  let files = 0;
  let index = 0;
  while (bytes < target) {
    if (files % 3 !== 2) {
      const text = manifestsFile(random, index, 100);
      writeFileSync(join(out, 'manifests', `apps-${files}.yaml`), text);
      bytes += Buffer.byteLength(text);
      index += 100;
    } else {
      for (let i = 0; i < 40 && bytes < target; i++) {
        const [path, text] = otherFile(random, index++);
        writeFileSync(join(out, path), text);
        bytes += Buffer.byteLength(text);
        files++;
      }
    }
    files++;
  }
  return { files, bytes };
}

function run(dir: string): { seconds: number; rssMiB: number; secrets: number; files: number } {
  const statsFile = join(root, 'bench', 'out', `.stats-${process.pid}.json`);
  const reportFile = join(root, 'bench', 'out', `.secrets-${process.pid}.json`);
  const started = performance.now();
  const result = spawnSync('sh', ['-c', 'exec "$0" secrets scan "$1" --format json --fail-on none > "$2"', palisade, dir, reportFile], {
    cwd: root,
    env: { ...process.env, BENCH_STATS_FILE: statsFile, NODE_OPTIONS: `--import=${join(root, 'bench', 'measure.ts')}` },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    console.error(`secrets scan failed with exit code ${result.status}: ${result.stderr.toString().slice(0, 2000)}`);
    process.exit(1);
  }
  const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { maxRssKiB: number };
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { summary: { secrets: number; files: number } };
  rmSync(statsFile, { force: true });
  rmSync(reportFile, { force: true });
  return { seconds, rssMiB: stats.maxRssKiB / 1024, secrets: report.summary.secrets, files: report.summary.files };
}

if (import.meta.main) {
  const { values } = parseArgs({ options: { mb: { type: 'string', default: '100' }, runs: { type: 'string', default: '1' } } });
  const megabytes = Number(values.mb);
  const dir = join(root, 'bench', 'out', `secrets-${megabytes}mb`);
  if (!existsSync(join(dir, 'manifests'))) {
    const generated = generateSecretsCorpus(megabytes, dir);
    console.log(`generated ${generated.files} files, ${(generated.bytes / 1e6).toFixed(1)} MB in ${dir}`);
  }
  const bytes = directorySize(dir);
  for (let i = 0; i < Number(values.runs); i++) {
    const measured = run(dir);
    console.log(
      `secrets scan: ${(bytes / 1e6).toFixed(1)} MB in ${measured.files} files, ${measured.seconds.toFixed(2)} s ` +
        `(${(bytes / 1e6 / measured.seconds).toFixed(1)} MB/s), ${measured.secrets} secrets, peak RSS ${measured.rssMiB.toFixed(0)} MiB`,
    );
  }
}
