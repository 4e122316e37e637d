// `npm run codegen`: prints the server's schema (built from the Pothos modules)
// to the committed schema.graphql, then generates the web app's typed documents
// from it. A test fails when schema.graphql is stale.
import type { CodegenConfig } from '@graphql-codegen/cli';
import { printSchemaSDL } from './server/src/graphql/schema.ts';

const schemaSDL = printSchemaSDL();

const config: CodegenConfig = {
  overwrite: true,
  ignoreNoDocuments: true,
  generates: {
    'schema.graphql': {
      schema: schemaSDL,
      plugins: [{ add: { content: '# Generated from server/src/graphql by `npm run codegen`. Do not edit.' } }, 'schema-ast'],
      config: { includeDirectives: false, sort: true },
    },
    'web/src/graphql/generated/': {
      schema: schemaSDL,
      documents: ['web/src/**/*.graphql'],
      preset: 'client',
      config: { useTypeImports: true, enumsAsTypes: true },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
