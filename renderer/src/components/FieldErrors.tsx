// Problems of a save shown on the fields they belong to: all at once, in the user's language, each with the
// field's name as people count it ("Folder 2"), and each gone as soon as its field is edited.
import { useState } from 'react';
import type { FieldIssue } from '../../../main/common/index.js';
import { fieldLabel, issueText, type FieldLabel } from '../i18n/error-messages.js';
import { selectLanguage, useApp } from '../store/index.js';

/** Where a form shows one issue: the field (a key of the form's choosing) and how a sentence names it. */
export interface FieldPlace {
  field: string;
  label: FieldLabel;
  /** The 1-based number of a list item ("Folder 2"), for labels with {n}. */
  n?: number;
}

/** Maps an issue's params path (["plan", "paths", 1]) to its place in the form, or null for the form as a whole. */
export type LocateIssue = (path: FieldIssue['path']) => FieldPlace | null;

export interface FieldErrors {
  /** The sentences to show under `field`; empty once the field was edited. */
  messages(field: string): string[];
  /** The attributes that tie an input to its sentences (aria-invalid, aria-describedby). */
  inputProps(field: string, describedBy?: string): { 'aria-invalid'?: true; 'aria-describedby'?: string };
  /** The id of the element that holds `field`'s sentences. */
  errorId(field: string): string;
  /** Call when the user changes `field`: its sentences go (the others stay until their fields change). */
  clear(field: string): void;
  /** Sentences for issues that belong to no field of the form. */
  unplaced: string[];
}

export function useFieldErrors(issues: FieldIssue[], locate: LocateIssue, idPrefix: string): FieldErrors {
  const language = useApp(selectLanguage);
  const [edited, setEdited] = useState<{ issues: FieldIssue[]; fields: ReadonlySet<string> }>({ issues, fields: new Set() });
  // A new failed save brings new issues: every field shows its own again.
  const fields = edited.issues === issues ? edited.fields : new Set<string>();
  if (edited.issues !== issues) setEdited({ issues, fields });

  const byField = new Map<string, string[]>();
  const unplaced: string[] = [];
  for (const issue of issues) {
    const place = locate(issue.path);
    const text = issueText(language, issue, fieldLabel(language, place?.label ?? 'value', place?.n));
    if (!place) unplaced.push(text);
    else if (!fields.has(place.field)) byField.set(place.field, [...(byField.get(place.field) ?? []), text]);
  }
  const errorId = (field: string) => `${idPrefix}-${field}-error`;
  return {
    messages: (field) => byField.get(field) ?? [],
    inputProps: (field, describedBy) => {
      const ids = [describedBy, byField.has(field) ? errorId(field) : undefined].filter(Boolean).join(' ');
      return { ...(byField.has(field) ? { 'aria-invalid': true as const } : {}), ...(ids ? { 'aria-describedby': ids } : {}) };
    },
    errorId,
    clear: (field) => {
      if (byField.has(field)) setEdited((prev) => ({ issues: prev.issues, fields: new Set(prev.fields).add(field) }));
    },
    unplaced,
  };
}

/** The sentences under one field. */
export function FieldError({ errors, field }: { errors: FieldErrors; field: string }) {
  const messages = errors.messages(field);
  if (messages.length === 0) return null;
  return (
    <p className="field-error" id={errors.errorId(field)} data-testid={`field-error-${field}`}>
      {messages.map((m, i) => (
        <span key={i}>{m}</span>
      ))}
    </p>
  );
}

/** Issues that belong to no field, listed under the form's summary. */
export function UnplacedErrors({ errors }: { errors: FieldErrors }) {
  if (errors.unplaced.length === 0) return null;
  return (
    <ul className="field-error">
      {errors.unplaced.map((m, i) => (
        <li key={i}>{m}</li>
      ))}
    </ul>
  );
}
