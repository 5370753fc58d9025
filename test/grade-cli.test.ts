// `verdict run` with a model-graded grader, in process: the judge pass runs after the calls, the
// report shows the judge's calls apart, and a second run answers the judge from the cache.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../src/cli/main.ts';
import { startStandInServer } from '../src/demo/openai-stand-in-server.ts';
import { tempDir } from './helpers/temp-dir.ts';

function capture() {
  let text = '';
  return {
    write: (chunk: string) => (text += chunk),
    get text() {
      return text;
    },
  };
}

test('verdict run judges model-graded graders and reports the judge apart', async () => {
  const candidate = await startStandInServer({
    answer: (messages) => (messages.at(-1)!.content.includes('2+2') ? '4' : 'five'),
  });
  const judge = await startStandInServer({
    answer: (messages) => {
      const prompt = messages.at(-1)!.content;
      const answer = prompt.slice(prompt.indexOf('<answer>') + 8, prompt.indexOf('</answer>')).trim();
      return JSON.stringify({ reason: 'checked', score: answer === '4' ? 1 : 0 });
    },
  });
  after(() => Promise.all([candidate.close(), judge.close()]));
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  writeFileSync(
    file,
    `version: 1
name: judged-cli
prompt: "What is {{q}}?"
cases: [{ vars: { q: "2+2" } }, { vars: { q: "2+3" } }]
graders:
  - rubric: The arithmetic is right.
judge: { model: "openai-compatible:judge", base_url: "${judge.url}" }
candidates: [{ id: calc, model: "openai-compatible:calc", base_url: "${candidate.url}" }]
quality: { non_inferiority_margin: 0.05 }
`,
  );
  for (const round of [1, 2]) {
    const stdout = capture();
    const stderr = capture();
    const code = await main(['run', file, '--store', path.join(dir, 'v.db'), '--no-color'], {
      stdout,
      stderr,
      env: { NO_COLOR: '1' },
      cwd: dir,
    });
    assert.equal(code, 0, stderr.text);
    assert.match(stdout.text, /calc\s+1\/2\s+50\.0%/);
    assert.match(stdout.text, /prompt rubric v1 \(prompts\/rubric\.v1\.md, sha256 [0-9a-f]{16}\)/);
    assert.match(
      stdout.text,
      round === 1
        ? /openai-compatible:judge: 2 calls \(0 from cache\)/
        : /openai-compatible:judge: 2 calls \(2 from cache\)/,
    );
    assert.match(
      stderr.text,
      round === 1 ? /judge: 2 calls, 0 from the cache, 0 grading errors/ : /judge: 0 calls, 2 from the cache/,
    );
  }
  assert.equal(judge.requests.chatCompletions, 2, 'the second run asked the judge cache, not the judge');
});

test('verdict judge finishes a run whose judge could not start, without calling the candidates again', async () => {
  const candidate = await startStandInServer({ answer: () => '4' });
  const judge = await startStandInServer({ answer: () => '{"reason": "right", "score": 1}' });
  after(() => Promise.all([candidate.close(), judge.close()]));
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  writeFileSync(
    file,
    `version: 1
name: judge-later
prompt: "What is {{q}}?"
cases: [{ vars: { q: "2+2" } }]
graders: [{ rubric: The arithmetic is right. }]
judge: { model: "openai:gpt-4o-mini", base_url: "${judge.url}" }
candidates: [{ id: calc, model: "openai-compatible:calc", base_url: "${candidate.url}" }]
`,
  );
  const store = path.join(dir, 'v.db');
  const first = { stdout: capture(), stderr: capture() };
  const code = await main(['run', file, '--store', store], { ...first, env: { NO_COLOR: '1' }, cwd: dir });
  assert.equal(code, 3);
  assert.match(first.stderr.text, /the judge openai:gpt-4o-mini needs an API key: set OPENAI_API_KEY/);
  assert.equal(candidate.requests.chatCompletions, 1);

  const second = { stdout: capture(), stderr: capture() };
  const env = { NO_COLOR: '1', OPENAI_API_KEY: 'sk-test-0123456789abcdef' };
  assert.equal(await main(['judge', '--store', store], { ...second, env, cwd: dir }), 0, second.stderr.text);
  assert.match(second.stdout.text, /: 1 results judged; 1 judge calls, 0 from the cache; 0 grading errors/);
  const report = { stdout: capture(), stderr: capture() };
  assert.equal(await main(['report', '--store', store, '--format', 'json'], { ...report, env, cwd: dir }), 0);
  assert.equal(JSON.parse(report.stdout.text).quality.candidates[0].passed, 1);
  assert.equal(candidate.requests.chatCompletions, 1, 'the candidate was not called again');
});

test('verdict judge --judge re-judges with a second judge, keeping the first grades; --prompt names a missing version', async () => {
  const candidate = await startStandInServer({ answer: () => '4' });
  const first = await startStandInServer({ answer: () => '{"reason": "right", "score": 1}' });
  // The second judge fails what the first passed: the report keeps both and their agreement.
  const second = await startStandInServer({ answer: () => '{"reason": "wrong", "score": 0}' });
  after(() => Promise.all([candidate.close(), first.close(), second.close()]));
  const dir = tempDir();
  const file = path.join(dir, 'w.yaml');
  writeFileSync(
    file,
    `version: 1
name: judged-twice
prompt: "What is {{q}}?"
cases: [{ id: a, vars: { q: "2+2" } }, { id: b, vars: { q: "1+3" } }]
graders: [{ rubric: The arithmetic is right. }]
judge: { model: "openai-compatible:first", base_url: "${first.url}" }
candidates: [{ id: calc, model: "openai-compatible:calc", base_url: "${candidate.url}" }]
`,
  );
  const store = path.join(dir, 'v.db');
  const env = { NO_COLOR: '1' };
  const ran = { stdout: capture(), stderr: capture() };
  assert.equal(await main(['run', file, '--store', store], { ...ran, env, cwd: dir }), 0, ran.stderr.text);

  const again = { stdout: capture(), stderr: capture() };
  const argv = ['judge', '--store', store, '--judge', 'openai-compatible:second', '--base-url', second.url];
  assert.equal(await main(argv, { ...again, env, cwd: dir }), 0, again.stderr.text);
  assert.match(again.stdout.text, /: 2 results judged; 2 judge calls, 0 from the cache; 0 grading errors/);
  assert.equal(second.requests.chatCompletions, 2);
  assert.equal(candidate.requests.chatCompletions, 2, 'the candidate was not called again');

  const report = { stdout: capture(), stderr: capture() };
  assert.equal(await main(['report', '--store', store, '--format', 'json'], { ...report, env, cwd: dir }), 0);
  const json = JSON.parse(report.stdout.text);
  // The stored grades are still the first judge's.
  assert.equal(json.quality.candidates[0].passed, 2);
  assert.match(JSON.stringify(json), /openai-compatible:second/);

  const missing = { stdout: capture(), stderr: capture() };
  const code = await main(
    [
      'judge',
      '--store',
      store,
      '--judge',
      'openai-compatible:second',
      '--base-url',
      second.url,
      '--prompt',
      '9',
    ],
    {
      ...missing,
      env,
      cwd: dir,
    },
  );
  assert.equal(code, 2);
  assert.match(missing.stderr.text, /--prompt 9: there is no prompts\/rubric\.v9\.md/);
});
