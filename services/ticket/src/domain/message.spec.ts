import { bareMessageId, mayWrite, mentionedHandles, workflowEventFor } from './message';

describe('mentionedHandles', () => {
  it('finds @handles at the start, after spaces and punctuation, lower-cased, once each, in order', () => {
    expect(mentionedHandles('@Anna please check with @bob.smith, and @anna again (@carl-2).')).toEqual([
      'anna',
      'bob.smith',
      'carl-2',
    ]);
  });

  it('never takes an e-mail address or a trailing dot for a mention', () => {
    expect(mentionedHandles('write to anna@client.example or ops@x.y')).toEqual([]);
    expect(mentionedHandles('thanks @anna.')).toEqual(['anna']);
  });
});

describe('who writes what', () => {
  it('lets contacts only reply, agents reply or note, and the platform write everything', () => {
    expect(mayWrite('contact', 'public_reply')).toBe(true);
    expect(mayWrite('contact', 'internal_note')).toBe(false);
    expect(mayWrite('user', 'internal_note')).toBe(true);
    expect(mayWrite('api_key', 'email_in')).toBe(false);
    expect(mayWrite('system', 'email_out')).toBe(true);
  });

  it('maps messages to workflow events: agent reply, customer reply, note, or nothing', () => {
    expect(workflowEventFor('public_reply', 'user', 'in_progress')).toEqual({
      type: 'agent_public_reply',
      statusWithReply: 'in_progress',
    });
    expect(workflowEventFor('public_reply', 'contact')).toEqual({ type: 'customer_reply' });
    expect(workflowEventFor('email_in', 'system')).toEqual({ type: 'customer_reply' });
    expect(workflowEventFor('internal_note', 'user')).toEqual({ type: 'agent_internal_note' });
    expect(workflowEventFor('email_out', 'system')).toBeNull();
    expect(workflowEventFor('system', 'system')).toBeNull();
  });

  it("lets an automation rule write notes and replies, and its reply is no agent's response", () => {
    expect(mayWrite('automation', 'internal_note')).toBe(true);
    expect(mayWrite('automation', 'public_reply')).toBe(true);
    expect(mayWrite('automation', 'email_in')).toBe(false);
    expect(mayWrite('automation', 'email_out')).toBe(false);
    // no first response, no move to waiting_on_customer
    expect(workflowEventFor('public_reply', 'automation')).toBeNull();
    expect(workflowEventFor('internal_note', 'automation')).toEqual({ type: 'agent_internal_note' });
  });
});

describe('bareMessageId', () => {
  it('strips angle brackets and spaces; empty is none', () => {
    expect(bareMessageId(' <abc@x.example> ')).toBe('abc@x.example');
    expect(bareMessageId('<>')).toBeNull();
    expect(bareMessageId(undefined)).toBeNull();
  });
});
