// The answers `verdict init` works from: asked on a terminal, read from an answers file, or given as
// flags. One table (INIT_QUESTIONS) drives the questions, the flags, the answers file's keys and the
// help, so they cannot drift apart.
import { z } from 'zod';
import { GPU_OFFERS, GPUS } from '../cost/index.ts';

export const INIT_CLOUDS = [...new Set(GPU_OFFERS.map((offer) => offer.cloud))];
export const INIT_GPUS = GPUS.map((gpu) => gpu.id);

const positive = z.coerce.number().positive();
// Flags and prompts give text: "false" must mean false (z.coerce.boolean would make it true).
const yesNo = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const word = value.trim().toLowerCase();
  if (['true', 'yes', 'y', '1'].includes(word)) return true;
  if (['false', 'no', 'n', '0'].includes(word)) return false;
  return value;
}, z.boolean());

/** The answers file (YAML or JSON): strict, so a misspelt key is an error with a suggestion. */
export const initAnswersSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][\w.-]*$/, 'letters, digits, ".", "_" or "-"')
    .default('my-workload'),
  task: z.string().min(1).default('Answer the user’s request.'),
  requests_per_month: positive,
  input_tokens: z.coerce.number().int().positive().default(500),
  output_tokens: z.coerce.number().int().positive().default(200),
  hipaa: yesNo.default(false),
  residency: z.enum(['any', 'eu', 'us']).default('any'),
  on_prem: yesNo.default(false),
  zero_retention: yesNo.default(false),
  fine_tuning: yesNo.default(false),
  difficulty: z.enum(['simple', 'moderate', 'hard']).default('moderate'),
  quality_floor: z.coerce.number().min(0).max(1).default(0.8),
  latency_ms: z.coerce.number().min(0).default(0),
  gpu_team_hours: z.coerce.number().min(0).default(0),
  on_call: yesNo.default(false),
  hardware: z.enum(['none', 'cloud', 'owned']).default('none'),
  cloud: z.enum(INIT_CLOUDS as [string, ...string[]]).optional(),
  gpu: z.enum(INIT_GPUS as [string, ...string[]]).optional(),
  budget_usd: z.coerce.number().min(0).default(0),
  engineer_hourly_usd: z.coerce.number().positive().optional(),
});

export type InitAnswers = z.output<typeof initAnswersSchema>;
export type InitAnswerKey = keyof InitAnswers;

/** One question: what it asks, how it is answered, and the flag that answers it without asking. */
export interface InitQuestion {
  /** The answers file's keys this question fills. */
  keys: InitAnswerKey[];
  message: string;
  kind: 'text' | 'number' | 'confirm' | 'select' | 'checkbox' | 'tokens';
  choices?: ReadonlyArray<{ value: string; name: string }>;
  /** Asked only when this returns true for the answers so far. */
  when?: (answers: Partial<InitAnswers>) => boolean;
  /** What Enter accepts (the answers file's default). */
  default?: string | number | boolean;
  help: string;
}

