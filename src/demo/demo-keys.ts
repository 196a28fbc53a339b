import type { KeyLimitValues, KeyPriority } from '../stores/contracts.ts';
import type { DemoRouteAlias } from './demo-routes.ts';

/**
 * When a key's traffic comes: `interactive` follows people's working day; `batch` runs around the
 * clock with a nightly job, every day of the week.
 */
export type TrafficPattern = 'interactive' | 'batch';

/** One team's virtual key and how its application uses the gateway. */
export interface DemoKeyProfile {
  name: string;
  team: string;
  /** Share of all requests on a weekday. */
  share: number;
  pattern: TrafficPattern;
  /** Relative weights of the routes this application calls. */
  routes: Partial<Record<DemoRouteAlias, number>>;
  /** Share of its chat requests sent in Anthropic's format (`/v1/messages`) rather than OpenAI's. */
  anthropicFormatShare: number;
  /** End users it names (`<prefix>_0001`...); none for back-office jobs. */
  endUsers: { prefix: string; count: number } | undefined;
  /** Tokens of the application's fixed system prompt, which Anthropic's prompt cache can serve. */
  systemPromptTokens: number;
  /** Marks the system prompt with `cache_control`, so Anthropic serves it from the cache. */
  cachesPrompt: boolean;
  /** Runs close to its requests-per-minute limit at the daily peaks: some calls get `key_rate_limited`. */
  limitedAtPeak: boolean;
  limits: KeyLimitValues;
  priority: KeyPriority;
}

export const demoKeys: readonly DemoKeyProfile[] = [
  {
    name: 'search-api', team: 'search', share: 0.3, pattern: 'interactive',
    routes: { embed: 0.55, fast: 0.35, smart: 0.1 }, anthropicFormatShare: 0,
    endUsers: { prefix: 'user', count: 400 }, systemPromptTokens: 300, cachesPrompt: false, limitedAtPeak: false,
    limits: { requestsPerMinute: 3_000, tokensPerMinute: 4_000_000 }, priority: 'normal',
  },
  {
    name: 'support-assistant', team: 'support', share: 0.25, pattern: 'interactive',
    routes: { claude: 0.7, fast: 0.2, smart: 0.1 }, anthropicFormatShare: 0.8,
    endUsers: { prefix: 'customer', count: 250 }, systemPromptTokens: 1_100, cachesPrompt: true, limitedAtPeak: false,
    limits: { requestsPerMinute: 2_000, maxConcurrent: 64 }, priority: 'high',
  },
  {
    name: 'growth-experiments', team: 'growth', share: 0.15, pattern: 'interactive',
    routes: { gemini: 0.5, fast: 0.3, smart: 0.2 }, anthropicFormatShare: 0.1,
    endUsers: { prefix: 'visitor', count: 60 }, systemPromptTokens: 400, cachesPrompt: false, limitedAtPeak: true,
    // The live run replaces this with a limit its peaks exceed (see `demoKeyLimits`).
    limits: { requestsPerMinute: 60 }, priority: 'low',
  },
  {
    name: 'document-pipeline', team: 'data-platform', share: 0.22, pattern: 'batch',
    routes: { extract: 0.75, embed: 0.25 }, anthropicFormatShare: 0,
    endUsers: undefined, systemPromptTokens: 250, cachesPrompt: false, limitedAtPeak: false,
    limits: { maxConcurrent: 16 }, priority: 'low',
  },
  {
    name: 'internal-copilot', team: 'platform', share: 0.08, pattern: 'interactive',
    routes: { smart: 0.5, claude: 0.3, gemini: 0.2 }, anthropicFormatShare: 0.4,
    endUsers: { prefix: 'employee', count: 40 }, systemPromptTokens: 800, cachesPrompt: true, limitedAtPeak: false,
    limits: { requestsPerMinute: 600 }, priority: 'normal',
  },
];

/**
 * The limits a key is created with for a live run at `rate` requests per second: a key that is
 * `limitedAtPeak` gets a requests-per-minute limit 20% above its average, which its daily peaks exceed.
 */
export const demoKeyLimits = (profile: DemoKeyProfile, rate: number): KeyLimitValues => {
  if (!profile.limitedAtPeak) return profile.limits;
  return { ...profile.limits, requestsPerMinute: Math.max(5, Math.round(rate * 60 * profile.share * 1.2)) };
};
