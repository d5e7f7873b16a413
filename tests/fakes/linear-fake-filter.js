// Compiles Linear's filter inputs (IssueFilter, AttachmentFilter, TeamFilter, UserFilter,
// IssueLabelFilter, WorkflowStateFilter and their Nullable and Collection forms) into
// predicates over the fake's records, generically: FIELDS says, per entity, which filter
// fields the fake knows and whether each is a scalar compared with a comparator, a relation
// to another entity (with `null: true|false` on nullable ones) or a collection (`some`,
// `every`, `length`, `null`, or element fields meaning "some element matches"). A filter
// field or comparator the fake does not know raises a FAKE_UNSUPPORTED error before anything
// is matched, rather than being ignored. Like Linear, a comparator or field whose value is
// null or absent (an unset variable) does not constrain anything: it matches all.
'use strict';
const { unsupported } = require('./linear-fake-store');

const scalar = (valueType, get) => ({ kind: 'scalar', valueType, get });
const own = (valueType, name) => scalar(valueType, (x) => x[name]);
const relation = (entity, get) => ({ kind: 'relation', entity, get });
const collection = (entity, get) => ({ kind: 'collection', entity, get });

const TIMESTAMPS = {
  createdAt: own('datetime', 'createdAt'),
  updatedAt: own('datetime', 'updatedAt'),
};

const FIELDS = {
  Issue: {
    ...TIMESTAMPS,
    id: own('id', 'id'),
    number: own('number', 'number'),
    title: own('string', 'title'),
    description: own('string', 'description'),
    dueDate: own('date', 'dueDate'),
    priority: own('number', 'priority'),
    archivedAt: own('datetime', 'archivedAt'),
    startedAt: own('datetime', 'startedAt'),
    completedAt: own('datetime', 'completedAt'),
    canceledAt: own('datetime', 'canceledAt'),
    team: relation('Team', (i, ws) => ws.team(i.teamId)),
    state: relation('WorkflowState', (i, ws) => ws.workflowState(i.stateId)),
    assignee: relation('User', (i, ws) => ws.user(i.assigneeId)),
    labels: collection('IssueLabel', (i, ws) => ws.issueLabels(i)),
    attachments: collection('Attachment', (i, ws) => ws.issueAttachments(i)),
  },
  Attachment: {
    ...TIMESTAMPS,
    id: own('id', 'id'),
    url: own('string', 'url'),
    title: own('string', 'title'),
    subtitle: own('string', 'subtitle'),
  },
  Team: {
    ...TIMESTAMPS,
    id: own('id', 'id'),
    key: own('string', 'key'),
    name: own('string', 'name'),
    description: own('string', 'description'),
  },
  User: {
    ...TIMESTAMPS,
    id: own('id', 'id'),
    email: own('string', 'email'),
    name: own('string', 'name'),
    displayName: own('string', 'displayName'),
    active: own('boolean', 'active'),
  },
  IssueLabel: {
    ...TIMESTAMPS,
    id: own('id', 'id'),
    name: own('string', 'name'),
    isGroup: own('boolean', 'isGroup'),
    team: relation('Team', (l, ws) => (l.teamId ? ws.team(l.teamId) : null)),
  },
  WorkflowState: {
    ...TIMESTAMPS,
    id: own('id', 'id'),
    name: own('string', 'name'),
    type: own('string', 'type'),
    position: own('number', 'position'),
    description: own('string', 'description'),
    team: relation('Team', (s, ws) => ws.team(s.teamId)),
  },
};

const lower = (s) => (typeof s === 'string' ? s.toLowerCase() : s);
const plain = (s) => lower(s).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
const isString = (v) => typeof v === 'string';

// Comparator operators; v is the record's value (maybe null), a the comparator's argument.
// Each negative operator is the exact complement of its positive one, so null passes them.
const POSITIVE = {
  eq: (v, a) => v === a,
  in: (v, a) => a.includes(v),
  eqIgnoreCase: (v, a) => isString(v) && lower(v) === lower(a),
  startsWith: (v, a) => isString(v) && v.startsWith(a),
  startsWithIgnoreCase: (v, a) => isString(v) && lower(v).startsWith(lower(a)),
  endsWith: (v, a) => isString(v) && v.endsWith(a),
  contains: (v, a) => isString(v) && v.includes(a),
  containsIgnoreCase: (v, a) => isString(v) && lower(v).includes(lower(a)),
  containsIgnoreCaseAndAccent: (v, a) => isString(v) && plain(v).includes(plain(a)),
  lt: (v, a) => v != null && v < a,
  lte: (v, a) => v != null && v <= a,
  gt: (v, a) => v != null && v > a,
  gte: (v, a) => v != null && v >= a,
  null: (v, a) => (v == null) === a,
};
const NEGATIVE = {
  neq: 'eq', nin: 'in', neqIgnoreCase: 'eqIgnoreCase', notStartsWith: 'startsWith',
  notEndsWith: 'endsWith', notContains: 'contains', notContainsIgnoreCase: 'containsIgnoreCase',
};

