import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findOpenWeightModel } from '../src/cost/catalogue/open-weight-models.ts';
import {
  applyConstraints,
  type CandidateProfile,
  matchOpenWeightModel,
  profileCandidate,
} from '../src/decide/constraints.ts';
import type { Candidate, Constraints } from '../src/spec/workload.ts';

const model = (id: string) => findOpenWeightModel(id)!;
const profiles: CandidateProfile[] = [
  { id: 'gpt', serving: 'api', host: 'openai', weights: 'closed' },
  { id: 'claude', serving: 'api', host: 'anthropic', weights: 'closed' },
  { id: 'claude-bedrock', serving: 'api', host: 'bedrock', vendor: 'anthropic', weights: 'closed' },
  { id: 'gemini', serving: 'api', host: 'google', weights: 'closed' },
  { id: 'gemini-vertex', serving: 'api', host: 'vertex', weights: 'closed' },
  { id: 'deepseek', serving: 'api', host: 'deepseek', weights: 'open', openModel: model('deepseek-v3') },
  { id: 'llama-groq', serving: 'api', host: 'groq', weights: 'open', openModel: model('llama-3.3-70b') },
  {
    id: 'llama-cloud',
    serving: 'self-hosted',
    hosting: 'cloud',
    region: 'us',
    weights: 'open',
    openModel: model('llama-3.3-70b'),
  },
  {
    id: 'scout-owned',
    serving: 'self-hosted',
    hosting: 'owned',
    weights: 'open',
    openModel: model('llama-4-scout'),
  },
  { id: 'qwen-embedded', serving: 'embedded', weights: 'open', openModel: model('qwen2.5-7b') },
  { id: 'acme', serving: 'api', host: 'acme', weights: 'closed' },
  { id: 'qwen72-vllm', serving: 'self-hosted', weights: 'open', openModel: model('qwen2.5-72b') },
];
const ALL = profiles.map((p) => p.id);
const none: Constraints = {
  data_residency: 'any',
  hipaa: false,
  on_prem: false,
  zero_retention: false,
  fine_tuning: false,
};
const run = (c: Partial<Constraints>, context = { monthlyActiveUsers: 1_000 }) =>
  applyConstraints(profiles, { ...none, ...c }, context);
const removedBy = (o: ReturnType<typeof run>, rule: string) =>
  o.removed.filter((f) => f.rule === rule).map((f) => f.candidateId);
const sentence = (o: ReturnType<typeof run>, id: string, rule: string) =>
  o.removed.find((f) => f.candidateId === id && f.rule === rule)?.sentence;
const without = (...ids: string[]) => ALL.filter((id) => !ids.includes(id));

test('no constraints remove nothing', () => {
  const o = run({});
  assert.deepEqual(o.kept, ALL);
  assert.deepEqual(o.removed, []);
});

test('on_prem removes every API and rented-cloud candidate', () => {
  const o = run({ on_prem: true });
  const out = [
    'gpt',
    'claude',
    'claude-bedrock',
    'gemini',
    'gemini-vertex',
    'deepseek',
    'llama-groq',
    'llama-cloud',
    'acme',
  ];
  assert.deepEqual(removedBy(o, 'on_prem'), out);
  assert.deepEqual(o.kept, without(...out));
  assert.equal(
    sentence(o, 'gpt', 'on_prem'),
    "gpt is removed: the workload requires data to stay on the premises (constraints.on_prem), and gpt is called through openai's API, so every request would leave them.",
  );
  assert.equal(
    sentence(o, 'llama-cloud', 'on_prem'),
    'llama-cloud is removed: the workload requires data to stay on the premises (constraints.on_prem), and llama-cloud runs on rented cloud GPUs outside them.',
  );
  assert.deepEqual(
    o.conditions.map((c) => c.candidateId),
    ['qwen72-vllm'],
  ); // hosting unstated: kept on condition
});

