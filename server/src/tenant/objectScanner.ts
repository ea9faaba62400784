/**
 * Reads one user or device — one line of a `.jsonl` snapshot file — straight from its bytes into
 * the columns of a {@link TableBuilder}: each rule property's value is interned from the bytes,
 * assignedPlans items become tuples, and fields no rule reads (assignedDateTime, ...) are only
 * checked and skipped. No JavaScript object is made for the user.
 *
 * Exports repeat themselves: keys come in the same order, a column often holds the value it held
 * on the previous line, and a user's service plans follow each other as they did for the last
 * user with the same licence. So each key, value and item is first compared with the one
 * predicted from what came before, and hashed and looked up only when the guess is wrong.
 *
 * The fast path knows the shapes Graph writes. On anything else — an object where a string was
 * expected, a key given twice, an escaped key, bytes that are not UTF-8 — it gives up on the line
 * (`'bail'`) and the loader reads it with JSON.parse and `TableBuilder.addObject`, so the result
 * (or the error) is the same.
 */
import {
  DEVICE_PROPERTIES, DIRECTORY_EXTENSION, USER_PROPERTIES, type RuleObject,
} from '../../../grammar/src/index';
import {
  E_FALSE, E_MISSING, E_NULL, E_TRUE, PLAN_FIELDS, STATE_FIELDS, TupleDict, ValueDict, isCollection,
  type CollectionColumn, type ScalarColumn, type TableBuilder,
} from '../../../grammar/engine/src/index';
import { BAIL, FALSE, JsonBytes, NULL, QUOTE, TRUE } from './jsonBytes';
import {
  FieldKeys, Keys, Recorder, Template, grow, matchArrayReplay, matchReplay, recordArrayReplay, recordReplay,
} from './scanLayouts';

/** The bytes the scanner tests for, by name: plain constants, so the hot path compares numbers. */
const OPEN_BRACE = 0x7b; // {
const CLOSE_BRACE = 0x7d; // }
const OPEN_BRACKET = 0x5b; // [
const CLOSE_BRACKET = 0x5d; // ]
const COLON = 0x3a; // :
const MINUS = 0x2d; // -
const DIGIT_0 = 0x30; // 0
const DIGIT_9 = 0x39; // 9
/** First bytes of the literals `null`, `true` and `false`. */
const LETTER_N = 0x6e;
const LETTER_T = 0x74;
const LETTER_F = 0x66;

const SKIP = 0;
const SCALAR = 1;
const FIRST = 2;
const COLL = 3;
const PLANS = 4;
const CONTAINER = 5;
const MANAGER = 6;
const STATES = 7;
const LICENSES = 8;

/** Decodes UTF-8 bytes (the loader passes Node's decoder). */
export type Decode = (b: Uint8Array, start: number, end: number) => string;

interface Handler {
  readonly kind: number;
  readonly scalar?: ScalarColumn;
  readonly nullId?: number;
  readonly coll?: CollectionColumn;
  /** CONTAINER: sub-key → column. */
  readonly sub?: ReadonlyMap<string, ScalarColumn>;
  /** CONTAINER: column by sub-key id (undefined: not read; null: not yet looked up). */
  subById: (ScalarColumn | undefined | null)[];
  /** The value this column held last (SCALAR), for the guess. */
  last: number;
  /** Collections: the item that followed each item last time (index: previous item + 1). */
  next: Int32Array;
  /** Tuple collections: the last sequence that began with each item, and sequences' replays (null: none). */
  firstSet: Int32Array;
  arrayReplays: (Template | null | undefined)[];
  /** The first item of each sequence, and (assignedPlans) the sequence by assignedLicenses set. */
  setFirst: Int32Array;
  byKey: Int32Array;
  /** CONTAINER: the layout of the last object read key by key. */
  layout?: Template;
}

