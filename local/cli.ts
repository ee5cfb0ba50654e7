/**
 * `cspmove`: the command line. `plan` works offline on a local file; the other commands drive
 * the local AWS stack (`serve`) or, with CSPMOVE_TARGET=aws, the deployed one.
 */
import './quiet-sdk-notice.js'; // first: before any module that creates an SDK client
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' }; // inlined by the build
import { FIRST_DAY, isoToDay, LAST_DAY } from '../shared/domain/dates.js';
import { DATE_FORMATS, type DateFormat, SettingsError } from '../shared/domain/partner-settings.js';
import { DEFAULT_ACTIONS_PORT, DEFAULT_AWS_PORT, DEFAULT_CONSOLE_PORT } from './local-names.js';
import { runPlanCommand } from './plan-command.js';
import { PortTakenError } from './port-taken.js';
import { ConfigFileError } from './settings-file.js';
import type { StatusOptions } from './status-commands.js';
import { TargetError } from './target.js';
import { UsersFileError } from './users/local-user-directory.js';
import { normalizeEmail } from './users/user-directory.js';

export const EXIT_OK = 0;
export const EXIT_INTERNAL = 1;
/** A file-level failure or bad usage: one clear message on stderr. */
export const EXIT_FAILURE = 2;

function isoDate(value: string): string {
  const day = isoToDay(value);
  if (!(day >= FIRST_DAY && day <= LAST_DAY))
    throw new InvalidArgumentError('expected a date from 2000-01-01 to 2100-12-31 as YYYY-MM-DD.');
  return value;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port number from 1 to 65535.');
  return n;
}

