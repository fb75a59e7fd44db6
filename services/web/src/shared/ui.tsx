import { Fragment, useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { errorText } from '../api/errors';
import { INLINE_ATTRIBUTE, withheldInlineImages, type InlineSource } from '../lib/inline-images';
import { label } from '../lib/tickets';

/** A failure as the API gave it (code and message), in a live region so that screen readers say it. */
export function ErrorBox({ error, children }: { error: unknown; children?: ReactNode }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {errorText(error)}
      {children}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge status-${status}`}>{label(status)}</span>;
}

export function PriorityBadge({ priority }: { priority: string }) {
  return <span className={`badge priority-${priority}`}>{label(priority)}</span>;
}

/**
 * A message body: the API sends it sanitized (allow-listed tags and attributes, no script, no event handler), and
 * the page's Content-Security-Policy runs no inline script or style even if one got through.
 *
 * Its inline images (e-mail `cid:` parts, which the API points at its download address) are files of `files`: an
 * `<img src>` cannot send the session's Authorization header, so each is fetched with `fetchFile` (under the session)
 * and shown from a `blob:` address of this page, which the CSP allows; no token goes into a URL.
 */
export function MessageBody({
  html,
  files = NO_FILES,
  fetchFile,
}: {
  html: string;
  files?: readonly InlineSource[];
  fetchFile?: (id: string) => Promise<Blob>;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => withheldInlineImages(html, files), [html, files]);
  useEffect(() => {
    const root = ref.current;
    if (!root || !fetchFile) return;
    let live = true;
    const urls: string[] = [];
    for (const img of root.querySelectorAll<HTMLImageElement>(`img[${INLINE_ATTRIBUTE}]`)) {
      const id = img.getAttribute(INLINE_ATTRIBUTE)!;
      fetchFile(id).then(
        (blob) => {
          if (!live) return;
          const url = URL.createObjectURL(blob);
          urls.push(url);
          img.src = url;
        },
        // a file that does not come shows as its alt text, as a broken image would
        () => undefined,
      );
    }
    return () => {
      live = false;
      urls.forEach((url) => URL.revokeObjectURL(url));
    };
  }, [shown, fetchFile]);
  return <div ref={ref} className="body" dangerouslySetInnerHTML={{ __html: shown }} />;
}

const NO_FILES: readonly InlineSource[] = [];

/** The e-mail and password fields of a sign-in form (the browser's password manager knows them by autocomplete). */
export function CredentialFields(props: {
  email: string;
  password: string;
  onEmail: (email: string) => void;
  onPassword: (password: string) => void;
}) {
  return (
    <>
      <label>
        E-mail
        <input
          type="email"
          autoComplete="username"
          required
          value={props.email}
          onChange={(e) => props.onEmail(e.target.value)}
        />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="current-password"
          required
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
        />
      </label>
    </>
  );
}

/** An `<option>` for each value, shown by its label ("waiting_on_customer" as "Waiting on customer"). */
export function LabelledOptions({ values }: { values: readonly string[] }) {
  return (
    <>
      {values.map((v) => (
        <option key={v} value={v}>
          {label(v)}
        </option>
      ))}
    </>
  );
}

/** An `<option>` for each record, its id the value and its name the text (clients, users, teams). */
export function NamedOptions({ items }: { items: readonly { id: string; name: string }[] | undefined }) {
  return (
    <>
      {items?.map((item) => (
        <option key={item.id} value={item.id}>
          {item.name}
        </option>
      ))}
    </>
  );
}

/** A secret the API answers once (a webhook's signing secret, a mailbox's intake token): shown until dismissed. */
export function SecretOnce(props: { what: string; where: string; secret: string; onDone: () => void }) {
  return (
    <div className="notice" role="status">
      <p>
        {props.what} (shown once; store it {props.where} now): <code>{props.secret}</code>
      </p>
      <button type="button" onClick={props.onDone}>
        I stored it
      </button>
    </div>
  );
}

/** The time now, renewed every `intervalMs` (countdowns, a running timer). */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** A select of plain values (the tenant's ticket types or categories), with a first option for none. */
export function ValueSelect(props: {
  label: string;
  none: string;
  values: readonly string[] | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {props.label}
      <select value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        <option value="">{props.none}</option>
        {props.values?.map((v) => (
          <option key={v}>{v}</option>
        ))}
      </select>
    </label>
  );
}

/**
 * Where an admin page edits its records one at a time: the editor of the record being edited (or of a new one),
 * made anew for each, or else the button that starts a new one.
 */
export function EditorSlot<T extends { id: string }>(props: {
  editing: T | 'new' | undefined;
  newLabel: string;
  onNew: () => void;
  children: (record: T | undefined) => ReactNode;
}) {
  const { editing } = props;
  if (!editing)
    return (
      <button type="button" onClick={props.onNew}>
        {props.newLabel}
      </button>
    );
  return (
    <Fragment key={editing === 'new' ? 'new' : editing.id}>
      {props.children(editing === 'new' ? undefined : editing)}
    </Fragment>
  );
}

/** An admin page's form: its title, its fields, the API's error, a save button and, for an editor, Cancel. */
export function EditorForm(props: {
  title: string;
  saveLabel: string;
  onSave: () => void;
  saving: boolean;
  error: unknown;
  onCancel?: () => void;
  /** beside the buttons, e.g. "Saved." */
  after?: ReactNode;
  children: ReactNode;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    props.onSave();
  };
  return (
    <form onSubmit={submit} aria-label={props.title} className="stack editor">
      <h2>{props.title}</h2>
      {props.children}
      <ErrorBox error={props.error} />
      <div className="row">
        <button type="submit" disabled={props.saving}>
          {props.saveLabel}
        </button>
        {props.onCancel && (
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        )}
        {props.after}
      </div>
    </form>
  );
}
