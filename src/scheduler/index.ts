export * from './jobHandlers';
export * from './jobs';
export * from './recurrence';
export * from './scheduler';
export * from './schedulerOptions';
