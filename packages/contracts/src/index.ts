export * from './auth.ts';
export * from './common.ts';
export * from './tokens.ts';
export * from './workers.ts';
