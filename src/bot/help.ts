import { ActivityTypes, type TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { renderHelpCard } from '../cards/help';
import { stringsFor } from '../i18n';
import { commandText, conversationKindOf, languageOfTurn } from './activity';
import { cardMessage } from './cards';
import { commandsIn, matchCommand } from './commands';
import type { BotDeps } from './deps';
import { isWritingTurn } from './goalDialogues';

/** `hjälp` / `help`, and the pointer to it for text outside any flow. */
export function registerHelp(app: Application<TurnState>, deps: BotDeps): void {
  app.message(isCommand('help'), async (context) => {
    const kind = conversationKindOf(context.activity);
    const strings = stringsFor(languageOfTurn(context, deps.defaultLocale));
    const card = renderHelpCard({
      title: strings.help.title,
      intro: kind === 'personal' ? strings.help.intro : strings.help.introMention,
      commands: commandsIn(kind).map((command) => strings.commands[command.id]),
      privacy: strings.help.privacy,
    });
    await context.sendActivity(cardMessage(card));
  });

  app.message(async (context) => (await isUnknownText(context)) && !(await isWritingTurn(context, deps)), async (context) => {
    const strings = stringsFor(languageOfTurn(context, deps.defaultLocale));
    const personal = conversationKindOf(context.activity) === 'personal';
    // A command of a team or a group, written in the 1:1 chat: say where it works.
    const elsewhere = personal ? matchCommand(commandText(context.activity), 'channel')?.id : undefined;
    if (elsewhere === 'newGroup' || elsewhere === 'group' || elsewhere === 'checkIn' || elsewhere === 'groupLog') {
      await context.sendActivity(strings.groups.notHere);
    } else if (elsewhere === 'startDialogue') {
      await context.sendActivity(strings.goals.notInTeam);
    } else {
      await context.sendActivity(personal ? strings.fallback : strings.fallbackMention);
    }
  });
}

function isCommand(id: string) {
  return async (context: TurnContext): Promise<boolean> =>
    context.activity.type === ActivityTypes.Message &&
    matchCommand(commandText(context.activity), conversationKindOf(context.activity))?.id === id;
}

/** Typed text that no command claims (a teacher's answer while writing goals is claimed by that flow). */
async function isUnknownText(context: TurnContext): Promise<boolean> {
  const { activity } = context;
  if (activity.type !== ActivityTypes.Message || activity.value !== undefined) return false;
  const text = commandText(activity);
  return text.length > 0 && matchCommand(text, conversationKindOf(activity)) === undefined;
}
