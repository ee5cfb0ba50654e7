// Preload (node --import) used when GNU time is not installed: writes the process's peak RSS
// (process.resourceUsage().maxRSS, kilobytes) to $BENCH_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
