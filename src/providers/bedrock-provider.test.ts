import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { providerConfigSchema } from './provider-config-schema.ts';
import { createBedrockProvider, type BedrockProviderConfig } from './bedrock-provider.ts';
import type { Provider } from './provider.ts';
import { embeddingCall, modelCall } from './testing/canonical-calls.ts';
import { collectEvents } from './testing/collect-events.ts';
import { expectGatewayError } from './testing/expect-gateway-error.ts';
import { readFormatFixture } from './testing/read-format-fixture.ts';
import { replyJson, startRecordingServer, type RecordedRequest, type RecordingServer } from './testing/start-recording-server.ts';

// The example credentials of AWS's own SigV4 documentation.
const accessKeyId = 'AKIDEXAMPLE';
const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const sessionToken = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN0123456789';
const secrets = [secretAccessKey, sessionToken];
const region = 'us-east-1';
const modelId = 'anthropic.claude-3-5-sonnet-20240620-v1:0';

const bedrockConfig = (input: Record<string, unknown>): BedrockProviderConfig => {
  const config = providerConfigSchema.parse({ type: 'bedrock', region, ...input });
  assert.ok(config.type === 'bedrock');
  return config;
};

const header = (recorded: RecordedRequest, name: string): string => {
  const value = recorded.headers[name];
  assert.equal(typeof value, 'string', `header ${name}`);
  return value as string;
};

const authorizationPattern =
  /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/(\d{8})\/us-east-1\/bedrock\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

const parseAuthorization = (recorded: RecordedRequest): { date: string; signedHeaders: string[]; signature: string } => {
  const match = authorizationPattern.exec(header(recorded, 'authorization'));
  assert.ok(match !== null, `authorization header shape: ${String(recorded.headers['authorization'])}`);
  const [, date = '', signedHeaders = '', signature = ''] = match;
  return { date, signedHeaders: signedHeaders.split(';'), signature };
};

/** The request as received, with only the headers it says it signed. */
const signedPart = (recorded: RecordedRequest, signedHeaders: string[]): Record<string, string> =>
  Object.fromEntries(signedHeaders.map((name) => [name, header(recorded, name)]));

const parseAmzDate = (amzDate: string): Date =>
  new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));

/** Signs what the server received again, with the library, and returns the signature. */
const librarySignature = async (recorded: RecordedRequest, signedHeaders: string[]): Promise<string> => {
  const signer = new SignatureV4({ service: 'bedrock', region, sha256: Sha256, credentials: { accessKeyId, secretAccessKey, sessionToken } });
  const host = header(recorded, 'host');
  const signed = await signer.sign(
    new HttpRequest({
      method: recorded.method,
      protocol: 'http:',
      hostname: host.split(':')[0] ?? host,
      port: Number(host.split(':')[1]),
      path: recorded.url,
      headers: signedPart(recorded, signedHeaders),
      body: recorded.body,
    }),
    { signingDate: parseAmzDate(header(recorded, 'x-amz-date')) },
  );
  return /Signature=([0-9a-f]{64})$/.exec(String(signed.headers['authorization']))?.[1] ?? '';
};

const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');
const hmac = (key: Buffer | string, value: string): Buffer => createHmac('sha256', key).update(value, 'utf8').digest();

/**
 * The signature computed from the specification, independently of the library
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html): path
 * segments are URI-encoded twice for every service but S3, so a `%3A` on the wire is signed as `%253A`.
 */
