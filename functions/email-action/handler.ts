/** API Gateway HTTP API, GET and POST /action → the page of an e-mail action link. */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { emailActionPage } from '../../shared/use-cases/email-action.js';

export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  return handleActionRequest(event, new Date());
}

/** The handler with "now" given: the local stack passes its simulated clock. */
export async function handleActionRequest(event: APIGatewayProxyEventV2, now: Date): Promise<APIGatewayProxyStructuredResultV2> {
  const method = event.requestContext.http.method;
  const page = await emailActionPage({ method, token: tokenOf(event, method) }, now);
  return { statusCode: page.status, headers: page.headers, body: method.toUpperCase() === 'HEAD' ? '' : page.body };
}

/** The token: the confirmation form posts it; a link carries it as `?t=`. */
function tokenOf(event: APIGatewayProxyEventV2, method: string): string | undefined {
  if (method.toUpperCase() === 'POST' && event.body) {
    const body = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
    const posted = new URLSearchParams(body).get('token');
    if (posted) return posted;
  }
  return event.queryStringParameters?.t;
}
