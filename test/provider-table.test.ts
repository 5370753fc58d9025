// Adding a provider is one table entry: a dummy `acme` provider registered here validates in a
// workload, reads its key from its own variable (and has it redacted), calls a local wire server,
// prices through the price id it names, and counts as a public API under on_prem.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { lookupTokenPrice } from '../src/cost/token-prices.ts';
import { profileCandidate } from '../src/decide/constraints-profile.ts';
import { redactSecrets, secretsFor } from '../src/providers/api-keys.ts';
import { outsidePremises, publicApiHost } from '../src/providers/endpoint-location.ts';
import { openAIChatWireProvider, registerProvider } from '../src/providers/provider-table.ts';
import { createProvider } from '../src/providers/registry.ts';
import { VerdictError } from '../src/spec/errors.ts';
import { parseWorkload } from '../src/workload/load-workload.ts';
import { startWireServer, type WireServer } from './servers/wire-server.ts';

const KEY = 'sk-acme-test-key-123456789';
let server: WireServer;
let unregister: () => void;
const authorizations: Array<string | undefined> = [];

before(async () => {
  server = await startWireServer({
    answer: (request) => {
      authorizations.push(request.headers.authorization);
      return `acme says ${request.prompt}`;
    },
  });
  // The one entry.
  unregister = registerProvider({
    prefix: 'acme',
    serving: 'api',
    wire: 'openai-chat',
    keyEnv: 'ACME_API_KEY',
    keyRequired: true,
    defaultBaseUrl: server.urls.openai,
    priceId: 'openai',
    complianceHost: 'acme',
    domain: /(^|\.)acme\.example$/,
    judge: 'text',
    create: openAIChatWireProvider,
  });
});

after(async () => {
  unregister();
  await server.close();
});

const workloadText = `version: 1
name: acme
prompt: "{{q}}"
cases: [{ vars: { q: hello } }]
graders: [contains: hello]
candidates:
  - id: acme
    model: acme:gpt-4o-mini
`;

test('a registered provider validates in a workload, and an unknown one is still refused', async () => {
  const workload = await parseWorkload(workloadText, '/tmp/acme.yaml');
  const candidate = workload.candidates[0]!;
  assert.equal(candidate.provider, 'acme');
  assert.equal(candidate.modelName, 'gpt-4o-mini');
  await assert.rejects(
    parseWorkload(workloadText.replace('acme:gpt', 'acmee:gpt'), '/tmp/acme.yaml'),
    /unknown provider "acmee" \(did you mean "acme"\?\).*known: .*acme/,
  );
});

test('it reads its key from its own variable, calls its wire server and redacts the key', async () => {
  const workload = await parseWorkload(workloadText, '/tmp/acme.yaml');
  const candidate = workload.candidates[0]!;
  await assert.rejects(
    createProvider(candidate, { env: {}, baseDir: '/tmp' }),
    (error: unknown) => VerdictError.isInstance(error) && /set ACME_API_KEY/.test(error.message),
  );
  const env = { ACME_API_KEY: KEY };
  const provider = await createProvider(candidate, { env, baseDir: '/tmp' });
  assert.equal(provider.id, 'acme:gpt-4o-mini');
  const generation = await provider.generate({ messages: [{ role: 'user', content: 'hello' }], params: {} });
  assert.equal(generation.text, 'acme says hello');
  assert.deepEqual(authorizations, [`Bearer ${KEY}`]);
  const secrets = secretsFor(workload.candidates, env);
  assert.deepEqual(secrets, [KEY]);
  assert.equal(redactSecrets(`failed with ${KEY}`, secrets), 'failed with sk-…6789');
});

test('it prices through its price id and is an API outside the premises', async () => {
  const workload = await parseWorkload(workloadText, '/tmp/acme.yaml');
  const candidate = workload.candidates[0]!;
  const acme = lookupTokenPrice({ providerId: 'acme', modelId: 'gpt-4o-mini' });
  const openai = lookupTokenPrice({ providerId: 'openai', modelId: 'gpt-4o-mini' });
  assert.ok(acme.ok && openai.ok);
  assert.equal(acme.price.inputPerMTok, openai.price.inputPerMTok);
  assert.equal(acme.price.outputPerMTok, openai.price.outputPerMTok);
  const profile = profileCandidate(candidate);
  assert.equal(profile.serving, 'api');
  assert.equal(profile.host, 'acme');
  assert.match(outsidePremises(candidate) ?? '', /acme's API/);
  assert.equal(publicApiHost('https://api.acme.example/v1'), 'acme');
});

test('a prefix already in the table is refused, and removing the entry forgets it', () => {
  assert.throws(
    () =>
      registerProvider({
        prefix: 'openai',
        serving: 'api',
        wire: 'ai-sdk',
        keyRequired: true,
        judge: 'text',
        create: openAIChatWireProvider,
      }),
    /already in the table/,
  );
  const remove = registerProvider({
    prefix: 'acme2',
    serving: 'self-hosted',
    wire: 'openai-chat',
    keyRequired: false,
    judge: 'text',
    create: openAIChatWireProvider,
  });
  assert.equal(publicApiHost('https://api.acme.example/v1'), 'acme');
  remove();
  assert.equal(lookupTokenPrice({ providerId: 'acme2', modelId: 'gpt-4o-mini' }).ok, false);
});
