/**
 * What someone running the stack needs to hear about: anything in the dead-letter queue, any
 * function error or throttle, and a plan-upload run that comes close to its time limit. With an
 * alarm e-mail address, alarms (and their recovery) go to an encrypted SNS topic with that
 * address subscribed; without one they are visible in the CloudWatch console only.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

const PERIOD = Duration.minutes(5);

export interface OperationsAlarmsProps {
  readonly deadLetterQueue: sqs.IQueue;
  /** Display name → function, for one Errors and one Throttles alarm each. */
  readonly functions: Record<string, lambda.IFunction>;
  /** Functions whose longest run is watched against this duration (e.g. 80% of the timeout). */
  readonly durationLimits?: { name: string; fn: lambda.IFunction; limit: Duration }[];
  /** Subscribed to the alarm topic; no topic when absent. */
  readonly alarmEmail?: string | undefined;
}

export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly topic?: sns.Topic;

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);

    if (props.alarmEmail) {
      // CloudWatch can publish to an encrypted topic only with a customer managed key whose policy
      // lets cloudwatch.amazonaws.com use it (the AWS managed aws/sns key does not).
      const key = new kms.Key(this, 'TopicKey', {
        description: 'Encrypts the CSP Move Planner alarm topic',
        enableKeyRotation: true,
      });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'], // in a key policy, '*' is the key itself
        }),
      );
      this.topic = new sns.Topic(this, 'Topic', { displayName: 'CSP Move Planner alarms', masterKey: key, enforceSSL: true });
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }

    this.add('DeadLetterQueueNotEmpty', {
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
      description: "An upload, a scheduled run or a partner's job failed after its retries: its event is in the dead-letter queue.",
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, {
        metric: fn.metricErrors({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        description: `The ${name} function failed (it is retried; see its log group).`,
      });
      this.add(`${name}Throttles`, {
        metric: fn.metricThrottles({ period: PERIOD, statistic: cloudwatch.Stats.SUM }),
        description: `The ${name} function was throttled (account concurrency limit reached).`,
      });
    }
    for (const { name, fn, limit } of props.durationLimits ?? []) {
      this.add(`${name}NearTimeout`, {
        metric: fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: limit.toMilliseconds(),
        description: `A ${name} run took longer than ${limit.toMinutes()} minutes: close to its time limit.`,
      });
    }
  }

  private add(id: string, options: { metric: cloudwatch.IMetric; description: string; threshold?: number }): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric: options.metric,
      threshold: options.threshold ?? 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    if (this.topic) {
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      alarm.addOkAction(new actions.SnsAction(this.topic));
    }
    this.alarms.push(alarm);
  }
}
