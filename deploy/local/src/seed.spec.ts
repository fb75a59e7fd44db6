import { findSeedResult } from './seed';

describe('demo seed result', () => {
  it('finds the result line among log lines, last one winning', () => {
    const lines = [
      '{"level":30,"msg":"seeding"}',
      '{"tenantId":"t-1","adminEmail":"a@x.test","created":true}',
      'not json',
      '{"tenantId":"t-2","slug":"demo-msp","adminEmail":"a@x.test","created":false}',
      '{"level":30,"msg":"done"}',
    ];
    expect(findSeedResult(lines)).toEqual({
      tenantId: 't-2',
      slug: 'demo-msp',
      adminEmail: 'a@x.test',
      created: false,
    });
  });

  it('answers undefined when no line has the result shape', () => {
    expect(findSeedResult(['{"tenantId":"t-1"}', '{"level":30,"msg":"x"}', ''])).toBeUndefined();
  });
});
