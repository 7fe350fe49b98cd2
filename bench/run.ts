// Benchmark: generate synthetic clusters and scan them with the real CLI (process start included), printing
// objects per second and peak RSS.
//
//   npm run bench                          # 1,000 and 10,000 workloads
//   node bench/run.ts --workloads 100000   # any sizes, comma-separated
//   node bench/run.ts --format sarif       # the report format to produce (default json)

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from './generate.ts';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    workloads: { type: 'string', default: '1000,10000' },
    format: { type: 'string', default: 'json' },
    runs: { type: 'string', default: '3' },
  },
});

const sizes = values.workloads.split(',').map((n) => Number(n.trim()));
const runs = Math.max(1, Number(values.runs));
console.log(`bin/palisade on node ${process.version}, ${runs} run(s) per size, report format ${values.format}, best run shown`);
console.log('workloads  documents  seconds  objects/s  peak RSS MiB');
for (const size of sizes) {
  const dir = join(root, 'bench', 'out', String(size));
  const meta = join(dir, '.meta.json');
  let documents: number;
  if (existsSync(meta)) {
    documents = (JSON.parse(readFileSync(meta, 'utf8')) as { documents: number }).documents;
  } else {
    const generated = generate(size, dir);
    documents = generated.documents;
    await import('node:fs').then((fs) => fs.writeFileSync(meta, JSON.stringify(generated)));
  }
  let best: { seconds: number; rssMiB: number } | undefined;
  for (let run = 0; run < runs; run++) {
    const statsFile = join(root, 'bench', 'out', `.stats-${process.pid}.json`);
    const started = performance.now();
    const result = spawnSync(join(root, 'bin', 'palisade'), ['scan', dir, '--format', values.format, '--fail-on', 'none'], {
      cwd: root,
      env: { ...process.env, BENCH_STATS_FILE: statsFile, NODE_OPTIONS: `--import=${join(root, 'bench', 'measure.ts')}` },
      stdio: ['ignore', 'ignore', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 0) {
      console.error(`scan failed with exit code ${result.status}: ${result.stderr.toString().slice(0, 2000)}`);
      process.exit(1);
    }
    const stats = JSON.parse(readFileSync(statsFile, 'utf8')) as { maxRssKiB: number };
    rmSync(statsFile, { force: true });
    const rssMiB = stats.maxRssKiB / 1024;
    if (!best || seconds < best.seconds) best = { seconds, rssMiB };
  }
  const { seconds, rssMiB } = best!;
  console.log(
    `${String(size).padStart(9)}  ${String(documents).padStart(9)}  ${seconds.toFixed(2).padStart(7)}  ${Math.round(size / seconds).toString().padStart(9)}  ${rssMiB.toFixed(0).padStart(12)}`,
  );
}
