/**
 * The evaluation semantics of docs/semantics.md (Evaluation), as small functions shared by the compiled
 * evaluator and the tracing interpreter: three-valued logic, reading a rule property from a
 * Microsoft Graph object, and comparing a value with an operator.
 */
import { analyzeRegex, defaultRegexEngine, durationMs, isNegated, positiveOf, DIRECTORY_EXTENSION, type ComparisonOperator, type PropertyDef, type RegexEngine, type Value } from '../../../src/index';

/** Three-valued truth: false, true, unknown. Numbers keep the hot loops cheap. */
export const F = 0;
export const T = 1;
export const U = 2;
export type Tri3 = 0 | 1 | 2;

/** The public form of a three-valued result. */
export type Tri = boolean | 'unknown';
export const toTri = (t: Tri3): Tri => (t === U ? 'unknown' : t === T);

export const not3 = (a: Tri3): Tri3 => (a === U ? U : a === T ? F : T);

/** A Microsoft Graph JSON object (user, device or assignedPlan). */
export type GraphObject = Readonly<Record<string, unknown>>;

/** What reading a property gives: a value, null, or `undefined` when the data is missing. */
export type Raw = string | boolean | number | null | undefined | readonly unknown[];

/**
 * Why the `-match` pattern `text` gives unknown for every value it would test (invalid, .NET-only,
 * or refused by the engine), as a phrase; undefined when the engine runs it.
 */
export function regexRefusal(text: string, options: EvalOptions = {}): string | undefined {
  return (options.regex ?? defaultRegexEngine()).refusal(analyzeRegex(text));
}

export interface EvalOptions {
  /** The time `system.now` stands for, in milliseconds since the epoch. Default: Date.now(). */
  readonly now?: number;
  /** The engine for `-match`; default: {@link defaultRegexEngine}. */
  readonly regex?: RegexEngine;
  /** Total time `-match` may spend per pattern in one run before its results become unknown. */
  readonly regexBudgetMs?: number;
  /** Called once for each pattern whose time budget ran out: its later results are unknown. */
  readonly onRegexBudgetSpent?: (pattern: string) => void;
  /**
   * Read a field absent from an object as null instead of "data missing" (unknown). For objects
   * written by hand, such as inline users in rule tests, where leaving a field out means empty.
   */
  readonly missingAsNull?: boolean;
}

