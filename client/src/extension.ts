// The VS Code extension entry point (filled by the editor feature).
export {};
