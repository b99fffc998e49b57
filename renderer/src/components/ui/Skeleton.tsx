/**
 * Space held for content that is loading: grey lines of the height the content will roughly take, so nothing
 * below jumps when it arrives. Screen readers hear the label once (role=status), not the lines.
 */
export function Skeleton({ lines = 3, label }: { lines?: number; label: string }) {
  return (
    <div className="skeleton" role="status" aria-label={label} data-testid="skeleton">
      {Array.from({ length: lines }, (_, i) => (
        <span key={i} className="skeleton-line" aria-hidden="true" />
      ))}
    </div>
  );
}