export class ObjectScanner {
  private readonly j = new JsonBytes();
  private readonly top = new Keys();
  private handlers: (Handler | undefined)[] = [];
  private seen: Int32Array = new Int32Array(256);
  private stamp = 0;
  private readonly byName: Map<string, Handler>;
  private readonly planKeys = new FieldKeys(PLAN_FIELDS);
  private readonly stateKeys = new FieldKeys(STATE_FIELDS);
  private readonly licenseKeys = new FieldKeys(['skuId']);
  private readonly managerKeys = new FieldKeys(['id']);
  private readonly containerKeys = new Keys();
  private readonly containerRecorder = new Recorder();
  private containerIds = new Int32Array(32);
  private readonly scratch = new Int32Array(8);
  private readonly recorder = new Recorder();
  private readonly itemRecorder = new Recorder();
  private topTemplate: Template | undefined;
  private readonly itemTemplates = new Map<FieldKeys, Template>();
  private readonly replayRecorder = new Recorder();
  private readonly replays = new Map<TupleDict, (Template | undefined)[]>();
  /** Lines read through the fast path and lines it gave up on. */
  fast = 0;
  bailed = 0;

  constructor(private readonly builder: TableBuilder, private readonly decode: Decode) {
    this.byName = handlersFor(builder.object, builder);
  }

  /**
   * Reads the JSON object in `b[start, end)` into a new row. `b[end]` must be a byte below 32.
   * Returns 'blank' for an empty line, 'bail' when the line must be read with JSON.parse.
   */
  line(b: Uint8Array, start: number, end: number): 'row' | 'blank' | 'bail' {
    const j = this.j;
    j.reset(b, start, end);
    const c = j.ws();
    if (c === -1) return 'blank';
    if (c !== OPEN_BRACE) return 'bail';
    const builder = this.builder;
    const open = j.i;
    if (this.topTemplate) {
      const row = builder.startRow();
      try {
        if (this.matchTop(this.topTemplate, row)) {
          this.fast++;
          return 'row';
        }
      } catch (e) {
        if (e !== BAIL) throw e;
      }
      builder.abortRow();
      j.i = open;
    }
    const row = builder.startRow();
    const stamp = ++this.stamp;
    const rec = this.recorder;
    rec.begin(j.b, open);
    try {
      j.i++;
      if (j.ws() === CLOSE_BRACE) j.i++;
      else {
        for (let pos = 0; ; pos++) {
          if (j.ws() !== QUOTE) throw BAIL;
          j.string();
          const k = this.top.id(j, pos);
          if (k >= this.seen.length) this.seen = grow(this.seen, k);
          if (this.seen[k] === stamp) throw BAIL;
          this.seen[k] = stamp;
          j.expect(COLON);
          j.ws();
          rec.value(j.i, k);
          this.value(this.handlers[k] ?? this.handlerFor(k), row);
          rec.valueEnd(j.i);
          if (!j.next(CLOSE_BRACE)) break;
        }
      }
      const close = j.i;
      if (j.ws() !== -1) throw BAIL;
      this.topTemplate = rec.finish(close);
      this.fast++;
      return 'row';
    } catch (e) {
      if (e !== BAIL) throw e;
      builder.abortRow();
      this.bailed++;
      return 'bail';
    }
  }

  /** Reads the object at `j.i` by the layout of the last one; false when the layout differs. */
  private matchTop(t: Template, row: number): boolean {
    const j = this.j;
    const { lit, offs, acts } = t;
    const n = acts.length;
    const lv = t.lv;
    let p = j.i;
    for (let k = 0; k <= n; k++) {
      const q = offs[k]!;
      const len = offs[k + 1]! - q;
      if (!j.same(p, lit, lv, q, len)) return false;
      j.i = p + len;
      if (k === n) break;
      this.value(this.handlers[acts[k]!]!, row);
      p = j.i;
    }
    return j.ws() === -1;
  }

  /** Reads an item object by its kind's layout into `scratch`; false when the layout differs. */
  private matchItem(t: Template, parts: readonly ValueDict[], items: TupleDict, guess: number): boolean {
    const j = this.j;
    const b = j.b;
    const { lit, offs, acts } = t;
    const n = acts.length;
    const scratch = this.scratch;
    const lv = t.lv;
    let p = j.i;
    for (let k = 0; k <= n; k++) {
      const q = offs[k]!;
      const len = offs[k + 1]! - q;
      if (!j.same(p, lit, lv, q, len)) return false;
      p += len;
      j.i = p;
      if (k === n) break;
      const f = acts[k]!;
      if (f < 0) {
        if (b[p] === QUOTE) j.string();
        else j.skip();
      } else scratch[f] = this.scalarId(parts[f]!, E_NULL, guess >= 0 ? items.part(guess, f) : -1);
      p = j.i;
    }
    return true;
  }

