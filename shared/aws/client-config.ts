/**
 * Configuration shared by every AWS client. On AWS nothing is needed: region and credentials
 * come from the Lambda environment. Locally, the embedded AWS is reached through the SDK's own
 * per-service endpoint variables (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL_SESV2); S3 then needs path-style addressing.
 */
export function clientConfig() {
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL_DYNAMODB);
  return {
    // On AWS the region comes from the environment or the profile; only the local stack needs one set.
    ...(local && !process.env.AWS_REGION ? { region: 'us-east-1' } : {}),
    // s3rver speaks path-style only and does not understand aws-chunked checksummed bodies.
    ...(process.env.AWS_ENDPOINT_URL_S3
      ? { forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' as const, responseChecksumValidation: 'WHEN_REQUIRED' as const }
      : {}),
  };
}

/** Names of the resources, from the environment the stack (or the local runner) sets. */
export function resourceNames(): { table: string; bucket: string; sender: string } {
  return {
    table: required('TABLE_NAME'),
    bucket: required('BUCKET_NAME'),
    sender: required('SENDER_EMAIL'),
  };
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Environment variable ${name} is not set.`);
  return value;
}
