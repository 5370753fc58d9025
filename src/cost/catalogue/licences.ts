import type { LicenceTerms } from '../types.ts';

// Licence terms of the open-weight families, as written in each licence (URL in every entry).
// Transcribed by verdict's maintainers; the catalogue entry that uses a licence carries the date.

const LLAMA_MAU = 700_000_000;
const LLAMA_ATTRIBUTION = 'display "Built with Llama"; a derived model\'s name must begin with "Llama"';

/** Llama 3.1 Community License. */
export const LLAMA_3_1: LicenceTerms = {
  name: 'Llama 3.1 Community License',
  url: 'https://www.llama.com/llama3_1/license/',
  commercialUse: true,
  monthlyActiveUserCap: LLAMA_MAU,
  attribution: LLAMA_ATTRIBUTION,
  acceptableUsePolicy: 'https://www.llama.com/llama3_1/use-policy/',
};

/** Llama 3.2 Community License; the EU exclusion covers its multimodal (vision) models only. */
export const LLAMA_3_2_TEXT: LicenceTerms = {
  name: 'Llama 3.2 Community License',
  url: 'https://www.llama.com/llama3_2/license/',
  commercialUse: true,
  monthlyActiveUserCap: LLAMA_MAU,
  attribution: LLAMA_ATTRIBUTION,
  acceptableUsePolicy: 'https://www.llama.com/llama3_2/use-policy/',
  notes: 'text-only 1B/3B: the EU exclusion for multimodal models does not apply',
};

/** Llama 3.3 Community License. */
export const LLAMA_3_3: LicenceTerms = {
  name: 'Llama 3.3 Community License',
  url: 'https://www.llama.com/llama3_3/license/',
  commercialUse: true,
  monthlyActiveUserCap: LLAMA_MAU,
  attribution: LLAMA_ATTRIBUTION,
  acceptableUsePolicy: 'https://www.llama.com/llama3_3/use-policy/',
};

/** Llama 4 Community License: Llama 4 models are multimodal, so the EU-domicile exclusion applies. */
export const LLAMA_4: LicenceTerms = {
  name: 'Llama 4 Community License',
  url: 'https://www.llama.com/llama4/license/',
  commercialUse: true,
  monthlyActiveUserCap: LLAMA_MAU,
  attribution: LLAMA_ATTRIBUTION,
  acceptableUsePolicy: 'https://www.llama.com/llama4/use-policy/',
  euDomicileExcluded: true,
  notes:
    'the acceptable use policy grants no rights to multimodal Llama 4 models to individuals domiciled in, or companies with a principal place of business in, the EU',
};

/** Apache License 2.0: commercial use, no user cap, keep the notice. */
export const APACHE_2: LicenceTerms = {
  name: 'Apache-2.0',
  url: 'https://www.apache.org/licenses/LICENSE-2.0',
  commercialUse: true,
  attribution: 'keep the licence and NOTICE file',
};

/** MIT licence. */
export const MIT: LicenceTerms = {
  name: 'MIT',
  url: 'https://opensource.org/license/mit',
  commercialUse: true,
  attribution: 'keep the copyright notice',
};

/** Qwen licence (Qwen2.5-72B): a separate licence from Alibaba Cloud above 100M monthly active users. */
export const QWEN: LicenceTerms = {
  name: 'Qwen License Agreement',
  url: 'https://huggingface.co/Qwen/Qwen2.5-72B-Instruct/blob/main/LICENSE',
  commercialUse: true,
  monthlyActiveUserCap: 100_000_000,
  attribution: 'state "Built with Qwen" or "Improved using Qwen" in product documentation',
};

/** Gemma Terms of Use with its Prohibited Use Policy. */
export const GEMMA: LicenceTerms = {
  name: 'Gemma Terms of Use',
  url: 'https://ai.google.dev/gemma/terms',
  commercialUse: true,
  acceptableUsePolicy: 'https://ai.google.dev/gemma/prohibited_use_policy',
  attribution: 'pass on the terms and the notice with any distribution',
};

/** DeepSeek model licence (original V3 weights): commercial use with use-based restrictions. */
export const DEEPSEEK: LicenceTerms = {
  name: 'DeepSeek License Agreement (model) + MIT (code)',
  url: 'https://github.com/deepseek-ai/DeepSeek-V3/blob/main/LICENSE-MODEL',
  commercialUse: true,
  acceptableUsePolicy: 'use-based restrictions in Attachment A of the licence',
};

/** Apache-2.0 for gpt-oss, with OpenAI's usage policy. */
export const GPT_OSS: LicenceTerms = {
  ...APACHE_2,
  name: 'Apache-2.0 with the gpt-oss usage policy',
  acceptableUsePolicy: 'https://huggingface.co/openai/gpt-oss-120b/blob/main/USAGE_POLICY',
};
