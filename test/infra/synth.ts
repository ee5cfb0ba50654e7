/**
 * Builds the stack the way `npx cdk synth` does — same context (cdk.json: settings and feature
 * flags), same settings parser — for the infra tests. Each test file synthesizes once.
 */
import { readFileSync } from 'node:fs';
import { App, type Stack } from 'aws-cdk-lib';
import { type PlannerSettings, parseSettings } from '../../infra/settings.js';
import { CspMovePlannerStack } from '../../infra/stack.js';

export const REPO_ROOT = new URL('../../', import.meta.url);

/** The context block of cdk.json (settings and feature flags). */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('cdk.json', REPO_ROOT), 'utf8')) as { context: Record<string, unknown> };
  return cdkJson.context;
}

/**
 * An app with cdk.json's context. Functions are not bundled (their assets are placeholders):
 * bundle-size.test.ts runs the real `cdk synth` for that.
 */
export function testApp(options: { context?: Record<string, unknown> } = {}): App {
  return new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...options.context } });
}

/** A stack with cdk.json's settings, optionally overridden as `-c key=value` would. */
export function plannerStack(app: App, id: string, overrides: Record<string, unknown> = {}): { stack: Stack; settings: PlannerSettings } {
  const settings = parseSettings({ ...cdkJsonContext(), ...overrides });
  return { stack: new CspMovePlannerStack(app, id, { settings }), settings };
}

/** A Ref and a GetAtt of the Arn, as the template writes them. */
export const ref = (logicalId: string) => ({ Ref: logicalId });
export const arn = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** CloudFormation values as readable strings: `<Bucket.Arn>/uploads/*`, `https://<Dist.DomainName>/`. */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (value && typeof value === 'object') {
    const v = value as Record<string, any>;
    if ('Ref' in v) return `<${v.Ref}>`;
    if ('Fn::GetAtt' in v) return `<${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}>`;
    if ('Fn::Join' in v) return (v['Fn::Join'][1] as unknown[]).map(render).join(v['Fn::Join'][0]);
    if ('Fn::Sub' in v) return String(v['Fn::Sub']);
  }
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}
