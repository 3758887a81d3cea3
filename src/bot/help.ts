import type { TurnContext } from 'botbuilder';
import type { Application, TurnState } from '@microsoft/teams-ai';
import { renderHelpCard } from '../cards/help';
import type { AdaptiveCard } from '../cards/render';
import type { ConversationKind } from '../domain/conversations';
import type { Strings } from '../i18n';
import { cardMessage } from './cards';
import { type CommandId, commandsIn, commandWords, matchCommand } from './commands';
import type { BotDeps } from './deps';
import { welcomeCard } from './welcome';
import { commandText, isCommand, isCommandOfAGroupOrTeam, isEmptyMessage, isUnknownText, turnOf } from './turn';

/** `hjälp` / `help`, and the pointer to it for text outside any flow. */
export function registerHelp(app: Application<TurnState>, deps: BotDeps): void {
  // A message with nothing to read (only the @mention, or only a picture) gets help too, rather than silence.
  app.message(
    async (context) => (await isCommand('help')(context)) || isEmptyMessage(context),
    (context) => sendHelpCard(context, deps),
  );

  // A card's Action.Submit arrives as a message carrying data. Målbild's cards use Action.Execute, so it is from an old or forged card:
  // acted on by no route, but answered rather than met with silence.
  app.message(
    async (context) => context.activity.value !== undefined && commandText(context.activity).length === 0,
    async (context) => {
      const { strings, where } = turnOf(context, deps);
      await context.sendActivity(where.kind === 'personal' ? strings.unknownInput.cardAction : strings.unknownInput.cardActionMention);
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
      const words = commandWords(commandText(context.activity));
      // Only emoji or punctuation ("👍", "?!") is nothing to read either: the help card, not "Det där förstod jag inte".
      if (words.length === 0) {
        await sendHelpCard(context, deps);
        return;
      }
      // A newcomer's "hej" is a greeting to answer, not a command misunderstood.
      if (GREETING.test(words)) {
        await context.sendActivity(cardMessage(welcomeCard(turn)));
        return;
      }
      if (THANKS.test(words)) {
        await context.sendActivity(personal ? strings.unknownInput.thanks : strings.unknownInput.thanksMention);
        return;
      }
      // A command of a team or a group, written in the 1:1 chat (or one of a team's channel, in a group chat): say where it works.
      const elsewhere = where.kind !== 'channel' ? matchCommand(commandText(context.activity), 'channel')?.id : undefined;
      // A command of the 1:1 chat, written to the bot in a team or a group: point to the chat.
      const inChat = personal ? undefined : matchCommand(commandText(context.activity), 'personal')?.id;
      if (inChat === 'results') {
        // Results are no secret: say where they are shown, rather than a 1:1 chat that points a teacher back to the channel.
        await context.sendActivity(strings.indicators.results.notHere);
      } else if (inChat) {
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

/** The help card of this kind of conversation, in the person's language. */
async function sendHelpCard(context: TurnContext, deps: BotDeps): Promise<void> {
  const { strings, where } = turnOf(context, deps);
  await context.sendActivity(cardMessage(helpCard(strings, where.kind)));
}

/**
 * The help card's sections, in this order: what most people use shown at
 * once, what a principal or manager uses and the rest behind a button each,
 * so that the card stays short on a phone. In a team's channel, where a
 * principal starts målsamtal and follow-ups, what she uses is shown at once
 * too. A command not placed here is under "more".
 */
const SECTIONS = ['goals', 'school', 'groups', 'leading', 'more'] as const;
type Section = (typeof SECTIONS)[number];
const HIDDEN = ['leading', 'more'] as const satisfies readonly Section[];
type HiddenSection = (typeof HIDDEN)[number];
/** The sections behind a button in each kind of conversation. */
const HIDDEN_IN: Record<ConversationKind, readonly HiddenSection[]> = { personal: HIDDEN, groupChat: HIDDEN, channel: ['more'] };
const SECTION_OF: Partial<Record<CommandId, Section>> = {
  myGoals: 'goals',
  resume: 'goals',
  goalMap: 'goals',
  myFollowUp: 'goals',
  focusArea: 'school',
  processMap: 'school',
  results: 'school',
  newGroup: 'groups',
  group: 'groups',
  checkIn: 'groups',
  groupLog: 'groups',
  startDialogue: 'leading',
  showGoals: 'leading',
  reopenDialogue: 'leading',
  schoolGoals: 'leading',
  startFollowUp: 'leading',
  followUpRounds: 'leading',
  analysis: 'leading',
  newNudge: 'leading',
  recordResult: 'leading',
  resultDialogue: 'leading',
};

/** The help card: the commands of this kind of conversation by section, empty sections left out. */
export function helpCard(strings: Strings, kind: ConversationKind): AdaptiveCard {
  const commands = commandsIn(kind);
  const sections = SECTIONS.map((section) => ({
    section,
    id: `help-${section}`,
    heading: strings.help.sections[section],
    commands: commands.filter((command) => (SECTION_OF[command.id] ?? 'more') === section).map((command) => strings.commands[command.id]),
  })).filter(({ commands: listed }) => listed.length > 0);
  return renderHelpCard({
    title: strings.help.title,
    intro: kind === 'personal' ? strings.help.intro : strings.help.introMention,
    shown: sections.filter(({ section }) => !isHidden(section, kind)),
    hidden: sections.filter(({ section }) => isHidden(section, kind)),
    toggles: sections.flatMap(({ section, id }) => (isHidden(section, kind) ? [{ title: strings.help.show[section], target: id }] : [])),
    privacy: strings.help.privacy,
  });
}

function isHidden(section: Section, kind: ConversationKind): section is HiddenSection {
  return (HIDDEN_IN[kind] as readonly Section[]).includes(section);
}

/** A greeting alone, Swedish or English (anchored: "hej då" is no greeting to answer with the welcome). */
const GREETING = /^(hej|hejsan|hallå|tjena|god morgon|hi|hello|hey|good morning)$/i;

/** Thanks alone, Swedish or English: answered kindly, not with "Det där förstod jag inte". */
const THANKS = /^(tack|tack så mycket|tusen tack|tackar|thanks|thank you|thank you very much|thx)$/i;

/** A Teams link that opens the 1:1 chat with the bot (`botId` is its "28:<app id>"). */
export function chatLink(botId: string | undefined): string {
  return `https://teams.microsoft.com/l/chat/0/0?users=${encodeURIComponent(botId ?? '')}`;
}
