/**
 * The client restarts a dead server a bounded number of times (client/src/restartPolicy.ts, used
 * by client.ts's error handler). The end-to-end check — killing the real server process in VS Code
 * and seeing it come back and the message shown — belongs to the e2e suite.
 */
import assert from 'node:assert/strict';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy } from '../../../client/src/restartPolicy';
import { Watchdog } from '../../../client/src/watchdog';

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

describe('robustness: the client counts a server that does not answer as crashed', () => {
  /** A watchdog with short intervals; `answer` decides what each question gets. */
  function watch(answer: (n: number) => Promise<unknown>, server: () => number | undefined = () => 42) {
    const hung: { server: number; ms: number }[] = [];
    let asked = 0;
    let onHung: () => void = () => undefined;
    let onAsked: () => void = () => undefined;
    const w = new Watchdog({
      probe: () => { asked++; onAsked(); return answer(asked); },
      server,
      onHung: (s, ms) => { hung.push({ server: s, ms }); onHung(); },
      intervalMs: 5,
      boundMs: 200,
    });
    return {
      w, hung,
      asked: () => asked,
      /** Resolves when the server has been asked `n` questions in all. */
      askedAtLeast: (n: number) => new Promise<void>((resolve) => { onAsked = () => { if (asked >= n) resolve(); }; onAsked(); }),
      nextHung: () => new Promise<void>((resolve) => { onHung = resolve; }),
    };
  }

  it('a question not answered within the bound reports the server it asked as hung, then goes on asking', async () => {
    const never = new Promise<unknown>(() => undefined);
    const t = watch(() => never);
    t.w.start();
    try {
      await t.nextHung();
      assert.equal(t.hung.length, 1);
      assert.equal(t.hung[0]!.server, 42);
      assert.ok(t.hung[0]!.ms >= 200, `${t.hung[0]!.ms} ms`);
      // It asks again (the restarted server) and reports again if that one does not answer either.
      await t.nextHung();
      assert.equal(t.hung.length, 2);
    } finally {
      t.w.dispose();
    }
  });

  it('a server that answers, even with an error, is never reported; a late answer to an abandoned question is ignored', async () => {
    const t = watch((n) => (n % 2 ? Promise.resolve({}) : Promise.reject(new Error('connection got disposed'))));
    t.w.start();
    try {
      await t.askedAtLeast(20);
      assert.deepEqual(t.hung, []);
    } finally {
      t.w.dispose();
    }
    // One slow answer: reported once; the answer arriving afterwards changes nothing.
    let late: (v: unknown) => void = () => undefined;
    const s = watch((n) => (n === 1 ? new Promise((r) => { late = r; }) : Promise.resolve({})));
    s.w.start();
    try {
      await s.nextHung();
      late({});
      await s.askedAtLeast(10);
      assert.equal(s.hung.length, 1);
    } finally {
      s.w.dispose();
    }
  });

  it('asks nothing while no server runs (starting, stopped, restarting)', async () => {
    let running: number | undefined;
    let looked = 0;
    let onLook: () => void = () => undefined;
    const t = watch(() => Promise.resolve({}), () => { looked++; onLook(); return running; });
    t.w.start();
    try {
      // The watchdog looks five times and finds no server: no question.
      await new Promise<void>((resolve) => { onLook = () => { if (looked >= 5) resolve(); }; });
      assert.equal(t.asked(), 0);
      running = 7;
      await t.askedAtLeast(1);
    } finally {
      t.w.dispose();
    }
  });
});
