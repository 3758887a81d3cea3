/**
 * B2, Table requests per turn: install, `hjälp`, a goal step (typed, card,
 * back), a check-in answer and a status-card refresh, counted by the
 * pipeline policy on every Table client (TableSettings.onRequest). The
 * services are wired as in production (buildServices) with their real
 * effects (outbox, scheduler), so what a turn schedules is counted too; the
 * background workers do not run, so nothing else is counted. Turns run
 * through the Teams application on botbuilder's TestAdapter; replies and
 * the status card go to a local Bot Connector stand-in.
 *
 *   node --import tsx test/bench/b2TableRequests.ts
 *
 * Counts are deterministic; the figures before are those of issue 10.
 */
import { type Activity, TestAdapter, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createBotApp } from '../../src/bot/app';
import { VERBS } from '../../src/cards/verbs';
import { loadConfig } from '../../src/config';
import type { GoalDialogueDelivery } from '../../src/effects/goalDialogues';
import { buildServices } from '../../src/index';
import { openStores } from '../../src/storage';
import { type EmbeddedAzurite, startEmbeddedAzurite } from '../../src/storage/embeddedAzurite';
import type { TableRequest } from '../../src/storage/tables';
import { botInstalledPersonal, cardAction, channelMention, person, personalMessage, PRINCIPAL, TENANT_ID } from '../helpers/activities';
import { capturingLogger } from '../helpers/bot';
import { cardOf, submission } from '../helpers/cards';
import { FakeConnector } from '../helpers/connector';

/** A benchmark's part of the report: a heading and Markdown. */
export interface Section {
  title: string;
  markdown: string;
}

const ORGANISATION = join(__dirname, '..', '..', 'src', 'organisation', 'exempelskolan.yaml');
const ANSWER = 'Eleverna förklarar sina lösningar muntligt för en kamrat varje vecka';

interface Measured {
  turn: string;
  requests: TableRequest[];
  before: string;
  aim: string;
}