  private handlerFor(k: number): Handler {
    const name = this.top.dict.string(k);
    let h = this.byName.get(name);
    if (!h) {
      h = DIRECTORY_EXTENSION.test(name)
        ? handler({ kind: SCALAR, scalar: this.builder.extensionColumn(name), nullId: E_NULL })
        : handler({ kind: SKIP });
    }
    this.handlers[k] = h;
    return h;
  }

  /**
   * A scalar value's entry in `dict` (`nullId` for null), trying `guess` first; gives up on
   * objects and arrays.
   */
  private scalarId(dict: ValueDict, nullId: number, guess: number): number {
    const j = this.j;
    const c = j.ws();
    if (c === QUOTE) {
      if (guess > E_TRUE && dict.plain[guess] === 1) {
        // Equal bytes up to a closing quote are the guessed string.
        const q = dict.offs[guess]!;
        const len = dict.offs[guess + 1]! - q;
        const p = j.i + 1;
        if (j.b[p + len] === QUOTE && j.same(p, dict.bytes, dict.view(), q, len)) {
          j.i = p + len + 1;
          return guess;
        }
      }
      j.string();
      return this.stringId(dict);
    }
    switch (c) {
      case LETTER_N: j.literal(NULL); return nullId;
      case LETTER_T: j.literal(TRUE); return E_TRUE;
      case LETTER_F: j.literal(FALSE); return E_FALSE;
      default: {
        if (c !== MINUS && !(c >= DIGIT_0 && c <= DIGIT_9)) throw BAIL;
        const s = j.number();
        let text = '';
        for (let i = s; i < j.i; i++) text += String.fromCharCode(j.b[i]!);
        return dict.internNumber(Number(text));
      }
    }
  }

  private stringId(dict: ValueDict): number {
    const j = this.j;
    // The scan checked the bytes are UTF-8; only escapes need JSON.parse.
    if (!j.escaped) return dict.internScanned(j.b, j.dv, j.strStart, j.strEnd, j.ascii);
    let s: unknown;
    try {
      s = JSON.parse(this.decode(j.b, j.strStart - 1, j.strEnd + 1));
    } catch {
      throw BAIL;
    }
    return dict.internString(s as string);
  }

  private value(h: Handler, row: number): void {
    const j = this.j;
    switch (h.kind) {
      case SKIP: j.skip(); return;
      case SCALAR: {
        const id = this.scalarId(h.scalar!.dict, h.nullId!, h.last);
        h.last = id;
        h.scalar!.vec!.set(row, id);
        return;
      }
      case FIRST: {
        const col = h.scalar!;
        let id: number;
        if (j.ws() === OPEN_BRACKET) {
          j.i++;
          if (j.ws() === CLOSE_BRACKET) { j.i++; id = E_NULL; }
          else {
            id = this.scalarId(col.dict, E_NULL, -1);
            while (j.next(CLOSE_BRACKET)) j.skip();
          }
        } else id = this.scalarId(col.dict, E_NULL, -1);
        col.vec!.set(row, id);
        return;
      }
      case COLL: this.items(h, row); return;
      case PLANS: this.tuples(h, row, this.planKeys, false); return;
      case STATES: this.tuples(h, row, this.stateKeys, true); return;
      case LICENSES: this.licenses(h, row); return;
      case CONTAINER: this.container(h, row); return;
      case MANAGER: {
        const col = h.scalar!;
        const c = j.ws();
        let id = E_NULL;
        if (c === QUOTE) { j.string(); id = this.stringId(col.dict); }
        else if (c === OPEN_BRACE) {
          j.i++;
          if (j.ws() === CLOSE_BRACE) j.i++;
          else {
            for (let pos = 0; ; pos++) {
              if (j.ws() !== QUOTE) throw BAIL;
              j.string();
              const f = this.managerKeys.field(j, pos);
              j.expect(COLON);
              if (f === 0) id = j.ws() === QUOTE ? this.scalarId(col.dict, E_NULL, -1) : (j.skip(), E_NULL);
              else j.skip();
              if (!j.next(CLOSE_BRACE)) break;
            }
          }
        } else j.skip();
        col.vec!.set(row, id);
        return;
      }
    }
  }

