import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasCredentials } from './has-credentials.ts';
import { matchRoute } from './match-route.ts';

const route = (method: string, path: string) => matchRoute(method, new URL(path, 'http://sim'));

test('matches every provider route with its model and stream flag', () => {
  assert.deepEqual(route('POST', '/v1/chat/completions'), { kind: 'chat', name: 'openai.chat', family: 'openai' });
  assert.deepEqual(route('POST', '/v1/embeddings'), { kind: 'embeddings', name: 'openai.embeddings', family: 'openai' });
  assert.deepEqual(route('GET', '/v1/models'), { kind: 'models', name: 'models' });
  assert.deepEqual(route('POST', '/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21'), { kind: 'chat', name: 'azure.chat', family: 'azure', model: 'my-gpt' });
  assert.deepEqual(route('POST', '/openai/deployments/emb/embeddings?api-version=2024-10-21'), { kind: 'embeddings', name: 'azure.embeddings', family: 'azure', model: 'emb' });
  assert.deepEqual(route('POST', '/v1/messages'), { kind: 'chat', name: 'anthropic.messages', family: 'anthropic' });
  assert.deepEqual(route('POST', '/v1beta/models/gemini-2.5-flash:generateContent'), { kind: 'chat', name: 'gemini.generate', family: 'gemini', model: 'gemini-2.5-flash', stream: false });
  assert.deepEqual(route('POST', '/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse'), { kind: 'chat', name: 'gemini.stream', family: 'gemini', model: 'gemini-2.5-flash', stream: true });
  assert.deepEqual(route('POST', '/v1beta/models/text-embedding-004:batchEmbedContents'), { kind: 'embeddings', name: 'gemini.embed', family: 'gemini', model: 'text-embedding-004' });
  assert.deepEqual(route('POST', '/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse'), { kind: 'chat', name: 'bedrock.converse', family: 'bedrock', model: 'anthropic.claude-3-5-sonnet-20241022-v2:0', stream: false });
  assert.deepEqual(route('POST', '/model/amazon.nova-lite-v1:0/converse-stream'), { kind: 'chat', name: 'bedrock.converse-stream', family: 'bedrock', model: 'amazon.nova-lite-v1:0', stream: true });
});

test('matches the control plane', () => {
  assert.equal(route('POST', '/_sim/faults').kind, 'control');
  assert.deepEqual(route('DELETE', '/_sim/faults'), { kind: 'control', name: 'control.faults', action: 'clear-faults' });
  assert.deepEqual(route('GET', '/_sim/stats'), { kind: 'control', name: 'control.stats', action: 'stats' });
});

test('unknown paths, wrong methods and malformed paths are not found, in the family the path suggests', () => {
  const families = [['GET', '/v1/messages'], ['POST', '/v1beta/models/x:countTokens'], ['POST', '/model/x/invoke'], ['POST', '/openai/deployments/x/completions?api-version=1'], ['GET', '/nothing'], ['POST', '/model/%E0%A4%A/converse']] as const;
  assert.deepEqual(families.map(([method, path]) => { const found = route(method, path); return found.kind === 'not-found' ? found.family : found.kind; }), ['anthropic', 'gemini', 'bedrock', 'azure', 'openai', 'bedrock']);
  const noVersion = route('POST', '/openai/deployments/x/chat/completions');
  assert.equal(noVersion.kind === 'not-found' && noVersion.family, 'azure');
  const jsonStream = route('POST', '/v1beta/models/g:streamGenerateContent');
  assert.equal(jsonStream.kind, 'not-found');
});

test('checks that credentials are sent the way each provider expects', () => {
  const none = new URLSearchParams();
  const signature = 'a'.repeat(64);
  const sigV4 = `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`;
  assert.equal(hasCredentials('openai', { authorization: 'Bearer sk-test' }, none), true);
  assert.equal(hasCredentials('openai', { authorization: 'Basic abc' }, none), false);
  assert.equal(hasCredentials('openai', { 'x-api-key': 'k' }, none), false);
  assert.equal(hasCredentials('azure', { 'api-key': 'k' }, none), true);
  assert.equal(hasCredentials('azure', {}, none), false);
  assert.equal(hasCredentials('anthropic', { 'x-api-key': 'k' }, none), true);
  assert.equal(hasCredentials('anthropic', { 'x-api-key': '  ' }, none), false);
  assert.equal(hasCredentials('gemini', { 'x-goog-api-key': 'k' }, none), true);
  assert.equal(hasCredentials('gemini', {}, new URLSearchParams('key=abc')), true);
  assert.equal(hasCredentials('gemini', { authorization: 'Bearer x' }, none), false);
  assert.equal(hasCredentials('bedrock', { authorization: sigV4 }, none), true);
  assert.equal(hasCredentials('bedrock', { authorization: 'AWS4-HMAC-SHA256 Credential=garbage' }, none), false);
  assert.equal(hasCredentials('bedrock', {}, none), false);
});
