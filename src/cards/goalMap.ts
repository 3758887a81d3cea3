import type { GoalMap, GoalMapView, MapFocusArea, MapSchoolYear, MineMap, OrganisationMap, SchoolMap } from '../domain/goalMap';
import type { MapGroup } from '../domain/goalMapGroups';
import type { Strings } from '../i18n';
import { noAccidentalList, numbered } from './markdown';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * The goal map as a card (adaptiveCards/goalMap.json) and as Markdown text:
 * the same sections, so the card's fallbackText and the message sent when a
 * card cannot be built read alike. Each view is a list of sections, each a
 * heading, a note and short items (a title and a detail line): nothing
 * side by side, so it reads on a 360 px phone. The only goal text of a
 * person is the asker's own, in the "mine" view.
 */

/** A card over this size is sent as text instead (Teams' message limit is about 100 KB, with room for the activity). */
export const GOAL_MAP_CARD_BUDGET_BYTES = 40 * 1024;

interface Item {
  title: string;
  detail: string;
  color: 'Default' | 'Attention';
  subtle: boolean;
}

interface Section {
  heading: string;
  note: string;
  items: Item[];
}

export interface GoalMapCardData {
  title: string;
  subtitle: string;
  focus: string;
  focusDetail: string;
  empty: string;
  sections: Section[];
  privacy: string;
  /** The other views the person may switch to (at most two buttons in a row), in the läsår shown (named only when not the current one). */
  switches: { title: string; data: { view: GoalMapView; year?: string } }[];
  /** Above the buttons to other läsår; the buttons (at most MAX_YEAR_BUTTONS, newest first, each named by its short id so three fit on a phone) show this view of another läsår with data. */
  yearsLabel: string;
  years: { title: string; data: { view: GoalMapView; year: string } }[];
  fallbackText: string;
}

/** Buttons to other läsår on the map: one row on a phone. Older läsår are read with `målbild 2024-25`. */
export const MAX_YEAR_BUTTONS = 3;

/** What a view fills in; the rest is the same for every view. */
type Content = Pick<GoalMapCardData, 'sections' | 'privacy'> & Partial<Pick<GoalMapCardData, 'focus' | 'focusDetail' | 'empty'>>;

const item = (title: string, detail = '', gap = false): Item => ({ title, detail, color: gap ? 'Attention' : 'Default', subtle: !gap });

/**
 * What a goal map says, in one language, for the card and the text alike.
 * `years`: the läsår the view has data in, newest first; with more than
 * one, the card offers the others. `currentYearId`: the current läsår
 * (the map of another keeps its läsår when the view is switched).
 */
export function goalMapData(
  strings: Strings,
  map: GoalMap,
  views: readonly GoalMapView[],
  years: readonly MapSchoolYear[] = [],
  currentYearId = map.schoolYear.id,
): GoalMapCardData {
  const inYear = map.schoolYear.id === currentYearId ? {} : { year: map.schoolYear.id };
  const words = strings.goalMap;
  const content = map.view === 'mine' ? mineContent(strings, map) : map.view === 'school' ? schoolContent(strings, map) : allContent(strings, map);
  const data: GoalMapCardData = {
    title: words.titles[map.view] ?? '',
    subtitle: strings.schoolYear.yearName(map.schoolYear),
    focus: '',
    focusDetail: '',
    empty: '',
    ...content,
    sections: [...content.sections, ...groupSections(strings, map)],
    switches: views.filter((view) => view !== map.view).map((view) => ({ title: words.switches[view] ?? view, data: { view, ...inYear } })),
    yearsLabel: '',
    years: [],
    fallbackText: '',
  };
  if (years.length > 1) {
    data.yearsLabel = strings.schoolYear.goalMap.otherYears;
    data.years = years
      .filter((year) => year.id !== map.schoolYear.id)
      .slice(0, MAX_YEAR_BUTTONS)
      .map((year) => ({ title: year.id, data: { view: map.view, year: year.id } }));
  }
  data.fallbackText = shortText(goalMapText(data));
  return data;
}

function focusOf(strings: Strings, focus: MapFocusArea | undefined): { focus: string; focusDetail: string } {
  if (!focus) return { focus: '', focusDetail: '' };
  const words = strings.goalMap;
  return { focus: words.focusArea(focus.title), focusDetail: words.focusDetail(focus.period ?? '', words.list(focus.goalNumbers.map(String))) };
}