function emailAddress(value: string): string {
  const email = normalizeEmail(value);
  if (!email) throw new InvalidArgumentError('expected an e-mail address such as name@example.com.');
  return email;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('expected a whole number above 0.');
  return n;
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command('cspmove')
    .description(
      'Plan the move of license-based Microsoft customers into CSP: ' +
        'when to invite each customer and the best day to move each subscription.',
    )
    .version(packageJson.version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('plan')
    .description('Plan a CSV offline (no AWS): writes plan.csv, errors.csv and report.html.')
    .argument('<file>', 'CSV of customers and their legacy subscriptions (see README: input columns)')
    .option('--today <date>', 'plan as of this date, YYYY-MM-DD (default: today in the partner time zone)', isoDate)
    .option('--out <dir>', 'folder for plan.csv, errors.csv and report.html', 'out')
    .option('--config <file>', 'partner settings JSON (see README: partner settings)')
    .addOption(
      new Option(
        '--date-format <format>',
        'how to read DD/MM vs MM/DD dates; auto decides from the file, then the partner country',
      ).choices(DATE_FORMATS),
    )
    .option('--max-bytes <n>', 'refuse files larger than this many bytes (default 512 MiB)', positiveInt)
    .option('--max-rows <n>', 'refuse files with more data rows than this (default 2,000,000)', positiveInt)
    .option('--quiet', 'print nothing but errors')
    .addHelpText(
      'after',
      '\nExit status: 0 when the file was read (even if some rows were rejected: see errors.csv);\n' +
        '2 when the file cannot be planned at all (unreadable, not CSV, required columns missing, over a limit).',
    )
    .action(
      async (
        file: string,
        opts: {
          today?: string;
          out: string;
          config?: string;
          dateFormat?: DateFormat;
          maxBytes?: number;
          maxRows?: number;
          quiet?: boolean;
        },
      ) => {
        setExitCode(await runPlanCommand({ file, ...opts }));
      },
    );

  program
    .command('demo')
    .description(
      'Run the whole pipeline on an embedded local AWS (no account needed): ' +
        'upload a CSV, plan it, then run the daily and weekly schedules for N simulated days and list every e-mail sent.',
    )
    .option('--csv <file>', 'the CSV to upload', 'examples/customers.csv')
    .option('--config <file>', 'partner settings JSON (default: a demo partner)')
    .option('--today <date>', 'first simulated day, YYYY-MM-DD (default: today)', isoDate)
    .option('--days <n>', 'how many days to simulate', positiveInt, 90)
    .option('--out <dir>', 'where to copy the report and the e-mails', 'out/demo')
    .option(
      '--simulate-acceptances',
      'let some customers accept their invitations on later days, and the partner record each move provisioned on its day, ' +
        'by the links in the digests (npm start turns it on); with --json, adds acceptances and provisions',
    )
    .option('--json', 'end with one JSON line: {planned, rejected, items, emails: [{date, kind, to, subject}]}')
    .option(
      '--console',
      'then keep running with the partner console on the demo plan, a demo user to sign in as, until Ctrl-C (npm start turns it on)',
    )
    .option('--console-port <port>', 'the port of the partner console on localhost (with --console)', port, DEFAULT_CONSOLE_PORT)
    .action(
      async (opts: {
        csv: string;
        config?: string;
        today?: string;
        days: number;
        out: string;
        json?: boolean;
        simulateAcceptances?: boolean;
        console?: boolean;
        consolePort: number;
      }) => {
        const { runDemo } = await import('./demo-command.js');
        setExitCode(await runDemo({ ...opts, consolePort: opts.console ? opts.consolePort : undefined }));
      },
    );

  program
    .command('serve')
    .description(
      'Start the embedded local AWS and keep it running, with the plan function on S3 uploads, the partner console and a web inbox for e-mails.',
    )
    .option('--data-dir <dir>', 'where the local AWS keeps its data (kept between runs)', '.local/data')
    .option('--actions-port <port>', "the port of the e-mail links' endpoint on localhost", port, DEFAULT_ACTIONS_PORT)
    .option(
      '--aws-port <port>',
      'the first of four ports for DynamoDB, S3, SES (and its inbox) and SQS; fixed, so links and the inbox survive a restart',
      port,
      DEFAULT_AWS_PORT,
    )
    .option(
      '--console-port <port>',
      'the port of the partner console on localhost (sign in as a user made with `cspmove user add`)',
      port,
      DEFAULT_CONSOLE_PORT,
    )
    .action(async (opts: { dataDir: string; actionsPort: number; awsPort: number; consolePort: number }) =>
      setExitCode(await (await import('./stack-commands.js')).serve(opts)),
    );

  program
    .command('upload')
    .description(
      'Upload a CSV for a partner to uploads/{partner}/ on the running stack (or AWS with CSPMOVE_TARGET=aws) and wait for the plan.',
    )
    .argument('<file>', 'the CSV to upload')
    .requiredOption('--partner <id>', 'the partner id (the key prefix decides the partner, never the file)')
    .option('--no-wait', 'return once uploaded, without waiting for the plan')
    .action(async (file: string, opts: { partner: string; wait: boolean }) =>
      setExitCode(await (await import('./stack-commands.js')).upload(file, opts)),
    );

  program
    .command('remind')
    .description('Run the daily reminders and the weekly digest (Mondays) now, or as of --date.')
    .option('--date <date>', 'the day to run for, YYYY-MM-DD (default: now)', isoDate)
    .action(async (opts: { date?: string }) => setExitCode(await (await import('./stack-commands.js')).remind(opts)));

  const partner = program.command('partner').description("Store or show a partner's settings.");
  partner
    .command('put')
    .description('Store partner settings from a JSON file (validated: unknown keys are an error).')
    .requiredOption('--config <file>', 'partner settings JSON (see README: partner settings)')
    .option('--id <partnerId>', 'the partner id, if the file has no partner_id')
    .action(async (opts: { config: string; id?: string }) => setExitCode(await (await import('./stack-commands.js')).partnerPut(opts)));
  partner
    .command('get')
    .description("Print a partner's stored settings as JSON.")
    .argument('<partnerId>')
    .action(async (id: string) => setExitCode(await (await import('./stack-commands.js')).partnerGet(id)));

  const status = program
    .command('status')
    .description("Record or show where a customer's invitation or a subscription's move stands, on the running stack (or AWS).");
  const subjectOptions = (command: ReturnType<typeof status.command>) =>
    command
      .requiredOption('--partner <id>', 'the partner id')
      .option('--customer <id>', 'a customer id (its invitation: not_sent, sent, accepted)')
      .option('--subscription <id>', 'a subscription id (its move: planned, provisioned, done, excluded)');
  subjectOptions(status.command('set'))
    .description('Record a change, e.g. `status set --partner P --customer C accepted --on 2027-01-05`.')
    .argument('<state>', 'customer: not_sent | sent | accepted · subscription: planned | provisioned | done | excluded')
    .option('--on <date>', 'the day it happened, YYYY-MM-DD (default: today in the partner time zone)', isoDate)
    .option('--by <who>', 'who made the change (default: cli)')
    .option('--reason <text>', 'why (an exclusion or a correction)')
    .option('--force', 'allow a step backwards (provisioned → planned) as a recorded correction')
    .action(async (state: string, opts: StatusOptions) => setExitCode(await (await import('./status-commands.js')).statusSet(state, opts)));
  subjectOptions(status.command('show'))
    .description('Show the current state and every recorded change.')
    .action(async (opts: StatusOptions) => setExitCode(await (await import('./status-commands.js')).statusShow(opts)));

  const user = program
    .command('user')
    .description("Add, list or remove the users who sign in to a partner's console, on the running stack (or AWS).")
    .addHelpText(
      'after',
      '\nOn the local stack the users are kept in its data folder; `user add` prints the new password once.\n' +
        "With CSPMOVE_TARGET=aws they are the Cognito user pool's (USER_POOL_ID, a stack output), and Cognito\n" +
        'e-mails each new user an invitation with a temporary password. An address belongs to one partner.',
    );
  const partnerOption = (command: ReturnType<typeof user.command>) =>
    command.requiredOption('--partner <id>', 'the partner id (it must be stored: `cspmove partner put`)');
  partnerOption(user.command('add'))
    .description('Add a user to a partner: a generated password (local) or an invitation e-mail from Cognito (AWS).')
    .requiredOption('--email <address>', "the user's e-mail address, which they sign in with", emailAddress)
    .addHelpText('after', '\nExample: npx cspmove user add --partner contoso-it --email ops@contoso.example')
    .action(async (opts: { partner: string; email: string }) => setExitCode(await (await import('./user-commands.js')).userAdd(opts)));
  partnerOption(user.command('list'))
    .description("List a partner's users: e-mail, status and the day each was added.")
    .action(async (opts: { partner: string }) => setExitCode(await (await import('./user-commands.js')).userList(opts)));
  partnerOption(user.command('remove'))
    .description("Remove a partner's user; a user of another partner is not found, and stays.")
    .requiredOption('--email <address>', "the user's e-mail address", emailAddress)
    .action(async (opts: { partner: string; email: string }) => setExitCode(await (await import('./user-commands.js')).userRemove(opts)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => (code = c));
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; anything else is a usage error already printed.
      return error.exitCode === 0 ? EXIT_OK : EXIT_FAILURE;
    }
    if (
      error instanceof TargetError ||
      error instanceof SettingsError ||
      error instanceof ConfigFileError ||
      error instanceof PortTakenError ||
      error instanceof UsersFileError
    ) {
      process.stderr.write(`cspmove: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    process.stderr.write(`cspmove: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
  return code;
}

/** The bin's entry: runs the command and leaves its code in process.exitCode, so output drains before exit. */
export async function run(argv: string[]): Promise<void> {
  process.exitCode = await main(argv);
}
