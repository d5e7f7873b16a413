// The fake Linear's GraphQL layer: builds linear-schema.graphql (a true subset of Linear's
// schema) with graphql-js, attaches resolvers that read and change the workspace, and runs one
// request the way Linear answers it. Before executing, it rejects what Linear rejects: syntax
// and validation errors (HTTP 400, GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED), bad
// variables (400, BAD_USER_INPUT), `first` or `last` outside 0..250 on any field and queries
// whose estimated complexity exceeds 10,000 points (400, INPUT_ERROR). The estimate follows
// Linear's published rule, as shared/contract/check-linear.js does: 1 point per object, 0.1 per
// scalar, a connection's contents multiplied by `first` (or `last`, else 50), rounded up.
// Resolver errors come back with HTTP 200 and `errors[]`, as GraphQL partial results do.
'use strict';
module.paths.push('/usr/share/nodejs');
const fs = require('fs');
const path = require('path');
const {
  buildSchema, parse, validate, execute, getOperationAST, getNamedType, isObjectType,
  isInterfaceType, valueFromASTUntyped, Kind,
} = require('graphql');
const { getVariableValues, getArgumentValues } = require('graphql/execution/values');
const { LinearError, argumentError, notFound, unsupported } = require('./linear-fake-store');
const { compileFilter } = require('./linear-fake-filter');

const MAX_PAGE = 250;
const DEFAULT_PAGE = 50;
const COMPLEXITY_LIMIT = 10000;
const TIMELESS_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

const errorBody = (message, extensions) => ({ errors: [{ message, extensions }] });
const badRequest = (message) => ({ status: 400, body: errorBody(message, { code: 'BAD_REQUEST' }), complexity: 0 });
const graphqlError = (code, errors) => ({
  status: 400,
  body: {
    errors: errors.map((e) => ({ ...e.toJSON(), extensions: { code, type: 'graphql error', userError: true } })),
  },
  complexity: 0,
});
function inputErrorAnswer(message, complexity) {
  return {
    status: 400,
    body: errorBody(message, {
      code: 'INPUT_ERROR', type: 'invalid input', userError: true, statusCode: 400, userPresentableMessage: message,
    }),
    complexity,
  };
}

function checkTimelessDate(value) {
  const m = typeof value === 'string' && TIMELESS_DATE_RE.exec(value);
  const date = m && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  if (!date || date.getUTCMonth() !== +m[2] - 1 || date.getUTCDate() !== +m[3]) {
    throw new TypeError('linear-fake takes a TimelessDate as yyyy-mm-dd only');
  }
  return value;
}

function checkJsonObject(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new TypeError('expected a JSON object');
  }
  return value;
}

// Input scalars that the fake checks; the others pass through as graphql-js leaves them.
function tightenScalars(schema) {
  for (const [name, check] of [['TimelessDate', checkTimelessDate], ['JSONObject', checkJsonObject]]) {
    const scalar = schema.getType(name);
    scalar.parseValue = check;
    scalar.parseLiteral = (node, variables) => {
      if (node.kind === Kind.VARIABLE) return check(variables && variables[node.name.value]);
      if (node.kind === Kind.STRING) return check(node.value);
      if (node.kind === Kind.OBJECT) return check(valueFromASTUntyped(node, variables));
      throw new TypeError(`expected a ${name}`);
    };
  }
}

