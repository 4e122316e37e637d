// urql's client pieces, re-exported for code outside the web package (the unit
// tests in test/unit/web-*.test.ts), which cannot resolve @urql/vue through
// pnpm's layout on its own. The app imports @urql/vue directly.
export { Client, subscriptionExchange } from '@urql/vue';
export type { AnyVariables, OperationResult, TypedDocumentNode } from '@urql/vue';
