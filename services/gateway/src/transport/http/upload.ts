import type { Request } from 'express';
import busboy from 'busboy';
import { GatewayError } from '../../app/errors';
import type { UploadedFile } from './route';

/** No single upload may exceed this, whatever a tenant's own limit (the ticket service enforces that one). */
export const UPLOAD_HARD_LIMIT_BYTES = 100 * 1024 * 1024;

/**
 * The one file of a multipart/form-data request in `field`, as a stream: resolves as soon as the file part
 * starts, so the content flows on to the ticket service while it arrives. Other parts are skipped.
 */
export function readUpload(req: Request, field: string): Promise<UploadedFile> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new GatewayError(
        'UNSUPPORTED_MEDIA_TYPE',
        `Upload the file as multipart/form-data in the field "${field}"`,
      ),
    );
  }
  return new Promise<UploadedFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fileSize: UPLOAD_HARD_LIMIT_BYTES, fields: 20, fieldSize: 10_000, parts: 30 },
      });
    } catch {
      reject(new GatewayError('INVALID_ARGUMENT', 'Malformed multipart/form-data request'));
      return;
    }
    let found = false;
    parser.on('file', (name, stream, info) => {
      if (name !== field || found) {
        stream.resume();
        return;
      }
      found = true;
      async function* content(): AsyncIterable<Buffer> {
        let truncated = false;
        stream.once('limit', () => (truncated = true));
        for await (const chunk of stream) yield chunk as Buffer;
        if (truncated)
          throw new GatewayError(
            'PAYLOAD_TOO_LARGE',
            `Files may be at most ${UPLOAD_HARD_LIMIT_BYTES} bytes`,
          );
      }
      resolve({
        filename: info.filename || 'attachment',
        contentType: info.mimeType || 'application/octet-stream',
        content: content(),
      });
    });
    parser.once('error', () => {
      if (!found) reject(new GatewayError('INVALID_ARGUMENT', 'Malformed multipart/form-data request'));
    });
    parser.once('close', () => {
      if (!found) reject(new GatewayError('INVALID_ARGUMENT', `No file in the form field "${field}"`));
    });
    req.pipe(parser);
  });
}
