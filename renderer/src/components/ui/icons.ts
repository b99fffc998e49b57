// The one icon set (lucide-react), imported by name so the bundle carries only these few glyphs.
export { CalendarClock, Camera, Check, Circle, Clock, Copy, Database, History, LayoutDashboard, ListChecks, Settings, Sparkles } from 'lucide-react';
export type { LucideIcon } from 'lucide-react';
