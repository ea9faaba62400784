/**
 * The evaluation engine of Entra Dynamic Rules: what a parsed and checked rule selects. Three
 * evaluators share the semantics of `evaluate/semantics.ts` — the tracing reference interpreter
 * (`evaluate/interpret.ts`), compiled closures (`evaluate/compile.ts`) and columnar bitsets over a
 * whole tenant (`columnar/`). Pure like the language core it builds on (`grammar/src/`): no Node
 * APIs, no editor. docs/architecture.md says which evaluator serves what.
 *
 * @packageDocumentation
 */

/** Compile a rule to closures and evaluate Graph objects. */
export { compileRule, type CompiledRule, type CompileResult } from './evaluate/compile';
/** The tracing reference interpreter. */
export { interpret, interpretResult, refusedPattern, refusedPatterns, toGraphDetails, type TraceNode, type ExpressionEvaluationDetails } from './evaluate/interpret';
/** A trace as a handful of lines that say what decided, GUIDs named. */
export { renderTrace } from './evaluate/trace';
/** Evaluation semantics: three-valued results, options, reading Graph objects. */
export {
  regexRefusal, propertyReader, showRaw, toTri, F, T, U,
  type Tri, type Tri3, type EvalOptions, type GraphObject,
} from './evaluate/semantics';
/** The columnar engine: tables of a tenant's users or devices, rules over all rows as bitsets. */
export * from './columnar/index';
