// Loaded with `node --import` (through NODE_OPTIONS) into the scanning process: on exit it writes that process's
// peak RSS and CPU time to the file named by BENCH_STATS_FILE. bench/run.ts runs the real bin/palisade with it, so
// the measurement includes process start-up and the launcher's runtime flags.
import { writeFileSync } from 'node:fs';

const statsFile = process.env['BENCH_STATS_FILE'];
process.on('exit', (code) => {
  if (!statsFile) return;
  const usage = process.resourceUsage();
  writeFileSync(statsFile, JSON.stringify({ maxRssKiB: usage.maxRSS, userMs: usage.userCPUTime / 1000, systemMs: usage.systemCPUTime / 1000, exitCode: code }));
});