/** The questions, in the order they are asked (about ten; some fill two keys). */
export const INIT_QUESTIONS: readonly InitQuestion[] = [
  {
    keys: ['task'],
    message: 'What should the model do, in one line?',
    kind: 'text',
    help: 'one line; it becomes the system prompt and the description',
  },
  {
    keys: ['requests_per_month'],
    message: 'How many requests a month, at the volume you plan for?',
    kind: 'number',
    help: 'the volume every option is priced at (required)',
  },
  {
    keys: ['input_tokens', 'output_tokens'],
    message: 'Tokens per request, input/output (a word is about 1.3 tokens)?',
    kind: 'tokens',
    help: 'e.g. 600/150 (defaults 500/200); the first run measures them',
  },
  {
    keys: ['hipaa', 'on_prem', 'zero_retention'],
    message: 'Which rules apply to the data?',
    kind: 'checkbox',
    choices: [
      { value: 'hipaa', name: 'HIPAA (health data)' },
      { value: 'on_prem', name: 'data may not leave our premises' },
      { value: 'zero_retention', name: 'providers must retain nothing' },
    ],
    help: 'hipaa, on_prem, zero_retention: true or false',
  },
  {
    keys: ['residency'],
    message: 'Where must the data be processed?',
    kind: 'select',
    choices: [
      { value: 'any', name: 'anywhere' },
      { value: 'eu', name: 'in the EU (GDPR residency)' },
      { value: 'us', name: 'in the US' },
    ],
    default: 'any',
    help: 'any | eu | us',
  },
  {
    keys: ['fine_tuning'],
    message: 'Will you fine-tune the model on your own data?',
    kind: 'confirm',
    default: false,
    help: 'true: the weights must be available, so closed models are left out',
  },
  {
    keys: ['difficulty'],
    message: 'How hard is the task?',
    kind: 'select',
    choices: [
      { value: 'simple', name: 'simple: classify, extract, route' },
      { value: 'moderate', name: 'moderate: draft, summarise, answer with rules' },
      { value: 'hard', name: 'hard: multi-step reasoning, code, the best models only' },
    ],
    default: 'moderate',
    help: 'simple | moderate | hard: sets the size of the models tried',
  },
  {
    keys: ['quality_floor'],
    message: 'Lowest acceptable pass rate on your cases (0–1)?',
    kind: 'number',
    default: 0.8,
    help: 'quality.floor (default 0.8)',
  },
  {
    keys: ['latency_ms'],
    message: 'Time to first token at the 90th percentile, in ms (0: no objective)?',
    kind: 'number',
    default: 0,
    help: 'decision.max_ttft_p90_ms (default 0: none)',
  },
  {
    keys: ['gpu_team_hours'],
    message: 'Engineer-hours a month your team would give to running GPUs (0: nobody would)?',
    kind: 'number',
    default: 0,
    help: 'operations hours; 0 prices verdict’s default of 52 h as hires or contractors',
  },
  {
    keys: ['on_call'],
    message: 'Would someone be on call for a self-hosted model?',
    kind: 'confirm',
    when: (answers) => (answers.gpu_team_hours ?? 0) > 0,
    default: false,
    help: 'true: part of the hours is on-call',
  },
  {
    keys: ['hardware'],
    message: 'Which hardware or cloud do you already have?',
    kind: 'select',
    choices: [
      { value: 'none', name: 'none yet' },
      { value: 'cloud', name: 'a cloud account that rents GPUs' },
      { value: 'owned', name: 'our own GPUs on the premises' },
    ],
    default: 'none',
    help: 'none | cloud | owned',
  },
  {
    keys: ['cloud'],
    message: 'Which cloud?',
    kind: 'select',
    choices: INIT_CLOUDS.map((cloud) => ({ value: cloud, name: cloud })),
    when: (answers) => answers.hardware === 'cloud',
    help: INIT_CLOUDS.join(' | '),
  },
  {
    keys: ['gpu'],
    message: 'Which GPU would a self-hosted model run on?',
    kind: 'select',
    choices: [
      { value: '', name: 'let verdict choose by model size' },
      ...INIT_GPUS.map((gpu) => ({ value: gpu, name: gpu })),
    ],
    help: `${INIT_GPUS.join(' | ')} (default: by model size)`,
  },
  {
    keys: ['budget_usd'],
    message: 'Monthly budget for the model in USD (0: none stated)?',
    kind: 'number',
    default: 0,
    help: 'compared with each option in the note (default 0: none)',
  },
];

/** Flag names of the answers (`--requests-per-month`), each taking a value. */
export const INIT_ANSWER_FLAGS = Object.fromEntries(
  Object.keys(initAnswersSchema.shape).map((key) => [key.replace(/_/g, '-'), { type: 'string' as const }]),
);
