import type { OverarchingWritten } from '../domain/followUpRollupAnalyses';
import type { Language, Strings } from '../i18n';
import { entryBytes, LIST_BUDGET_BYTES } from './budget';
import { formatDate } from './goalViews';
import { type AdaptiveCard, expandCard } from './render';
import { VERBS } from './verbs';

/**
 * The schools' written analyses side by side for the manager
 * (adaptiveCards/followUpRollupAnalyses.json), in 1:1 only: per
 * overarching goal each school stacked under the other, its analysis of
 * each goal serving it shown whole (three texts of at most 2,000
 * characters). Many schools make pages: a school's block under one goal is
 * never split, and the blocks fill a page up to LIST_BUDGET_BYTES, so a
 * page stays within 40 KB; "Nästa sida" and "Föregående sida" turn them.
 */

interface Block {
  goal: { id: string; title: string };
  school: OverarchingWritten['schools'][number];
}

/** What a school's block costs beyond its texts: its name, the goal heading and the containers around them. */
const BLOCK_OVERHEAD_BYTES = 400;

function bytesOf(block: Block): number {
  const texts = block.school.analyses.flatMap((a) => [a.goalTitle, a.shows, a.why, a.actions]);
  return entryBytes(block.school.schoolName, block.goal.title, ...texts) + BLOCK_OVERHEAD_BYTES + block.school.analyses.length * 4 * 64;
}

/** The blocks in order, cut into pages that each fit the budget (a block larger than the budget gets a page of its own). */
export function rollupAnalysisPages(lines: readonly OverarchingWritten[], budget = LIST_BUDGET_BYTES): Block[][] {
  const pages: Block[][] = [];
  let page: Block[] = [];
  let spent = 0;
  for (const line of lines) {
    for (const school of line.schools) {
      const block = { goal: { id: line.id, title: line.title }, school };
      const bytes = bytesOf(block);
      if (page.length > 0 && spent + bytes > budget) {
        pages.push(page);
        page = [];
        spent = 0;
      }
      page.push(block);
      spent += bytes;
    }
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** Page `page` (1-based, kept within the pages there are) of the schools' analyses. */
export function followUpRollupAnalysesCard(
  strings: Strings,
  language: Language,
  input: { schoolYear: string; written: readonly OverarchingWritten[]; page: number },
): AdaptiveCard {
  const w = strings.followUpRounds.written;
  const labels = strings.followUp.schoolAnalysis;
  const pages = rollupAnalysisPages(input.written);
  const count = Math.max(pages.length, 1);
  const page = Math.min(Math.max(Math.trunc(input.page), 1), count);
  const goals: { title: string; schools: unknown[] }[] = [];
  let current: { id: string; title: string; schools: unknown[] } | undefined;
  for (const block of pages[page - 1] ?? []) {
    if (current?.id !== block.goal.id) {
      current = { id: block.goal.id, title: w.goal(block.goal.title), schools: [] };
      goals.push(current);
    }
    current.schools.push({
      name: block.school.schoolName,
      analyses: block.school.analyses.map((a) => ({
        heading: `${a.goalTitle} (${w.version(a.version, formatDate(a.writtenAt.slice(0, 10), language))})`,
        shows: `**${labels.shows}** ${a.shows}`,
        why: `**${labels.why}** ${a.why}`,
        actions: `**${labels.actions}** ${a.actions}`,
      })),
    });
  }
  return expandCard('followUpRollupAnalyses', {
    title: w.title(input.schoolYear),
    intro: w.intro,
    pageText: count > 1 ? w.page(page, count) : '',
    labels: { none: w.none, previous: w.previous, next: w.next },
    goals,
    previousPage: page > 1 ? page - 1 : 0,
    nextPage: page < count ? page + 1 : 0,
    verb: VERBS.followUpRollupPage,
  });
}