const specificationSignature = (recorded: RecordedRequest, signedHeaders: string[]): string => {
  const amzDate = header(recorded, 'x-amz-date');
  const date = amzDate.slice(0, 8);
  const canonicalUri = recorded.url.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  const canonicalHeaders = signedHeaders.map((name) => `${name}:${header(recorded, name).trim()}\n`).join('');
  const canonicalRequest = ['POST', canonicalUri, '', canonicalHeaders, signedHeaders.join(';'), sha256Hex(recorded.body)].join('\n');
  const scope = `${date}/${region}/bedrock/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), 'bedrock'), 'aws4_request');
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
};

const streamBody = (name: string): Buffer => {
  const payload = readFormatFixture('bedrock-converse', name) as { bodyBase64: string };
  return Buffer.from(payload.bodyBase64, 'base64');
};

describe('createBedrockProvider', { timeout: 20_000 }, () => {
  let server: RecordingServer;
  let provider: Provider;

  before(async () => {
    server = await startRecordingServer();
    provider = createBedrockProvider('bedrock', bedrockConfig({ accessKeyId, secretAccessKey, sessionToken, baseUrl: server.origin }));
  });
  after(async () => {
    await server.close();
    await provider.close();
  });

  it('posts to /model/{encoded model id}/converse', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('bedrock-converse', 'result-tool-use')));
    const result = await provider.complete(modelCall(modelId));
    const recorded = await server.nextRequest();
    assert.equal(recorded.method, 'POST');
    assert.equal(recorded.url, '/model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse');
    assert.equal(header(recorded, 'content-type'), 'application/json');
    assert.ok(Array.isArray((JSON.parse(recorded.body) as Record<string, unknown>)['messages']));
    assert.equal(result.model, modelId, 'Converse names no model: the requested one is used');
  });

  it('signs with SigV4: authorization, x-amz-date, content hash and session token', async () => {
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('bedrock-converse', 'result-tool-use')));
    await provider.complete(modelCall(modelId, { headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' } }));
    const recorded = await server.nextRequest();
    const { date, signedHeaders, signature } = parseAuthorization(recorded);
    const amzDate = header(recorded, 'x-amz-date');
    assert.match(amzDate, /^\d{8}T\d{6}Z$/);
    assert.equal(amzDate.slice(0, 8), date);
    assert.equal(header(recorded, 'x-amz-content-sha256'), sha256Hex(recorded.body));
    assert.equal(header(recorded, 'x-amz-security-token'), sessionToken);
    for (const name of ['host', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token', 'content-type', 'traceparent']) {
      assert.ok(signedHeaders.includes(name), `${name} is signed`);
    }
    assert.equal(signature, await librarySignature(recorded, signedHeaders));
    assert.equal(signature, specificationSignature(recorded, signedHeaders));
  });

  it('signs a model ARN, slashes and all', async () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0';
    server.handle((_request, response) => replyJson(response, 200, readFormatFixture('bedrock-converse', 'result-tool-use')));
    await provider.complete(modelCall(arn));
    const recorded = await server.nextRequest();
    assert.equal(recorded.url, `/model/${encodeURIComponent(arn)}/converse`);
    const { signedHeaders, signature } = parseAuthorization(recorded);
    assert.equal(signature, specificationSignature(recorded, signedHeaders));
  });

  it('streams the binary event stream from /converse-stream', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      response.end(streamBody('stream-live-claude-sonnet'));
    });
    const events = await collectEvents(await provider.stream(modelCall('eu.anthropic.claude-sonnet-4-6')));
    const recorded = await server.nextRequest();
    assert.equal(recorded.url, '/model/eu.anthropic.claude-sonnet-4-6/converse-stream');
    assert.equal(header(recorded, 'accept'), 'application/vnd.amazon.eventstream');
    const { signedHeaders, signature } = parseAuthorization(recorded);
    assert.equal(signature, specificationSignature(recorded, signedHeaders));
    assert.deepEqual(events[0], { ...events[0], type: 'stream-start', model: 'eu.anthropic.claude-sonnet-4-6' });
    const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.text] : [])).join('');
    assert.equal(text, 'OK.');
    assert.ok(events.some((event) => event.type === 'finish'));
  });

  it('throws a stream exception that comes before any content', async () => {
    server.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' });
      response.end(streamBody('stream-model-stream-error'));
    });
    const error = await expectGatewayError(provider.stream(modelCall(modelId)), secrets);
    await server.nextRequest();
    assert.ok(error.spec.fallback, `${error.code} may fall back`);
  });

  it('classifies errors by x-amzn-errortype, without leaking credentials', async () => {
    server.handle((_request, response) =>
      replyJson(response, 429, '{"message":"Too many requests, please wait before trying again."}', {
        'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      }),
    );
    const error = await expectGatewayError(provider.complete(modelCall(modelId)), secrets);
    await server.nextRequest();
    assert.equal(error.code, 'upstream_rate_limited');
  });

  it('has no embeddings API', async () => {
    const error = await expectGatewayError(provider.embed(embeddingCall('amazon.titan-embed-text-v2:0')));
    assert.equal(error.code, 'unsupported_capability');
  });

  it('refuses calls without credentials, naming the missing field', async () => {
    const requestsBefore = server.requests.length;
    for (const [fields, missing] of [
      [{ secretAccessKey }, 'accessKeyId'],
      [{ accessKeyId }, 'secretAccessKey'],
    ] as const) {
      const unconfigured = createBedrockProvider('aws', bedrockConfig({ ...fields, baseUrl: server.origin }));
      try {
        const error = await expectGatewayError(unconfigured.complete(modelCall(modelId)), secrets);
        assert.equal(error.code, 'upstream_authentication_failed');
        assert.match(error.message, new RegExp(`providers\\.aws\\.${missing}`));
      } finally {
        await unconfigured.close();
      }
    }
    assert.equal(server.requests.length, requestsBefore);
  });
});
