import { type AdaptiveCard, type Choice, expandCard, MAX_REFRESH_USERS } from './render';
import { VERBS } from './verbs';

/** Typed renders of the fokusområde and processkarta cards (adaptiveCards/focusArea*.json, processMap*.json). */

export { MAX_REFRESH_USERS };

/** A card shown in a channel: Universal Actions refresh fetches each listed person's own view (the principals' has Ändra). */
function withRefresh(card: AdaptiveCard): AdaptiveCard {
  // A card without anyone to refresh for carries no refresh at all.
  if (!card.refresh) delete card.refresh;
  return card;
}

export interface FocusAreaCardData {
  title: string;
  notice: string;
  noticeGood: boolean;
  hasFocus: boolean;
  focusTitle: string;
  period: string;
  why: string;
  /** The linked school goals, each with its number in the school's list. */
  goals: string[];
  versionText: string;
  canEdit: boolean;
  /** "Ändra", or "Lägg till" while there is none. */
  editLabel: string;
  labels: { none: string; why: string; goals: string; show: string };
  schoolId: string;
  /** Teams user ids (29:…) whose clients fetch their own view; at most MAX_REFRESH_USERS. */
  refreshUserIds: string[];
}

export function renderFocusAreaCard(data: FocusAreaCardData): AdaptiveCard {
  return withRefresh(expandCard('focusArea', { ...data, verbs: { show: VERBS.focusAreaShow, edit: VERBS.focusAreaEdit } }));
}

/** A field's problem as said next to it; empty when none. */
export type FieldMessages<F extends string> = Record<F, string>;

/** What a fokusområde form shows, the school's own and the cascade's (cascadeFocus.ts) alike. */
export interface FocusFormCardFields {
  title: string;
  intro: string;
  notice: string;
  values: { title: string; period: string; why: string; goals: string };
  problems: FieldMessages<'title' | 'period' | 'why' | 'goals'>;
  limits: { title: number; period: number; why: number };
  /** The goals to choose from, "1", "2", … as values. */
  goals: Choice[];
  labels: {
    title: string;
    titlePlaceholder: string;
    titleRequired: string;
    period: string;
    periodPlaceholder: string;
    why: string;
    goals: string;
    save: string;
  };
}

export interface FocusAreaFormCardData extends FocusFormCardFields {
  labels: FocusFormCardFields['labels'] & { cancel: string };
  schoolId: string;
  /** The version the form was opened on (0: none yet); a save from an older one is refused. */
  version: number;
}

export function renderFocusAreaFormCard(data: FocusAreaFormCardData): AdaptiveCard {
  return expandCard('focusAreaForm', { ...data, verbs: { save: VERBS.focusAreaSave, show: VERBS.focusAreaShow } });
}

export interface ProcessMapCardData {
  title: string;
  intro: string;
  notice: string;
  steps: { heading: string; who: string; when: string; withWhom: string }[];
  versionText: string;
  canEdit: boolean;
  labels: { none: string; edit: string; show: string };
  schoolId: string;
  refreshUserIds: string[];
}

export function renderProcessMapCard(data: ProcessMapCardData): AdaptiveCard {
  return withRefresh(expandCard('processMap', { ...data, verbs: { show: VERBS.processMapShow, edit: VERBS.processMapEdit } }));
}

export interface ProcessMapEditorCardData {
  title: string;
  intro: string;
  notice: string;
  noticeGood: boolean;
  steps: { index: number; heading: string; details: string }[];
  /** Said instead of the add button when the processkarta has the most steps it may have. */
  full: string;
  labels: { none: string; editStep: string; remove: string; moveUp: string; add: string; done: string };
  schoolId: string;
  version: number;
}

export function renderProcessMapEditorCard(data: ProcessMapEditorCardData): AdaptiveCard {
  return expandCard('processMapEditor', {
    ...data,
    verbs: { step: VERBS.processMapStep, remove: VERBS.processMapRemove, moveUp: VERBS.processMapMoveUp, show: VERBS.processMapShow },
  });
}

export interface ProcessStepFormCardData {
  title: string;
  subtitle: string;
  notice: string;
  values: { what: string; who: string; when: string; withWhom: string };
  problems: FieldMessages<'what' | 'who' | 'when' | 'withWhom'>;
  limits: { what: number; who: number; when: number; withWhom: number };
  labels: {
    what: string;
    whatPlaceholder: string;
    whatRequired: string;
    who: string;
    whoRequired: string;
    when: string;
    whenRequired: string;
    withWhom: string;
    save: string;
    cancel: string;
  };
  schoolId: string;
  version: number;
  /** The step's place from 0; -1 for a new step. */
  index: number;
}

export function renderProcessStepFormCard(data: ProcessStepFormCardData): AdaptiveCard {
  return expandCard('processMapStep', { ...data, verbs: { save: VERBS.processMapSaveStep, editor: VERBS.processMapEdit } });
}
