/** Names of the local stack's resources: a module of its own, so importing them loads no emulator. */
export const LOCAL_NAMES = {
  table: 'csp-move-planner',
  bucket: 'csp-move-planner',
  sender: 'planner@cspmove.local',
  workQueue: 'csp-move-planner-work',
  deadLetterQueue: 'csp-move-planner-dead-letters',
} as const;

/** The port `serve` and `demo` serve the e-mail action links on, unless told otherwise. */
export const DEFAULT_ACTIONS_PORT = 8790;

/** The first of the four ports `serve` keeps DynamoDB, S3, SES (and its inbox) and SQS on, unless told otherwise. */
export const DEFAULT_AWS_PORT = 8791;

/** The port `serve` and `npm start` serve the partner console on, unless told otherwise. */
export const DEFAULT_CONSOLE_PORT = 8780;
