/**
 * cdk-nag's AWS Solutions rules over the whole stack, as infra/app.ts applies them: no
 * unsuppressed error or warning, and every suppression sits on one resource with a reason.
 * Synthesized once: the default stack and one with every option (alarm topic, KMS key, sandbox
 * recipients) so optional resources are checked too.
 */

import { Aspects, Stack as CdkStack, type CfnResource, type Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { plannerStack, testApp } from './synth.js';

interface Suppression {
  id: string;
  reason: string;
  applies_to?: string[];
}

let stacks: Stack[];

/**
 * With cdk.json's `annotationsInValidationReport`, an error fails the synth (as `cdk synth`
 * should); here findings stay annotations, so a failing test lists every one of them.
 */
const KEEP_FINDINGS_AS_ANNOTATIONS = { '@aws-cdk/core:annotationsInValidationReport': false };

beforeAll(() => {
  const app = testApp({ context: KEEP_FINDINGS_AS_ANNOTATIONS });
  stacks = [
    plannerStack(app, 'Default').stack,
    plannerStack(app, 'Custom', { alarmEmail: 'ops@contoso.example', recipientIdentities: ['partner@contoso.example'] }).stack,
  ];
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  app.synth();
}, 60_000);

/** Findings as "rule at path: message" lines, so a failure names what to fix. */
const describeFindings = (found: { id: string; entry: { data?: unknown } }[]) =>
  found.map((f) => `${f.id}: ${String(f.entry.data).slice(0, 160)}`);

describe('cdk-nag AwsSolutionsChecks', () => {
  it('reports no unsuppressed errors', () => {
    for (const stack of stacks) {
      expect(describeFindings(Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-.*')))).toEqual([]);
    }
  });

  it('reports no unsuppressed warnings', () => {
    for (const stack of stacks) {
      expect(describeFindings(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*')))).toEqual([]);
    }
  });

  it('suppresses only on resources (never stack-wide), each with a written reason', () => {
    for (const stack of stacks) {
      expect(stack.templateOptions.metadata?.cdk_nag).toBeUndefined();
      const suppressions: { path: string; rule: Suppression }[] = [];
      for (const construct of stack.node.findAll()) {
        const cfn = construct as CfnResource;
        if (typeof cfn.getMetadata !== 'function' || !('cfnResourceType' in cfn)) continue;
        const metadata = cfn.getMetadata('cdk_nag') as { rules_to_suppress?: Suppression[] } | undefined;
        for (const rule of metadata?.rules_to_suppress ?? []) suppressions.push({ path: construct.node.path, rule });
      }
      for (const { rule } of suppressions) expect(rule.reason.length).toBeGreaterThan(40);
      // The complete list: a new suppression is a decision a reviewer should see here.
      const summary = suppressions
        .map(({ path, rule }) => `${path.replace(/^\w+\//, '')} ${rule.id}${rule.applies_to ? ` [${rule.applies_to.join(', ')}]` : ''}`)
        .sort();
      expect(summary).toEqual([
        'ActionsApi/GET--action/Resource AwsSolutions-APIG4',
        'ActionsApi/HEAD--action/Resource AwsSolutions-APIG4',
        'ActionsApi/POST--action/Resource AwsSolutions-APIG4',
        'BucketNotificationsHandler050a0587b7544547bf325f094a3db834/Role/Resource AwsSolutions-IAM4 [Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'DeadLetterQueue/Resource AwsSolutions-SQS3',
        'EmailAction/Resource AwsSolutions-L1',
        'LinkSigningKey/Resource AwsSolutions-SMG4',
        'PartnerWork/Resource AwsSolutions-L1',
        expect.stringMatching(
          /^PartnerWorkRole\/DefaultPolicy\/Resource AwsSolutions-IAM5 \[Resource::<StorageBucket\w+\.Arn>\/views\/\*\]$/,
        ),
        'PlanUpload/Resource AwsSolutions-L1',
        expect.stringMatching(
          /^PlanUploadRole\/DefaultPolicy\/Resource AwsSolutions-IAM5 \[Resource::<StorageBucket\w+\.Arn>\/uploads\/\*, Resource::<StorageBucket\w+\.Arn>\/reports\/\*, Resource::<StorageBucket\w+\.Arn>\/views\/\*\]$/,
        ),
        'ScheduleFanOut/Resource AwsSolutions-L1',
        'Storage/AccessLogs/Resource AwsSolutions-S1',
      ]);
    }
  });

  it('does catch findings (control: a bucket without access logs or TLS enforcement is flagged)', () => {
    const app = testApp({ context: KEEP_FINDINGS_AS_ANNOTATIONS });
    const stack = new CdkStack(app, 'Control');
    new s3.Bucket(stack, 'Plain');
    Aspects.of(app).add(new AwsSolutionsChecks());
    app.synth();
    const rules = Annotations.fromStack(stack)
      .findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))
      .map((f) => String(f.entry.data).split(':')[0]);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('with cdk.json as is, a finding fails the synth (what `npx cdk synth` does)', () => {
    const app = testApp();
    new s3.Bucket(new CdkStack(app, 'Control'), 'Plain');
    Aspects.of(app).add(new AwsSolutionsChecks());
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
