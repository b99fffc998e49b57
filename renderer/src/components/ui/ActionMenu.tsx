// A button that opens a short list of less common actions (a disclosure, not an ARIA menu: plain buttons in a list
// are reached with Tab like everything else, and screen readers need no menu mode for them). It closes when an
// action is chosen, on Escape (focus back on its button) and when focus leaves it.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface MenuAction {
  key: string;
  label: ReactNode;
  onSelect: () => void;
  disabled?: boolean;
}

/** `align`: which edge of the button the list lines up with ("end" for a button at the right of the window). */
export function ActionMenu({ label, actions, testId, align = 'start' }: { label: string; actions: MenuAction[]; testId?: string; align?: 'start' | 'end' }) {
  const [open, setOpen] = useState(false);
  const listId = useId();
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (open) box.current?.querySelector<HTMLButtonElement>('ul button:not(:disabled)')?.focus();
  }, [open]);
  if (actions.length === 0) return null;
  return (
    <div
      className={`action-menu align-${align}`}
      ref={box}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          e.stopPropagation();
          setOpen(false);
          toggle.current?.focus();
        }
      }}
      onBlur={(e) => {
        if (!box.current?.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button type="button" ref={toggle} aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {label} <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul className="menu" id={listId} aria-label={label}>
          {actions.map((a) => (
            <li key={a.key}>
              <button
                type="button"
                disabled={a.disabled}
                onClick={() => {
                  setOpen(false);
                  toggle.current?.focus();
                  a.onSelect();
                }}
              >
                {a.label}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
