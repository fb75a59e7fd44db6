import { isDomainError } from '@helpdesk/platform';
import { attachmentTooLarge } from './attachments.use-case';

describe('a file over the tenant’s limit', () => {
  it('is refused with the limit as people read it, small limits included', () => {
    const small = attachmentTooLarge(4096);
    expect(isDomainError(small) && small.code).toBe('PAYLOAD_TOO_LARGE');
    expect(small.message).toBe('attachments may be at most 4.0 KB (4096 bytes)');
    expect(attachmentTooLarge(1536 * 1024).message).toBe('attachments may be at most 1.5 MB (1572864 bytes)');
    expect(attachmentTooLarge(25 * 1024 * 1024).message).toContain('at most 25.0 MB');
    expect(attachmentTooLarge(500).message).toBe('attachments may be at most 500 bytes');
  });
});