// One page of a connection, Relay style; cursors encode the sort key, so they stay valid
// while records are added.
function paginate(items, args) {
  const orderBy = args.orderBy || 'createdAt';
  const key = orderBy === 'updatedAt' ? 'updatedSeq' : 'seq';
  const list = [...items].sort((a, b) => a[key] - b[key]);
  const encode = (x) => Buffer.from(`${orderBy}:${x[key]}`).toString('base64url');
  const decode = (cursor, name) => {
    const m = /^(\w+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
    if (!m || m[1] !== orderBy) throw argumentError(`${name} is not a cursor of this connection.`);
    return Number(m[2]);
  };
  const indexOr = (i, fallback) => (i < 0 ? fallback : i);
  let start = 0;
  let end = list.length;
  if (args.after != null) {
    const k = decode(args.after, 'after');
    start = indexOr(list.findIndex((x) => x[key] > k), list.length);
  }
  if (args.before != null) {
    const k = decode(args.before, 'before');
    end = Math.max(start, indexOr(list.findIndex((x) => x[key] >= k), list.length));
  }
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  if (args.first == null && args.last == null) end = Math.min(end, start + DEFAULT_PAGE);
  const nodes = list.slice(start, end);
  const edges = nodes.map((node) => ({ node, cursor: encode(node) }));
  return {
    nodes,
    edges,
    pageInfo: {
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
      hasPreviousPage: start > 0,
      hasNextPage: end < list.length,
    },
  };
}

function resolversFor(ws) {
  const issueArchived = (a) => ws.issue(a.issueId).archivedAt != null;
  // A connection over `items` of `entity`: archived ones hidden unless asked, then filtered.
  const connection = (entity, items, args, isArchived = (x) => x.archivedAt != null) => {
    const passes = compileFilter(entity, args.filter || {});
    return paginate(items.filter((x) => (args.includeArchived || !isArchived(x)) && passes(x, ws)), args);
  };
  const payload = (key, value) => ({ success: true, lastSyncId: ws.state.syncId, [key]: value });
  const mutation = (fn) => (source, args, context) => {
    if (context.readOnly) {
      throw new LinearError('Invalid scope: `write` required', {
        code: 'FORBIDDEN', type: 'forbidden', userError: true, statusCode: 403,
        userPresentableMessage: 'You do not have permission to perform this action.',
      });
    }
    return ws.transaction(() => fn(args));
  };
  const noSort = (args, field) => {
    if (args.sort) throw unsupported(`${field}(sort:)`);
  };

  return {
    Query: {
      viewer: () => ws.viewer(),
      teams: (_, args) => connection('Team', ws.state.teams, args),
      team: (_, { id }) => {
        const team = ws.team(id);
        if (!team) throw notFound('Team');
        return team;
      },
      workflowStates: (_, args) => connection('WorkflowState', ws.state.states, args),
      users: (_, args) => {
        noSort(args, 'users');
        return connection('User', ws.state.users.filter((u) => args.includeDisabled || u.active), args);
      },
      issueLabels: (_, args) => connection('IssueLabel', ws.state.labels, args),
      issues: (_, args) => {
        noSort(args, 'issues');
        return connection('Issue', ws.state.issues, args);
      },
      issue: (_, { id }) => ws.requireIssue(id),
      attachments: (_, args) => connection('Attachment', ws.state.attachments, args, issueArchived),
      attachmentsForURL: (_, args) => connection('Attachment',
        ws.state.attachments.filter((a) => a.url === args.url), args, issueArchived),
      rateLimitStatus: (_, __, context) => context.rateLimitStatus(),
    },
    Mutation: {
      issueCreate: mutation(({ input }) => payload('issue', ws.createIssue(input))),
      issueBatchCreate: mutation(({ input }) => payload('issues', ws.createIssues(input.issues))),
      issueUpdate: mutation(({ id, input }) => payload('issue', ws.updateIssue(id, input))),
      issueLabelCreate: mutation(({ input, replaceTeamLabels }) => payload('issueLabel',
        ws.createLabel(input, replaceTeamLabels))),
      attachmentCreate: mutation(({ input }) => payload('attachment', ws.createAttachment(input))),
      attachmentDelete: mutation(({ id }) => payload('entityId', ws.deleteAttachment(id).id)),
    },
    User: { organization: () => ws.state.organization },
    Team: {
      organization: () => ws.state.organization,
      states: (team, args) => connection('WorkflowState', ws.state.states.filter((s) => s.teamId === team.id), args),
    },
    WorkflowState: { team: (s) => ws.team(s.teamId) },
    IssueLabel: { team: (l) => (l.teamId ? ws.team(l.teamId) : null) },
    Issue: {
      url: (i) => ws.issueUrl(i),
      state: (i) => ws.workflowState(i.stateId),
      assignee: (i) => ws.user(i.assigneeId),
      team: (i) => ws.team(i.teamId),
      labels: (i, args) => connection('IssueLabel', ws.issueLabels(i), args),
      // Archiving an issue archives its attachments: hidden here as at the root unless asked.
      attachments: (i, args) => connection('Attachment', ws.issueAttachments(i), args, issueArchived),
    },
    Attachment: {
      issue: (a) => ws.issue(a.issueId),
      archivedAt: (a) => ws.issue(a.issueId).archivedAt,
    },
  };
}

function installResolvers(schema, resolvers) {
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const typeFields = schema.getType(typeName).getFields();
    for (const [fieldName, resolve] of Object.entries(fields)) {
      if (!typeFields[fieldName]) throw new Error(`resolver for unknown field ${typeName}.${fieldName}`);
      typeFields[fieldName].resolve = resolve;
    }
  }
}

