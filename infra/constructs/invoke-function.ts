/**
 * An EventBridge Scheduler target that invokes one Lambda function. The stock LambdaInvoke grants
 * its role `lambda:InvokeFunction` on the function and on `function:*` (every version and
 * alias); Scheduler invokes the unqualified function, so this role gets that ARN only.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';

export class InvokeFunction extends targets.LambdaInvoke {
  private readonly target: lambda.IFunction;

  constructor(fn: lambda.IFunction, props: targets.ScheduleTargetBaseProps) {
    super(fn, props);
    this.target = fn;
  }

  protected override addTargetActionToRole(role: iam.IRole): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.target.functionArn] }));
  }
}
