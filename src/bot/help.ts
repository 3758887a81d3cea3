import type { Application, TurnState } from '@microsoft/teams-ai';
import { renderHelpCard } from '../cards/help';
import { cardMessage } from './cards';
import { commandsIn, matchCommand } from './commands';
import type { BotDeps } from './deps';
import { welcomeCard } from './welcome';
import { commandText, isCommand, isCommandOfAGroupOrTeam, isEmptyMessage, isUnknownText, turnOf } from './turn';

/** `hjälp` / `help`, and the pointer to it for text outside any flow. */
export function registerHelp(app: Application<TurnState>, deps: BotDeps): void {
  // A message with nothing to read (only the @mention, or only a picture) gets help too, rather than silence.
  app.message(
    async (context) => (await isCommand('help')(context)) || isEmptyMessage(context),
    async (context) => {
      const { strings, where } = turnOf(context, deps);
      const card = renderHelpCard({
        title: strings.help.title,
        intro: where.kind === 'personal' ? strings.help.intro : strings.help.introMention,
        commands: commandsIn(where.kind).map((command) => strings.commands[command.id]),
        privacy: strings.help.privacy,
      });
      await context.sendActivity(cardMessage(card));
    },
  );

  // A teacher's answer while writing goals, or to an invitation, is claimed by that flow.
  app.message(
    async (context) => {
      const turn = turnOf(context, deps);
      return (await isUnknownText(context)) && !(await turn.isWritingGoals()) && (isCommandOfAGroupOrTeam(context) || !(await turn.invitedDialogue()));
    },
    async (context) => {
      const turn = turnOf(context, deps);
      const { strings, where } = turn;
      const personal = where.kind === 'personal';
      // A newcomer's "hej" is a greeting to answer, not a command misunderstood.
      if (GREETING.test(commandText(context.activity))) {
        await context.sendActivity(cardMessage(welcomeCard(turn)));
        return;
      }
      // A command of a team or a group, written in the 1:1 chat (or one of a team's channel, in a group chat): say where it works.
      const elsewhere = where.kind !== 'channel' ? matchCommand(commandText(context.activity), 'channel')?.id : undefined;
      // A command of the 1:1 chat, written to the bot in a team or a group: point to the chat.
      const inChat = personal ? undefined : matchCommand(commandText(context.activity), 'personal')?.id;
      if (inChat) {
        await context.sendActivity(strings.onlyInChat(strings.commands[inChat].usage, chatLink(context.activity.recipient?.id)));
      } else if (elsewhere === 'newGroup' || elsewhere === 'group' || elsewhere === 'checkIn' || elsewhere === 'groupLog') {
        await context.sendActivity(strings.groups.notHere);
      } else if (elsewhere === 'startDialogue') {
        await context.sendActivity(strings.goals.notInTeam);
      } else {
        await context.sendActivity(personal ? strings.fallback : strings.fallbackMention);
      }
    },
  );
}

/** A greeting alone, Swedish or English (anchored: "hej då" is no greeting to answer with the welcome). */
const GREETING = /^(hej|hejsan|hallå|tjena|god morgon|hi|hello|hey|good morning)$/i;

/** A Teams link that opens the 1:1 chat with the bot (`botId` is its "28:<app id>"). */
export function chatLink(botId: string | undefined): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(botId ?? '')}`;
}
