import { commonV1 } from '@helpdesk/contracts';
import { actor } from './grpc/common.schemas';
import { toProtoActor } from './ticket.mapper';

describe('the automation actor', () => {
  const causation = { originId: 'ticket:4b1c:3', depth: 2 };

  it('keeps the causation of an automation actor from the request to the events', () => {
    const parsed = actor.parse({ type: commonV1.ActorType.ACTOR_TYPE_AUTOMATION, id: 'rule-1', causation });
    expect(parsed).toEqual({ type: 'automation', id: 'rule-1', causation });
    expect(toProtoActor(parsed)).toEqual({
      type: commonV1.ActorType.ACTOR_TYPE_AUTOMATION,
      id: 'rule-1',
      causation,
    });
  });

  it('needs the rule id, and drops a causation any other actor sends', () => {
    expect(actor.safeParse({ type: commonV1.ActorType.ACTOR_TYPE_AUTOMATION, id: '' }).success).toBe(false);
    const user = actor.parse({ type: commonV1.ActorType.ACTOR_TYPE_USER, id: 'u1', causation });
    expect(user).toEqual({ type: 'user', id: 'u1' });
    expect(toProtoActor(user)).toEqual({ type: commonV1.ActorType.ACTOR_TYPE_USER, id: 'u1' });
  });
});
