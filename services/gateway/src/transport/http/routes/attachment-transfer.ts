import type { commonV1, ticketV1 } from '@helpdesk/contracts';
import { MediaResponse, type UploadedFile } from '../route';
import type { RouteDeps } from './route-deps';

// Shown inline on request only when a browser cannot run them: raster images. Everything else downloads.
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Streams an uploaded file on to the ticket service; `ticketId` '' stores it before its ticket exists. */
export function uploadAttachment(
  deps: Pick<RouteDeps, 'attachments'>,
  tenantId: string,
  actor: commonV1.Actor,
  ticketId: string,
  file: UploadedFile,
): Promise<ticketV1.Attachment> {
  return deps.attachments.upload(
    {
      tenantId,
      actor,
      ticketId,
      filename: file.filename,
      contentType: file.contentType,
      contentId: '',
      inline: false,
      declaredSize: 0,
    },
    file.content,
  );
}

/** A download: NOT_FOUND (the caller may not see it) comes before any header is sent. */
export async function downloadAnswer(
  deps: Pick<RouteDeps, 'attachments'>,
  tenantId: string,
  actor: commonV1.Actor,
  id: string,
  inline: boolean,
): Promise<MediaResponse> {
  const { attachment, content } = await deps.attachments.download({ tenantId, actor, id });
  return new MediaResponse(
    attachment.contentType || 'application/octet-stream',
    content,
    attachment.filename,
    {
      inline: inline && INLINE_TYPES.has(attachment.contentType),
      headers: {
        'Content-Length': String(attachment.size),
        // whatever the file claims to be, it never runs as a page of this origin
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'X-Content-Type-Options': 'nosniff',
        ETag: `"${attachment.sha256}"`,
      },
    },
  );
}
