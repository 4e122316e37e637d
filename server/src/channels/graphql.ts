// Each provider's own GraphQL fields (connect mutations, channel pickers).
import './slack/graphql.ts';
import './twilio/graphql.ts';
import './sendgrid/graphql.ts';
