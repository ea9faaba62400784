/**
 * When the language server process dies, the client restarts it — a bounded number of times: at
 * most {@link MAX_RESTARTS} within {@link RESTART_WINDOW_MS}; one more crash in that window and it
 * stays stopped, and the user is told. No `vscode` import, so it is unit-tested on its own;
 * client.ts wires it into the language client's error handler.
 */

/** Restarts allowed within {@link RESTART_WINDOW_MS} before giving up. */
export const MAX_RESTARTS = 4;
export const RESTART_WINDOW_MS = 3 * 60_000;

export type RestartDecision =
  | { readonly restart: true; /** Restarts within the window, this one included. */ readonly restarts: number }
  | { readonly restart: false; /** Crashes within the window, this one included. */ readonly crashes: number };

export class RestartPolicy {
  private restarts: number[] = [];

  constructor(
    private readonly max = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The server process stopped unexpectedly: restart it, or give up. */
  closed(): RestartDecision {
    const t = this.now();
    this.restarts = this.restarts.filter((r) => t - r < this.windowMs);
    if (this.restarts.length >= this.max) return { restart: false, crashes: this.restarts.length + 1 };
    this.restarts.push(t);
    return { restart: true, restarts: this.restarts.length };
  }
}