/** Reads a dotted Graph path; `undefined` when a segment is absent. */
function readPath(obj: GraphObject, path: string): unknown {
  let cur: unknown = obj;
  for (const seg of path.split('.')) {
    if (cur === null) return null;
    if (typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/**
 * A field of the current item inside `-any`/`-all` over assignedPlans or memberOf: an assigned
 * plan object, a group object, or a group id string (which stands for its `id`).
 */
export function itemField(item: unknown, field: string): Raw {
  if (item === null || item === undefined) return item as Raw;
  if (typeof item === 'string') return field === 'id' ? item : undefined;
  if (typeof item === 'object') return (item as Record<string, unknown>)[field] as Raw;
  return undefined;
}

/** Builds a reader for a property: Graph field, first-of-collection, null handling. */
export function propertyReader(def: PropertyDef, missingAsNull = false): (obj: GraphObject) => Raw {
  const isExtension = missingAsNull || DIRECTORY_EXTENSION.test(def.name);
  const first = def.graph.startsWith('first:');
  const path = first ? def.graph.slice(6) : def.graph;
  const simple = !path.includes('.');
  return (obj) => {
    let v: unknown = simple ? obj[path] : readPath(obj, path);
    // Graph leaves out directory extension values that are not set.
    if (v === undefined && isExtension) v = def.type === 'stringCollection' || def.type === 'assignedPlans' || def.type === 'memberOf' ? [] : null;
    if (first && Array.isArray(v)) v = v.length > 0 ? v[0] : null;
    if (v === null && def.nullAs !== undefined) return def.nullAs;
    return v as Raw;
  };
}

/** A date property value as milliseconds, NaN when it is not a date. */
export function dateMs(v: unknown): number {
  if (typeof v !== 'string') return NaN;
  const hasZone = /(?:[Zz]|[+-]\d{2}:?\d{2})$/.test(v);
  return Date.parse(hasZone || !v.includes('T') ? v : `${v}Z`);
}

/** Tests a positive string operator on one lower-cased string. */
type StringTest = (lower: string, original: string) => Tri3;

/** The text a scalar comparison value stands for, as the string operators compare it. */
export const scalarText = (v: Value): string | undefined => {
  switch (v.kind) {
    case 'string': return v.value;
    case 'number':
    case 'datetime':
    case 'bool':
      return v.raw;
    default: return undefined;
  }
};

/**
 * A value as text, as String() gives it, but never throwing: Graph JSON can hold an object whose
 * "toString" or "valueOf" is data rather than a function (`{"toString": 1}`), and String() of
 * that throws — which made one such value fail the whole evaluation.
 */
export function textOf(x: unknown): string {
  if (typeof x === 'string') return x;
  try {
    return String(x);
  } catch {
    if (Array.isArray(x)) return x.map((e) => (e === null || e === undefined ? '' : textOf(e))).join(',');
    return Object.prototype.toString.call(x);
  }
}

/** A bounded matcher: caches per value, and gives up (unknown) once the time budget is spent. */
function budgetedMatcher(test: (s: string) => boolean, budgetMs: number, onSpent: (() => void) | undefined): StringTest {
  const cache = new Map<string, Tri3>();
  let spent = 0;
  return (_lower, original) => {
    const hit = cache.get(original);
    if (hit !== undefined) return hit;
    if (spent > budgetMs) return U;
    const t0 = Date.now();
    const r: Tri3 = test(original) ? T : F;
    spent += Date.now() - t0;
    if (spent > budgetMs) onSpent?.();
    if (cache.size < 100_000) cache.set(original, r);
    return r;
  };
}

/**
 * Compiles the right-hand side of a comparison into a function of the property's raw value.
 * `type` is the compared property's type (`string` for `_`).
 */
export function comparator(type: PropertyDef['type'], op: ComparisonOperator, value: Value, options: EvalOptions): (raw: Raw) => Tri3 {
  const negated = isNegated(op);
  const pos = positiveOf(op);

  // Null literal: only -eq / -ne.
  if (value.kind === 'null') {
    const isNull = (raw: Raw): Tri3 => {
      if (raw === undefined) return U;
      if (raw === null) return T;
      if (Array.isArray(raw)) return raw.length === 0 ? T : F;
      if (typeof raw === 'string') return raw.length === 0 ? T : F;
      return F;
    };
    return op === 'ne' ? (raw) => not3(isNull(raw)) : isNull;
  }

  if (type === 'bool') {
    const want = value.kind === 'bool' ? value.value : value.kind === 'string' ? value.value.toLowerCase() === 'true' : undefined;
    if (want === undefined) return () => U;
    return (raw) => {
      if (raw === undefined) return U;
      const hit: Tri3 = raw === want || (typeof raw === 'string' && raw.toLowerCase() === String(want)) ? T : F;
      return op === 'ne' ? not3(hit) : hit;
    };
  }

  if (type === 'datetime' && (op === 'ge' || op === 'le' || op === 'eq' || op === 'ne')) {
    const target = dateTarget(value, options);
    if (target === undefined) return () => U;
    return (raw) => {
      if (raw === undefined) return U;
      const a = dateMs(raw);
      if (raw === null || Number.isNaN(a)) return op === 'ne' ? T : F;
      const t = target();
      if (Number.isNaN(t)) return U;
      const hit = op === 'ge' ? a >= t : op === 'le' ? a <= t : a === t;
      return (op === 'ne' ? !hit : hit) ? T : F;
    };
  }

  const test = stringTest(pos, value, options);
  if (!test) {
    // The pattern can't be run here (a .NET-only regex): unknown, except where no value is there to
    // test — null and an empty collection give what they give for any pattern.
    return (raw) => {
      if (raw === null || (Array.isArray(raw) && raw.length === 0)) return negated ? T : F;
      return U;
    };
  }
  return (raw) => {
    if (raw === undefined) return U;
    let r: Tri3;
    if (raw === null) r = F;
    else if (Array.isArray(raw)) {
      r = F;
      for (const item of raw) {
        if (item === null || item === undefined) continue;
        const s = textOf(item);
        const x = test(s.toLowerCase(), s);
        if (x === T) { r = T; break; }
        if (x === U) r = U;
      }
    } else {
      const s = textOf(raw);
      r = test(s.toLowerCase(), s);
    }
    return negated ? not3(r) : r;
  };
}

function dateTarget(value: Value, options: EvalOptions): (() => number) | undefined {
  if (value.kind === 'datetime') return () => value.value;
  if (value.kind === 'string') {
    const ms = dateMs(value.value);
    return () => ms;
  }
  if (value.kind === 'now') {
    let offset = 0;
    for (const s of value.steps) {
      const d = s.duration ? durationMs(s.duration.raw) : NaN;
      offset += s.op.name === 'minus' ? -d : d;
    }
    const now = options.now;
    return () => (now ?? Date.now()) + offset;
  }
  return undefined;
}

function stringTest(pos: ComparisonOperator, value: Value, options: EvalOptions): StringTest | undefined {
  if (pos === 'in') {
    if (value.kind !== 'array') return undefined;
    const set = new Set<string>();
    for (const item of value.items) {
      const t = scalarText(item);
      if (t !== undefined) set.add(t.toLowerCase());
    }
    return (lower) => (set.has(lower) ? T : F);
  }
  const text = scalarText(value);
  if (text === undefined) return undefined;
  const v = text.toLowerCase();
  switch (pos) {
    case 'eq': return (lower) => (lower === v ? T : F);
    case 'startsWith': return (lower) => (lower.startsWith(v) ? T : F);
    case 'endsWith': return (lower) => (lower.endsWith(v) ? T : F);
    case 'contains': return (lower) => (lower.includes(v) ? T : F);
    case 'match': {
      const engine = options.regex ?? defaultRegexEngine();
      const m = engine.compile(analyzeRegex(text));
      if (!m) return undefined;
      const onSpent = options.onRegexBudgetSpent;
      return budgetedMatcher(m, options.regexBudgetMs ?? 2000, onSpent && (() => onSpent(text)));
    }
    case 'ge':
    case 'le': {
      // -ge/-le on a string property: the checks report it; compare as text, which is what an
      // ordinal comparison of ISO dates amounts to.
      return (lower) => ((pos === 'ge' ? lower >= v : lower <= v) ? T : F);
    }
    default: return undefined;
  }
}

/** Renders a raw value the way Graph's propertyToEvaluate does: always a string. */
export function showRaw(raw: Raw): string {
  if (raw === undefined) return '(not in the data)';
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return JSON.stringify(raw);
  return textOf(raw);
}
