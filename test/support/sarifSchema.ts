/**
 * The parts of the SARIF 2.1.0 schema (OASIS, sarif-schema-2.1.0.json, `definitions`) that a
 * `check` and `audit` log uses: each object's `required` list, enums and minimums, written out as a JSON
 * schema for Ajv. The objects are closed (`additionalProperties: false`, as in the full schema)
 * so that a misspelt property fails too.
 */
const message = {
  type: 'object',
  additionalProperties: false,
  properties: { text: { type: 'string' }, markdown: { type: 'string' }, id: { type: 'string' }, arguments: { type: 'array', items: { type: 'string' } } },
  anyOf: [{ required: ['text'] }, { required: ['id'] }],
};

const multiformatMessageString = {
  type: 'object',
  additionalProperties: false,
  properties: { text: { type: 'string' }, markdown: { type: 'string' } },
  required: ['text'],
};

const level = { enum: ['none', 'note', 'warning', 'error'] };

const artifactLocation = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // format: uri-reference — no spaces, no backslashes, nothing un-encoded.
    uri: { type: 'string', pattern: '^[A-Za-z0-9\\-._~:/?#\\[\\]@!$&\'()*+,;=%]+$' },
    uriBaseId: { type: 'string' },
    index: { type: 'integer', minimum: -1 },
  },
};

const region = {
  type: 'object',
  additionalProperties: false,
  properties: {
    startLine: { type: 'integer', minimum: 1 },
    startColumn: { type: 'integer', minimum: 1 },
    endLine: { type: 'integer', minimum: 1 },
    endColumn: { type: 'integer', minimum: 1 },
    charOffset: { type: 'integer', minimum: -1 },
    charLength: { type: 'integer', minimum: 0 },
    byteOffset: { type: 'integer', minimum: -1 },
    byteLength: { type: 'integer', minimum: 0 },
  },
  anyOf: [{ required: ['startLine'] }, { required: ['charOffset'] }, { required: ['byteOffset'] }],
};

const reportingDescriptor = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    shortDescription: multiformatMessageString,
    fullDescription: multiformatMessageString,
    help: multiformatMessageString,
    helpUri: { type: 'string', pattern: '^https?://' },
    defaultConfiguration: {
      type: 'object', additionalProperties: false,
      properties: { level, enabled: { type: 'boolean' }, rank: { type: 'number', minimum: -1, maximum: 100 } },
    },
  },
  required: ['id'],
};

const result = {
  type: 'object',
  additionalProperties: false,
  properties: {
    ruleId: { type: 'string' },
    ruleIndex: { type: 'integer', minimum: -1 },
    level,
    kind: { enum: ['notApplicable', 'pass', 'fail', 'review', 'open', 'informational'] },
    message,
    locations: {
      type: 'array',
      items: {
        type: 'object', additionalProperties: false,
        properties: {
          physicalLocation: {
            type: 'object', additionalProperties: false,
            properties: { artifactLocation, region },
            anyOf: [{ required: ['address'] }, { required: ['artifactLocation'] }],
          },
          // Where there is no file (audit: a group of the tenant).
          logicalLocations: {
            type: 'array', minItems: 1,
            items: {
              type: 'object', additionalProperties: false,
              properties: { name: { type: 'string' }, fullyQualifiedName: { type: 'string' }, kind: { type: 'string' } },
            },
          },
        },
        anyOf: [{ required: ['physicalLocation'] }, { required: ['logicalLocations'] }],
      },
    },
    properties: { type: 'object' },
  },
  required: ['message'],
};

export const SARIF_SUBSET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', pattern: '^https?://' },
    version: { enum: ['2.1.0'] },
    runs: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          tool: {
            type: 'object', additionalProperties: false,
            properties: {
              driver: {
                type: 'object', additionalProperties: false,
                properties: {
                  name: { type: 'string' },
                  version: { type: 'string' },
                  semanticVersion: { type: 'string' },
                  informationUri: { type: 'string' },
                  rules: { type: 'array', items: reportingDescriptor },
                },
                required: ['name'],
              },
            },
            required: ['driver'],
          },
          columnKind: { enum: ['utf16CodeUnits', 'unicodeCodePoints'] },
          originalUriBaseIds: { type: 'object', additionalProperties: artifactLocation },
          results: { type: 'array', items: result },
        },
        required: ['tool'],
      },
    },
  },
  required: ['version', 'runs'],
} as const;
