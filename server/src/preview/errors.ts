/** A preview that cannot run: a rule with errors, a missing group, an unknown SKU. */
export class PreviewError extends Error {}
