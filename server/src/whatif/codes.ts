/**
 * The stable codes of the problems `whatif` finds in a changes file, each with what it means.
 * Defined here only: the parsers, the CLI and the tests read them from this table.
 */
export const CHANGE_CODES = {
  'changes/unreadable': 'The file cannot be read: not a regular file, too large, or not UTF-8.',
  'changes/unknown-format': 'The file is neither a CSV (.csv) nor JSON (.json) file of changes.',
  'changes/csv-syntax': 'The CSV cannot be parsed: a quote that is not closed, or text after a closing quote.',
  'changes/not-bulk-create': 'A bulk-operation template of the Entra admin center, but not the bulk-create one (bulk invite or bulk delete), or a CSV that is neither that template nor an attribute-change CSV.',
  'changes/unknown-heading': 'A column heading that names no user property a rule can read or that whatif can set.',
  'changes/duplicate-heading': 'Two columns set the same property.',
  'changes/read-only-property': 'A column or field for a property no change can set (object id, assigned plans, memberOf, licenses).',
  'changes/missing-column': 'A column the template requires is missing.',
  'changes/missing-value': 'A cell the template requires is empty.',
  'changes/extra-cells': 'A row with more cells than there are headings.',
  'changes/duplicate-user': 'The same user twice in one file.',
  'changes/bad-value': 'A value of the wrong type: not true/false (Yes/No), not a date, not a two-letter country code, not Member/Guest.',
  'changes/invalid-json': 'The JSON does not parse.',
  'changes/bad-entry': 'A JSON entry that is not {"user", "set"}, {"user", "delete": true} or {"create"}.',
  'changes/user-exists': 'A new user whose userPrincipalName the tenant already has.',
  'changes/unknown-user': 'A user to delete that the tenant does not have.',
  'changes/user-deleted': 'A change to a user an earlier change deletes.',
  'changes/unknown-manager': 'A manager that is neither in the tenant nor a new user of the changes.',
} as const;

export type ChangeCode = keyof typeof CHANGE_CODES;
