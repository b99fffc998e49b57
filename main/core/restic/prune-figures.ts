// restic prune (also with --dry-run) prints its figures as text only, in every version up to 0.19:
//   to repack:             2 blobs / 97.856 KiB
//   this removes:          1 blobs / 97.699 KiB
//   to delete:             3 blobs / 840 B
//   total prune:           4 blobs / 98.520 KiB
//   remaining:             4 blobs / 691 B
//   unused size after prune: 0 B (0.00% of remaining size)
// Kept as label and value, as restic printed them (the window shows them; their words are restic's).

const FIGURE = /^([a-z][a-z ]*[a-z]):\s+(\d.*\S)\s*$/;

/** The figure a line holds, or null (progress, headings, anything else). */
export function pruneFigureOf(line: string): { label: string; value: string } | null {
  const m = FIGURE.exec(line.trim());
  return m ? { label: m[1], value: m[2] } : null;
}