function mineContent(strings: Strings, map: MineMap): Content {
  const words = strings.goalMap;
  const mine = words.mine;
  const letters = new Map(map.overarching.map((goal) => [goal.id, goal.letter]));
  if (!map.dialogue) return { empty: mine.none, privacy: mine.privacy, sections: [] };
  const sections: Section[] = [
    {
      heading: mine.goalsHeading,
      note: map.dialogue.draft ? mine.draft(map.dialogue.title) : mine.from(map.dialogue.title),
      items: map.goals.map((goal) =>
        item(
          noAccidentalList(mine.goal(goal.number, goal.text)),
          goal.schoolGoals.length > 0 ? mine.servesSchool(words.list(goal.schoolGoals.map(String))) : mine.noSchoolGoal,
        ),
      ),
    },
  ];
  if (map.schoolGoals.length > 0) {
    sections.push({
      heading: words.schoolGoalsHeading(map.school?.name ?? ''),
      note: '',
      items: map.schoolGoals.map((goal) => item(numbered(goal.number, goal.title), servesText(strings, goal.serves, letters))),
    });
  }
  if (map.overarching.length > 0) {
    sections.push({ heading: words.overarchingHeading, note: '', items: map.overarching.map((goal) => item(lettered(goal.letter, goal.title))) });
  }
  if (map.framework.length > 0) {
    sections.push({
      heading: mine.frameworkHeading(map.frameworkName),
      note: '',
      items: map.framework.map((entry) =>
        item(entry.title, [mine.fromOverarching(words.list(entry.from)), ...entry.staffHows.map((how) => mine.how(how))].join(' ')),
      ),
    });
  }
  return { ...focusOf(strings, map.school?.focusArea), sections, privacy: mine.privacy };
}

function schoolContent(strings: Strings, map: SchoolMap): Content {
  const words = strings.goalMap;
  const school = words.school;
  const single = map.schools.length === 1 ? map.schools[0] : undefined;
  const sections = map.schools.flatMap((part): Section[] => {
    const letters = new Map(part.overarching.map((goal) => [goal.id, goal.letter]));
    const partFocus = focusOf(strings, part.focusArea);
    const note = [single ? '' : [partFocus.focus, partFocus.focusDetail].filter(Boolean).join(' · '), school.teachers(part.teachers)].filter(Boolean).join(' ');
    return [
      {
        heading: words.schoolGoalsHeading(part.name),
        note: part.goals.length > 0 ? note : `${school.noGoals} ${note}`,
        items: part.goals.map((goal) =>
          item(numbered(goal.number, goal.title), [school.counts(goal.confirmed, goal.drafts), servesText(strings, goal.serves, letters)].join(' · ')),
        ),
      },
      {
        heading: single ? words.overarchingHeading : `${words.overarchingHeading}: ${part.name}`,
        note: '',
        items: part.overarching.map((goal) =>
          goal.servedBy.length > 0
            ? item(lettered(goal.letter, goal.title), school.servedBy(words.list(goal.servedBy.map(String))))
            : item(lettered(goal.letter, goal.title), school.gap, true),
        ),
      },
    ];
  });
  return { ...focusOf(strings, single?.focusArea), sections, privacy: school.privacy };
}

function allContent(strings: Strings, map: OrganisationMap): Content {
  const words = strings.goalMap;
  const all = words.all;
  const letters = new Map(map.overarching.map((goal) => [goal.id, goal.letter]));
  // One item per school, its goals as paragraphs: a card for twenty schools stays within its budget.
  const sections: Section[] = map.schools.map((school) => {
    const focus = focusOf(strings, school.focusArea);
    const goals = school.goals.map((goal) => {
      const served = goal.serves.flatMap((id) => letters.get(id) ?? []);
      return `${numbered(goal.number, goal.title)}${served.length > 0 ? ` (${words.list(served)})` : ''}`;
    });
    const gaps = school.gaps.length > 0 ? all.gaps(words.list(school.gaps.map((goal) => goal.letter))) : '';
    return {
      heading: all.schoolHeading(school.name, school.goals.length),
      note: [focus.focus, focus.focusDetail].filter(Boolean).join(' · '),
      items: [item(goals.length > 0 ? goals.join('\n\n') : all.noGoals, gaps, gaps !== '')],
    };
  });
  sections.push({
    heading: words.overarchingHeading,
    note: '',
    items: map.overarching.map((goal) => item(lettered(goal.letter, goal.title), all.schools(goal.schools, map.schoolCount), goal.schools === 0)),
  });
  return { sections, privacy: all.privacy };
}

