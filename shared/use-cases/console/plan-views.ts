/** The plan views the console reads the plan through: the snapshots in S3, cached per container. */
export { planViews } from '../../storage/plan-view/s3-plan-views.js';
