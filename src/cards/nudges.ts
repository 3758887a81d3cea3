import { NUDGE_MAX_EVERY_WEEKS, NUDGE_TEXT_MAX, type Nudge, type NudgeField, type NudgeFormValues, type NudgeProblem, type NudgeTie } from '../domain/nudges';
import type { Language, Strings } from '../i18n';
import { noAccidentalList } from './markdown';
import { type AdaptiveCard, type Choice, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * Puffar as cards (adaptiveCards/nudge*.json): the form, the list with its
 * actions, and the nudge as sent. A nudge's text is shown as written, in the
 * frame of the reader's language.
 */

export interface Notice {
  text: string;
  good: boolean;
}

/** "Fokusområde: Läsförståelse i alla ämnen". */
export function tieLine(strings: Strings, tie: NudgeTie): string {
  return `${strings.nudges.tie[tie.kind]}: ${tie.title}`;
}

/** "tisdag 13 oktober kl. 08:00" in the school's zone. */
export function formatSending(strings: Strings, language: Language, at: string, timeZone: string): string {
  const instant = new Date(at);
  const date = new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone }).format(instant);
  const time = new Intl.DateTimeFormat('sv-SE', { hour: '2-digit', minute: '2-digit', timeZone }).format(instant);
  return strings.nudges.list.at(date, time);
}

