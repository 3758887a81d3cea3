import { z } from 'zod';

/**
 * The least an activity must carry for a turn to run: what it is, where to
 * answer (the service URL and the conversation), who sent it and to whom.
 * An activity without one of these is refused with 400 before any turn, so
 * the bot never answers to a host the activity did not name (botbuilder
 * falls back to a default one) and never stores half a conversation
 * reference. Everything else is passed through as it came.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

const account = z.object({ id: z.string().min(1) }).passthrough();

/** The parsed URL, or undefined (zod runs a refinement even after `.url()` failed). */
function urlOf(value: string): URL | undefined {
  return URL.canParse(value) ? new URL(value) : undefined;
}

const serviceUrl = z.string().refine((value) => ['https:', 'http:'].includes(urlOf(value)?.protocol ?? ''), 'must be an http(s) URL');

export const incomingActivitySchema = z
  .object({
    type: z.string().min(1),
    id: z.string().optional(),
    channelId: z.string().optional(),
    serviceUrl,
    conversation: z.object({ id: z.string().min(1) }).passthrough(),
    from: account,
    recipient: account,
  })
  .passthrough();

export type IncomingActivity = z.infer<typeof incomingActivitySchema>;

export type ActivityVerdict = { readonly ok: true; readonly activity: IncomingActivity } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses a request body as an activity. `loopbackOnly` (local mode, where
 * nobody is authenticated) also requires the service URL to be on this
 * machine: an unauthenticated caller must not make the bot store, and later
 * send proactive messages to, a host of the caller's choosing. With
 * authentication the channel's signed `serviceurl` claim binds it instead.
 * The problems name fields, never values.
 */
export function parseIncomingActivity(body: unknown, options: { loopbackOnly: boolean }): ActivityVerdict {
  const parsed = incomingActivitySchema.safeParse(body);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`) };
  }
  if (options.loopbackOnly && !LOOPBACK_HOSTS.has(urlOf(parsed.data.serviceUrl)?.hostname ?? '')) {
    return { ok: false, problems: ['serviceUrl: must be on this machine in local mode (BOT_ID is empty)'] };
  }
  return { ok: true, activity: parsed.data };
}
