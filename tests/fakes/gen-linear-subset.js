#!/usr/bin/env node
// Generates linear-schema.graphql, the subset of Linear's published GraphQL schema that the
// fake Linear serves and pmsync may use.
//
//   node tests/fakes/gen-linear-subset.js [path/to/linear.graphql] > tests/fakes/linear-schema.graphql
//
// The subset must stay a true subset: every query that validates against it must validate
// against the real schema too. So object types keep only the fields listed in PICK below, but
// every kept field keeps all its arguments unchanged, and every input type, enum and scalar
// reachable from a kept field is copied whole, recursively. Descriptions are dropped to keep the
// file readable; everything else (types, default values, @deprecated) is printed from the real
// schema's own syntax nodes. Run it once when PICK changes; check-linear-subset.js verifies the
// result against the real schema.
'use strict';
module.paths.push('/usr/share/nodejs');
const fs = require('fs');
const path = require('path');
const crypto = require('crypto');
const {
  buildSchema, print, visit, getNamedType, isObjectType, isInterfaceType, isInputObjectType,
  isSpecifiedScalarType,
} = require('graphql');

// Object and interface types to keep, with the fields to keep; '*' keeps every field.
const PICK = {
  Query: ['viewer', 'teams', 'team', 'workflowStates', 'users', 'issueLabels', 'issues', 'issue',
    'attachments', 'attachmentsForURL', 'rateLimitStatus'],
  Mutation: ['issueCreate', 'issueBatchCreate', 'issueUpdate', 'issueLabelCreate', 'attachmentCreate',
    'attachmentDelete'],
  Node: ['id'],
  Organization: ['id', 'name', 'urlKey', 'createdAt', 'updatedAt', 'archivedAt'],
  User: ['id', 'name', 'displayName', 'email', 'active', 'organization', 'createdAt', 'updatedAt',
    'archivedAt'],
  Team: ['id', 'key', 'name', 'description', 'triageEnabled', 'organization', 'states', 'createdAt',
    'updatedAt', 'archivedAt'],
  WorkflowState: ['id', 'name', 'type', 'position', 'color', 'description', 'team', 'createdAt',
    'updatedAt', 'archivedAt'],
  IssueLabel: ['id', 'name', 'color', 'description', 'isGroup', 'team', 'createdAt', 'updatedAt',
    'archivedAt'],
  Issue: ['id', 'identifier', 'url', 'title', 'description', 'dueDate', 'priority', 'labelIds',
    'archivedAt', 'completedAt', 'canceledAt', 'startedAt', 'autoClosedAt', 'trashed', 'createdAt',
    'updatedAt', 'number', 'previousIdentifiers', 'state', 'assignee', 'team', 'labels',
    'attachments'],
  Attachment: ['id', 'url', 'title', 'subtitle', 'metadata', 'issue', 'createdAt', 'updatedAt',
    'archivedAt'],
  PageInfo: '*',
  IssueConnection: '*', IssueEdge: '*',
  AttachmentConnection: '*', AttachmentEdge: '*',
  TeamConnection: '*', TeamEdge: '*',
  UserConnection: '*', UserEdge: '*',
  WorkflowStateConnection: '*', WorkflowStateEdge: '*',
  IssueLabelConnection: '*', IssueLabelEdge: '*',
  IssuePayload: '*', IssueBatchPayload: '*', IssueLabelPayload: '*', AttachmentPayload: '*',
  DeletePayload: '*',
  RateLimitPayload: '*', RateLimitResultPayload: '*',
};

function fail(msg) {
  process.stderr.write(`gen-linear-subset: ${msg}\n`);
  process.exit(1);
}

const schemaPath = process.argv[2] || path.join(__dirname, '..', '..', '..', 'shared', 'schemas', 'linear.graphql');
let source;
try {
  source = fs.readFileSync(schemaPath, 'utf8');
} catch (e) {
  fail(`cannot read '${schemaPath}': ${e.message}`);
}
const schema = buildSchema(source, { assumeValidSDL: true });
const noDescriptions = (node) => visit(node, {
  enter: (n) => (n.description ? { ...n, description: undefined } : undefined),
});

// Leaf and input types reached from kept fields, collected by name.
const copied = new Set();
function copyWhole(type) {
  const named = getNamedType(type);
  if (isSpecifiedScalarType(named) || copied.has(named.name)) return;
  if (isObjectType(named) || isInterfaceType(named)) {
    if (!PICK[named.name]) fail(`${named.name} is used by a kept field but is not in PICK`);
    return;
  }
  copied.add(named.name);
  if (isInputObjectType(named)) for (const f of Object.values(named.getFields())) copyWhole(f.type);
}

const blocks = [];
for (const [typeName, wanted] of Object.entries(PICK)) {
  const type = schema.getType(typeName);
  if (!type || !(isObjectType(type) || isInterfaceType(type))) fail(`${typeName} is not an object or interface type`);
  const all = type.getFields();
  const names = wanted === '*' ? Object.keys(all) : wanted;
  const fields = names.map((name) => {
    const field = all[name];
    if (!field) fail(`${typeName}.${name} does not exist`);
    copyWhole(field.type);
    for (const arg of field.args) copyWhole(arg.type);
    return field.astNode;
  });
  const interfaces = type.getInterfaces().filter((i) => PICK[i.name]).map((i) => i.astNode.name);
  blocks.push(print(noDescriptions({ ...type.astNode, interfaces, fields, directives: [] })));
}
for (const name of [...copied].sort()) blocks.push(print(noDescriptions(schema.getType(name).astNode)));

const digest = crypto.createHash('sha256').update(source).digest('hex');
process.stdout.write(`# Subset of Linear's GraphQL schema served by tests/fakes/linear-fake.
# Generated by tests/fakes/gen-linear-subset.js from shared/schemas/linear.graphql
# (sha256 ${digest}).
# Do not edit by hand: change PICK in the generator and rerun it.
# Object types keep only the fields pmsync uses, each with all its real arguments; input
# types, enums and scalars are copied whole, so a query valid here is valid against Linear.

schema {
  query: Query
  mutation: Mutation
}

${blocks.join('\n\n')}
`);
