import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readErrorMessage } from './api-client.ts';

describe('readErrorMessage', () => {
  test('reads the message of an OpenAI-style error body', async () => {
    const response = new Response(JSON.stringify({ error: { message: 'Invalid admin token.', type: 'authentication_error', code: 'invalid_api_key' } }), { status: 401 });
    assert.equal(await readErrorMessage(response, 'fallback'), 'Invalid admin token.');
  });

  test('falls back for bodies that are not that shape', async () => {
    for (const body of ['', '<html>Bad gateway</html>', 'null', '[]', '{"error": "flat string"}', '{"error": {"message": 42}}', '{"error": {"message": ""}}', '{"message": "top level"}']) {
      assert.equal(await readErrorMessage(new Response(body, { status: 502 }), 'fallback'), 'fallback', body);
    }
  });
});
