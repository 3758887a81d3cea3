import type { Activity, ResourceResponse, TurnContext } from 'botbuilder';
import { baseConversationId } from './turn';

/**
 * A message a whole group answers (a learning group's check-in) goes out as
 * a new post in the conversation, never as a reply in the thread of the
 * command or card that asked for it: in a channel, a reply sits inside one
 * person's thread where the group easily misses it, while the scheduled
 * check-ins are new posts. Outside channels there are no threads, and a new
 * post is what a reply is anyway.
 *
 * TurnContext addresses every activity it sends to the turn's own
 * conversation and activity; a hook on this turn's sends takes the marked
 * activity out of the thread (the channel without ";messageid=…", no
 * replyToId), so the adapter posts it to the conversation itself: the same
 * request the scheduler's posts make.
 */

const NEW_POST = Symbol('målbild.newPost');
const HOOKED = Symbol('målbild.newPostHook');

type Marked = Partial<Activity> & { [NEW_POST]?: true };

export async function sendAsNewPost(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | undefined> {
  if (!context.turnState.get(HOOKED)) {
    context.turnState.set(HOOKED, true);
    context.onSendActivities(async (_context, activities, next) => {
      for (const sent of activities as Marked[]) {
        if (!sent[NEW_POST]) continue;
        delete sent[NEW_POST];
        if (sent.conversation) sent.conversation = { ...sent.conversation, id: baseConversationId(sent.conversation.id) };
        delete sent.replyToId;
      }
      return next();
    });
  }
  // TurnContext copies the activity with Object.assign, which keeps the mark (a symbol is never serialised).
  const marked: Marked = { ...activity, [NEW_POST]: true };
  return context.sendActivity(marked);
}