  /** Opens an array value; false for null (the set is then null). */
  private openArray(): boolean {
    const j = this.j;
    const c = j.ws();
    if (c === LETTER_N) { j.literal(NULL); return false; }
    if (c !== OPEN_BRACKET) throw BAIL;
    j.i++;
    return true;
  }

  /** A collection of scalars (proxyAddresses, memberOf, ...). */
  private items(h: Handler, row: number): void {
    const col = h.coll!;
    const j = this.j;
    if (!this.openArray()) { col.vec!.set(row, 1); return; }
    const sets = col.sets;
    const dict = col.items as ValueDict;
    sets.begin();
    if (j.ws() === CLOSE_BRACKET) j.i++;
    else {
      let prev = -1;
      do {
        const guess = prev + 1 < h.next.length ? h.next[prev + 1]! : -1;
        const id = this.scalarId(dict, E_NULL, guess);
        if (id !== guess) { h.next = grow(h.next, prev + 1); h.next[prev + 1] = id; }
        sets.push(id);
        prev = id;
      } while (j.next(CLOSE_BRACKET));
    }
    col.vec!.set(row, sets.end());
  }

  /** A collection of objects read as tuples (assignedPlans, licenseAssignmentStates). */
  private tuples(h: Handler, row: number, keys: FieldKeys, nullItems: boolean): void {
    const col = h.coll!;
    const j = this.j;
    if (!this.openArray()) { col.vec!.set(row, 1); return; }
    const sets = col.sets;
    const items = col.items as TupleDict;
    let replays = this.replays.get(items);
    if (!replays) this.replays.set(items, (replays = []));
    sets.begin();
    if (j.ws() === CLOSE_BRACKET) {
      j.i++;
      col.vec!.set(row, sets.end());
      return;
    }
    let first = -1;
    let firstEnd = -1;
    const licKey = h.kind === PLANS && this.builder.assignedLicenses ? this.builder.assignedLicenses.vec!.get(row) : 0;
    let prev = -1;
    for (;;) {
      if (nullItems && j.ws() === LETTER_N) {
        // Falsy states are left out.
        j.literal(NULL);
        if (!j.next(CLOSE_BRACKET)) break;
        continue;
      }
      const id = this.tupleItem(h, items, replays, keys, prev);
      sets.push(id);
      prev = id;
      if (first < 0) {
        // The rest of the array as it was, byte for byte but the holes, for a sequence that
        // began with this item: the last user's with the same assignedLicenses (read earlier in
        // the line), else the last that began so. Users with the same licences share it.
        first = id;
        firstEnd = j.i;
        let known = licKey > 1 && licKey < h.byKey.length ? h.byKey[licKey]! : -1;
        if (known < 0 || h.setFirst[known] !== id) known = id < h.firstSet.length ? h.firstSet[id]! : -1;
        const r = known >= 0 ? h.arrayReplays[known] : undefined;
        if (r) {
          const matched = matchArrayReplay(this.j, r, firstEnd);
          if (matched < 0) {
            col.vec!.set(row, known);
            return;
          }
          if (matched > 0) {
            // The first items agreed: take them, and read on from the first that did not.
            const from = sets.offs[known]! + 1;
            for (let k = 0; k < matched; k++) sets.push(sets.items[from + k]!);
            prev = sets.items[from + matched - 1]!;
            continue;
          }
        }
      }
      if (!j.next(CLOSE_BRACKET)) break;
    }
    const set = sets.end();
    if (first >= 0) {
      h.firstSet = grow(h.firstSet, first);
      h.firstSet[first] = set;
      h.setFirst = grow(h.setFirst, set);
      h.setFirst[set] = first;
      if (licKey > 1) {
        h.byKey = grow(h.byKey, licKey);
        h.byKey[licKey] = set;
      }
      if (h.arrayReplays[set] === undefined) {
        const end = j.i;
        h.arrayReplays[set] = recordArrayReplay(this.j, this.replayRecorder, this.itemTemplates.get(keys), firstEnd, end) ?? null;
        j.i = end;
      }
    }
    col.vec!.set(row, set);
  }

