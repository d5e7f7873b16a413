// How the fake Jira reads the `fields` and `update` of a create or edit body
// (IssueUpdateDetails): which fields may be set where, the value each takes, and Jira's
// words when it refuses one. Every field error of one request is collected and reported
// together, as Jira does, in an ErrorCollection's `errors` map.
'use strict';

// A refusal answered with Jira's ErrorCollection body.
class JiraError extends Error {
  constructor(status, body, headers) {
    super((body.errorMessages || [])[0] || JSON.stringify(body.errors || {}));
    this.status = status;
    this.body = { errorMessages: body.errorMessages || [], errors: body.errors || {} };
    this.headers = headers || {};
  }
}
const messageError = (status, message) => new JiraError(status, { errorMessages: [message] });
const fieldErrors = (errors) => new JiraError(400, { errorMessages: [], errors });

const NOT_SETTABLE = (id) => `Field '${id}' cannot be set. It is not on the appropriate screen, or unknown.`;
const NOT_STRING = 'Operation value must be a string';
const NOT_ADF = 'Operation value must be an Atlassian Document (see the Atlassian Document Format)';
const LABEL_MAX = 255;
const SUMMARY_MAX = 255;
const TEXT_MAX = 32767; // a multi-line text field, an ADF document counted as its JSON

const CREATE_FIELDS = ['project', 'issuetype', 'summary', 'description', 'assignee', 'reporter', 'duedate', 'labels', 'priority'];
const EDIT_FIELDS = ['summary', 'description', 'assignee', 'reporter', 'duedate', 'labels', 'priority'];

// An Atlassian Document: {type: "doc", version: 1, content: [...]}, every node an object
// with a type, no text node empty (the ADF schema's minLength 1).
function isAdf(doc) {
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return false;
  if (doc.type !== 'doc' || doc.version !== 1 || !Array.isArray(doc.content)) return false;
  const nodeOk = (node) => {
    if (!node || typeof node !== 'object' || typeof node.type !== 'string') return false;
    if (node.type === 'text' && (typeof node.text !== 'string' || node.text.length === 0)) return false;
    if (node.content != null && (!Array.isArray(node.content) || !node.content.every(nodeOk))) return false;
    if (node.marks != null && (!Array.isArray(node.marks) || !node.marks.every((m) => m && typeof m.type === 'string'))) {
      return false;
    }
    return true;
  };
  return doc.content.every(nodeOk);
}

function validDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

// Reads field values for one issue of `project` on `site`. Each reader returns the stored
// value or records an error under the field's id.
class FieldReader {
  constructor(site, project, errors) {
    this.site = site;
    this.project = project;
    this.errors = errors;
  }

  fail(id, message) {
    if (!(id in this.errors)) this.errors[id] = message;
    return undefined;
  }

  summary(v) {
    if (typeof v !== 'string') return this.fail('summary', NOT_STRING);
    if (!v.trim()) return this.fail('summary', 'You must specify a summary of the issue.');
    if (v.length > SUMMARY_MAX) return this.fail('summary', 'Summary must be less than 255 characters.');
    if (/[\r\n]/.test(v)) return this.fail('summary', 'The summary is invalid because it contains newline characters.');
    return v;
  }

  // Cloud v3 takes an Atlassian Document, Data Center's v2 a wiki-markup string.
  description(v) {
    if (v === null) return null;
    if (this.site.dc ? typeof v !== 'string' : !isAdf(v)) return this.fail('description', this.site.dc ? NOT_STRING : NOT_ADF);
    if ((this.site.dc ? v : JSON.stringify(v)).length > TEXT_MAX) {
      return this.fail('description', 'The entered text is too long. It exceeds the allowed limit of 32,767 characters.');
    }
    return v;
  }

  // A user reference: Cloud finds users by accountId (or id) and, as Cloud does in GDPR
  // strict mode, drops a reference by name without a word (null: unassigned); Data Center
  // wants the username.
  user(id, v, forAssignee) {
    if (v === null) return null;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return this.fail(id, NOT_STRING);
    let user;
    if (this.site.dc) {
      if (typeof v.name !== 'string') return this.fail(id, "expected Object containing a 'name' property");
      user = this.site.userByName(v.name);
      if (!user) return this.fail(id, `User '${v.name}' does not exist.`);
    } else {
      const accountId = v.accountId != null ? v.accountId : v.id;
      if (accountId == null) return null;
      if (typeof accountId !== 'string') return this.fail(id, NOT_STRING);
      user = this.site.userByAccountId(accountId);
      if (!user) return this.fail(id, `Specified user does not exist or you do not have required permissions: ${accountId}`);
    }
    if (forAssignee && !user.active) return this.fail(id, `User '${user.displayName}' cannot be assigned issues.`);
    return user.accountId;
  }

  duedate(v) {
    if (v === null) return null;
    if (typeof v !== 'string') return this.fail('duedate', NOT_STRING);
    if (!validDate(v)) return this.fail('duedate', `Error parsing date string: ${v}`);
    return v;
  }

  label(v) {
    if (typeof v !== 'string') return this.fail('labels', NOT_STRING);
    if (/\s/.test(v)) return this.fail('labels', `The label '${v}' contains spaces which is invalid.`);
    if (!v) return this.fail('labels', 'The label must not be empty.');
    if (v.length > LABEL_MAX) {
      return this.fail('labels', `The label '${v}' exceeds the maximum length for a single label of ${LABEL_MAX} characters.`);
    }
    return v;
  }

  labels(v) {
    if (v === null) return [];
    if (!Array.isArray(v)) return this.fail('labels', 'data was not an array');
    const out = v.map((l) => this.label(l));
    return out.includes(undefined) ? undefined : out;
  }

