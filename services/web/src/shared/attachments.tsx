import { useCallback, useId, useRef, useState } from 'react';
import type { Schemas } from '../api/client';
import { ApiError } from '../api/errors';
import { attachmentIdsOf, fileSize, type PendingFile } from '../lib/reply';
import { ErrorBox } from './ui';

type Attachment = Schemas['Attachment'];

/**
 * A multipart body with the file in the field `file`, for `POST …/attachments`. The generated type calls that field a
 * string (`format: binary`); openapi-fetch sends a FormData as it is, with the browser's boundary.
 */
export function fileForm(file: File): { file: string } {
  const form = new FormData();
  form.append('file', file, file.name);
  return form as unknown as { file: string };
}

/**
 * The files picked for a message: each uploaded at once with `upload` (one request per file), listed with its
 * state, removable until the message goes. `ids` are the stored ones to send as `attachmentIds`.
 */
export function usePendingFiles(upload: (file: File) => Promise<Attachment>) {
  const [files, setFiles] = useState<PendingFile[]>([]);
  const next = useRef(0);
  const add = useCallback(
    (picked: readonly File[]) => {
      for (const file of picked) {
        next.current += 1;
        const key = `f${next.current}`;
        const base = { key, name: file.name, size: file.size };
        setFiles((list) => [...list, { ...base, state: 'uploading' }]);
        const settle = (done: PendingFile) =>
          // a file removed while it uploaded stays removed
          setFiles((list) => list.map((f) => (f.key === key ? done : f)));
        upload(file).then(
          (stored) => settle({ ...base, state: 'stored', attachmentId: stored.id }),
          (error: unknown) => settle({ ...base, state: 'failed', error }),
        );
      }
    },
    [upload],
  );
  const remove = useCallback((key: string) => setFiles((list) => list.filter((f) => f.key !== key)), []);
  const clear = useCallback(() => setFiles([]), []);
  return { files, ids: attachmentIdsOf(files), add, remove, clear };
}

/** The file input (labelled, several files at once) and the picked files with their size, state and a remove button. */
export function FilePicker({
  pending,
  label = 'Attach files',
}: {
  pending: ReturnType<typeof usePendingFiles>;
  label?: string;
}) {
  const listId = useId();
  return (
    <div className="file-picker">
      <label>
        {label}
        <input
          type="file"
          multiple
          aria-describedby={pending.files.length ? listId : undefined}
          onChange={(e) => {
            pending.add([...(e.target.files ?? [])]);
            // the same file can be picked again after a removal
            e.target.value = '';
          }}
        />
      </label>
      {pending.files.length > 0 && (
        <ul className="pending-files" id={listId} aria-label="Files to send">
          {pending.files.map((f) => (
            <li key={f.key} className={`pending-file ${f.state}`}>
              <span className="file-name">{f.name}</span> <span className="muted">({fileSize(f.size)})</span>{' '}
              {f.state === 'uploading' && (
                <span className="muted" role="status">
                  uploading…
                </span>
              )}
              {f.state === 'stored' && <span className="muted">ready</span>}
              <button
                type="button"
                className="link"
                aria-label={`Remove ${f.name}`}
                onClick={() => pending.remove(f.key)}
              >
                Remove
              </button>
              {f.state === 'failed' && <ErrorBox error={f.error} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The bytes of a download answer (`parseAs: 'blob'`), or the API's error. An empty file is an empty blob (the client
 * answers no data for a `Content-Length: 0`).
 */
export async function downloaded(
  call: Promise<{ data?: Blob; error?: unknown; response: Response }>,
): Promise<Blob> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response.status, error);
  return data ?? new Blob([]);
}

/**
 * Hands a file fetched with the session's Authorization header to the browser as a download: the bytes become a
 * `blob:` address of this page, so no token ever goes into a URL (a plain link to the API could not carry it).
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // the download has started from the address; a minute later nothing needs it
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A message's files, each a button that downloads it under the session; a failure shows as the API gave it. */
export function AttachmentList({
  attachments,
  fetchFile,
}: {
  attachments: readonly Attachment[];
  fetchFile: (attachment: Attachment) => Promise<Blob>;
}) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  if (attachments.length === 0) return null;
  const download = async (a: Attachment) => {
    setError(null);
    setBusy(a.id);
    try {
      saveBlob(await fetchFile(a), a.filename);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <ul className="attachments" aria-label="Attachments">
        {attachments.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              className="link"
              aria-busy={busy === a.id}
              aria-label={`Download ${a.filename} (${fileSize(a.size)})`}
              onClick={() => void download(a)}
            >
              {a.filename}
            </button>{' '}
            <span className="muted">({fileSize(a.size)})</span>
          </li>
        ))}
      </ul>
      <ErrorBox error={error} />
    </>
  );
}
