// The name (id) of a plan or a repository. config.json ids are `[a-z0-9][a-z0-9_-]{0,63}`; a person types
// "My Photos". The field turns what is typed into an id as it goes ("my-photos") and says so, or says what is
// allowed when nothing usable is left ("照片"), so the name is known before Save.
import { useState, type ReactNode } from 'react';
import { errorWord } from '../i18n/error-messages.js';
import { selectLanguage, useApp } from '../store/index.js';

/** The id rule of config.json (main/core/config/schema.ts ID_PATTERN). */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * The same rule for an <input pattern>. Browsers compile `pattern` with the `v` flag, where a "-" inside a class
 * must be escaped: the unescaped `[a-z0-9_-]` is an invalid regular expression there, which Chromium reports on
 * the console and then skips the check altogether.
 */
export const ID_INPUT_PATTERN = '[a-z0-9][a-z0-9_\\-]{0,63}';

const MAX_ID_LENGTH = 64;

/**
 * What is typed, as an id so far: accents dropped (é -> e), lower case, every run of other characters one "-",
 * no leading "-" or "_", at most 64 characters. A trailing "-" stays while typing ("my " -> "my-", then "my-p").
 */
export function idFromTyped(typed: string): string {
  return typed
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+/, '')
    .slice(0, MAX_ID_LENGTH);
}

/** A finished name as an id: "My Photos" -> "my-photos", "Café (old)" -> "cafe-old"; "" when nothing is usable. */
export function slugify(name: string): string {
  return idFromTyped(name).replace(/-+$/, '');
}

export function IdField({
  label,
  value,
  onChange,
  readOnly,
  hint,
  hintId,
  inputProps,
  children,
}: {
  label: string;
  value: string;
  onChange: (id: string) => void;
  readOnly: boolean;
  hint?: string;
  hintId: string;
  /** aria attributes from the form's field errors. */
  inputProps?: Record<string, unknown>;
  /** The field's errors from the host, under the note. */
  children?: ReactNode;
}) {
  const language = useApp(selectLanguage);
  // What the person typed last, when the id made of it differs; and the text of an IME composition in progress.
  const [typed, setTyped] = useState<string | null>(null);
  const [composing, setComposing] = useState<string | null>(null);
  const accept = (text: string) => {
    const id = idFromTyped(text);
    setTyped(id === text ? null : text);
    onChange(id);
  };
  const note =
    typed === null
      ? null
      : value === ''
        ? { error: true, text: errorWord(language, 'idUnusable', { typed }) }
        : { error: false, text: errorWord(language, 'idChanged', { typed, id: slugify(value) || value }) };
  const noteId = `${hintId}-note`;
  const describedBy = [hint ? hintId : null, note ? noteId : null, inputProps?.['aria-describedby']].filter(Boolean).join(' ') || undefined;
  return (
    <>
      <label>
        {label}
        <input
          {...inputProps}
          value={composing ?? value}
          readOnly={readOnly}
          required
          pattern={ID_INPUT_PATTERN}
          maxLength={MAX_ID_LENGTH}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={inputProps?.['aria-invalid'] === true || note?.error === true || undefined}
          aria-describedby={describedBy}
          onCompositionStart={() => setComposing(value)}
          onCompositionEnd={(e) => {
            setComposing(null);
            accept(e.currentTarget.value);
          }}
          onChange={(e) => {
            if (readOnly) return;
            if (composing !== null) setComposing(e.target.value);
            else accept(e.target.value);
          }}
          onBlur={() => {
            // A "-" left at the end while typing is dropped once the person moves on (never from a saved id).
            if (readOnly) return;
            const finished = value.replace(/-+$/, '');
            if (finished !== value && finished !== '') onChange(finished);
          }}
        />
      </label>
      {note && (
        <p className={note.error ? 'field-error' : 'hint'} id={noteId} role={note.error ? 'alert' : 'status'} data-testid="id-note">
          {note.text}
        </p>
      )}
      {children}
      {hint && (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      )}
    </>
  );
}
