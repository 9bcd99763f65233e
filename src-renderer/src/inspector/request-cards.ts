/**
 * Requests from a server (sampling/createMessage, elicitation/create) as cards the user answers: what a card
 * shows, the reply it starts with, and the JSON-RPC result or error each answer becomes. Pure; the store keeps the
 * cards and the handlers' promises.
 */
import type { CreateMessageRequest, CreateMessageResult, ElicitRequest, ElicitResult } from '@modelcontextprotocol/client';
import { describeMessages, type MessageView } from './result-model';
import { buildFromDraft } from './schema-form/build';
import { initialValue } from './schema-form/form-model';
import type { JsonSchema } from './schema-form/json-schema';
import type { SchemaError } from './schema-form/validate';

export type SamplingParams = CreateMessageRequest['params'];
export type ElicitParams = ElicitRequest['params'];

/** The model name a manual reply carries unless the user types another (or the server hinted one). */
export const MANUAL_MODEL = 'patchbay-manual';
/** The JSON-RPC error a declined sampling request gets (the MCP spec's example code and message). */
export const SAMPLING_REJECTED = { code: -1, message: 'User rejected sampling request' } as const;

/** What the user edits to answer a sampling request. */
export interface SamplingReply {
  model: string;
  role: 'assistant' | 'user';
  text: string;
}

/** A sampling request as its card shows it. */
export interface SamplingSummary {
  messages: MessageView[];
  systemPrompt?: string;
  /** Other parameters worth seeing, as label → value. */
  details: Array<[string, string]>;
}

/** What a sampling card shows: the messages, the system prompt and the other parameters. */
export function describeSamplingRequest(params: SamplingParams): SamplingSummary {
  const details: Array<[string, string]> = [['Max tokens', String(params.maxTokens)]];
  if (params.temperature !== undefined) details.push(['Temperature', String(params.temperature)]);
  if (params.stopSequences?.length) details.push(['Stop sequences', params.stopSequences.map((sequence) => JSON.stringify(sequence)).join(', ')]);
  if (params.includeContext) details.push(['Include context', params.includeContext]);
  const preferences = params.modelPreferences;
  if (preferences?.hints?.length) details.push(['Model hints', preferences.hints.map((hint) => hint.name ?? '?').join(', ')]);
  for (const key of ['costPriority', 'speedPriority', 'intelligencePriority'] as const) {
    if (preferences?.[key] !== undefined) details.push([PRIORITY_LABELS[key], String(preferences[key])]);
  }
  if (params.tools?.length) details.push(['Tools', params.tools.map((tool) => tool.name).join(', ')]);
  if (params.metadata !== undefined) details.push(['Metadata', JSON.stringify(params.metadata)]);
  return { messages: describeMessages(params.messages), systemPrompt: params.systemPrompt, details };
}

const PRIORITY_LABELS = { costPriority: 'Cost priority', speedPriority: 'Speed priority', intelligencePriority: 'Intelligence priority' } as const;

/** The reply a sampling card starts with: the server's first model hint (or the manual model), as the assistant. */
export function defaultSamplingReply(params: SamplingParams): SamplingReply {
  const hinted = params.modelPreferences?.hints?.find((hint) => typeof hint.name === 'string' && hint.name.trim() !== '')?.name;
  return { model: hinted ?? MANUAL_MODEL, role: 'assistant', text: '' };
}

/** The result an approved reply becomes, or why it cannot be sent yet. */
export function samplingResult(reply: SamplingReply): { result: CreateMessageResult } | { error: string } {
  if (reply.model.trim() === '') return { error: 'Name the model that answered' };
  return { result: { model: reply.model.trim(), role: reply.role, content: { type: 'text', text: reply.text }, stopReason: 'endTurn' } };
}

/** The error a declined sampling request is answered with: JSON-RPC code -1, the message as it is. */
export function samplingRejection(): Error & { code: number } {
  return Object.assign(new Error(SAMPLING_REJECTED.message), { code: SAMPLING_REJECTED.code });
}

/** The schema of a form-mode elicitation, or undefined for URL mode (nothing to fill in). */
export function elicitationSchema(params: ElicitParams): JsonSchema | undefined {
  return 'requestedSchema' in params && params.requestedSchema ? (params.requestedSchema as JsonSchema) : undefined;
}

/** The draft an elicitation form starts with (the schema's defaults). */
export function initialElicitationDraft(params: ElicitParams): unknown {
  const schema = elicitationSchema(params);
  return schema ? initialValue(schema, schema) : undefined;
}

/**
 * The result of answering an elicitation. Accepting checks the content against the requested schema first and
 * gives the errors instead when it does not fit; decline and cancel carry no content.
 */
export function elicitationResult(action: ElicitResult['action'], params: ElicitParams, draft: unknown): { result: ElicitResult } | { errors: SchemaError[] } {
  if (action !== 'accept') return { result: { action } };
  const schema = elicitationSchema(params);
  if (!schema) return { result: { action } };
  const built = buildFromDraft(draft, schema);
  if (built.errors.length > 0) return { errors: built.errors };
  return { result: { action, content: built.value as ElicitResult['content'] } };
}

/** How a card was settled, for the answered list. */
export type RequestOutcome = 'approved' | 'declined' | 'accepted' | 'cancelled' | 'withdrawn' | 'dropped' | 'answered';

/** A sentence for an outcome. */
export function describeOutcome(outcome: RequestOutcome): string {
  switch (outcome) {
    case 'approved':
      return 'Approved';
    case 'declined':
      return 'Declined';
    case 'accepted':
      return 'Accepted';
    case 'cancelled':
      return 'Cancelled';
    case 'withdrawn':
      return 'Withdrawn by the server';
    case 'dropped':
      return 'Dropped: the connection closed';
    case 'answered':
      return 'Answered from the Roots tab';
  }
}
