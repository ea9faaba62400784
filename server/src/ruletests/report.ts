/** Reporters for rule test runs: `spec` (people), `json` (scripts), `junit` (CI systems). */
import * as path from 'node:path';
import { renderTrace } from '../../../grammar/engine/src/index';
import type { RunResult } from './run';

const rel = (f: string): string => path.relative(process.cwd(), f) || f;

export function specReport(r: RunResult): string[] {
  const out: string[] = [];
  for (const f of r.files) {
    out.push(`${rel(f.file)}${f.rule ? `  (rule ${rel(f.rule)}${f.tenant ? `, tenant ${rel(f.tenant)}` : ''})` : ''}`);
    if (f.error) {
      out.push(`  ! ${f.error.message}  [${rel(f.file)}:${f.error.line}:${f.error.column}]`);
      continue;
    }
    for (const c of f.cases) {
      out.push(`  ${c.passed ? '✓' : '✗'} ${c.name}${c.passed ? '' : `  [${rel(f.file)}:${c.line}]`}`);
      if (!c.passed) {
        out.push(`      ${c.subject}: ${c.message ?? ''}`);
        if (c.trace) for (const line of renderTrace(c.trace)) out.push(`      ${line}`);
      }
    }
    if (f.count) {
      const bounds = [f.count.min !== undefined ? `≥ ${f.count.min}` : '', f.count.max !== undefined ? `≤ ${f.count.max}` : ''].filter(Boolean).join(' and ');
      out.push(`  ${f.count.passed ? '✓' : '✗'} member count ${f.count.actual} is ${f.count.passed ? '' : 'not '}${bounds}${f.count.unknown ? ` (${f.count.unknown} unknown)` : ''}`);
    }
  }
  out.push('');
  out.push(`${r.passed} passed, ${r.failed} failed${r.errors ? `, ${r.errors} file${r.errors === 1 ? '' : 's'} could not run` : ''}`);
  return out;
}

export function jsonReport(r: RunResult): string {
  return JSON.stringify({
    passed: r.passed,
    failed: r.failed,
    errors: r.errors,
    files: r.files.map((f) => ({
      file: f.file,
      ...(f.rule ? { rule: f.rule } : {}),
      ...(f.tenant ? { tenant: f.tenant } : {}),
      ...(f.error ? { error: f.error } : {}),
      cases: f.cases.map((c) => ({
        name: c.name, expect: c.expect, actual: c.actual, passed: c.passed, subject: c.subject, line: c.line,
        ...(c.message ? { message: c.message } : {}),
        ...(c.trace ? { trace: c.trace } : {}),
      })),
      ...(f.count ? { count: f.count } : {}),
    })),
  }, null, 2);
}

const xml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;')
    // XML 1.0 cannot carry most control characters, even escaped.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

/** JUnit XML as Jenkins, GitHub Actions test reporters and Azure Pipelines read it. */
export function junitReport(r: RunResult): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = r.passed + r.failed + r.errors;
  lines.push(`<testsuites name="dynrule" tests="${total}" failures="${r.failed}" errors="${r.errors}">`);
  for (const f of r.files) {
    const name = rel(f.file);
    const tests = f.cases.length + (f.count ? 1 : 0) + (f.error ? 1 : 0);
    const failures = f.cases.filter((c) => !c.passed).length + (f.count && !f.count.passed ? 1 : 0);
    lines.push(`  <testsuite name="${xml(name)}" tests="${tests}" failures="${failures}" errors="${f.error ? 1 : 0}" time="${(f.durationMs / 1000).toFixed(3)}">`);
    if (f.error) {
      lines.push(`    <testcase classname="${xml(name)}" name="load"><error message="${xml(f.error.message)}">${xml(`${name}:${f.error.line}:${f.error.column}: ${f.error.message}`)}</error></testcase>`);
    }
    for (const c of f.cases) {
      const open = `    <testcase classname="${xml(name)}" name="${xml(c.name)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
      if (c.passed) lines.push(`${open}/>`);
      else {
        const body = [`${c.subject}: ${c.message ?? ''}`, ...(c.trace ? renderTrace(c.trace) : [])].join('\n');
        lines.push(`${open}><failure message="${xml(c.message ?? 'failed')}" type="${c.actual === 'error' ? 'error' : 'assertion'}">${xml(body)}</failure></testcase>`);
      }
    }
    if (f.count) {
      const open = `    <testcase classname="${xml(name)}" name="member count"`;
      lines.push(f.count.passed ? `${open}/>` : `${open}><failure message="${xml(`member count ${f.count.actual} is out of bounds`)}"/></testcase>`);
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n');
}
