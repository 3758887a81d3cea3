import { menuCommandsIn } from '../../src/bot/commands';
import { VERBS } from '../../src/cards/verbs';
import type { ConversationKind } from '../../src/domain/conversations';
import type { Member } from '../../src/domain/goalDialogueService';
import { stringsFor } from '../../src/i18n';
import {
  channelMention,
  type Person,
  person,
  personalMessage,
  PRINCIPAL,
  TENANT_ID,
  cardAction,
  groupChatMention as mentionInGroupChat,
} from '../helpers/activities';
import { cardText, inputsOf, submission } from '../helpers/cards';
import { conversationHarness, type ConversationHarness } from '../helpers/conversation';

/**
 * The app's command menus (appPackage/manifest.json, tied to the command
 * table by test/appPackage): every command a menu offers is answered where
 * the menu offers it, never with "Det där förstod jag inte". Puffar are in
 * the group chats' menu because a learning group's samtalsledare makes them
 * there, to the group.
 */

const serviceUrl = 'https://smba.trafficmanager.net/emea/';
/** Tuesday 1 September 2026, 10:00 in Stockholm. */
const now = new Date('2026-09-01T08:00:00Z');
const maria = person('Maria Ekström', 1);
const anna = person('Anna Lindqvist', 2);
const roster: Member[] = [PRINCIPAL, maria, anna].map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name, givenName: p.name.split(' ')[0] }));
const GROUP_CHAT = '19:arbetslag-4-6@thread.v2';
const FALLBACK = stringsFor('sv').fallback;
const FALLBACK_MENTION = stringsFor('sv').fallbackMention;

const groupChatMention = (from: Person, text: string) => mentionInGroupChat({ serviceUrl, from, text, chatId: GROUP_CHAT });

const groupChatAction = (from: Person, verb: string, data: Record<string, unknown>) =>
  cardAction({ serviceUrl, from, verb, data, where: 'groupChat', chatId: GROUP_CHAT });

const AS_SENT: Record<ConversationKind, (from: Person, text: string) => object> = {
  personal: (from, text) => personalMessage({ serviceUrl, from, text }),
  channel: (from, text) => channelMention({ serviceUrl, from, text }),
  groupChat: groupChatMention,
};

describe('the command menus', () => {
  let bot: ConversationHarness;
  beforeEach(async () => {
    bot = await conversationHarness({ members: roster, clock: () => now });
  });

  test.each(['personal', 'channel', 'groupChat'] as const)('when the principal picks each %s menu command then the bot answers it', async (kind) => {
    const menu = menuCommandsIn(kind);
    expect(menu.length).toBeGreaterThan(0);
    expect(menu.length).toBeLessThanOrEqual(10);
    for (const command of menu) {
      const usage = stringsFor('sv').commands[command.id].usage;
      const replies = await bot.send(AS_SENT[kind](PRINCIPAL, usage));
      const said = replies.map((reply) => `${reply.text ?? ''} ${cardText(reply)}`).join(' ');
      expect([usage, replies.length]).not.toEqual([usage, 0]);
      expect([usage, said]).not.toEqual([usage, expect.stringContaining(FALLBACK)]);
      expect([usage, said]).not.toEqual([usage, expect.stringContaining(FALLBACK_MENTION)]);
    }
  });

  test('when a samtalsledare picks "ny puff" in her group’s chat then the form offers the group, and "puffar" lists the nudge she made', async () => {
    const [groupForm] = await bot.send(groupChatMention(maria, 'ny lärgrupp'));
    await bot.send(
      groupChatAction(
        maria,
        VERBS.groupSave,
        submission(groupForm, VERBS.groupSave, { name: 'Arbetslag 4–6', members: maria.aadObjectId + ',' + anna.aadObjectId }),
      ),
    );
    const group = bot.groupEffects.saved.at(-1);
    expect(group?.conversation).toMatchObject({ conversationId: GROUP_CHAT, kind: 'groupChat' });

    const [form] = await bot.send(groupChatMention(maria, 'ny puff'));
    expect(cardText(form)).toContain('Arbetslag 4–6');
    expect(inputsOf(form)).toMatchObject({ audience: `group|${group!.id}`, tie: `group|${group!.id}` });
    await bot.send(
      groupChatAction(
        maria,
        VERBS.nudgeCreate,
        submission(form, VERBS.nudgeCreate, { text: 'Ta med en elevtext till träffen.', repeat: 'once', date: '2026-09-03', time: '08:00' }),
      ),
    );
    const [nudge] = await bot.stores.nudges.list(TENANT_ID);
    expect(nudge?.audience).toMatchObject({ kind: 'group', groupId: group!.id, conversationId: GROUP_CHAT });

    const [list] = await bot.send(groupChatMention(maria, 'puffar'));
    expect(cardText(list)).toContain('Ta med en elevtext till träffen.');
    // A member who does not lead the group is told who makes nudges here.
    const [refusal] = await bot.send(groupChatMention(anna, 'ny puff'));
    expect(`${refusal?.text ?? ''} ${cardText(refusal)}`).toContain(stringsFor('sv').nudges.notAllowed);
  });
});
