/**
 * Streams one collection to disk, one JSON object a line: either a Microsoft Graph page
 * (`{"@odata.context": …, "value": [` … `]}`) or JSON Lines. Objects are encoded straight into
 * megabyte batches that the disk absorbs while the next batch is generated; the generator waits
 * only when several batches are still in flight, so memory stays bounded.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Stencil } from './licences';

export type Format = 'json' | 'jsonl';

const BATCH = 1 << 20;
/** Batches handed to the stream and not yet written; the generator waits beyond this. */
const IN_FLIGHT = 4;

export class CollectionWriter {
  /** Written batches, reused: fresh megabyte buffers would cost a page fault per 4 KB. */
  private readonly free: Buffer[] = [];
  private buf: Buffer = Buffer.allocUnsafeSlow(BATCH);
  private used = 0;
  private count = 0;
  private bytes = 0;
  private inFlight = 0;
  private wake: (() => void) | undefined;
  private failed: Error | undefined;

  private constructor(private readonly stream: WriteStream, private readonly format: Format) {}

  /** Opens `path` and writes the page header (json format). */
  static async open(path: string, format: Format, odataContext: string): Promise<CollectionWriter> {
    const stream = createWriteStream(path);
    await once(stream, 'open');
    const w = new CollectionWriter(stream, format);
    if (format === 'json') w.push(`{"@odata.context":${JSON.stringify(odataContext)},"value":[\n`);
    return w;
  }

  /** Adds one object, already serialised on one line. */
  async add(json: string): Promise<void> {
    this.push(this.format === 'jsonl' ? `${json}\n` : this.count === 0 ? json : `,\n${json}`);
    this.count++;
    await this.settle();
  }

  /**
   * Adds one object written as `head` + the stencil with its holes filled + `tail`, without
   * building the text: the stencil's bytes are copied and the fixed-width ASCII values written
   * into the holes.
   */
  async addStenciled(head: string, stencil: Stencil, values: readonly string[], tail: string): Promise<void> {
    this.push(this.format === 'jsonl' || this.count === 0 ? head : `,\n${head}`);
    const n = stencil.bytes.length;
    this.reserve(n);
    stencil.bytes.copy(this.buf, this.used);
    const encoded = values.map((v) => Buffer.from(v, 'latin1'));
    const { holes, holeSlot } = stencil;
    for (let k = 0; k < holes.length; k++) this.buf.set(encoded[holeSlot[k]!]!, this.used + holes[k]!);
    this.used += n;
    this.push(this.format === 'jsonl' ? `${tail}\n` : tail);
    this.count++;
    await this.settle();
  }

  /**
   * Adds one object given as consecutive pieces of its text, so that an object too large to
   * hold as one string (a group with a million members) is never built.
   */
  async addPieces(pieces: Iterable<string>): Promise<void> {
    if (this.format === 'json' && this.count > 0) this.push(',\n');
    for (const p of pieces) {
      this.push(p);
      await this.settle();
    }
    if (this.format === 'jsonl') this.push('\n');
    this.count++;
    await this.settle();
  }

  /** Finishes the page and closes the file; returns the bytes written. */
  async close(): Promise<number> {
    if (this.format === 'json') this.push(this.count === 0 ? ']}\n' : '\n]}\n');
    this.hand();
    while (this.inFlight > 0) await new Promise<void>((resolve) => { this.wake = resolve; });
    if (this.failed) throw this.failed;
    this.stream.end();
    await once(this.stream, 'finish');
    return this.bytes;
  }

  /** Encodes into the batch (a UTF-16 code unit takes at most 3 UTF-8 bytes). */
  private push(s: string): void {
    this.reserve(3 * s.length);
    this.used += this.buf.write(s, this.used);
  }

  /** Makes room for `n` bytes in the current batch. */
  private reserve(n: number): void {
    if (this.used + n <= this.buf.length) return;
    this.hand();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafeSlow(n);
  }

  /** Gives the filled part of the batch to the stream and starts the next one. */
  private hand(): void {
    if (this.used === 0) return;
    const b = this.buf;
    this.bytes += this.used;
    this.inFlight++;
    this.stream.write(b.subarray(0, this.used), (err) => {
      this.inFlight--;
      if (err) this.failed = err;
      if (b.length === BATCH) this.free.push(b);
      this.wake?.();
    });
    this.buf = this.free.pop() ?? Buffer.allocUnsafeSlow(BATCH);
    this.used = 0;
  }

  /** Waits while too many batches are in flight, so memory stays bounded. */
  private async settle(): Promise<void> {
    while (this.inFlight >= IN_FLIGHT) await new Promise<void>((resolve) => { this.wake = resolve; });
    if (this.failed) throw this.failed;
  }
}

/** A growable list of object indexes (group members), 4 bytes each. */
export class IndexList {
  private data = new Int32Array(64);
  length = 0;
  push(i: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = i;
  }
  at(k: number): number {
    return this.data[k]!;
  }
}
