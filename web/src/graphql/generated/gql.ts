/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}": typeof types.MeDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": typeof types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": typeof types.SignOutDocument,
    "mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": typeof types.SignUpDocument,
    "subscription TaskCreated {\n  taskCreated {\n    id\n  }\n}": typeof types.TaskCreatedDocument,
};
const documents: Documents = {
    "query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}": types.MeDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": types.SignOutDocument,
    "mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}": types.SignUpDocument,
    "subscription TaskCreated {\n  taskCreated {\n    id\n  }\n}": types.TaskCreatedDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}"): (typeof documents)["query Me {\n  me {\n    id\n    name\n    email\n    role\n  }\n  workspace {\n    id\n    name\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut {\n  signOut\n}"): (typeof documents)["mutation SignOut {\n  signOut\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["mutation SignUp($workspaceName: String!, $name: String!, $email: String!, $password: String!) {\n  signUp(\n    workspaceName: $workspaceName\n    name: $name\n    email: $email\n    password: $password\n  ) {\n    token\n    member {\n      id\n      name\n      email\n      role\n    }\n    workspace {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription TaskCreated {\n  taskCreated {\n    id\n  }\n}"): (typeof documents)["subscription TaskCreated {\n  taskCreated {\n    id\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;