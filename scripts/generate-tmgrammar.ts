/**
 * Generates syntaxes/dynrule.tmLanguage.json from the core's catalogue, so the colouring knows
 * exactly the operators and properties the parser and checks know. Run after changing the
 * catalogue: `npx tsx scripts/generate-tmgrammar.ts` (a test fails when the file is stale).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { OPERATORS, propertiesOf } from '../grammar/src/index';

const words = (names: readonly string[]): string => [...names].sort((a, b) => b.length - a.length).join('|');

export function tmGrammar(): object {
  const byKind = (k: string): string[] => OPERATORS.filter((o) => o.kind === k).map((o) => o.name);
  const comparison = words(byKind('comparison'));
  const logical = words(byKind('logical'));
  const quantifier = words(byKind('quantifier'));
  const date = words(byKind('date'));
  const userProps = words(propertiesOf('user').map((p) => p.name));
  const deviceProps = words(propertiesOf('device').map((p) => p.name));
  const planProps = words(propertiesOf('assignedPlan').map((p) => p.name));
  const op = (w: string): string => `(?i)(?<![\\w.$-])-?(?:${w})(?![\\w-])`;
  return {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Entra Dynamic Rule',
    scopeName: 'source.dynrule',
    fileTypes: ['dynrule'],
    patterns: [
      { include: '#comment' },
      { include: '#string' },
      { include: '#typographic' },
      { include: '#directReports' },
      { include: '#operator' },
      { include: '#constant' },
      { include: '#property' },
      { include: '#punctuation' },
    ],
    repository: {
      comment: {
        patterns: [{
          name: 'comment.line.number-sign.dynrule',
          begin: '^\\s*(#)',
          beginCaptures: { 1: { name: 'punctuation.definition.comment.dynrule' } },
          end: '$',
          patterns: [{ match: '(?<=#)\\s*(@(?i:group|licenses|license))\\b', captures: { 1: { name: 'keyword.control.directive.dynrule' } } },
            { match: '(?<=#)\\s*(@[A-Za-z][\\w-]*)', captures: { 1: { name: 'invalid.illegal.directive.dynrule' } } }],
        }],
      },
      string: {
        patterns: [
          { name: 'string.quoted.double.dynrule', begin: '"', end: '"|$', patterns: [{ name: 'constant.character.escape.dynrule', match: '`.' }] },
          { name: 'string.quoted.single.dynrule', begin: "'", end: "'(?!')|$", patterns: [{ name: 'constant.character.escape.dynrule', match: "''" }] },
        ],
      },
      typographic: {
        patterns: [
          { name: 'invalid.illegal.typographic-dash.dynrule', match: '[\\u2013\\u2014\\u2212][A-Za-z]+' },
          { name: 'invalid.illegal.typographic-quote.dynrule', match: '[\\u201C\\u201D\\u2018\\u2019][^\\u201C\\u201D\\u2018\\u2019"\\n]*[\\u201C\\u201D\\u2018\\u2019"]?' },
        ],
      },
      directReports: { patterns: [{ name: 'keyword.control.direct-reports.dynrule', match: '(?i)\\bdirect\\s+reports\\s+for\\b' }] },
      operator: {
        patterns: [
          { name: 'keyword.operator.comparison.dynrule', match: op(comparison) },
          { name: 'keyword.operator.logical.dynrule', match: op(logical) },
          { name: 'keyword.operator.quantifier.dynrule', match: op(quantifier) },
          { name: 'keyword.operator.arithmetic.dynrule', match: op(date) },
          { name: 'invalid.illegal.operator.dynrule', match: '(?<![\\w.$-])-[A-Za-z]+' },
        ],
      },
      constant: {
        patterns: [
          { name: 'constant.language.boolean.dynrule', match: '(?i)(?<![\\w.$])(?:true|false)(?![\\w.])' },
          { name: 'constant.language.null.dynrule', match: '(?i)(?<![\\w.])\\$?null(?![\\w.])' },
          { name: 'support.constant.now.dynrule', match: '(?i)(?<![\\w.])system\\.now(?![\\w.])' },
          { name: 'constant.other.date.dynrule', match: '\\b\\d{4}-\\d{2}-\\d{2}(?:[Tt]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)?(?:[Zz]|[+-]\\d{2}:?\\d{2})?' },
          { name: 'constant.other.duration.dynrule', match: '(?i)\\bP(?=\\d|T\\d)(?:\\d+(?:[.,]\\d+)?[YMWD])*(?:T(?:\\d+(?:[.,]\\d+)?[HMS])+)?\\b' },
          { name: 'constant.numeric.dynrule', match: '(?<![\\w.])-?\\d+(?:\\.\\d+)?(?![\\w.])' },
        ],
      },
      property: {
        patterns: [
          { match: `(?i)\\b(user)(\\.)(${userProps}|extensionAttribute(?:1[0-5]|[1-9])|extension_[0-9a-f]{32}_\\w+)\\b`, captures: { 1: { name: 'variable.language.object.dynrule' }, 2: { name: 'punctuation.accessor.dynrule' }, 3: { name: 'support.variable.property.dynrule' } } },
          { match: `(?i)\\b(device)(\\.)(${deviceProps}|extensionAttribute(?:1[0-5]|[1-9]))\\b`, captures: { 1: { name: 'variable.language.object.dynrule' }, 2: { name: 'punctuation.accessor.dynrule' }, 3: { name: 'support.variable.property.dynrule' } } },
          { match: `(?i)\\b(assignedPlan)(\\.)(${planProps})\\b`, captures: { 1: { name: 'variable.parameter.item.dynrule' }, 2: { name: 'punctuation.accessor.dynrule' }, 3: { name: 'support.variable.property.dynrule' } } },
          { match: '(?i)\\b(group)(\\.)(objectId)\\b', captures: { 1: { name: 'variable.parameter.item.dynrule' }, 2: { name: 'punctuation.accessor.dynrule' }, 3: { name: 'support.variable.property.dynrule' } } },
          { match: '\\b([A-Za-z_$][\\w$]*)(\\.)([\\w$]*)', captures: { 1: { name: 'variable.other.object.dynrule' }, 2: { name: 'punctuation.accessor.dynrule' }, 3: { name: 'variable.other.property.dynrule' } } },
          { name: 'variable.parameter.item.dynrule', match: '(?<![\\w$])_(?![\\w$])' },
        ],
      },
      punctuation: {
        patterns: [
          { name: 'punctuation.section.parens.dynrule', match: '[()]' },
          { name: 'punctuation.section.brackets.dynrule', match: '[\\[\\]]' },
          { name: 'punctuation.separator.comma.dynrule', match: ',' },
        ],
      },
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../syntaxes/dynrule.tmLanguage.json', import.meta.url), JSON.stringify(tmGrammar(), null, 2) + '\n');
}
