import { z } from 'zod';

/**
 * The least an activity must carry for a turn to run: what it is, where to
 * answer (the service URL and the conversation), who sent it and to whom.
 * An activity without one of these is refused with 400 before any turn, so
 * the bot never answers to a host the activity did not name (botbuilder
 * falls back to a default one) and never stores half a conversation
 * reference. The fields a turn reads (text, locale, entities, ids, tenant)
 * must have the type Teams gives them and a size no Teams id exceeds: the
 * ids become Table keys, which hold at most 1 KiB, and a wrong type would
 * fail inside the turn (an error in the log, "något gick fel" to the sender)
 * instead of being refused. Everything else is passed through as it came.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Longer than any id Teams sends (a personal chat's is about 140 characters), short enough to stay a Table key when escaped. */
const MAX_ID_LENGTH = 256;

const teamsId = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  // eslint-disable-next-line no-control-regex -- control characters are what no Teams id carries
  .regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, 'must not contain control characters');

const account = z.object({ id: teamsId }).passthrough();

/** A GUID, or a little more: tenant ids are 36 characters. */
const tenantId = z.string().max(64);

/** An entity has a type; a mention names whom it mentions (botbuilder reads both when it removes the bot's mention). */
const entity = z
  .object({ type: z.string(), mentioned: z.object({ id: z.string() }).passthrough().optional() })
  .passthrough()
  .refine((value) => value.type.toLowerCase() !== 'mention' || value.mentioned !== undefined, 'a mention must name whom it mentions');

/** The parsed URL, or undefined (zod runs a refinement even after `.url()` failed). */
function urlOf(value: string): URL | undefined {
  return URL.canParse(value) ? new URL(value) : undefined;
}

const serviceUrl = z.string().refine((value) => ['https:', 'http:'].includes(urlOf(value)?.protocol ?? ''), 'must be an http(s) URL');

export const incomingActivitySchema = z
  .object({
    type: z.string().min(1),
    id: teamsId.optional(),
    channelId: z.string().optional(),
    serviceUrl,
    conversation: z.object({ id: teamsId, tenantId: tenantId.optional() }).passthrough(),
    from: account,
    recipient: account,
    text: z.string().nullish(),
    locale: z.string().nullish(),
    entities: z.array(entity).optional(),
    channelData: z
      .object({ tenant: z.object({ id: tenantId.optional() }).passthrough().optional() })
      .passthrough()
      .optional(),
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
