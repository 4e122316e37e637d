// Registers every module on the builder and builds the schema once.
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.ts';
import './modules/enums.ts';
import './modules/workspace.ts';
import './modules/members.ts';
import './modules/auth.ts';
import './modules/contacts.ts';
import './modules/integrations.ts';
import './modules/messages.ts';
import './modules/tasks.ts';
import './modules/subscriptions.ts';
import './modules/replies.ts';
import '../channels/graphql.ts';

export const schema: GraphQLSchema = builder.toSchema();

/** The SDL committed as schema.graphql (sorted, so diffs stay readable). */
export function printSchemaSDL(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
