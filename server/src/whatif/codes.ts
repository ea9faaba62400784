/**
 * The stable codes of the problems `whatif` finds in a changes file are entries of the catalogue
 * (grammar/src/codes.ts, `CHANGE_CODES`), with what each means; the parsers, the CLI and the tests
 * read them from there.
 */
export { CHANGE_CODES, type ChangeCode } from '../../../grammar/src/index';
