/**
 * The columnar engine: a snapshot's users or devices as columns (one per property a rule can
 * read, strings interned as bytes, collections as distinct item sequences), and rules evaluated
 * over all rows at once as three-valued bitsets. Pure: no Node APIs. The streaming loader that
 * fills tables from large files lives in the server (server/src/tenant/).
 */
export { TriBits, and3, or3, not3Bits, fromLut } from './bitset';
export {
  TableBuilder, buildTable, fillMissingCollection, freezeTable, isCollection, setCollection, transferables,
  type BuildResult, type BuilderState, type ColumnState,
} from './builder';
export { hashBytes, hashBytesLower, utf8Decode, utf8Encode, HASH_SEED } from './bytes';
export { CollectionColumn, ScalarColumn, IdVec, narrow, type Column, type IdArray, type ItemDict } from './columns';
export { SetDict, S_MISSING, S_NULL, SK_ARRAY, SK_MISSING, SK_NULL, SK_OTHER, type SetState } from './sets';
export { TupleDict, type TupleState } from './tuples';
export { ValueDict, dictHash, dictHashView, type DictState, E_FALSE, E_MISSING, E_NULL, E_TRUE, K_BOOL, K_MISSING, K_NULL, K_NUMBER, K_OTHER, K_STRING } from './dict';
export { evaluateColumnar, type ColumnarOptions, type ColumnarStats } from './engine';
export { IdRows } from './idRows';
export { RowIndex } from './rowIndex';
export { Table, PLAN_FIELDS, STATE_FIELDS, put as putAtPath, type TableExtras } from './table';
