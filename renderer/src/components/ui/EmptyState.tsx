import type { ReactNode } from 'react';

/** An empty list that teaches: what this place is for, what to do next, and the one button that does it. */
export function EmptyState({ title, children, action, testId }: { title: string; children?: ReactNode; action?: { label: string; onClick: () => void }; testId?: string }) {
  return (
    <div className="empty" data-testid={testId}>
      <h3>{title}</h3>
      {children && <div className="empty-text">{children}</div>}
      {action && (
        <button type="button" className="primary" onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}
