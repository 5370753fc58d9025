// Each broken workload must be rejected before any call, with the file, line, column, field path
// and a message saying what was expected — exactly.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { VerdictError } from '../src/spec/errors.ts';
import { loadWorkload } from '../src/workload/load-workload.ts';

const dir = path.join(import.meta.dirname, 'fixtures', 'workloads', 'broken');

const expectations: Array<[file: string, location: string, message: string]> = [
  ['01-typo-top-level-key.yaml', '7:1', 'cadidates: unknown key "cadidates" (did you mean "candidates"?)'],
  ['02-version-as-string.yaml', '1:10', 'version: expected one of 1, got the string "1"'],
  [
    '03-unknown-provider.yaml',
    '9:12',
    'candidates[0].model: unknown provider "opnai" (did you mean "openai"?); known: openai, anthropic, google, mistral, azure, bedrock, vertex, openai-compatible, llama-cpp',
  ],
  ['04-duplicate-candidate-id.yaml', '10:9', 'candidates[1].id: duplicate candidate id "a"'],
  [
    '05-unknown-template-variable.yaml',
    '3:9',
    'prompt: unknown template variable {{tiket}} (did you mean {{ticket}}?); cases.vars defines: ticket',
  ],
  [
    '07-invalid-jsonl-line.yaml',
    '4:16',
    'cases.file: bad-line.jsonl:3 is not valid JSON: Unterminated string in JSON at position 23 (line 1 column 24)',
  ],
  [
    '08-case-missing-field.yaml',
    '4:16',
    'cases.file: missing-field.jsonl:2 field "input" (for {{ticket}}) is missing; this record has: text, expected',
  ],
  [
    '09-unknown-grader.yaml',
    '6:5',
    'graders[0].equal: unknown grader "equal" (did you mean "equals"?); known: equals, contains, icontains, starts-with, regex, is-json, json-schema, json-equals, json-field, numeric, similarity, length, not, custom, latency, cost, rubric, closed-qa, factual, pairwise',
  ],
  [
    '10-invalid-regex.yaml',
    '6:12',
    'graders[0].regex.pattern: Invalid regular expression: /([/: Unterminated character class',
  ],
  ['11-yaml-syntax.yaml', '4:1', 'YAML syntax: All mapping items must start at the same column'],
  [
    '12-api-key-in-file.yaml',
    '10:5',
    'candidates[0].api_key: unknown key "api_key": API keys are never read from a workload file (it gets committed and shared); put the key in an environment variable and name it with api_key_env',
  ],
  [
    '13-openai-compatible-without-base-url.yaml',
    '8:5',
    'candidates[0]: an openai-compatible candidate needs base_url (e.g. http://127.0.0.1:8000/v1)',
  ],
  [
    '14-bad-enum.yaml',
    '11:32',
    'constraints.data_residency: expected one of "any", "eu", "us", got the string "europe"',
  ],
  [
    '15-temperature-out-of-range.yaml',
    '11:18',
    'candidates[0].temperature: Too big: expected number to be <=2, got the number 5',
  ],
  [
    '16-inline-case-vars-not-mapping.yaml',
    '6:11',
    'cases[1].vars: expected a mapping, got the string "hello"',
  ],
  ['17-no-cases.yaml', '4:1', 'cases: no cases found in empty.jsonl'],
  [
    '18-negative-traffic.yaml',
    '11:32',
    'traffic.requests_per_month: Too small: expected number to be >0, got the number -5',
  ],
  [
    '19-json-schema-typo.yaml',
    '8:7',
    'graders[0].json-schema.requird: unknown JSON Schema keyword "requird" (did you mean "required"?)',
  ],
  [
    '20-json-schema-bad-type.yaml',
    '10:26',
    'graders[0].json-schema.schema.properties.total.type: not a valid JSON Schema: type must be equal to one of the allowed values',
  ],
];

async function errorOf(file: string): Promise<VerdictError> {
  try {
    await loadWorkload(file);
  } catch (error) {
    assert.ok(VerdictError.isInstance(error), `expected a VerdictError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${file} was accepted`);
}

for (const [name, location, message] of expectations) {
  test(`rejects ${name} at ${location}`, async () => {
    const file = path.join(dir, name);
    const error = await errorOf(file);
    assert.equal(error.message, `${path.relative(process.cwd(), file)}:${location} ${message}`);
    assert.match(error.code, /^(WORKLOAD|CASES)_INVALID$/);
  });
}

test('a missing case file names the workload line and the directory searched', async () => {
  const file = path.join(dir, '06-missing-case-file.yaml');
  const error = await errorOf(file);
  assert.equal(
    error.message,
    `${path.relative(process.cwd(), file)}:4:16 cases.file: cases file not found: nowhere.jsonl (looked in ${dir})`,
  );
});

test('an API key written in the workload never appears in the error', async () => {
  const error = await errorOf(path.join(dir, '12-api-key-in-file.yaml'));
  assert.doesNotMatch(error.message, /sk-test/);
});

test('a workload file that does not exist is a clear error', async () => {
  const error = await errorOf(path.join(dir, 'no-such-workload.yaml'));
  assert.match(error.message, /no-such-workload\.yaml: no such file$/);
});