  priority(v) {
    if (!v || typeof v !== 'object') return this.fail('priority', 'The priority selected is invalid.');
    const p = v.id != null ? this.site.priority(v.id) : v.name != null ? this.site.priority(v.name) : null;
    return p ? p.id : this.fail('priority', 'The priority selected is invalid.');
  }

  custom(field, v) {
    if (v === null) return null;
    if (field.kind === 'text') {
      if (typeof v !== 'string') return this.fail(field.id, NOT_STRING);
      if (v.length > 255) return this.fail(field.id, 'The entered text is too long. It exceeds the allowed limit of 255 characters.');
      return v;
    }
    if (!v || typeof v !== 'object' || (v.id == null && v.value == null)) {
      return this.fail(field.id, "Could not find valid 'id' or 'value' in the Parent Option object.");
    }
    const option = field.options.find((o) => (v.id != null ? o.id === String(v.id) : o.value === v.value));
    if (option) return option.id;
    return this.fail(field.id, v.id != null ? `Option id '${v.id}' is not valid` : `Option value '${v.value}' is not valid`);
  }

  // One field by id; `allowed` lists the system fields this screen holds.
  read(id, v, allowed) {
    const custom = this.project.customFields[id] ? this.site.customField(id) : null;
    if (custom) return this.custom(custom, v);
    if (!allowed.includes(id)) return this.fail(id, NOT_SETTABLE(id));
    switch (id) {
      case 'summary': return this.summary(v);
      case 'description': return this.description(v);
      case 'assignee': return this.user(id, v, true);
      case 'reporter': return v === null ? this.fail(id, 'Reporter is required.') : this.user(id, v, false);
      case 'duedate': return this.duedate(v);
      case 'labels': return this.labels(v);
      case 'priority': return this.priority(v);
      default: return v; // project and issuetype are read by the caller
    }
  }
}

// The values the `fields` and `update` of a body set, as {fieldId: value}; labels are a
// sorted set, as Jira stores them. `current` is the issue being edited (null on create).
function readChanges(site, project, body, allowed, current, errors) {
  const reader = new FieldReader(site, project, errors);
  const fields = body.fields == null ? {} : body.fields;
  const update = body.update == null ? {} : body.update;
  if (typeof fields !== 'object' || Array.isArray(fields)) throw messageError(400, "Can not deserialize instance of java.util.LinkedHashMap out of START_ARRAY token");
  if (typeof update !== 'object' || Array.isArray(update)) throw messageError(400, "Can not deserialize instance of java.util.LinkedHashMap out of START_ARRAY token");
  const changes = {};
  for (const [id, v] of Object.entries(fields)) {
    if (!current && (id === 'project' || id === 'issuetype')) continue; // read by the caller on create
    if (id in update) {
      reader.fail(id, `Field '${id}' cannot be set in both 'fields' and 'update'.`);
      continue;
    }
    const value = reader.read(id, v, allowed);
    if (value !== undefined) changes[id] = value;
  }
  for (const [id, ops] of Object.entries(update)) {
    if (!Array.isArray(ops)) {
      reader.fail(id, 'data was not an array');
      continue;
    }
    if (id === 'labels' && allowed.includes('labels')) {
      let labels = current ? current.labels.slice() : [];
      for (const op of ops) {
        const [verb] = Object.keys(op || {});
        const value = verb === 'set' ? reader.labels(op.set) : reader.label(op[verb]);
        if (value === undefined) continue;
        if (verb === 'set') labels = value;
        else if (verb === 'add') labels.push(value);
        else if (verb === 'remove') labels = labels.filter((l) => l !== value);
        else reader.fail(id, `Field '${id}' does not support operation '${verb}'. Supported operation(s) are: 'add,set,remove'`);
      }
      changes.labels = labels;
      continue;
    }
    for (const op of ops) {
      const [verb] = Object.keys(op || {});
      if (verb !== 'set') {
        reader.fail(id, `Field '${id}' does not support operation '${verb}'. Supported operation(s) are: 'set'`);
        continue;
      }
      const value = reader.read(id, op.set, allowed);
      if (value !== undefined) changes[id] = value;
    }
  }
  if (changes.labels) changes.labels = [...new Set(changes.labels)].sort();
  return changes;
}

// Issue entity properties as a create body carries them: [{key, value}].
function readProperties(list, errors) {
  if (list == null) return [];
  if (!Array.isArray(list)) {
    errors.properties = 'data was not an array';
    return [];
  }
  const out = [];
  for (const p of list) {
    const problem = propertyProblem(p && p.key, p && p.value);
    if (problem) errors.properties = problem;
    else out.push({ key: p.key, value: p.value });
  }
  return out;
}

function propertyProblem(key, value) {
  if (typeof key !== 'string' || !key) return 'The property key cannot be empty.';
  if (key.length > 255) return 'The property key can not be longer than 255 characters.';
  if (value === undefined) return 'The property value cannot be empty.';
  if (JSON.stringify(value).length > 32768) return 'The property value can not be longer than 32768 characters.';
  return null;
}

// A comma-separated query parameter or a JSON array, as a list.
function list(v) {
  if (v == null) return null;
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

function intParam(v, name, dflt) {
  if (v == null || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw messageError(400, `The value '${v}' for parameter '${name}' is not a valid integer.`);
  return n;
}

module.exports = {
  list, intParam,
  JiraError, messageError, fieldErrors, readChanges, readProperties, propertyProblem, isAdf, validDate,
  CREATE_FIELDS, EDIT_FIELDS, NOT_SETTABLE,
};
