/**
 * The client restarts a dead server a bounded number of times (client/src/restartPolicy.ts, used
 * by client.ts's error handler). The end-to-end check — killing the real server process in VS Code
 * and seeing it come back and the message shown — belongs to the e2e suite.
 */
import assert from 'node:assert/strict';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../../../client/src/restartPolicy';

describe('robustness: the client restarts a dead server, bounded', () => {
  it(`restarts ${MAX_RESTARTS} times within ${RESTART_WINDOW_MS / 60_000} minutes, then gives up and says how often it stopped`, () => {
    let now = 0;
    const p = new RestartPolicy(MAX_RESTARTS, RESTART_WINDOW_MS, () => now);
    for (let i = 1; i <= MAX_RESTARTS; i++) {
      now += 1000;
      assert.deepEqual(p.closed(), { restart: true, restarts: i });
    }
    now += 1000;
    assert.deepEqual(p.closed(), { restart: false, crashes: MAX_RESTARTS + 1 });
  });

  it('forgets crashes older than the window', () => {
    let now = 0;
    const p = new RestartPolicy(2, 60_000, () => now);
    assert.equal(p.closed().restart, true);
    now = 30_000;
    assert.equal(p.closed().restart, true);
    now = 59_999;
    assert.equal(p.closed().restart, false);
    // The first crash leaves the window: one more restart is allowed.
    now = 60_001;
    assert.deepEqual(p.closed(), { restart: true, restarts: 2 });
  });

  it('a server that crashes every second is restarted at most MAX_RESTARTS times a window, never in a loop', () => {
    let now = 0;
    const p = new RestartPolicy(MAX_RESTARTS, RESTART_WINDOW_MS, () => now);
    let restarts = 0;
    for (let s = 0; s < 60 * 60; s++) {
      now = s * 1000;
      if (p.closed().restart) restarts++;
    }
    // An hour holds 20 windows of 3 minutes.
    assert.ok(restarts <= MAX_RESTARTS * Math.ceil((60 * 60_000) / RESTART_WINDOW_MS), `${restarts} restarts`);
    assert.ok(restarts >= MAX_RESTARTS);
  });
});
