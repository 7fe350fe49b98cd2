// Runs the Palisade CLI in this process and, on exit, writes its peak RSS and CPU time to the file named by
// BENCH_STATS_FILE. Used by bench/run.ts so the measurement includes process start-up.
import { writeFileSync } from 'node:fs';

const statsFile = process.env['BENCH_STATS_FILE'];
process.on('exit', (code) => {
  if (!statsFile) return;
  const usage = process.resourceUsage();
  writeFileSync(statsFile, JSON.stringify({ maxRssKiB: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, exitCode: code }));
});

await import('../src/cli/main.ts');
