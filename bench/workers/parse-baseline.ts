/**
 * P1's baseline: a bare papaparse header-mode parse of the file, streamed, with a `step`
 * callback that does nothing but count. Run in its own process by bench/run.ts.
 */
import { createReadStream } from 'node:fs';
import Papa from 'papaparse';
import { emit } from '../util.js';

const file = process.argv[2]!;
const t0 = performance.now();
let rows = 0;
await new Promise<void>((resolve, reject) => {
  Papa.parse<Record<string, string>>(createReadStream(file) as NodeJS.ReadableStream, {
    header: true,
    step() {
      rows++;
    },
    complete: () => resolve(),
    error: (error: Error) => reject(error),
  });
});
emit({ rows, parseMs: performance.now() - t0, maxRssKb: process.resourceUsage().maxRSS });
