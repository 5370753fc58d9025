// The workload file's YAML shape (version 1), validated once at the edge. Strict toward the user's
// file: an unknown key is an error with a suggestion, never silently ignored.
import { z } from 'zod';
import { graderEntrySchema } from '../grade/grader-entry.ts';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const chatMessage = z.strictObject({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

const casesFromFile = z.strictObject({
  file: z.string().min(1),
  format: z.enum(['jsonl', 'csv', 'yaml']).optional(),
  /** Template variable → field of each record. Without it, every field is a variable of the same name. */
  vars: z.record(z.string(), z.string()).optional(),
  expected: z.string().optional(),
  id: z.string().optional(),
  tags: z.string().optional(),
});

const inlineCase = z.strictObject({
  id: z.union([z.string(), z.number()]).optional(),
  vars: z.record(z.string(), scalar),
  expected: scalar.optional(),
  tags: z.array(z.string()).optional(),
  /** Graders this case adds to the workload's. */
  graders: z.array(graderEntrySchema).optional(),
});

/** `- equals: {...}`, `- contains: text`, a bare family name (`- is-json`), each with an optional `weight`. */
const graderEntry = graderEntrySchema;

const candidate = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'ids are letters, digits, ".", "_" or "-"'),
  model: z
    .string()
    .regex(/^[a-z][a-z0-9-]*:.+$/, 'a model id is "provider:model", e.g. "openai:gpt-4o-mini"'),
  label: z.string().optional(),
  base_url: z.url().optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'the name of an environment variable, e.g. MY_API_KEY')
    .optional(),
  headers: z.record(z.string(), z.string()).optional(),
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.int().positive().optional(),
  seed: z.int().optional(),
  top_p: z.number().gt(0).max(1).optional(),
  stop: z.array(z.string()).max(4).optional(),
  threads: z.int().positive().optional(),
  context_size: z.int().positive().optional(),
  gpu_layers: z.union([z.int().min(0), z.literal('auto')]).optional(),
});

/** The judge of model-graded graders: a candidate id, a `provider:model` id, or a model of its own. */
const judge = z.union([z.string().min(1), candidate.partial({ id: true })]);

const traffic = z.strictObject({
  requests_per_month: z.number().positive(),
  peak_factor: z.number().min(1).default(1),
  input_tokens_per_request: z.int().positive().optional(),
  output_tokens_per_request: z.int().positive().optional(),
});

const constraints = z.strictObject({
  data_residency: z.enum(['any', 'eu', 'us']).default('any'),
  hipaa: z.boolean().default(false),
  on_prem: z.boolean().default(false),
  zero_retention: z.boolean().default(false),
  fine_tuning: z.boolean().default(false),
});

const operations = z.strictObject({
  engineer_hourly_usd: z.number().positive().optional(),
  hours_per_month: z
    .strictObject({
      infrastructure: z.number().min(0).optional(),
      monitoring: z.number().min(0).optional(),
      updates: z.number().min(0).optional(),
      security: z.number().min(0).optional(),
      on_call: z.number().min(0).optional(),
    })
    .optional(),
  min_replicas: z.int().min(1).optional(),
  target_utilisation: z.number().gt(0).max(1).optional(),
});

export const workloadFileSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  description: z.string().optional(),
  prompt: z.union([z.string().min(1), z.array(chatMessage).min(1)]),
  cases: z.union([casesFromFile, z.array(inlineCase).min(1)]),
  graders: z.array(graderEntry).min(1),
  /** Weighted mean grader score a case needs to pass (default: every counted grader must pass). */
  pass_threshold: z.number().min(0).max(1).optional(),
  judge: judge.optional(),
  candidates: z.array(candidate).min(1),
  traffic: traffic.optional(),
  constraints: constraints.default({
    data_residency: 'any',
    hipaa: false,
    on_prem: false,
    zero_retention: false,
    fine_tuning: false,
  }),
  operations: operations.optional(),
  quality: z
    .strictObject({
      floor: z.number().min(0).max(1).optional(),
      non_inferiority_margin: z.number().min(0).max(1).optional(),
    })
    .optional(),
});

export type WorkloadFile = z.output<typeof workloadFileSchema>;
