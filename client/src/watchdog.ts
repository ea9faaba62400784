/**
 * A server whose process is alive but does not answer — its event loop stuck in one call — must
 * not leave the editor without its checks until the user notices: the client asks the server a
 * cheap question every {@link PROBE_INTERVAL_MS}, and a question not answered within
 * {@link ANSWER_BOUND_MS} counts as a crash (client.ts kills the process, and the restart policy
 * decides what happens next, as for any crash). No `vscode` import, so it is unit-tested on its own.
 */

/** How long the server may take to answer before it counts as hung. Its long loops yield every ~50 ms. */
export const ANSWER_BOUND_MS = 20_000;
/** The time between two questions (after the answer to the first). */
export const PROBE_INTERVAL_MS = 5_000;

export interface WatchdogOptions {
  /** Asks the server something cheap; resolves (or rejects) when it answers. */
  readonly probe: () => Promise<unknown>;
  /**
   * The server that would be asked (its process id), or undefined while none runs (starting,
   * stopping, restarting): then nothing is asked.
   */
  readonly server: () => number | undefined;
  /** `server` did not answer within the bound (it may have been replaced meanwhile: compare). */
  readonly onHung: (server: number, waitedMs: number) => void;
  readonly intervalMs?: number;
  readonly boundMs?: number;
}

export class Watchdog {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Increases with each question, so that a late answer to an abandoned one is ignored. */
  private question = 0;
  private disposed = false;

  constructor(private readonly options: WatchdogOptions) {}

  start(): void {
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private schedule(): void {
    if (this.disposed) return;
    this.timer = setTimeout(() => this.ask(), this.options.intervalMs ?? PROBE_INTERVAL_MS);
  }

  private ask(): void {
    if (this.disposed) return;
    const server = this.options.server();
    if (server === undefined) {
      this.schedule();
      return;
    }
    const id = ++this.question;
    const bound = this.options.boundMs ?? ANSWER_BOUND_MS;
    const started = Date.now();
    this.timer = setTimeout(() => {
      if (this.disposed || id !== this.question) return;
      this.question++;
      this.options.onHung(server, Date.now() - started);
      this.schedule();
    }, bound);
    // A rejected question is an answer too: the connection reports its own errors.
    const answered = (): void => {
      if (this.disposed || id !== this.question) return;
      if (this.timer) clearTimeout(this.timer);
      this.schedule();
    };
    this.options.probe().then(answered, answered);
  }
}
