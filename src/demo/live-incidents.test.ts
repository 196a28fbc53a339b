import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { withSimulator } from '../simulator/simulator-test-support.ts';
import { baselineFaultRules, incidentInProgress, liveIncidents, setSimulatorFaults, type LiveIncident } from './live-incidents.ts';
import { playLiveIncidents } from './play-live-incidents.ts';

const schedule = { firstAfterMs: 1_000, everyMs: 10_000, lastingMs: 4_000 };

describe('live incidents', () => {
  test('start after the first delay, last their time, and take turns', () => {
    assert.equal(incidentInProgress(999, schedule), undefined);
    assert.equal(incidentInProgress(1_000, schedule), liveIncidents[0]);
    assert.equal(incidentInProgress(4_999, schedule), liveIncidents[0]);
    assert.equal(incidentInProgress(5_000, schedule), undefined);
    assert.equal(incidentInProgress(11_000, schedule), liveIncidents[1]);
    assert.equal(incidentInProgress(21_000, schedule), liveIncidents[2]);
    assert.equal(incidentInProgress(31_000, schedule), liveIncidents[0]);
  });

  test('every incident\'s rules are ones the simulator accepts', async () => {
    await withSimulator({}, async ({ url, faults }) => {
      for (const incident of liveIncidents) {
        await setSimulatorFaults(url, [...incident.rules, ...baselineFaultRules]);
        assert.equal(faults.list().length, incident.rules.length + baselineFaultRules.length, incident.name);
      }
    });
  });

  test('rules the simulator refuses reject with its reason', async () => {
    await withSimulator({}, async ({ url, faults }) => {
      // A rule that bypasses the types, as a hand-edited one might.
      const malformed = [{ fault: 'meteor' }] as unknown as Parameters<typeof setSimulatorFaults>[1];
      await assert.rejects(setSimulatorFaults(url, malformed), /refused the fault rules \(400\)/);
      assert.deepEqual(faults.list(), []);
    });
  });

  test('the player puts the baseline in force, plays an incident through the control plane, and clears all on stop', async () => {
    await withSimulator({}, async ({ url, faults }) => {
      const lines: string[] = [];
      const applied = Promise.withResolvers<LiveIncident | undefined>();
      const player = playLiveIncidents({
        simulatorUrl: url,
        schedule: { firstAfterMs: 0, everyMs: 60_000, lastingMs: 60_000 },
        print: (line) => lines.push(line),
        tickMs: 5,
        onApplied: applied.resolve,
      });
      await player.ready;
      assert.equal(await applied.promise, liveIncidents[0]);
      assert.deepEqual(faults.list().map(({ fired: _fired, ...rule }) => rule), [...(liveIncidents[0]?.rules ?? []), ...baselineFaultRules]);
      assert.match(lines.join('\n'), /\[incident\] .* rate-limit-burst: /);
      await player.stop();
      assert.deepEqual(faults.list(), []);
    });
  });
});
