import { describe, expect, it } from 'vitest';
import {
  defaultSamplingReply,
  describeOutcome,
  describeSamplingRequest,
  elicitationResult,
  initialElicitationDraft,
  MANUAL_MODEL,
  samplingRejection,
  samplingResult,
  type ElicitParams,
  type SamplingParams,
} from './request-cards';

const sampling: SamplingParams = {
  messages: [{ role: 'user', content: { type: 'text', text: 'ping' } }],
  maxTokens: 50,
  systemPrompt: 'Be brief',
  temperature: 0.2,
  stopSequences: ['END'],
  includeContext: 'thisServer',
  modelPreferences: { hints: [{ name: 'claude-3' }], speedPriority: 0.8 },
};

describe('sampling cards', () => {
  it('summarise the messages, system prompt and parameters', () => {
    const summary = describeSamplingRequest(sampling);
    expect(summary.systemPrompt).toBe('Be brief');
    expect(summary.messages).toEqual([{ role: 'user', content: [{ kind: 'text', text: 'ping', json: undefined }] }]);
    expect(summary.details).toEqual([
      ['Max tokens', '50'],
      ['Temperature', '0.2'],
      ['Stop sequences', '"END"'],
      ['Include context', 'thisServer'],
      ['Model hints', 'claude-3'],
      ['Speed priority', '0.8'],
    ]);
  });

  it('start the reply with the hinted model, or the manual one', () => {
    expect(defaultSamplingReply(sampling)).toEqual({ model: 'claude-3', role: 'assistant', text: '' });
    expect(defaultSamplingReply({ messages: [], maxTokens: 1 }).model).toBe(MANUAL_MODEL);
  });

  it('turn an approved reply into a CreateMessageResult', () => {
    expect(samplingResult({ model: ' m ', role: 'assistant', text: 'pong' })).toEqual({
      result: { model: 'm', role: 'assistant', content: { type: 'text', text: 'pong' }, stopReason: 'endTurn' },
    });
    expect(samplingResult({ model: '', role: 'assistant', text: 'pong' })).toEqual({ error: 'Name the model that answered' });
  });

  it('decline with JSON-RPC code -1 and the spec message, unprefixed', () => {
    const error = samplingRejection();
    expect(error.code).toBe(-1);
    expect(error.message).toBe('User rejected sampling request');
  });
});

describe('elicitation cards', () => {
  const params: ElicitParams = {
    message: 'Who are you?',
    requestedSchema: {
      type: 'object',
      properties: { name: { type: 'string', minLength: 1 }, age: { type: 'integer', minimum: 0 }, colour: { type: 'string', enum: ['red', 'blue'], default: 'blue' } },
      required: ['name'],
    },
  };

  it('start from the schema defaults', () => {
    expect(initialElicitationDraft(params)).toEqual({ colour: 'blue' });
  });

  it('accept only content that fits the requested schema', () => {
    expect(elicitationResult('accept', params, { colour: 'blue' })).toEqual({ errors: [{ path: '/name', message: 'Required' }] });
    expect(elicitationResult('accept', params, { name: 'Ada', age: 36, colour: 'red' })).toEqual({ result: { action: 'accept', content: { name: 'Ada', age: 36, colour: 'red' } } });
  });

  it('decline and cancel without content', () => {
    expect(elicitationResult('decline', params, { name: 'x' })).toEqual({ result: { action: 'decline' } });
    expect(elicitationResult('cancel', params, undefined)).toEqual({ result: { action: 'cancel' } });
  });

  it('accept URL-mode requests without content', () => {
    const url: ElicitParams = { mode: 'url', message: 'Log in', url: 'https://example.com', elicitationId: 'e1' };
    expect(initialElicitationDraft(url)).toBeUndefined();
    expect(elicitationResult('accept', url, undefined)).toEqual({ result: { action: 'accept' } });
  });
});

describe('outcomes', () => {
  it('name outcomes', () => {
    expect(describeOutcome('withdrawn')).toBe('Withdrawn by the server');
    expect(describeOutcome('dropped')).toMatch(/connection closed/);
  });
});
