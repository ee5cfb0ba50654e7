/**
 * The single DynamoDB table, built from the declaration the local AWS uses
 * (shared/storage/dynamodb/table-design.ts): keys, attribute types, indexes and projections come from
 * `createTableInput`, the TTL attribute from `TABLE`. Nothing about the design is restated here.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { createTableInput, TABLE } from '../../shared/storage/dynamodb/table-design.js';

type Design = ReturnType<typeof createTableInput>;
type KeySchema = readonly { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];

const ATTRIBUTE_TYPES = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER, B: dynamodb.AttributeType.BINARY } as const;
const PROJECTIONS = {
  ALL: dynamodb.ProjectionType.ALL,
  KEYS_ONLY: dynamodb.ProjectionType.KEYS_ONLY,
  INCLUDE: dynamodb.ProjectionType.INCLUDE,
} as const;

function keysOf(design: Design, schema: KeySchema): { partitionKey: dynamodb.Attribute; sortKey?: dynamodb.Attribute } {
  const attribute = (name: string): dynamodb.Attribute => {
    const definition = design.AttributeDefinitions.find((d) => d.AttributeName === name);
    if (!definition) throw new Error(`table-design: key ${name} has no attribute definition`);
    return { name, type: ATTRIBUTE_TYPES[definition.AttributeType] };
  };
  const hash = schema.find((k) => k.KeyType === 'HASH');
  const range = schema.find((k) => k.KeyType === 'RANGE');
  if (!hash) throw new Error('table-design: a key schema has no HASH key');
  return { partitionKey: attribute(hash.AttributeName), ...(range ? { sortKey: attribute(range.AttributeName) } : {}) };
}

/** TableV2 props from the CreateTable request of the local bootstrap. */
export function tablePropsFromDesign(
  design: Design = createTableInput('design'),
): Pick<dynamodb.TablePropsV2, 'partitionKey' | 'sortKey' | 'globalSecondaryIndexes' | 'timeToLiveAttribute'> {
  return {
    ...keysOf(design, design.KeySchema),
    globalSecondaryIndexes: design.GlobalSecondaryIndexes.map((index) => ({
      indexName: index.IndexName,
      ...keysOf(design, index.KeySchema),
      projectionType: PROJECTIONS[index.Projection.ProjectionType],
    })),
    timeToLiveAttribute: TABLE.ttlAttribute,
  };
}

export class PlanTable extends dynamodb.TableV2 {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      ...tablePropsFromDesign(),
      // On-demand: a plan upload writes in bursts and the scheduled runs read once a day.
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // Encrypted with the AWS managed key aws/dynamodb (no key policy or grants to maintain).
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