// Walks a selection set: returns its estimated complexity and records pagination problems.
function measure(schema, selectionSet, parentType, fragments, variables, problems) {
  let total = 0;
  for (const sel of selectionSet.selections) {
    if (sel.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments[sel.name.value];
      const type = schema.getType(fragment.typeCondition.name.value);
      total += measure(schema, fragment.selectionSet, type, fragments, variables, problems);
      continue;
    }
    if (sel.kind === Kind.INLINE_FRAGMENT) {
      const type = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parentType;
      total += measure(schema, sel.selectionSet, type, fragments, variables, problems);
      continue;
    }
    if (sel.name.value.startsWith('__')) continue;
    const field = (isObjectType(parentType) || isInterfaceType(parentType)) && parentType.getFields()[sel.name.value];
    const args = getArgumentValues(field, sel, variables);
    for (const name of ['first', 'last']) {
      if (args[name] != null && (args[name] < 0 || args[name] > MAX_PAGE)) {
        problems.push(`${sel.name.value}(${name}: ${args[name]}): ${name} must be between 0 and ${MAX_PAGE}.`);
      }
    }
    if (!sel.selectionSet) {
      total += 0.1;
      continue;
    }
    const inner = getNamedType(field.type);
    const multiplier = /Connection$/.test(inner.name) ? (args.first ?? args.last ?? DEFAULT_PAGE) : 1;
    total += multiplier * (1 + measure(schema, sel.selectionSet, inner, fragments, variables, problems));
  }
  return total;
}

function createGraphql(ws) {
  const schema = buildSchema(fs.readFileSync(path.join(__dirname, 'linear-schema.graphql'), 'utf8'));
  tightenScalars(schema);
  installResolvers(schema, resolversFor(ws));

  // The operation a request body names, for request statistics; null when it has none.
  function describe(body) {
    try {
      const op = getOperationAST(parse(body.query), body.operationName);
      return op && { name: op.name ? op.name.value : 'anonymous', type: op.operation };
    } catch (e) {
      return null;
    }
  }

  // Runs one request body; answers {status, body, complexity}. context: {readOnly, rateLimitStatus()}.
  function run(body, context) {
    if (typeof body.query !== 'string') {
      return badRequest('POST body must be a JSON object with a string "query".');
    }
    let document;
    try {
      document = parse(body.query);
    } catch (e) {
      return graphqlError('GRAPHQL_PARSE_FAILED', [e]);
    }
    const errors = validate(schema, document);
    if (errors.length) return graphqlError('GRAPHQL_VALIDATION_FAILED', errors);
    const operation = getOperationAST(document, body.operationName);
    if (!operation) {
      return badRequest(body.operationName ? `Unknown operation named "${body.operationName}".`
        : 'Must provide operation name if query contains multiple operations.');
    }
    if (body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) {
      return badRequest('"variables" must be a JSON object.');
    }
    const coerced = getVariableValues(schema, operation.variableDefinitions || [], body.variables || {});
    if (coerced.errors) return graphqlError('BAD_USER_INPUT', coerced.errors);

    const fragments = {};
    for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
    const problems = [];
    // Rounded up, less a hair so that ten 0.1s of floating point make 1, not 2.
    const estimate = measure(schema, operation.selectionSet, root, fragments, coerced.coerced, problems);
    const complexity = Math.ceil(estimate - 1e-9);
    if (problems.length) return inputErrorAnswer(problems[0], complexity);
    if (complexity > COMPLEXITY_LIMIT) {
      return inputErrorAnswer(`The query is too complex. Complexity: ${complexity}. `
        + `Maximum allowed complexity: ${COMPLEXITY_LIMIT}.`, complexity);
    }
    const result = execute({
      schema, document, operationName: body.operationName, variableValues: body.variables, contextValue: context,
    });
    return { status: 200, body: result, complexity };
  }

  return { describe, run };
}

module.exports = { createGraphql };
