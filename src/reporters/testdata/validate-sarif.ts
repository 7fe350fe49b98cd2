// Validates SARIF text against the official 2.1.0 schema (shipped with @microsoft/jest-sarif).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ajvDraft04 from 'ajv-draft-04';

// ajv-draft-04 is CommonJS: under nodenext the default import is module.exports, whose `default` is the class.
const AjvDraft04 = ajvDraft04.default;

const SCHEMA_PATH = fileURLToPath(
  new URL('../../../node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', import.meta.url),
);

/** RFC 3986 characters, and `%` only as the start of an escape. */
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

export function validateSarif(text: string): void {
  assert.ok(
    existsSync(SCHEMA_PATH),
    `the official SARIF 2.1.0 schema is missing at ${SCHEMA_PATH}: run npm ci (it ships with @microsoft/jest-sarif)`,
  );
  const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
  // unicodeRegExp: false because the schema's language pattern is not valid with the `u` flag.
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  ajv.addFormat('uri', (value: string) => /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value) && URI_CHARS.test(value));
  ajv.addFormat('uri-reference', (value: string) => URI_CHARS.test(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  const validate = ajv.compile(schema);
  const ok = validate(JSON.parse(text));
  assert.ok(ok, `SARIF does not match the 2.1.0 schema:\n${JSON.stringify(validate.errors, null, 2)}`);
}

