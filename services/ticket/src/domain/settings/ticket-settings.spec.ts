import { TicketRuleError } from '../ticket';
import {
  applySettingsPatch,
  DEFAULT_TICKET_SETTINGS,
  pickFromList,
  settingsPatchSchema,
} from './ticket-settings';

describe('ticket settings', () => {
  it('defaults to the lists of SPEC §2, follow-up on closed replies and 25 MB attachments', () => {
    expect(DEFAULT_TICKET_SETTINGS).toMatchObject({
      types: ['Incident', 'Service Request', 'Problem', 'Question'],
      categories: ['Hardware', 'Software', 'Network', 'Account', 'Other'],
      closedReplyPolicy: 'follow_up',
      attachmentMaxBytes: 25 * 1024 * 1024,
      version: 0,
    });
  });

  it('checks a patch: unique entries ignoring case, known policies, sane limits', () => {
    expect(settingsPatchSchema.parse({ types: [' Incident ', 'Change'] }).types).toEqual([
      'Incident',
      'Change',
    ]);
    expect(settingsPatchSchema.safeParse({ types: ['A', 'a'] }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ closedReplyPolicy: { reopenWithinDays: 7 } }).success).toBe(true);
    expect(settingsPatchSchema.safeParse({ closedReplyPolicy: 'sometimes' }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ attachmentMaxBytes: 10 }).success).toBe(false);
    expect(settingsPatchSchema.safeParse({ colour: 'red' }).success).toBe(false);
  });

  it('applies a patch and counts the version up', () => {
    const next = applySettingsPatch(DEFAULT_TICKET_SETTINGS, { categories: ['Cloud'] });
    expect(next).toMatchObject({ categories: ['Cloud'], types: DEFAULT_TICKET_SETTINGS.types, version: 1 });
  });

  it('picks list entries ignoring case; empty is none; others are refused', () => {
    expect(pickFromList(['Incident'], 'INCIDENT', 'type')).toBe('Incident');
    expect(pickFromList(['Incident'], ' ', 'type')).toBeNull();
    expect(() => pickFromList(['Incident'], 'Outage', 'type')).toThrow(TicketRuleError);
  });
});