function shortDate(language: Language, date: string): string {
  return new Intl.DateTimeFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${date}T12:00:00Z`),
  );
}

/** The nudge as its recipients see it. */
export function nudgeCard(strings: Strings, nudge: Pick<Nudge, 'text' | 'link' | 'tie' | 'createdBy'>): AdaptiveCard {
  return expandCard('nudge', {
    title: strings.nudges.card.title,
    tieLine: noAccidentalList(tieLine(strings, nudge.tie)),
    text: noAccidentalList(nudge.text),
    from: strings.nudges.card.from(nudge.createdBy.name),
    link: nudge.link ?? '',
    labels: { openLink: strings.nudges.card.openLink },
  });
}

export interface NudgeFormChoices {
  ties: Choice[];
  audiences: Choice[];
}

function problemText(strings: Strings, field: NudgeField, problem: NudgeProblem | undefined, quiet: { from: string; to: string }): string {
  if (!problem) return '';
  const p = strings.nudges.problems;
  switch (field) {
    case 'text':
      return problem === 'tooLong' ? p.text.tooLong(NUDGE_TEXT_MAX) : p.text.required;
    case 'link':
      return problem === 'notHttps' ? p.link.notHttps : problem === 'tooLong' ? p.link.tooLong : p.link.badLink;
    case 'tie':
      return problem === 'unknown' ? p.tie.unknown : p.tie.required;
    case 'audience':
      return problem === 'unknown' ? p.audience.unknown : p.audience.required;
    case 'date':
      return problem === 'past' ? p.date.past : problem === 'noDates' ? p.date.noDates : p.date.required;
    case 'to':
      return problem === 'beforeFrom' ? p.to.beforeFrom : problem === 'tooFar' ? p.to.tooFar : p.to.required;
    case 'everyWeeks':
      return p.everyWeeks.badNumber;
    case 'time':
      return problem === 'quietTime' ? p.time.quietTime(quiet.from, quiet.to) : problem === 'badTime' ? p.time.badTime : p.time.required;
  }
}

const FIELDS: readonly NudgeField[] = ['text', 'link', 'tie', 'audience', 'date', 'to', 'everyWeeks', 'time'];

/** The form: empty with today's date and 08:00, or as typed with every problem said next to its field. */
export function nudgeFormCard(
  strings: Strings,
  formId: string,
  choices: NudgeFormChoices,
  values: NudgeFormValues,
  quiet: { from: string; to: string },
  problems: Partial<Record<NudgeField, NudgeProblem>> = {},
): AdaptiveCard {
  const form = strings.nudges.form;
  const weeks = Number(values.everyWeeks);
  return expandCard('nudgeForm', {
    title: form.title,
    intro: form.intro,
    notice: Object.keys(problems).length > 0 ? strings.nudges.problems.heading : '',
    values: { ...values, everyWeeks: Number.isInteger(weeks) ? weeks : 2 },
    problems: Object.fromEntries(FIELDS.map((field) => [field, problemText(strings, field, problems[field], quiet)])),
    limits: { text: NUDGE_TEXT_MAX, everyWeeks: NUDGE_MAX_EVERY_WEEKS },
    ties: choices.ties,
    audiences: choices.audiences,
    labels: {
      text: form.textLabel,
      textPlaceholder: form.textPlaceholder,
      textRequired: form.textRequired,
      link: form.linkLabel,
      tie: form.tieLabel,
      audience: form.audienceLabel,
      repeat: form.repeatLabel,
      once: form.once,
      series: form.series,
      date: form.dateLabel,
      to: form.toLabel,
      everyWeeks: form.everyWeeksLabel,
      time: form.timeLabel,
      save: form.save,
    },
    verbs: { save: VERBS.nudgeCreate },
    formId,
  });
}

/** Who a nudge goes to, in words. */
export function audienceText(strings: Strings, nudge: Pick<Nudge, 'audience'>): string {
  const { audience } = nudge;
  return audience.kind === 'conversation'
    ? strings.nudges.audience.conversation(audience.name)
    : audience.kind === 'group'
      ? strings.nudges.audience.group(audience.name)
      : strings.nudges.audience.dialogue(audience.name);
}

/** The most nudges one list card shows (newest first), so that it stays well within 40 KB with 500-character texts. */
export const MAX_LISTED_NUDGES = 20;

/** The nudges with their next sending and, for each, Pausa or Återuppta and Stoppa. */
export function nudgeListCard(
  strings: Strings,
  language: Language,
  timeZone: string,
  nudges: Nudge[],
  options: {
    personal: boolean;
    notice?: Notice;
    /** Whether the reader may make a nudge here (the empty list then says how); default yes. */ mayCreate?: boolean;
  },
): AdaptiveCard {
  const list = strings.nudges.list;
  const none = options.mayCreate === false ? (options.personal ? list.noneToRead : list.noneToReadMention) : options.personal ? list.none : list.noneMention;
  return expandCard('nudgeList', {
    title: options.personal ? list.titlePersonal : list.title,
    notice: options.notice?.text ?? '',
    noticeGood: options.notice?.good ?? true,
    more: nudges.length > MAX_LISTED_NUDGES ? list.more(nudges.length - MAX_LISTED_NUDGES) : '',
    nudges: nudges.slice(0, MAX_LISTED_NUDGES).map((nudge) => {
      const { schedule } = nudge;
      const when =
        schedule.kind === 'once'
          ? list.once(list.at(shortDate(language, schedule.date), schedule.time))
          : list.series(schedule.everyWeeks, shortDate(language, schedule.from), shortDate(language, schedule.to), schedule.time);
      const state = nudge.status === 'active' && nudge.next ? list.next(formatSending(strings, language, nudge.next.at, timeZone)) : list.status[nudge.status];
      return {
        id: nudge.id,
        tieLine: noAccidentalList(tieLine(strings, nudge.tie)),
        text: noAccidentalList(nudge.text),
        details: [list.to(audienceText(strings, nudge)), when, state, list.sent(nudge.sentCount)].join(' · '),
        canPause: nudge.status === 'active',
        canResume: nudge.status === 'paused',
        canStop: nudge.status === 'active' || nudge.status === 'paused',
      };
    }),
    labels: { none, pause: list.pause, resume: list.resume, stop: list.stop },
    verbs: { pause: VERBS.nudgePause, resume: VERBS.nudgeResume, stop: VERBS.nudgeStop },
  });
}

/** The choices of the form, in words. */
export function formChoices(
  strings: Strings,
  options: { ties: { value: string; tie: NudgeTie }[]; audiences: { value: string; audience: Nudge['audience'] }[] },
): NudgeFormChoices {
  return {
    ties: options.ties.map((o) => ({ value: o.value, title: tieLine(strings, o.tie) })),
    audiences: options.audiences.map((o) => ({ value: o.value, title: audienceText(strings, o) })),
  };
}