  /** One object item at `j.i` as a tuple: by its tuple's replay, its kind's layout, or key by key. */
  private tupleItem(h: Handler, items: TupleDict, replays: (Template | undefined)[], keys: FieldKeys, prev: number): number {
    const j = this.j;
    const arity = items.fields.length;
    const scratch = this.scratch;
    if (j.ws() !== OPEN_BRACE) throw BAIL;
    const guess = prev + 1 < h.next.length ? h.next[prev + 1]! : -1;
    const open = j.i;
    if (guess >= 0) {
      const r = replays[guess];
      if (r && matchReplay(this.j, r)) return guess;
      j.i = open;
    }
    for (let f = 0; f < arity; f++) scratch[f] = E_MISSING;
    const t = this.itemTemplates.get(keys);
    if (!t || !this.matchItem(t, items.parts, items, guess)) {
      j.i = open;
      for (let f = 0; f < arity; f++) scratch[f] = E_MISSING;
      const rec = this.itemRecorder;
      rec.begin(j.b, open);
      j.i++;
      if (j.ws() === CLOSE_BRACE) j.i++;
      else {
        for (let pos = 0; ; pos++) {
          if (j.ws() !== QUOTE) throw BAIL;
          j.string();
          const f = keys.field(j, pos);
          if (f >= 0 && scratch[f] !== E_MISSING) throw BAIL; // a field given twice
          j.expect(COLON);
          j.ws();
          rec.value(j.i, f);
          if (f >= 0) scratch[f] = this.scalarId(items.parts[f]!, E_NULL, guess >= 0 ? items.part(guess, f) : -1);
          else j.skip();
          rec.valueEnd(j.i);
          if (!j.next(CLOSE_BRACE)) break;
        }
      }
      this.itemTemplates.set(keys, rec.finish(j.i));
    }
    let id = guess;
    if (guess >= 0) for (let f = 0; f < arity; f++) if (scratch[f] !== items.part(guess, f)) { id = -1; break; }
    if (id < 0) {
      id = items.internParts(scratch);
      h.next = grow(h.next, prev + 1);
      h.next[prev + 1] = id;
    }
    if (replays[id] === undefined) {
      const close = j.i;
      replays[id] = recordReplay(this.j, this.replayRecorder, this.itemTemplates.get(keys)!, open);
      j.i = close;
    }
    return id;
  }

  /** assignedLicenses: the skuId of each item. */
  private licenses(h: Handler, row: number): void {
    const col = h.coll!;
    const j = this.j;
    if (!this.openArray()) { col.vec!.set(row, 1); return; }
    const sets = col.sets;
    const dict = col.items as ValueDict;
    sets.begin();
    if (j.ws() === CLOSE_BRACKET) j.i++;
    else {
      do {
        if (j.ws() === LETTER_N) { j.literal(NULL); continue; }
        if (j.ws() !== OPEN_BRACE) throw BAIL;
        let sku = E_MISSING;
        j.i++;
        if (j.ws() === CLOSE_BRACE) j.i++;
        else {
          for (let pos = 0; ; pos++) {
            if (j.ws() !== QUOTE) throw BAIL;
            j.string();
            const f = this.licenseKeys.field(j, pos);
            j.expect(COLON);
            if (f === 0) sku = this.scalarId(dict, E_NULL, -1);
            else j.skip();
            if (!j.next(CLOSE_BRACE)) break;
          }
        }
        sets.push(sku);
      } while (j.next(CLOSE_BRACKET));
    }
    col.vec!.set(row, sets.end());
  }

