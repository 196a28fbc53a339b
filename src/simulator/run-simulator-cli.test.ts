import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSimulatorArguments, runSimulatorCli } from './run-simulator-cli.ts';

test('parses port, host, latency, faults and seed', () => {
  assert.deepEqual(parseSimulatorArguments(['--port', '0', '--host', '::1', '--ttft-ms', '200', '--tps', '50', '--jitter-ms', '10', '--fault', 'rate-limit:0.2', '--fault', 'hang', '--seed', '9']), {
    port: 0, host: '::1', latency: { ttftMs: 200, tokensPerSecond: 50, jitterMs: 10 }, faults: [{ fault: 'rate-limit', rate: 0.2 }, { fault: 'hang' }], seed: 9,
  });
  assert.deepEqual(parseSimulatorArguments([]), { port: 8788, host: '127.0.0.1', latency: {}, faults: [] });
  assert.equal(parseSimulatorArguments(['--help']), 'help');
});

test('rejects malformed arguments with a message naming them', () => {
  assert.throws(() => parseSimulatorArguments(['--port', 'eighty']), /--port/);
  assert.throws(() => parseSimulatorArguments(['--port', '70000']), /--port/);
  assert.throws(() => parseSimulatorArguments(['--tps', '0']), /--tps/);
  assert.throws(() => parseSimulatorArguments(['--ttft-ms', '-3']), /--ttft-ms/);
  assert.throws(() => parseSimulatorArguments(['--fault', 'meteor']), /meteor/);
  assert.throws(() => parseSimulatorArguments(['--fault', 'hang:1.5']), /between 0 and 1/);
  assert.throws(() => parseSimulatorArguments(['--fault', 'hang:x']), /rate/);
  assert.throws(() => parseSimulatorArguments(['--bogus']), /bogus/);
  assert.throws(() => parseSimulatorArguments(['positional']), /positional/);
});

test('starts a simulator, prints its URL, and serves the faults it was given', async () => {
  const lines: string[] = [];
  const simulator = await runSimulatorCli(['--port', '0', '--fault', 'server-error'], { print: (line) => lines.push(line), handleSignals: false });
  assert.ok(simulator !== undefined);
  try {
    assert.match(lines[0] ?? '', new RegExp(`listening on ${simulator.url.replaceAll('.', '\\.')}$`));
    const response = await fetch(`${simulator.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }),
    });
    assert.equal(response.status, 500);
    assert.deepEqual(simulator.faults.list(), [{ fault: 'server-error', fired: 1 }]);
  } finally {
    await simulator.close();
  }
});

test('--help prints the usage and starts nothing', async () => {
  const lines: string[] = [];
  assert.equal(await runSimulatorCli(['--help'], { print: (line) => lines.push(line), handleSignals: false }), undefined);
  assert.match(lines.join('\n'), /--fault <name\[:rate\]>/);
});