// Brings dates and date-times to comparable values; Linear's relative durations ("-P2W") and
// shortcuts are not modelled.
function normalize(valueType, value, what) {
  if (value == null || typeof value === 'boolean') return value;
  if (valueType === 'datetime') {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw unsupported(`the date value "${value}" in ${what} (only ISO 8601 date-times)`);
    return ms;
  }
  if (valueType === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw unsupported(`the date value "${value}" in ${what} (only yyyy-mm-dd)`);
  }
  return value;
}

// Each compile function checks its part of the filter at once, so an unsupported field fails
// even when there is nothing to filter, and returns a predicate (record, ws) => boolean.
const always = () => true;
const all = (predicates) => (x, ws) => predicates.every((p) => p(x, ws));

function compileComparator(valueType, get, comparator, what) {
  const tests = [];
  for (const [op, arg] of Object.entries(comparator)) {
    if (arg == null) continue;
    const positive = POSITIVE[op] || POSITIVE[NEGATIVE[op]];
    if (!positive) throw unsupported(`the comparator ${op} in ${what}`);
    const a = Array.isArray(arg) ? arg.map((x) => normalize(valueType, x, what)) : normalize(valueType, arg, what);
    const wanted = !NEGATIVE[op];
    tests.push((x, ws) => positive(normalize(valueType, get(x, ws), what), a) === wanted);
  }
  return all(tests);
}

function compileRelation(field, filter, what) {
  const { null: isNull, ...rest } = filter;
  const inner = compile(field.entity, rest, what);
  const constrained = Object.values(rest).some((v) => v != null);
  return (x, ws) => {
    const related = field.get(x, ws);
    if (isNull != null && (related == null) !== isNull) return false;
    return related == null ? !constrained : inner(related, ws);
  };
}

function compileCollection(field, filter, what) {
  const tests = [];
  const element = {};
  const items = (x, ws) => field.get(x, ws);
  for (const [key, value] of Object.entries(filter)) {
    if (value == null) continue;
    if (key === 'some' || key === 'every') {
      const inner = compile(field.entity, value, `${what}.${key}`);
      tests.push((x, ws) => items(x, ws)[key]((e) => inner(e, ws)));
    } else if (key === 'length') {
      tests.push(compileComparator('number', (x, ws) => items(x, ws).length, value, `${what}.length`));
    } else if (key === 'null') {
      tests.push((x, ws) => (items(x, ws).length === 0) === value);
    } else if (key === 'and' || key === 'or') {
      const parts = value.map((f) => compileCollection(field, f, `${what}.${key}`));
      if (key === 'and') tests.push(all(parts));
      else if (parts.length) tests.push((x, ws) => parts.some((p) => p(x, ws)));
    } else {
      element[key] = value;
    }
  }
  if (Object.keys(element).length) {
    const inner = compile(field.entity, element, what);
    tests.push((x, ws) => items(x, ws).some((e) => inner(e, ws)));
  }
  return all(tests);
}

// A predicate for records of kind `entity` passing `filter`; `what` names the filter path in
// error messages.
function compile(entity, filter, what = entity) {
  const tests = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value == null) continue;
    const path = `${what}.${key}`;
    if (key === 'and' || key === 'or') {
      const parts = value.map((f) => compile(entity, f, path));
      if (key === 'and') tests.push(all(parts));
      else if (parts.length) tests.push((x, ws) => parts.some((p) => p(x, ws)));
      continue;
    }
    const field = FIELDS[entity][key];
    if (!field) throw unsupported(`the filter field ${path}`);
    tests.push(field.kind === 'scalar' ? compileComparator(field.valueType, field.get, value, path)
      : field.kind === 'relation' ? compileRelation(field, value, path)
        : compileCollection(field, value, path));
  }
  return tests.length ? all(tests) : always;
}

module.exports = { compileFilter: compile };