  /** onPremisesExtensionAttributes / extensionAttributes. */
  private container(h: Handler, row: number): void {
    const j = this.j;
    const c = j.ws();
    if (c === LETTER_N) {
      j.literal(NULL);
      for (const col of h.sub!.values()) col.vec!.set(row, E_NULL);
      return;
    }
    if (c !== OPEN_BRACE) { j.skip(); return; } // a string or an array holds no attributes: they read as missing
    const open = j.i;
    if (h.layout && this.matchContainer(h, h.layout, row)) return;
    j.i = open;
    const rec = this.containerRecorder;
    rec.begin(j.b, open);
    j.i++;
    if (j.ws() === CLOSE_BRACE) { j.i++; h.layout = rec.finish(j.i); return; }
    for (let pos = 0; ; pos++) {
      if (j.ws() !== QUOTE) throw BAIL;
      j.string();
      const k = this.containerKeys.id(j, pos);
      let col = h.subById[k];
      if (col === undefined && !(k in h.subById)) col = h.subById[k] = h.sub!.get(this.containerKeys.dict.string(k));
      j.expect(COLON);
      j.ws();
      rec.value(j.i, col ? k : -1);
      if (col) col.vec!.set(row, this.scalarId(col.dict, E_NULL, E_NULL));
      else j.skip();
      rec.valueEnd(j.i);
      if (!j.next(CLOSE_BRACE)) break;
    }
    h.layout = rec.finish(j.i);
  }

  /**
   * Reads a container object by the layout of the last one (its keys, byte for byte); false when
   * it differs. Values are read only when all of it matched.
   */
  private matchContainer(h: Handler, t: Template, row: number): boolean {
    const j = this.j;
    const { lit, lv, offs, acts } = t;
    const n = acts.length;
    if (this.containerIds.length < n) this.containerIds = new Int32Array(n * 2);
    const ids = this.containerIds;
    let p = j.i;
    for (let k = 0; ; k++) {
      const q = offs[k]!;
      const len = offs[k + 1]! - q;
      if (!j.same(p, lit, lv, q, len)) return false;
      j.i = p + len;
      if (k === n) break;
      // Only checked here: values are interned once the whole object matched, in the order
      // (and with the effects) of the key-by-key read.
      ids[k] = j.i;
      j.skip();
      p = j.i;
    }
    const close = j.i;
    for (let k = 0; k < n; k++) {
      const a = acts[k]!;
      if (a < 0) continue;
      const col = h.subById[a]!;
      j.i = ids[k]!;
      col.vec!.set(row, this.scalarId(col.dict, E_NULL, E_NULL));
    }
    j.i = close;
    return true;
  }
}

function handler(h: Pick<Handler, 'kind' | 'scalar' | 'nullId' | 'coll' | 'sub'>): Handler {
  return { ...h, last: -1, next: new Int32Array(16).fill(-1), subById: [], firstSet: new Int32Array(16).fill(-1), arrayReplays: [], setFirst: new Int32Array(16).fill(-1), byKey: new Int32Array(16).fill(-1), layout: undefined };
}

/** What the fast path does with each top-level key of a user or device. */
function handlersFor(object: RuleObject, builder: TableBuilder): Map<string, Handler> {
  const out = new Map<string, Handler>();
  const containers = new Map<string, Map<string, ScalarColumn>>();
  for (const def of object === 'user' ? USER_PROPERTIES : DEVICE_PROPERTIES) {
    if (isCollection(def)) {
      out.set(def.graph, handler({ kind: def.type === 'assignedPlans' ? PLANS : COLL, coll: builder.collections.get(def.graph)! }));
      continue;
    }
    const col = builder.scalars.get(def.graph)!;
    if (def.graph.startsWith('first:')) out.set(def.graph.slice(6), handler({ kind: FIRST, scalar: col }));
    else if (def.graph.includes('.')) {
      const [head, tail] = def.graph.split('.', 2) as [string, string];
      let sub = containers.get(head);
      if (!sub) {
        containers.set(head, (sub = new Map()));
        out.set(head, handler({ kind: CONTAINER, sub }));
      }
      sub.set(tail, col);
    } else {
      const nullId = def.nullAs === undefined ? E_NULL : def.nullAs ? E_TRUE : E_FALSE;
      out.set(def.graph, handler({ kind: SCALAR, scalar: col, nullId }));
    }
  }
  if (builder.manager) out.set('manager', handler({ kind: MANAGER, scalar: builder.manager }));
  if (builder.licenseStates) out.set('licenseAssignmentStates', handler({ kind: STATES, coll: builder.licenseStates }));
  if (builder.assignedLicenses) out.set('assignedLicenses', handler({ kind: LICENSES, coll: builder.assignedLicenses }));
  return out;
}
