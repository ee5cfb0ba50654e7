/** `cspmove plan`: the offline planner on a local file. */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { finished } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { workerRowReader } from '../shared/csv/worker/ingest-in-worker.js';
import { FileError } from '../shared/domain/codes.js';
import { isoToDay, todayIn } from '../shared/domain/dates.js';
import { type DateFormat, type PartnerSettings, SettingsError } from '../shared/domain/partner-settings.js';
import { planFile, writePlanOutputs } from '../shared/use-cases/plan-file.js';
import { ConfigFileError, loadSettingsFile } from './settings-file.js';
import { formatSummary } from './summary.js';

export interface PlanCommandOptions {
  file: string;
  today?: string | undefined;
  out: string;
  config?: string | undefined;
  dateFormat?: DateFormat | undefined;
  maxBytes?: number | undefined;
  maxRows?: number | undefined;
  quiet?: boolean | undefined;
}

/** Files this large get a progress bar on a terminal. */
const PROGRESS_FROM_BYTES = 8 * 1024 * 1024;

export async function runPlanCommand(options: PlanCommandOptions, now = new Date()): Promise<number> {
  const fail = (message: string) => {
    process.stderr.write(`cspmove: ${message}\n`);
    return 2;
  };
  let settings: PartnerSettings;
  try {
    settings = await loadSettingsFile(options.config);
  } catch (error) {
    if (error instanceof SettingsError || error instanceof ConfigFileError) return fail(error.message);
    throw error;
  }
  const today = options.today ? isoToDay(options.today) : todayIn(settings.timezone, now);

  let size = 0;
  try {
    const info = await stat(options.file);
    if (info.isDirectory()) return fail(`${options.file} is a folder, not a CSV file.`);
    size = info.size;
  } catch {
    return fail(`cannot read ${options.file}: the file does not exist or is not readable.`);
  }

  const bar =
    !options.quiet && process.stderr.isTTY && size >= PROGRESS_FROM_BYTES
      ? new cliProgress.SingleBar(
          { format: 'Reading {bar} {percentage}% | {value}/{total} MB', stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        )
      : undefined;
  bar?.start(Math.ceil(size / 1e6), 0);

  try {
    await mkdir(options.out, { recursive: true });
  } catch (error) {
    bar?.stop();
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file is in the way of that folder' : 'the folder cannot be created';
    return fail(`cannot write to ${options.out}: ${why}.`);
  }
  const names = { plan: 'plan.csv', errors: 'errors.csv', report: 'report.html' } as const;
  const temp = (name: string) => join(options.out, `.${name}.${process.pid}.tmp`);
  try {
    const run = await planFile({
      source: createReadStream(options.file),
      fileName: basename(options.file),
      settings,
      today,
      dateFormat: options.dateFormat,
      maxBytes: options.maxBytes,
      maxRows: options.maxRows,
      onBytes: bar ? (bytes) => bar.update(Math.floor(bytes / 1e6)) : undefined,
      sizeBytes: size,
      reader: workerRowReader(),
      // On unless CSPMOVE_CAPACITY_SEARCH=0: the bench's baseline for what the search costs.
      capacitySearch: process.env.CSPMOVE_CAPACITY_SEARCH !== '0',
    });
    bar?.stop();
    // Outputs go to temporary files first: a failure never leaves a half-written plan behind.
    const sinks = {
      plan: createWriteStream(temp(names.plan)),
      errors: createWriteStream(temp(names.errors)),
      report: createWriteStream(temp(names.report)),
    };
    const model = await writePlanOutputs(run, sinks, now);
    await Promise.all(Object.values(sinks).map((s) => finished(s.end())));
    await replaceOutputs(options.out, Object.values(names), temp);
    if (!options.quiet) process.stdout.write(formatSummary(model, options.out, names));
    return 0;
  } catch (error) {
    bar?.stop();
    await Promise.all(Object.values(names).map((name) => rm(temp(name), { force: true })));
    if (error instanceof FileError) return fail(`${options.file}: ${error.message} [${error.code}]`);
    throw error;
  }
}

/**
 * Puts the new outputs in place of the old ones. The old files are moved aside first and
 * deleted after: renaming a file over an existing one makes ext4 flush the new file's data
 * right away (auto_da_alloc), which a large plan.csv waits for.
 */
async function replaceOutputs(dir: string, names: readonly string[], temp: (name: string) => string): Promise<void> {
  const aside = (name: string) => `${temp(name)}.old`;
  const moved: string[] = [];
  for (const name of names) {
    const final = join(dir, name);
    try {
      await rename(final, aside(name));
      moved.push(aside(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    try {
      await rename(temp(name), final);
    } catch (error) {
      if (moved.at(-1) === aside(name)) await rename(aside(name), final).catch(() => undefined); // the old one back
      throw error;
    }
  }
  await Promise.all(moved.map((file) => rm(file, { force: true })));
}
