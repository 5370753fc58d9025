import { z } from 'zod';

/** How text is normalised before it is compared; shared by equals, contains, starts-with and similarity. */
export interface TextNormalisation {
  ignore_case: boolean;
  trim: boolean;
  /** Collapse every run of whitespace to one space. */
  normalize_whitespace: boolean;
  /** Drop punctuation (Unicode classes P and S), so "Billing." equals "billing". */
  ignore_punctuation: boolean;
}

/** The zod fields of TextNormalisation with their defaults, to spread into a family's options. */
export function normalisationFields(defaults: Partial<TextNormalisation> = {}) {
  return {
    ignore_case: z.boolean().default(defaults.ignore_case ?? false),
    trim: z.boolean().default(defaults.trim ?? true),
    normalize_whitespace: z.boolean().default(defaults.normalize_whitespace ?? false),
    ignore_punctuation: z.boolean().default(defaults.ignore_punctuation ?? false),
  };
}

/** Applies the normalisation; lone surrogates and other odd code units pass through untouched. */
export function normalise(text: string, options: TextNormalisation): string {
  let result = text;
  if (options.ignore_punctuation) result = result.replace(/[\p{P}\p{S}]+/gu, '');
  if (options.normalize_whitespace) result = result.replace(/\s+/g, ' ');
  if (options.trim) result = result.trim();
  if (options.ignore_case) result = result.toLowerCase();
  return result;
}

/** Short, safe rendering of a value inside a reason: quoted, and cut to `max` characters. */
export function quote(text: string, max = 60): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Names the active normalisations for a grader's description: ` (ignore case, trim)`. */
export function describeNormalisation(options: TextNormalisation): string {
  const active = [
    options.ignore_case ? 'ignore case' : '',
    options.normalize_whitespace ? 'whitespace' : '',
    options.ignore_punctuation ? 'no punctuation' : '',
  ].filter(Boolean);
  return active.length > 0 ? ` (${active.join(', ')})` : '';
}
