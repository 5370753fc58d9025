import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createSseDataReader } from '../src/providers/sse-data-reader.ts';

function read(chunks: Array<string | Buffer>, stopAt?: string): string[] {
  const seen: string[] = [];
  const reader = createSseDataReader((data) => {
    seen.push(data);
    return data !== stopAt;
  });
  for (const chunk of chunks) reader.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  reader.end();
  return seen;
}

test('data fields are read across chunk boundaries, with CRLF and other fields skipped', () => {
  assert.deepEqual(read(['data: {"a"', ':1}\r\n\r\nevent: x\nid: 3\ndata:{"b":2}\n', '\ndata: [DONE]\n\n']), [
    '{"a":1}',
    '{"b":2}',
    '[DONE]',
  ]);
});

test('a character split across chunks is decoded whole', () => {
  const bytes = Buffer.from('data: "é€"\n');
  assert.deepEqual(read([bytes.subarray(0, 8), bytes.subarray(8, 10), bytes.subarray(10)]), ['"é€"']);
});

test('a last line without a newline is read at the end, and only one leading space is removed', () => {
  assert.deepEqual(read(['data:  two spaces\ndata: last']), [' two spaces', 'last']);
});

test('returning false stops reading the rest of the chunk', () => {
  assert.deepEqual(read(['data: 1\ndata: stop\ndata: 3\n'], 'stop'), ['1', 'stop']);
});