/**
 * The development areas, each with the groups across schools that work on
 * it (name, kind, members: counts only), then the groups that name no area.
 * In the overviews an area without a group this läsår is marked, as a gap is.
 */
function groupSections(strings: Strings, map: GoalMap): Section[] {
  const across = map.acrossSchools;
  if (!across || (across.areas.length === 0 && across.otherGroups.length === 0)) return [];
  const words = strings.goalMapGroups;
  const overview = map.view !== 'mine';
  const letters = new Map<string, string>(
    (map.view === 'school' ? (map.schools[0]?.overarching ?? []) : map.overarching).map((goal) => [goal.id, goal.letter]),
  );
  const groupLines = (groups: readonly MapGroup[]) =>
    groups.map((group) =>
      words.group(noAccidentalList(group.name), (strings.groups.kinds[group.kind] ?? group.kind).toLowerCase(), words.members(group.members)),
    );
  const items = across.areas.map((area) => {
    const lines = [servesText(strings, area.serves, letters), ...groupLines(area.groups)];
    if (area.groups.length === 0) lines.push(words.noGroups);
    return item(noAccidentalList(area.title), lines.filter(Boolean).join('\n\n'), overview && area.groups.length === 0);
  });
  if (across.otherGroups.length > 0) items.push(item(words.otherGroups, groupLines(across.otherGroups).join('\n\n')));
  return [{ heading: words.heading, note: overview ? words.note : words.mineNote, items }];
}

function servesText(strings: Strings, serves: readonly string[], letters: ReadonlyMap<string, string>): string {
  const served = serves.flatMap((id) => letters.get(id) ?? []);
  return served.length > 0 ? strings.goalMap.servesOverarching(strings.goalMap.list(served)) : '';
}

function lettered(letter: string, title: string): string {
  return `${letter}.\u00a0${noAccidentalList(title)}`;
}

/** Up to this many characters of the text go into the card's fallbackText; the whole text is sent when no card can be. */
const FALLBACK_TEXT_CHARS = 4000;

function shortText(text: string, chars = FALLBACK_TEXT_CHARS): string {
  if (text.length <= chars) return text;
  const cut = text.lastIndexOf('\n\n', chars - 1);
  return `${text.slice(0, cut > 0 ? cut : chars - 1)}\n\n…`;
}

/** The map as Markdown: what the card's fallbackText holds, and the message when no card can be sent. */
export function goalMapText(data: Omit<GoalMapCardData, 'fallbackText' | 'switches' | 'years' | 'yearsLabel'>): string {
  const lines = [`**${data.title}**`, data.subtitle];
  if (data.focus) lines.push('', [data.focus, data.focusDetail].filter(Boolean).join(' · '));
  if (data.empty) lines.push('', data.empty);
  for (const section of data.sections) {
    lines.push('', `**${section.heading}**`);
    if (section.note) lines.push(section.note);
    for (const entry of section.items) lines.push([entry.title, entry.detail].filter(Boolean).join(' · '));
  }
  lines.push('', `_${data.privacy}_`);
  return lines.join('\n\n').replace(/\n\n\n\n/g, '\n\n');
}

/**
 * Shorter fallbackTexts tried, in turn, when the card is over its budget:
 * Teams draws the card itself and its notification shows the summary, so
 * the fallbackText gives way before the card is sent as text.
 */
const SHORTER_FALLBACK_CHARS = [2000, 1000, 500] as const;

export function goalMapCard(data: GoalMapCardData): AdaptiveCard {
  const expand = (fallbackText: string) => expandCard('goalMap', { ...data, fallbackText, verbs: { show: VERBS.goalMapShow } });
  let card = expand(data.fallbackText);
  for (const chars of SHORTER_FALLBACK_CHARS) {
    if (Buffer.byteLength(JSON.stringify(card), 'utf8') <= GOAL_MAP_CARD_BUDGET_BYTES || data.fallbackText.length <= chars) break;
    card = expand(shortText(data.fallbackText, chars));
  }
  return card;
}
