/**
 * The CDK app: `npx cdk synth` / `npx cdk deploy -c senderEmail=…` (README: "Deploy to AWS").
 * Environment-agnostic (no account or region lookups), so it synthesizes offline; the account and
 * region come from the credentials at deploy time. cdk-nag's AWS Solutions rules check every
 * resource: an unsuppressed finding fails the synth.
 */
import { App, Aspects, Tags } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readSettings } from './settings.js';
import { CspMovePlannerStack } from './stack.js';

const app = new App();
const stack = new CspMovePlannerStack(app, 'CspMovePlanner', { settings: readSettings(app.node) });
Tags.of(stack).add('app', 'csp-move-planner');
Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
