import type { Provenance } from '../types.ts';

// What each API host offers for regulated data, per deployment route. `host` is who runs the
// endpoint: the model's maker (direct) or a cloud (azure, bedrock, vertex) or a managed open-weight
// host (together, fireworks, groq). Transcribed from each host's trust/privacy pages as of the date
// shown; offers that need an agreement (a BAA, zero retention) count as available, and the sentence
// says an agreement is needed. Rows marked `estimate` are ones the maintainers were unsure of.

/** One host's compliance offer, optionally specific to one model vendor on that host. */
export interface ComplianceEntry {
  host: string;
  /** When set, the entry covers only this vendor's models on the host. */
  vendor?: string;
  baa: boolean;
  euProcessing: boolean;
  usProcessing: boolean;
  zeroRetention: boolean;
  /** What the team must do to get it (sign a BAA, apply for zero retention, pick an EU region). */
  conditions: string;
  provenance: Provenance;
}

const src = (source: string, asOf = '2025-06', estimate = false): Provenance => ({
  kind: 'catalogue',
  source,
  asOf,
  ...(estimate ? { estimate } : {}),
});

/** The compliance catalogue. */
export const COMPLIANCE: readonly ComplianceEntry[] = [
  {
    host: 'openai',
    baa: true,
    euProcessing: true,
    usProcessing: true,
    zeroRetention: true,
    conditions:
      'BAA and zero data retention by agreement with OpenAI for eligible endpoints; EU data residency for new projects in the EU region',
    provenance: src(
      'https://openai.com/enterprise-privacy/ ; https://openai.com/index/introducing-data-residency-in-europe/',
    ),
  },
  {
    host: 'azure',
    baa: true,
    euProcessing: true,
    usProcessing: true,
    zeroRetention: true,
    conditions:
      "Microsoft's HIPAA BAA via the Product Terms; EU regions or the EU Data Zone; zero retention needs approved modified abuse monitoring",
    provenance: src(
      'https://learn.microsoft.com/en-us/azure/ai-services/openai/concepts/abuse-monitoring ; https://learn.microsoft.com/en-us/azure/compliance/offerings/offering-hipaa-us',
    ),
  },
  {
    host: 'anthropic',
    baa: true,
    euProcessing: false,
    usProcessing: true,
    zeroRetention: true,
    conditions:
      'BAA and zero data retention by agreement with Anthropic; no EU-only processing on the direct API',
    provenance: src('https://privacy.anthropic.com/ (BAA and zero-retention articles)', '2025-06', true),
  },
  {
    host: 'bedrock',
    baa: true,
    euProcessing: true,
    usProcessing: true,
    zeroRetention: true,
    conditions:
      'AWS BAA (Bedrock is HIPAA-eligible); pick an EU region or the EU cross-region profile; Bedrock stores no prompts or outputs by default',
    provenance: src(
      'https://aws.amazon.com/compliance/hipaa-eligible-services-reference/ ; https://docs.aws.amazon.com/bedrock/latest/userguide/data-protection.html',
    ),
  },
  {
    host: 'vertex',
    baa: true,
    euProcessing: true,
    usProcessing: true,
    zeroRetention: true,
    conditions:
      'Google Cloud BAA covers Vertex AI; EU regional endpoints; zero retention needs data caching disabled and an abuse-logging exception',
    provenance: src(
      'https://cloud.google.com/security/compliance/hipaa ; https://cloud.google.com/vertex-ai/generative-ai/docs/data-governance',
      '2025-06',
      true,
    ),
  },
  {
    host: 'google',
    baa: false,
    euProcessing: false,
    usProcessing: true,
    zeroRetention: false,
    conditions:
      'the Gemini API (AI Studio) is not covered by a BAA and keeps prompts for abuse monitoring; use Vertex AI instead',
    provenance: src('https://ai.google.dev/gemini-api/terms'),
  },
  {
    host: 'mistral',
    baa: false,
    euProcessing: true,
    usProcessing: false,
    zeroRetention: true,
    conditions: 'La Plateforme is hosted in the EU; zero retention on request',
    provenance: src('https://mistral.ai/terms', '2025-06', true),
  },
  {
    host: 'deepseek',
    baa: false,
    euProcessing: false,
    usProcessing: false,
    zeroRetention: false,
    conditions: "the DeepSeek API processes and stores data in the People's Republic of China",
    provenance: src(
      'https://platform.deepseek.com/downloads/DeepSeek%20Open%20Platform%20Privacy%20Policy.html',
    ),
  },
  {
    host: 'x-ai',
    baa: false,
    euProcessing: false,
    usProcessing: true,
    zeroRetention: false,
    conditions: 'no BAA or zero-retention offer on record',
    provenance: src('https://x.ai/legal', '2025-06', true),
  },
  {
    host: 'together',
    baa: true,
    euProcessing: false,
    usProcessing: true,
    zeroRetention: true,
    conditions: 'BAA on enterprise agreements; prompt and output storage can be switched off',
    provenance: src('https://www.together.ai/privacy', '2025-06', true),
  },
  {
    host: 'fireworks',
    baa: true,
    euProcessing: false,
    usProcessing: true,
    zeroRetention: true,
    conditions: 'BAA on enterprise agreements; no prompt or output storage for open models by default',
    provenance: src('https://fireworks.ai/privacy-policy', '2025-06', true),
  },
  {
    host: 'groq',
    baa: false,
    euProcessing: false,
    usProcessing: true,
    zeroRetention: true,
    conditions: 'zero data retention available in the console; no BAA on record',
    provenance: src('https://console.groq.com/docs/your-data', '2025-06', true),
  },
];

/** The entry for a host (and vendor, where the host has vendor-specific terms), or undefined. */
export function findCompliance(host: string, vendor?: string): ComplianceEntry | undefined {
  const h = host.toLowerCase();
  const v = vendor?.toLowerCase();
  return (
    COMPLIANCE.find((e) => e.host === h && e.vendor !== undefined && e.vendor === v) ??
    COMPLIANCE.find((e) => e.host === h && e.vendor === undefined)
  );
}
