// The language server entry point (filled by the editor feature).
export {};
