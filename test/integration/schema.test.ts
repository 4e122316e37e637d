// The committed contracts stay true: schema.graphql matches the server, the
// server implements the design's public API, and the migrations carry exactly
// what schema.prisma describes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildSchema, isInputObjectType, isInterfaceType, isObjectType, lexicographicSortSchema, printSchema, type GraphQLField,
  type GraphQLNamedType, type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { pendingSchemaDiff } from '../../server/src/db/migrate.ts';
import { schema } from '../../server/src/graphql/schema.ts';
import { createTestDatabase } from '../helpers/db.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const designPath = path.resolve(repo, '../shared/design/api.graphql');

function fieldsOf(type: GraphQLNamedType): Record<string, GraphQLField<unknown, unknown>> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields() : undefined;
}

function missingFromServer(design: GraphQLSchema, server: GraphQLSchema): string[] {
  const problems: string[] = [];
  for (const type of Object.values(design.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    const ours = server.getType(type.name);
    if (!ours) {
      problems.push(`type ${type.name} is missing`);
      continue;
    }
    if (isInputObjectType(type)) {
      const mine = isInputObjectType(ours) ? ours.getFields() : {};
      for (const [name, field] of Object.entries(type.getFields())) {
        if (!mine[name]) problems.push(`${type.name}.${name} is missing`);
        else if (String(mine[name].type) !== String(field.type)) problems.push(`${type.name}.${name} is ${String(mine[name].type)}, the design says ${String(field.type)}`);
      }
      continue;
    }
    const designFields = fieldsOf(type);
    const ourFields = fieldsOf(ours);
    if (!designFields) continue;
    for (const [name, field] of Object.entries(designFields)) {
      const mine = ourFields?.[name];
      if (!mine) {
        problems.push(`${type.name}.${name} is missing`);
        continue;
      }
      if (String(mine.type) !== String(field.type)) problems.push(`${type.name}.${name} is ${String(mine.type)}, the design says ${String(field.type)}`);
      for (const arg of field.args) {
        const myArg = mine.args.find((a) => a.name === arg.name);
        if (!myArg) problems.push(`${type.name}.${name}(${arg.name}) is missing`);
        else if (String(myArg.type) !== String(arg.type)) problems.push(`${type.name}.${name}(${arg.name}) is ${String(myArg.type)}, the design says ${String(arg.type)}`);
        else if (JSON.stringify(myArg.defaultValue) !== JSON.stringify(arg.defaultValue)) problems.push(`${type.name}.${name}(${arg.name}) defaults to ${JSON.stringify(myArg.defaultValue)}, the design says ${JSON.stringify(arg.defaultValue)}`);
      }
    }
  }
  return problems;
}

describe('schema contracts', () => {
  it('schema.graphql is up to date (run `npm run codegen` after changing the API)', () => {
    const committed = buildSchema(readFileSync(path.join(repo, 'schema.graphql'), 'utf8'));
    expect(printSchema(lexicographicSortSchema(committed))).toBe(printSchema(lexicographicSortSchema(schema)));
  });

  it('implements every type, field, input field and argument of the design API with the same types', () => {
    const design = buildSchema(readFileSync(designPath, 'utf8'));
    expect(missingFromServer(design, schema)).toEqual([]);
  });

  it('the conformance check itself notices a missing field and a nullability change', () => {
    const design = buildSchema('type Query { a: String! b(x: Int = 5): Int }');
    const server = buildSchema('type Query { a: String b(x: Int = 6): Int }');
    expect(missingFromServer(design, server)).toEqual([
      'Query.a is String, the design says String!',
      'Query.b(x) defaults to 6, the design says 5',
    ]);
  });

  it('the conformance check notices a changed input field', () => {
    const design = buildSchema('input I { a: String! } type Query { q(i: I): Int }');
    const server = buildSchema('input I { a: String } type Query { q(i: I): Int }');
    expect(missingFromServer(design, server)).toEqual(['I.a is String, the design says String!']);
  });

  it('prisma/migrations carry everything in schema.prisma (run `npm run migration:new -- <name>`)', async () => {
    expect(await pendingSchemaDiff(await createTestDatabase())).toBe('');
  });
});
