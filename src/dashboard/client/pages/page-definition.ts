import type { QualityAlert } from '../api-types.ts';
import type { ChartRegistry, ChartTheme } from '../charts.ts';
import type { Child } from '../dom.ts';
import type { PageName } from '../router.ts';

export interface PageContext {
  /** One of the page's `ranges` (its default when the URL named another). */
  range: string;
  /** Aborted when the viewer navigates away or the next refresh starts. */
  signal: AbortSignal;
  charts: ChartRegistry;
  theme: ChartTheme;
  /** Registers cleanup (closing a stream) for when the viewer leaves the page. */
  onLeave: (cleanup: () => void) => void;
  /** Signs the viewer out (a live stream that finds its session gone). */
  requireLogin: () => void;
}

export interface PageView {
  content: Child[];
  /** The open quality alerts, when this page's answer carries them; the banner shows them. */
  alerts?: readonly QualityAlert[];
}

/**
 * A page loads its data first and returns a builder; the app calls the builder only if the load is
 * still wanted (no navigation meanwhile), so a late answer never draws over the next page.
 */
export interface PageDefinition {
  name: PageName;
  title: string;
  description: (range: string) => string;
  ranges: readonly string[];
  defaultRange: string;
  /** False for the live tail, which updates itself from its stream. */
  autoRefresh: boolean;
  load: (context: PageContext) => Promise<() => PageView>;
}
