/**
 * Lambda's SQS poller for the local stack: takes the partners' jobs from the work queue and hands
 * each, in the SQS event shape, to the partner-work handler, one message per invocation (as the
 * stack's event source does). A job that fails is tried again at once — on AWS, after the queue's
 * visibility timeout — and after WORK_ATTEMPTS it goes to the dead-letter queue, as the queue's
 * redrive policy sends it there.
 */
import { DeleteMessageCommand, type Message, ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { WORK_ATTEMPTS } from '../shared/config/service.js';

type Handler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export interface WorkQueues {
  url: string;
  arn: string;
  deadLetterUrl: string;
}

export interface DrainSummary {
  /** Jobs taken from the queue; those that failed every attempt went to the dead-letter queue. */
  jobs: number;
  /** Failed attempts that were tried again. */
  retries: number;
  deadLettered: number;
}

export interface WorkPoller {
  /** Runs every job visible now, and those they queue; resolves when the queue has none visible. */
  drain(): Promise<DrainSummary>;
  /** Keeps taking jobs as they become visible (a delayed re-plan), until stop(). */
  start(): void;
  stop(): Promise<void>;
}

/** What became of one job: its message body, and whether it was done or dead-lettered. */
export type JobReport = (body: string, outcome: 'done' | 'dead') => void;

export function workPoller(sqs: SQSClient, queues: WorkQueues, region: string, handler: () => Handler, report?: JobReport): WorkPoller {
  const receive = (waitSeconds: number) =>
    sqs.send(new ReceiveMessageCommand({ QueueUrl: queues.url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds }));

  async function deliver(message: Message, summary?: DrainSummary): Promise<'done' | 'dead'> {
    for (let attempt = 1; ; attempt++) {
      let failed: boolean;
      try {
        failed = (await handler()(eventOf(message, attempt, queues.arn, region))).batchItemFailures.length > 0;
      } catch {
        failed = true;
      }
      if (!failed) break;
      if (attempt < WORK_ATTEMPTS) {
        if (summary) summary.retries++;
        continue;
      }
      await sqs.send(new SendMessageCommand({ QueueUrl: queues.deadLetterUrl, MessageBody: message.Body ?? '' }));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queues.url, ReceiptHandle: message.ReceiptHandle }));
      report?.(message.Body ?? '', 'dead');
      return 'dead';
    }
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queues.url, ReceiptHandle: message.ReceiptHandle }));
    report?.(message.Body ?? '', 'done');
    return 'done';
  }

  let running: Promise<void> | undefined;
  let stopped = false;
  return {
    async drain() {
      const summary: DrainSummary = { jobs: 0, retries: 0, deadLettered: 0 };
      for (;;) {
        const { Messages = [] } = await receive(0);
        if (Messages.length === 0) return summary;
        for (const message of Messages) {
          summary.jobs++;
          if ((await deliver(message, summary)) === 'dead') summary.deadLettered++;
        }
      }
    },
    start() {
      running ??= (async () => {
        while (!stopped) {
          try {
            for (const message of (await receive(1)).Messages ?? []) await deliver(message);
          } catch {
            if (!stopped) await new Promise((r) => setTimeout(r, 1_000));
          }
        }
      })();
    },
    async stop() {
      stopped = true;
      await running;
    },
  };
}

function eventOf(message: Message, attempt: number, queueArn: string, region: string): SQSEvent {
  const now = String(Date.now());
  return {
    Records: [
      {
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
        attributes: {
          ApproximateReceiveCount: String(attempt),
          SentTimestamp: message.Attributes?.SentTimestamp ?? now,
          SenderId: 'local',
          ApproximateFirstReceiveTimestamp: now,
        },
        messageAttributes: {},
        md5OfBody: message.MD5OfBody ?? '',
        eventSource: 'aws:sqs',
        eventSourceARN: queueArn,
        awsRegion: region,
      },
    ],
  };
}
