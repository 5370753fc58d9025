// The files `verdict init` writes from a starter plan: the workload (each candidate commented with the
// rule that put it in), a cases template with three example rows, and the "before any run" note.
import { Document } from 'yaml';
import type { StarterPlan } from './starter-rules.ts';

export const STARTER_FILES = {
  workload: 'workload.yaml',
  cases: 'cases.jsonl',
  note: 'BEFORE-ANY-RUN.md',
} as const;

/** The workload file's text. */
export function starterWorkloadYaml(plan: StarterPlan): string {
  const a = plan.answers;
  const doc = new Document({
    version: 1,
    name: a.name,
    description: a.task,
    prompt: [
      { role: 'system', content: a.task },
      { role: 'user', content: '{{input}}' },
    ],
    cases: {
      file: STARTER_FILES.cases,
      vars: { input: 'input' },
      expected: 'expected',
      id: 'id',
      tags: 'tag',
    },
    graders: [{ icontains: { ignore_punctuation: true } }],
    candidates: plan.candidates.map((c) => c.entry),
    ...plan.workload,
  });
  doc.commentBefore = [
    ' Written by verdict init: a starting point, not a measurement. Read BEFORE-ANY-RUN.md first.',
    ' verdict validate workload.yaml · verdict cost workload.yaml · verdict run workload.yaml',
  ].join('\n');
  plan.candidates.forEach((candidate, index) => {
    const node = doc.getIn(['candidates', index], true) as { commentBefore?: string } | undefined;
    if (node) node.commentBefore = ` ${candidate.family}: ${candidate.rule}`;
  });
  const note = (path: string[], text: string) => {
    const pair = doc.getIn(path, true) as { commentBefore?: string } | undefined;
    if (pair) pair.commentBefore = text;
  };
  note(
    ['graders'],
    ' The answer must contain the expected text; replace with the graders that fit (docs/graders.md).',
  );
  const selfHosted = plan.candidates.find((c) => c.family === 'open weights, self-hosted');
  if (selfHosted)
    note(
      ['candidates'],
      ` The self-hosted base_url is a placeholder for your vLLM (or SGLang, TGI) endpoint.`,
    );
  if (plan.workload.operations && (plan.workload.operations as Record<string, unknown>).owned_hardware)
    note(
      ['operations', 'owned_hardware'],
      " capex: the GPU catalogue's estimate per GPU; replace it with your quote or book value.",
    );
  const text = doc.toString({ lineWidth: 100 });
  return text;
}

/** Three example rows to replace with real cases. */
export function starterCasesJsonl(plan: StarterPlan): string {
  const rows = [
    {
      id: 'example-1',
      input: 'Replace me with a real input of your application.',
      expected: 'replace',
      tag: 'example',
    },
    {
      id: 'example-2',
      input: 'A second input: cover the common kinds of request.',
      expected: 'second',
      tag: 'example',
    },
    {
      id: 'example-3',
      input: 'A third input: add the hard and the rare ones too, tagged apart.',
      expected: 'third',
      tag: 'hard',
    },
  ];
  void plan;
  return `${rows.map((row) => JSON.stringify(row)).join('\n')}\n`;
}

/** The "before any run" note: which rule put each candidate in or left it out, and what to measure. */
export function starterNote(plan: StarterPlan, now = new Date()): string {
  const a = plan.answers;
  const lines = [
    `# Before any run — ${a.name}`,
    '',
    `Written by \`verdict init\` on ${now.toISOString().slice(0, 10)}. Nothing here is measured yet: the candidates are a first guess from your answers, and the costs \`verdict cost\` shows are estimates from the tokens you declared.`,
    '',
    '## Your answers',
    '',
    `- ${a.task}`,
    `- ${a.requests_per_month.toLocaleString('en-US')} requests a month, ${a.input_tokens} input and ${a.output_tokens} output tokens each (${plan.tokensPerMonth.toLocaleString('en-US')} tokens a month)`,
    `- data: ${[a.hipaa && 'HIPAA', a.on_prem && 'on the premises only', a.zero_retention && 'zero retention', a.residency !== 'any' && `${a.residency.toUpperCase()} residency`].filter(Boolean).join(', ') || 'no special rule'}; fine-tuning on own data: ${a.fine_tuning ? 'yes' : 'no'}`,
    `- task: ${a.difficulty}; quality floor ${a.quality_floor}${a.latency_ms > 0 ? `; first token within ${a.latency_ms} ms (p90)` : ''}`,
    `- GPUs: ${a.gpu_team_hours > 0 ? `${a.gpu_team_hours} engineer-hours a month${a.on_call ? ', on call' : ''}` : 'nobody runs them today'}; hardware: ${a.hardware}${a.cloud ? ` (${a.cloud})` : ''}${a.gpu ? `, ${a.gpu}` : ''}${a.budget_usd > 0 ? `; budget $${a.budget_usd.toLocaleString('en-US')} a month` : ''}`,
    '',
    '## Candidates, and the rule that put each in',
    '',
    ...plan.candidates.map((c) => `- **${c.entry.id}** (${c.family}): ${c.rule}.`),
    '',
    ...(plan.leftOut.length > 0
      ? ['## Left out, and why', '', ...plan.leftOut.map((l) => `- **${l.what}**: ${l.rule}.`), '']
      : []),
    '## Operations (always priced)',
    '',
    `Self-hosting is never only the GPU bill: ${plan.operations}. Change \`operations.hours_per_month\` and \`engineer_hourly_usd\` when you know better; \`verdict cost\` shows every line.`,
    '',
    '## What the first run must measure',
    '',
    ...plan.measure.map((m, i) => `${i + 1}. ${m}`),
    '',
    ...(a.budget_usd > 0
      ? [
          '## Budget',
          '',
          `\`verdict cost workload.yaml\` prices every option at your volume; set them beside your $${a.budget_usd.toLocaleString('en-US')} a month. Measure quality before cutting by price: "closed beats open" and "open caught up" both miss your workload.`,
          '',
        ]
      : []),
    '## Next',
    '',
    '```sh',
    'verdict validate workload.yaml    # checks the file and the cases',
    'verdict cost workload.yaml        # every option priced before any run (estimates)',
    'verdict run workload.yaml         # measures quality, tokens and latency, then decides',
    '```',
    '',
  ];
  return lines.join('\n');
}
