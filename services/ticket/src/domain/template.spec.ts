import { prefill, type TicketTemplate } from './template';

const template: TicketTemplate = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  tenantId: 'a1b2c3d4-0000-4000-8000-000000000002',
  name: 'New starter',
  title: 'New starter: accounts and laptop',
  descriptionHtml: '<p>Create the accounts.</p>',
  descriptionText: 'Create the accounts.',
  type: 'Service Request',
  category: 'Account',
  priority: 'high',
  tags: ['onboarding'],
  createdAt: new Date(0),
  updatedAt: new Date(0),
  version: 1,
};

describe('prefill', () => {
  it('fills what the caller left out from the template', () => {
    expect(prefill(template, {})).toEqual({
      title: template.title,
      description: template.descriptionHtml,
      type: 'Service Request',
      category: 'Account',
      priority: 'high',
      tags: ['onboarding'],
    });
  });

  it('lets explicit fields win, including an explicit "none" for type and category and an empty tag list', () => {
    expect(
      prefill(template, {
        title: 'Starter: Ann',
        priority: 'low',
        type: null,
        category: 'Hardware',
        tags: [],
      }),
    ).toMatchObject({ title: 'Starter: Ann', priority: 'low', type: null, category: 'Hardware', tags: [] });
  });

  it('treats a blank title or description as not given', () => {
    expect(prefill(template, { title: '  ', description: '' })).toMatchObject({
      title: template.title,
      description: template.descriptionHtml,
    });
  });

  it('changes nothing without a template', () => {
    expect(prefill(null, { title: 'x' })).toEqual({ title: 'x' });
  });
});