export async function run(): Promise<Section> {
  let azurite: EmbeddedAzurite | undefined;
  const connector = await new FakeConnector().start();
  try {
    azurite = await startEmbeddedAzurite();
    const serviceUrl = connector.url;
    const teachers = [person('Anna Lindqvist', 1), person('Erik Johansson', 2)];
    const anna = teachers[0]!;
    const config = loadConfig({
      PORT: '0',
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      TABLE_PREFIX: `bq${randomUUID()
        .replace(/[^a-z]/g, '')
        .slice(0, 10)}`,
      ORGANISATION_FILE: ORGANISATION,
      LOG_LEVEL: 'silent',
    });
    let counted: TableRequest[] | undefined;
    const stores = await openStores({
      connectionString: azurite.connectionString,
      tablePrefix: config.storage.tablePrefix,
      onRequest: (r) => counted?.push(r),
    });
    const members = [PRINCIPAL, ...teachers].map((p) => ({ aadObjectId: p.aadObjectId, userId: p.id, name: p.name }));
    const { deps, scheduler } = await buildServices(config, stores, capturingLogger('silent').logger, () => new Date(), {
      roster: { members: async () => members, upnOf: async () => undefined },
    });
    const app = createBotApp(deps);
    const sent = new Map<string, Partial<Activity>[]>();
    const adapter = new (class extends TestAdapter {
      override async sendActivities(context: TurnContext, activities: Partial<Activity>[]) {
        const id = context.activity.id ?? '';
        sent.set(id, [...(sent.get(id) ?? []), ...activities]);
        return super.sendActivities(context, activities);
      }
    })(
      async (context: TurnContext) => {
        await app.run(context);
      },
      { channelId: 'msteams' },
    );
    const send = async (activity: { id: string }) => {
      await adapter.processActivity(activity);
      adapter.activeQueue.splice(0);
      return sent.get(activity.id) ?? [];
    };
    const count = async (work: () => Promise<unknown>): Promise<TableRequest[]> => {
      counted = [];
      await work();
      const requests = counted;
      counted = undefined;
      return requests;
    };

    const results: Measured[] = [];
    results.push({ turn: 'install (1:1)', requests: await count(() => send(botInstalledPersonal({ serviceUrl, from: anna }))), before: '6', aim: '' });
    results.push({ turn: '`hjälp`', requests: await count(() => send(personalMessage({ serviceUrl, from: anna, text: 'hjälp' }))), before: '4', aim: '≤ 2' });

    const [form] = await send(channelMention({ serviceUrl, from: PRINCIPAL, text: 'starta målsamtal' }));
    const deadline = new Intl.DateTimeFormat('sv-SE', { timeZone: config.timeZone }).format(new Date(Date.now() + 20 * 86_400_000));
    const status = await send(
      cardAction({
        serviceUrl,
        from: PRINCIPAL,
        verb: VERBS.dialogueStart,
        where: 'channel',
        replyToId: 'status-1',
        data: submission(form, VERBS.dialogueStart, { deadline }),
      }),
    );
    if (status.length === 0) throw new Error('the dialogue did not start');
    // The start job writes the participations in the background; run it here (the sender is not started).
    await scheduler.runDue();
    const [summary] = await stores.goalDialogues.dialoguesOfSchool(TENANT_ID, 'exempelskolan');
    const dialogueId = summary!.dialogueId;
    const press = (verb: string, data: Record<string, unknown> = {}) =>
      send(cardAction({ serviceUrl, from: anna, verb, where: 'personal', data: { dialogueId, ...data } }));
    const say = (text: string) => send(personalMessage({ serviceUrl, from: anna, text }));
    await press(VERBS.goalsBegin);
    await say('1');
    results.push({ turn: 'goal step, typed', requests: await count(() => say(ANSWER)), before: '11', aim: '≤ 4' });
    results.push({ turn: 'goal step, back', requests: await count(() => say('tillbaka')), before: '10', aim: '≤ 4' });
    results.push({
      turn: 'goal step, card',
      requests: await count(() => press(VERBS.goalsAnswer, { goalIndex: 0, step: 'goal', answer: ANSWER })),
      before: '9',
      aim: '≤ 4',
    });

    const [groupForm] = await send(channelMention({ serviceUrl, from: anna, text: 'ny lärgrupp' }));
    const ids = teachers.map((t) => t.aadObjectId).join(',');
    await send(
      cardAction({
        serviceUrl,
        from: anna,
        verb: VERBS.groupSave,
        where: 'channel',
        data: submission(groupForm, VERBS.groupSave, { name: 'Matematik', members: ids }),
      }),
    );
    const [checkInCard] = await send(channelMention({ serviceUrl, from: anna, text: 'incheckning' }));
    const checkInId = ((cardOf(checkInCard)?.refresh ?? {}) as { action?: { data?: { checkInId?: string } } }).action?.data?.checkInId;
    const inChannel = (verb: string, data: Record<string, unknown>) =>
      send(cardAction({ serviceUrl, from: anna, verb, where: 'channel', data: { checkInId, ...data } }));
    await inChannel(VERBS.checkInView, {});
    const answer = { tried: 'Exit tickets i 5B', happened: 'Fler elever förklarade hur de tänkte', evidence: '', ask: '' };
    // The card's refresh is planned once per check-in and second: start at a second's beginning, so that both answers share one.
    await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000)));
    results.push({
      turn: 'check-in answer, the first in its second',
      requests: await count(() => inChannel(VERBS.checkInAnswer, answer)),
      before: '12',
      aim: '≤ 5',
    });
    results.push({
      turn: 'check-in answer, another in the same second (edited)',
      requests: await count(() => inChannel(VERBS.checkInAnswer, { ...answer, evidence: 'Fler frågor' })),
      before: '',
      aim: '≤ 5',
    });

    const delivery = deps.delivery as GoalDialogueDelivery;
    results.push({
      turn: 'status-card refresh (job)',
      requests: await count(() => delivery.refreshStatus({ tenantId: TENANT_ID, dialogueId })),
      before: '',
      aim: '',
    });

    const markdown = [
      '| turn | Table requests | by table | before (issue 10) | aim |',
      '|---|---:|---|---:|---|',
      ...results.map(({ turn, requests, before, aim }) => `| ${turn} | ${requests.length} | ${byTable(requests)} | ${before} | ${aim} |`),
      '',
      "Counted by a pipeline policy on every Table client, each retry counted. The echo baseline (teams-ai with Table turn state) makes 2 per turn: its two scope reads; Målbild makes none of those now. `activities` is the claim that makes an activity take effect once; a goal step's claim is the save of the teacher's goals (documents PUT). A check-in's card refresh is one job per check-in and second (`schedule POST`), written by the first answer of the second on an instance.",
    ].join('\n');
    return { title: 'B2 Table requests per turn', markdown };
  } finally {
    await connector.stop();
    await azurite?.stop();
  }
}

function byTable(requests: TableRequest[]): string {
  const counts = new Map<string, number>();
  for (const { table, method } of requests) counts.set(`${table} ${method}`, (counts.get(`${table} ${method}`) ?? 0) + 1);
  return [...counts].map(([what, n]) => `${what} ×${n}`).join(', ');
}

if (require.main === module) {
  run().then(
    (section) => process.stdout.write(`## ${section.title}\n\n${section.markdown}\n`),
    (error: unknown) => {
      process.stderr.write(`B2 failed: ${String(error instanceof Error ? error.stack : error)}\n`);
      process.exit(1);
    },
  );
}
