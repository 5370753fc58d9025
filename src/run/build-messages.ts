import type { Case, ChatMessage, PromptTemplate } from '../spec/workload.ts';
import { renderTemplate } from '../workload/template.ts';

/** The chat messages one case sends: the prompt template filled with the case's variables. */
export function buildMessages(prompt: PromptTemplate, testCase: Case): ChatMessage[] {
  if (prompt.kind === 'text')
    return [{ role: 'user', content: renderTemplate(prompt.template, testCase.vars) }];
  return prompt.messages.map((message) => ({
    role: message.role,
    content: renderTemplate(message.content, testCase.vars),
  }));
}