test('hipaa removes API hosts without a BAA, and those verdict has no record of', () => {
  // Every API route needs a BAA signed with its host: the ones that offer one stay only once signed.
  const signed = new Set(['gpt', 'claude', 'claude-bedrock', 'gemini-vertex', 'gemini']);
  const o = applyConstraints(
    profiles.map((p) => (signed.has(p.id) ? { ...p, baaSigned: true } : p)),
    { ...none, hipaa: true },
    { monthlyActiveUsers: 1_000 },
  );
  const out = ['gemini', 'deepseek', 'llama-groq', 'acme'];
  assert.deepEqual(removedBy(o, 'hipaa'), out);
  assert.deepEqual(o.kept, without(...out));
  assert.match(
    sentence(o, 'gemini', 'hipaa')!,
    /^gemini is removed: HIPAA data needs a signed business associate agreement \(constraints\.hipaa\), and google does not offer a BAA \(the Gemini API \(AI Studio\) is not covered by a BAA.*https:\/\/ai\.google\.dev\/gemini-api\/terms as of 2025-06\)\.$/,
  );
  assert.equal(
    sentence(o, 'acme', 'hipaa'),
    "acme is removed: HIPAA data needs a signed business associate agreement (constraints.hipaa), and verdict's compliance catalogue has no record of a BAA from acme; add the host's terms to keep it.",
  );
  const kept = o.conditions.filter((c) => c.rule === 'hipaa').map((c) => c.candidateId);
  assert.deepEqual(kept, ['gpt', 'claude', 'claude-bedrock', 'gemini-vertex']);
  assert.match(o.conditions[0]!.sentence, /^gpt is kept: a BAA is signed with openai \(baa_signed; /);
  assert.ok(o.removed.find((f) => f.candidateId === 'gemini')!.evidence[0]!.kind === 'catalogue');
});

test('hipaa: a BAA the host offers but the team has not signed removes the route, and says what to set', () => {
  const o = run({ hipaa: true });
  assert.deepEqual(removedBy(o, 'hipaa'), [
    'gpt',
    'claude',
    'claude-bedrock',
    'gemini',
    'gemini-vertex',
    'deepseek',
    'llama-groq',
    'acme',
  ]);
  assert.match(
    sentence(o, 'gpt', 'hipaa')!,
    /^gpt is removed: HIPAA data needs a signed business associate agreement \(constraints\.hipaa\); openai offers one \(.*\), but none is signed — sign it and set baa_signed: true on the candidate to keep it\.$/,
  );
  // Self-hosting keeps the data with the team: no agreement needed.
  assert.ok(o.kept.includes('llama-cloud') && o.kept.includes('qwen72-vllm'));
});

test('residency: stated regions are judged for API and self-hosted routes, in cloud region names', () => {
  const regional: CandidateProfile[] = [
    { id: 'gpt-frankfurt', serving: 'api', host: 'azure', weights: 'closed', region: 'germanywestcentral' },
    { id: 'gpt-virginia', serving: 'api', host: 'azure', weights: 'closed', region: 'us-east-1' },
    { id: 'vllm-frankfurt', serving: 'self-hosted', weights: 'open', region: 'eu-central-1' },
    { id: 'vllm-iowa', serving: 'self-hosted', weights: 'open', region: 'us-central1' },
    { id: 'vllm-nl', serving: 'self-hosted', weights: 'open', region: 'europe-west4' },
  ];
  const o = applyConstraints(regional, { ...none, data_residency: 'eu' });
  assert.deepEqual(o.kept, ['gpt-frankfurt', 'vllm-frankfurt', 'vllm-nl']);
  assert.equal(
    o.removed.find((f) => f.candidateId === 'gpt-virginia')!.sentence,
    'gpt-virginia is removed: the workload requires processing in the EU (constraints.data_residency: eu), and it is deployed in us-east-1, outside the EU.',
  );
  assert.deepEqual(
    o.removed.map((f) => f.candidateId),
    ['gpt-virginia', 'vllm-iowa'],
  );
});

test('fine-tuning removes catalogue managed routes of the base weights; a named open-weight API is kept on condition', () => {
  const o = applyConstraints(
    [
      {
        id: 'llama-8b@deepinfra',
        serving: 'api',
        host: 'deepinfra',
        weights: 'open',
        openModel: model('llama-3.1-8b'),
        catalogueRoute: true,
      },
      {
        id: 'llama-together',
        serving: 'api',
        host: 'together',
        weights: 'open',
        openModel: model('llama-3.1-8b'),
      },
      { id: 'llama-vllm', serving: 'self-hosted', weights: 'open', openModel: model('llama-3.1-8b') },
    ],
    { ...none, fine_tuning: true },
  );
  assert.deepEqual(o.kept, ['llama-together', 'llama-vllm']);
  assert.match(
    o.removed[0]!.sentence,
    /^llama-8b@deepinfra is removed: .* serves only the published base weights\.$/,
  );
  assert.match(
    o.conditions[0]!.sentence,
    /^llama-together is kept on condition that together serves the team's fine-tuned weights/,
  );
});

test('EU residency removes hosts without EU processing and self-hosting in another region; warns on EU-excluded licences', () => {
  const o = run({ data_residency: 'eu' });
  const out = ['claude', 'gemini', 'deepseek', 'llama-groq', 'llama-cloud', 'acme'];
  assert.deepEqual(removedBy(o, 'data_residency'), out);
  assert.deepEqual(o.kept, without(...out));
  assert.match(
    sentence(o, 'claude', 'data_residency')!,
    /^claude is removed: the workload requires processing in the EU \(constraints\.data_residency: eu\), and anthropic does not offer it \(/,
  );
  assert.equal(
    sentence(o, 'llama-cloud', 'data_residency'),
    'llama-cloud is removed: the workload requires processing in the EU (constraints.data_residency: eu), and its replicas run in us.',
  );
  assert.deepEqual(
    o.conditions.map((c) => c.candidateId),
    ['gpt', 'claude-bedrock', 'gemini-vertex', 'scout-owned', 'qwen72-vllm'],
  );
  assert.deepEqual(
    o.warnings.filter((w) => w.rule === 'licence' && /EU/.test(w.sentence)).map((w) => w.candidateId),
    ['scout-owned'],
  );
});

test('US residency removes only hosts that process elsewhere', () => {
  const o = run({ data_residency: 'us' });
  assert.deepEqual(removedBy(o, 'data_residency'), ['deepseek', 'acme']);
  assert.match(sentence(o, 'deepseek', 'data_residency')!, /People's Republic of China/);
});

test('zero retention removes hosts that keep prompts', () => {
  const o = run({ zero_retention: true });
  const out = ['gemini', 'deepseek', 'acme'];
  assert.deepEqual(removedBy(o, 'zero_retention'), out);
  assert.deepEqual(o.kept, without(...out));
  assert.match(
    sentence(o, 'gemini', 'zero_retention')!,
    /keeps no prompts or outputs \(constraints\.zero_retention\), and google does not offer zero data retention/,
  );
});

test('fine-tuning removes closed-weight candidates', () => {
  const o = run({ fine_tuning: true });
  const out = ['gpt', 'claude', 'claude-bedrock', 'gemini', 'gemini-vertex', 'acme'];
  assert.deepEqual(removedBy(o, 'fine_tuning'), out);
  assert.deepEqual(o.kept, without(...out));
  assert.equal(
    sentence(o, 'gpt', 'fine_tuning'),
    "gpt is removed: fine-tuning on proprietary data needs the model's weights (constraints.fine_tuning), and gpt is a closed-weight model reached only through openai's API (no open-weight catalogue entry matches it).",
  );
});

test('licence: user caps bind the team that runs the weights, not a managed API', () => {
  const big = run({}, { monthlyActiveUsers: 800_000_000 });
  assert.deepEqual(removedBy(big, 'licence'), ['llama-cloud', 'scout-owned', 'qwen72-vllm']);
  assert.equal(
    sentence(big, 'llama-cloud', 'licence'),
    'llama-cloud is removed: the Llama 3.3 Community License requires a separate licence from the vendor above 700,000,000 monthly active users (https://www.llama.com/llama3_3/license/), and the workload states 800,000,000.',
  );
  const mid = run({}, { monthlyActiveUsers: 150_000_000 });
  assert.deepEqual(removedBy(mid, 'licence'), ['qwen72-vllm']); // the Qwen licence's 100M cap
  const unstated = applyConstraints(profiles, none);
  assert.deepEqual(unstated.removed, []);
  assert.deepEqual(
    unstated.warnings.map((w) => w.candidateId),
    ['llama-cloud', 'scout-owned', 'qwen72-vllm'],
  );
  const research = {
    ...profiles[9]!,
    id: 'research',
    openModel: {
      ...model('qwen2.5-7b'),
      licence: { name: 'Research Licence', url: 'https://example.org/l', commercialUse: false },
    },
  };
  assert.match(applyConstraints([research], none).removed[0]!.sentence, /does not permit commercial use/);
  assert.deepEqual(applyConstraints([research], none, { commercial: false }).removed, []);
});

test('a candidate that breaks several constraints gets a sentence for each', () => {
  const o = run({ hipaa: true, zero_retention: true, data_residency: 'eu' });
  assert.deepEqual(
    o.removed.filter((f) => f.candidateId === 'gemini').map((f) => f.rule),
    ['hipaa', 'data_residency', 'zero_retention'],
  );
});

const candidate = (provider: string, modelName: string, baseUrl?: string): Candidate => ({
  id: `${provider}:${modelName}`,
  model: `${provider}:${modelName}`,
  provider,
  modelName,
  params: {},
  ...(baseUrl ? { baseUrl } : {}),
});

test('profiles are inferred from the provider, base URL and model name; stated fields win', () => {
  const gpt = profileCandidate(candidate('openai', 'gpt-4o'));
  assert.deepEqual(
    [gpt.serving, gpt.host, gpt.weights, gpt.openModel],
    ['api', 'openai', 'closed', undefined],
  );
  const together = profileCandidate(
    candidate('openai-compatible', 'meta-llama/Llama-3.3-70B-Instruct-Turbo', 'https://api.together.xyz/v1'),
  );
  assert.deepEqual(
    [together.serving, together.host, together.weights, together.openModel?.id],
    ['api', 'together', 'open', 'llama-3.3-70b'],
  );
  const vllm = profileCandidate(
    candidate('openai-compatible', 'meta-llama/Llama-3.1-8B-Instruct', 'http://localhost:8000/v1'),
  );
  assert.deepEqual(
    [vllm.serving, vllm.host, vllm.weights, vllm.openModel?.id],
    ['self-hosted', undefined, 'open', 'llama-3.1-8b'],
  );
  const gguf = profileCandidate(candidate('llama-cpp', './models/qwen2.5-7b-instruct-q4_k_m.gguf'));
  assert.deepEqual([gguf.serving, gguf.openModel?.id], ['embedded', 'qwen2.5-7b']);
  const owned = profileCandidate(candidate('openai-compatible', 'x', 'http://gpu-box:8000/v1'), {
    hosting: 'owned',
    region: 'eu',
  });
  assert.deepEqual([owned.hosting, owned.region, owned.weights], ['owned', 'eu', 'open']);
});

test('open-weight names match the catalogue in their usual spellings', () => {
  const cases: Array<[string, string | undefined]> = [
    ['llama3.1:8b', 'llama-3.1-8b'],
    ['Meta-Llama-3.1-8B-Instruct-Turbo', 'llama-3.1-8b'],
    ['llama-3.3-70b-versatile', 'llama-3.3-70b'],
    ['accounts/fireworks/models/llama-v3p1-8b-instruct', 'llama-3.1-8b'],
    ['mistralai/Mistral-7B-Instruct-v0.3', 'mistral-7b-v0.3'],
    ['Qwen/Qwen3-30B-A3B', 'qwen3-30b-a3b'],
    ['openai/gpt-oss-120b', 'gpt-oss-120b'],
    ['gpt-4o', undefined],
    ['claude-sonnet-4-5', undefined],
  ];
  for (const [name, id] of cases) assert.equal(matchOpenWeightModel(name)?.id, id, name);
});
