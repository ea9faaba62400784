/**
 * Rules inside infrastructure-as-code files, one scanner per host language behind one interface.
 * Each scanner is small and hand-written: there is no maintained pure-JavaScript parser for HCL,
 * Bicep or PowerShell that keeps source positions, and finding one string attribute of one
 * resource type needs only the host's tokens, strings and blocks.
 */
import { extractBicep } from './bicep';
import { extractHcl } from './hcl';
import { extractPowerShell } from './powershell';
import type { EmbeddedRule, HostLanguage, HostString } from './types';

export type { EmbeddedRule, HostLanguage, HostString } from './types';

/** The host language of a file name (`main.tf`, `groups.bicep`, `M365TenantConfig.ps1`), or undefined. */
export function hostLanguageOf(fileName: string): HostLanguage | undefined {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.tf')) return 'terraform';
  if (lower.endsWith('.bicep')) return 'bicep';
  if (lower.endsWith('.ps1')) return 'powershell';
  return undefined;
}

/** Every dynamic membership rule in a host file, in file order; none for other files. Never throws. */
export function extractRules(fileName: string, text: string): EmbeddedRule[] {
  const language = hostLanguageOf(fileName);
  return language ? extractRulesFor(language, text) : [];
}

/** Host languages by the language ids editors give their documents. */
export function hostLanguageOfLanguageId(languageId: string): HostLanguage | undefined {
  if (languageId === 'terraform' || languageId === 'hcl' || languageId === 'terraform-vars') return 'terraform';
  if (languageId === 'bicep') return 'bicep';
  if (languageId === 'powershell') return 'powershell';
  return undefined;
}

/** Every rule in a document of a known host language. Never throws. */
export function extractRulesFor(language: HostLanguage, text: string): EmbeddedRule[] {
  switch (language) {
    case 'terraform':
      return extractHcl(text);
    case 'bicep':
      return extractBicep(text);
    case 'powershell':
      return extractPowerShell(text);
  }
}

/** Rule text written into a host string of the given kind, with that string's escaping. */
export function escapeFor(quoting: HostString, text: string): string {
  switch (quoting) {
    case 'hcl-quoted':
      return text.replace(/[\\"\n\r\t]|[$%]\{/g, (m) =>
        ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' } as Record<string, string>)[m] ?? `${m[0]}${m}`);
    case 'hcl-heredoc':
      return text.replace(/[$%]\{/g, (m) => `${m[0]}${m}`);
    case 'bicep-quoted':
      return text.replace(/[\\'\n\r\t]|\$\{/g, (m) =>
        ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' } as Record<string, string>)[m] ?? '\\${');
    case 'powershell-double':
      return text.replace(/[`$"\u201C\u201D\u201E]/g, (m) => `\`${m}`);
    case 'powershell-here-double':
      return text.replace(/[`$]/g, (m) => `\`${m}`);
    case 'powershell-single':
      return text.replace(/['\u2018\u2019\u201A\u201B]/g, (m) => `${m}${m}`);
    case 'bicep-multiline':
    case 'powershell-here-single':
      // No escapes exist in these strings: the text goes in as it is.
      return text;
  }
}
